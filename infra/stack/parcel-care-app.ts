// Builds the CDK app: settings from context, one stack per stage, cdk-nag's AWS Solutions pack as a
// validation plugin. `infra/app.ts` synthesizes it; the infra tests build it the same way.

import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { FunctionDefinition } from '#infra/catalogue';
import type { QueueDefinition } from '#shared/work-queues';
import { readDeploymentSettings } from './deployment-settings.ts';
import { ParcelCareStack } from './parcel-care-stack.ts';

export interface BuildAppOptions extends AppProps {
  /** Run cdk-nag's AWS Solutions checks during synthesis (default true). */
  nag?: boolean;
  functions?: readonly FunctionDefinition[];
  queues?: readonly QueueDefinition[];
}

export function buildApp(options: BuildAppOptions = {}): { app: App; stack: ParcelCareStack } {
  const { nag = true, functions, queues, ...appProps } = options;
  const app = new App(appProps);
  const settings = readDeploymentSettings(app.node);

  // No env: the stack is environment-agnostic, so synth needs no credentials and does no lookups.
  const stack = new ParcelCareStack(app, `ParcelCare-${settings.stage}`, {
    description: `Parcel Care customer-service case backend (${settings.stage})`,
    settings,
    functions,
    queues,
  });
  Tags.of(app).add('project', 'parcel-care');
  Tags.of(app).add('stage', settings.stage);

  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
