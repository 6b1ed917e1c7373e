// What the deployed bundles carry in place of the SDK's default credential chain
// (`@aws-sdk/credential-provider-node`, replaced by an esbuild alias declared in infra/stack/bundling.ts).
// Lambda gives every function its role's credentials in the environment (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so the chain's other links (SSO, shared ini files and
// profiles, login, credential processes, web identity, EC2 instance metadata) never answer there, yet
// they, the STS and SSO clients behind them (`@aws-sdk/nested-clients`) and the parts of the SDK's core
// only they use made up about 125 KB of every bundle. Kept: the environment, then a container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI
// or _RELATIVE_URI), for an execution environment that hands credentials out that way instead.
// Code run by Node itself (the sandbox, tests, tools) is not bundled and keeps the SDK's whole chain.
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { type FromHttpOptions, fromHttp } from '@aws-sdk/credential-provider-http';
import { CredentialsProviderError, chain, memoize } from '@smithy/core/config';

type AwsCredentialIdentityProvider = ReturnType<typeof fromEnv>;
type AwsCredentialIdentity = Awaited<ReturnType<AwsCredentialIdentityProvider>>;

/** Refreshed five minutes before they expire, as the SDK's own chain does; the environment's never expire. */
export const credentialsWillNeedRefresh = (credentials: AwsCredentialIdentity): boolean =>
  credentials.expiration !== undefined;
export const credentialsTreatedAsExpired = (credentials: AwsCredentialIdentity): boolean =>
  credentials.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;

/** The SDK clients call this (as `credentialDefaultProvider`) with their own configuration. */
export function defaultProvider(init: FromHttpOptions = {}): AwsCredentialIdentityProvider {
  return memoize(
    chain(
      fromEnv(init),
      // fromHttp throws at once when no endpoint is set; made inside the link, that passes to the next.
      async () => fromHttp(init)(),
      async () => {
        throw new CredentialsProviderError(
          'No AWS credentials: neither AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY nor a container ' +
            'credentials endpoint is set, and this bundle carries no other provider (infra/stack/bundling.ts)',
          { logger: init.logger, tryNextLink: false },
        );
      },
    ),
    credentialsTreatedAsExpired,
    credentialsWillNeedRefresh,
  );
}
