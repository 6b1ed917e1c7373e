// The service policy from AWS AppConfig (hosted configuration), read through the AppConfigData API: one
// session per execution environment, then GetLatestConfiguration, which answers with an empty body while
// the deployed version is the one this environment already has.
import {
  type AppConfigDataClient,
  GetLatestConfigurationCommand,
  StartConfigurationSessionCommand,
} from '@aws-sdk/client-appconfigdata';
import type { PolicyLoader } from './policy-source.ts';

export interface AppConfigProfile {
  application: string;
  environment: string;
  profile: string;
}

/** AppConfigData refuses polls closer together than the session's minimum interval. */
export const appConfigMinimumPollSeconds = 15;

export function appConfigPolicyLoader(client: AppConfigDataClient, ids: AppConfigProfile): PolicyLoader {
  let token: string | undefined;
  const decoder = new TextDecoder();
  return {
    origin: 'appconfig',
    async load() {
      token ??= (
        await client.send(
          new StartConfigurationSessionCommand({
            ApplicationIdentifier: ids.application,
            EnvironmentIdentifier: ids.environment,
            ConfigurationProfileIdentifier: ids.profile,
            RequiredMinimumPollIntervalInSeconds: appConfigMinimumPollSeconds,
          }),
        )
      ).InitialConfigurationToken;
      try {
        const latest = await client.send(new GetLatestConfigurationCommand({ ConfigurationToken: token }));
        token = latest.NextPollConfigurationToken;
        const body = latest.Configuration;
        return body && body.length > 0 ? decoder.decode(body) : undefined;
      } catch (error) {
        // A token lives 24 hours and is spent on use: a failed poll starts a new session next time.
        token = undefined;
        throw error;
      }
    },
  };
}
