// The service policy: from AppConfig when the deployment names a profile, from a file in the sandbox,
// else the defaults. Every source starts from the defaults with the deployment's compensation settings.
import { AppConfigDataClient } from '@aws-sdk/client-appconfigdata';
import { defaultServicePolicy } from '#domain/service-policy';
import { appConfigPolicyLoader } from '../appconfig-policy.ts';
import { awsClient } from '../aws-clients.ts';
import { systemClock } from '../clock.ts';
import { failSafePolicySource, filePolicyLoader, fixedPolicySource } from '../policy-source.ts';
import { logPort, metricsPort, type PortGroup, type PortsOf } from './wire.ts';

const appConfigClient = awsClient(() => new AppConfigDataClient({}));

export const policy: PortGroup<PortsOf<'policy'>> = {
  name: 'policy',
  build: (config) => {
    const initial = { ...defaultServicePolicy, compensation: config.CARRIER_COMPENSATION_POLICIES };
    const common = { clock: systemClock, metrics: metricsPort, logger: logPort, initial };
    const { POLICY_APPCONFIG_APPLICATION: application, POLICY_APPCONFIG_ENVIRONMENT: environment } = config;
    const profile = config.POLICY_APPCONFIG_PROFILE;
    if (application && environment && profile) {
      const loader = appConfigPolicyLoader(appConfigClient(), { application, environment, profile });
      return {
        policy: failSafePolicySource(loader, { ...common, refreshMs: config.POLICY_REFRESH_SECONDS * 1000 }),
      };
    }
    if (config.SERVICE_POLICY_FILE) {
      // A stat per use: an edit holds for the next case, and an unchanged file is not read again.
      return {
        policy: failSafePolicySource(filePolicyLoader(config.SERVICE_POLICY_FILE), {
          ...common,
          refreshMs: 0,
        }),
      };
    }
    return { policy: fixedPolicySource(initial) };
  },
};
