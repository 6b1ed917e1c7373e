// One stack per stage, built from the catalogue. State and code are separate constructs rather than
// separate stacks: the functions' grants, the SES rule and the alarms reach across both, and in one
// stack none of that becomes a CloudFormation export that later blocks a change.

import { fileURLToPath } from 'node:url';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { functions as catalogueFunctions, type FunctionDefinition } from '#infra/catalogue';
import { queues as catalogueQueues, type QueueDefinition } from '#shared/work-queues';
import { EdgeWebAcl } from './api-edge.ts';
import { CaseMonitoring } from './case-monitoring.ts';
import { CaseService } from './case-service.ts';
import { CaseSite } from './case-site.ts';
import { CaseState } from './case-state.ts';
import type { DeploymentSettings } from './deployment-settings.ts';

/** Catalogue entries and the lock file are relative to this directory. */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The Vite build of the pages (`npm run build:web`). */
export const siteDir = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface ParcelCareStackProps extends StackProps {
  settings: DeploymentSettings;
  /** Defaults to the catalogue; tests may pass a variant. */
  functions?: readonly FunctionDefinition[];
  /** Defaults to the catalogue; tests may pass a variant. */
  queues?: readonly QueueDefinition[];
}

export class ParcelCareStack extends Stack {
  readonly state: CaseState;
  readonly service: CaseService;
  readonly site: CaseSite;
  readonly monitoring: CaseMonitoring;
  /** The web ACL made here when the deployment names none (context `wafWebAclArn`). */
  readonly ownWebAcl?: EdgeWebAcl;

  constructor(scope: Construct, id: string, props: ParcelCareStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const functions = props.functions ?? catalogueFunctions;

    this.state = new CaseState(this, 'State', {
      settings,
      queues: props.queues ?? catalogueQueues,
      functions,
    });
    if (!settings.wafWebAclArn) {
      this.ownWebAcl = new EdgeWebAcl(this, 'EdgeAcl', {
        name: `parcel-care-${settings.stage}-api`,
        ratePer5Minutes: settings.wafRateLimitPer5Minutes,
      });
    }
    // The pages and the API behind one distribution and its web ACL: links in messages point at it
    // unless publicBaseUrl says otherwise.
    this.site = new CaseSite(this, 'Site', {
      settings,
      userPool: this.state.userPool,
      siteDir,
      webAclArn: settings.wafWebAclArn ?? this.ownWebAcl!.webAcl.attrArn,
      bucketOrigins: [this.state.buckets.regionalOrigin('attachments')],
    });
    this.service = new CaseService(this, 'Service', {
      settings: { ...settings, publicBaseUrl: settings.publicBaseUrl ?? this.site.url },
      state: this.state,
      functions,
      projectRoot,
      staffAudiences: [this.site.userPoolClient.userPoolClientId],
    });
    this.site.serveApi(this.service.httpApi, functions);
    // Customers' browsers upload attachments straight to S3 from the pages' origin.
    this.state.buckets.allowBrowsersFrom([
      this.site.url,
      ...(settings.publicBaseUrl ? [new URL(settings.publicBaseUrl).origin] : []),
    ]);
    this.monitoring = new CaseMonitoring(this, 'Monitoring', {
      settings,
      state: this.state,
      service: this.service,
    });

    new CfnOutput(this, 'ApiUrl', {
      value: this.service.apiStage.url,
      description: 'HTTP API base URL, direct (around CloudFront and WAF; customers use SiteUrl)',
    });
    new CfnOutput(this, 'UserPoolId', {
      value: this.state.userPool.userPoolId,
      description: 'Staff user pool',
    });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.state.userPoolClient.userPoolClientId,
      description: 'App client for staff tools (SRP or password auth)',
    });
    new CfnOutput(this, 'SiteUrl', {
      value: this.site.url,
      description: 'Case page, workspace, /docs and the public API, behind AWS WAF',
    });
    new CfnOutput(this, 'TableName', { value: this.state.table.tableName, description: 'Case table' });
    new CfnOutput(this, 'OpsTopicArn', {
      value: this.state.opsTopic.topicArn,
      description: 'Alarm notifications',
    });
    if (this.state.inbound) {
      new CfnOutput(this, 'InboundSmsTopicArn', {
        value: this.state.inbound.smsTopic.topicArn,
        description: "The phone number's two-way SMS destination (update-phone-number --two-way-channel-arn)",
      });
      if (this.state.inbound.ruleSet) {
        new CfnOutput(this, 'InboundReceiptRuleSet', {
          value: this.state.inbound.ruleSet.receiptRuleSetName,
          description: 'Activate once: aws ses set-active-receipt-rule-set --rule-set-name <this>',
        });
      }
    }
  }
}
