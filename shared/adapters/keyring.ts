// Keyed hashes for contact look-ups and case tokens. The key lives in Secrets Manager in AWS
// and in HMAC_SECRET in the sandbox; it is fetched once per execution environment, and fetched again
// on the next call if that failed.
import { createHmac, randomBytes } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../config.ts';
import type { Keyring } from '../use-cases/ports.ts';
import { awsClient } from './aws-clients.ts';
import { type LazyPromise, lazyPromise } from './lazy-promise.ts';

const secretsClient = awsClient(() => new SecretsManagerClient({}));

export function keyringFromSecret(secret: string): Keyring {
  const contactKey = createHmac('sha256', secret).update('contact-hash-v1').digest();
  const tokenKey = createHmac('sha256', secret).update('case-token-v1').digest();
  const replyKey = createHmac('sha256', secret).update('reply-address-v1').digest();
  return {
    hashContact: (contact) =>
      createHmac('sha256', contactKey).update(contact.trim().toLowerCase()).digest('base64url'),
    newTokenNonce: () => randomBytes(16).toString('base64url'),
    caseToken: (caseId, nonce) =>
      createHmac('sha256', tokenKey).update(`${caseId}\n${nonce}`).digest('base64url'),
    // 64 bits in lower-case hex: it survives mail systems that fold the local part's case.
    replyTag: (caseId) =>
      createHmac('sha256', replyKey).update(caseId.toUpperCase()).digest('hex').slice(0, 16),
  };
}

type KeySource = Pick<Config, 'HMAC_SECRET' | 'HMAC_SECRET_ARN'>;

let loaded: LazyPromise<Keyring> | undefined;

export function loadKeyring(config: KeySource): Promise<Keyring> {
  loaded ??= lazyPromise(() => fetchKeyring(config));
  return loaded.get();
}

/** Tests and the sandbox, after changing the environment. */
export function resetKeyring(): void {
  loaded = undefined;
}

async function fetchKeyring(config: KeySource): Promise<Keyring> {
  if (config.HMAC_SECRET) return keyringFromSecret(config.HMAC_SECRET);
  const result = await secretsClient().send(new GetSecretValueCommand({ SecretId: config.HMAC_SECRET_ARN }));
  if (!result.SecretString) throw new Error('The HMAC secret has no string value');
  return keyringFromSecret(result.SecretString);
}
