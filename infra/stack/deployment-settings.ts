// What one deployment may vary, read once from CDK context (cdk.json or `-c key=value`) and checked
// before any construct is built, so a typo fails the synth instead of the first request. Every value a
// function reads is checked with the very zod schema that function parses it with at cold start
// (`configFields` of shared/config.ts).

import { aws_logs as logs, RemovalPolicy } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import { defaultSendRates, type SendRates } from '#infra/catalogue';
import { type AbuseLimits, parseLimits } from '#shared/abuse-limits';
import { configFields, describeIssues } from '#shared/config';
import type * as z from '#shared/zod';

export interface DeploymentSettings {
  /** Short name of the environment (`dev`, `prod`, …): part of the stack and resource names. */
  stage: string;
  /** The SES identity mail is sent from. */
  senderEmail: string;
  /** Create the SES email identity in this stack (otherwise it is managed outside it). */
  createEmailIdentity: boolean;
  /** Subscribed to the ops topic when given. */
  alarmEmail?: string;
  removalPolicy: RemovalPolicy;
  logRetention: logs.RetentionDays;
  smsOriginationIdentity?: string;
  smsConfigurationSet?: string;
  /** Base of the links in customer messages; the HTTP API URL when absent. */
  publicBaseUrl?: string;
  /** Team leads who get at-risk and breach notices: { "<team>": { "supervisor": "…", "manager": "…" } }. */
  teamLeads?: Record<string, { supervisor?: string; manager?: string }>;
  /** The carrier this deployment serves, and per-carrier compensation overrides (DOMAIN.md §6), as JSON. */
  carrierId?: string;
  compensationPolicies?: string;
  /** Minutes after resolution before the satisfaction survey goes out. */
  surveyDelayMinutes?: number;
  /** Country calling codes SMS may go to, comma-separated ("86"); the functions default to 86. */
  smsCountryCodes?: string;
  /** The account's SES and SMS send rates; the notification consumer's maximum concurrency follows them. */
  sendRates: SendRates;
  /** A CLOUDFRONT-scope WAF web ACL made elsewhere (in us-east-1); without it the stack makes its own. */
  wafWebAclArn?: string;
  /** Requests one IP may send in any 5 minutes before WAF blocks it. */
  wafRateLimitPer5Minutes: number;
  /** The abuse limits (shared/abuse-limits.ts): production values with the `abuseLimits` context over them. */
  abuseLimits: AbuseLimits;
  /**
   * Where the staff sign-in (Cognito's authorization code grant) may return, and where sign-out may land:
   * the workspace's URLs (https, comma-separated). Absent: the site's own `https://<distribution>/workspace/`.
   * The first is the one the workspace's config.json names.
   */
  staffCallbackUrls?: readonly string[];
  /** The domain SES receives mail for (`care@<domain>` opens cases); without it no receipt rule is made. */
  inboundEmailDomain?: string;
  /** An existing (active) receipt rule set to add the rule to; without it the stack makes its own set. */
  inboundReceiptRuleSetName?: string;
}

const retentionDays = new Set<number>(
  Object.values(logs.RetentionDays).filter((value): value is number => typeof value === 'number'),
);

/** The context keys this app reads; cdk.json documents their defaults. */
export const contextKeys = [
  'stage',
  'senderEmail',
  'createEmailIdentity',
  'alarmEmail',
  'removalPolicy',
  'retentionDays',
  'smsOriginationIdentity',
  'smsConfigurationSet',
  'publicBaseUrl',
  'teamLeads',
  'carrierId',
  'compensationPolicies',
  'surveyDelayMinutes',
  'smsCountryCodes',
  'sesSendRatePerSecond',
  'smsSendRatePerSecond',
  'wafWebAclArn',
  'wafRateLimitPer5Minutes',
  'abuseLimits',
  'staffCallbackUrls',
  'inboundEmailDomain',
  'inboundReceiptRuleSetName',
] as const;
type ContextKey = (typeof contextKeys)[number];

/** `value` checked with the schema the functions read it with; the error names the context key. */
function checked<S extends z.ZodMiniType>(key: ContextKey, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new Error(
    `Context "${key}" is invalid (${JSON.stringify(value)}): ${describeIssues(parsed.error.issues, key)}`,
  );
}

export function readDeploymentSettings(node: Node): DeploymentSettings {
  const text = (key: ContextKey): string | undefined => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new Error(`Context "${key}" must be a string, number or boolean`);
    }
    return String(value).trim();
  };
  /** JSON context arrives as a string from `-c key='{…}'` and as an object from cdk.json. */
  const json = (key: ContextKey): string | undefined => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    return typeof value === 'string' ? value : JSON.stringify(value);
  };
  const optional = <S extends z.ZodMiniType>(key: ContextKey, schema: S, value: string | undefined) =>
    value === undefined ? undefined : (checked(key, schema, value) as z.output<S>);

  const stage = checked('stage', configFields.STAGE, text('stage') ?? 'dev');
  const senderEmail = checked(
    'senderEmail',
    configFields.SENDER_EMAIL,
    text('senderEmail') ?? 'noreply@example.com',
  );
  // Not a function setting, but an address SNS would fail to confirm; the same rule as the sender's.
  const alarmEmail = optional('alarmEmail', configFields.SENDER_EMAIL, text('alarmEmail'));

  const removal = text('removalPolicy') ?? 'retain';
  if (removal !== 'retain' && removal !== 'destroy') {
    throw new Error(`Context "removalPolicy" must be "retain" or "destroy"; got "${removal}"`);
  }

  const retention = Number(text('retentionDays') ?? 30);
  if (!retentionDays.has(retention)) {
    throw new Error(
      `Context "retentionDays" must be one of CloudWatch Logs' retention periods (${[...retentionDays].join(', ')}); got "${retention}"`,
    );
  }

  const publicBaseUrl = optional('publicBaseUrl', configFields.PUBLIC_BASE_URL, text('publicBaseUrl'));
  const teamLeads = json('teamLeads');
  const compensationPolicies = json('compensationPolicies');
  // Passed on as the text the functions parse; checked here as they will check it.
  optional('compensationPolicies', configFields.CARRIER_COMPENSATION_POLICIES, compensationPolicies);
  const surveyDelay = optional(
    'surveyDelayMinutes',
    configFields.SURVEY_DELAY_MINUTES,
    text('surveyDelayMinutes'),
  );
  const smsCountryCodes = optional(
    'smsCountryCodes',
    configFields.SMS_COUNTRY_CODES,
    text('smsCountryCodes'),
  );

  return {
    stage,
    senderEmail,
    createEmailIdentity: text('createEmailIdentity') === 'true',
    alarmEmail,
    removalPolicy: removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    logRetention: retention as logs.RetentionDays,
    smsOriginationIdentity: optional(
      'smsOriginationIdentity',
      configFields.SMS_ORIGINATION_IDENTITY,
      text('smsOriginationIdentity'),
    ),
    smsConfigurationSet: optional(
      'smsConfigurationSet',
      configFields.SMS_CONFIGURATION_SET,
      text('smsConfigurationSet'),
    ),
    publicBaseUrl: publicBaseUrl?.replace(/\/+$/, ''),
    teamLeads: teamLeads === undefined ? undefined : checked('teamLeads', configFields.TEAM_LEADS, teamLeads),
    carrierId: optional('carrierId', configFields.CARRIER_ID, text('carrierId')),
    compensationPolicies,
    surveyDelayMinutes: surveyDelay,
    smsCountryCodes: smsCountryCodes?.join(','),
    sendRates: {
      emailPerSecond: readPositive(
        'sesSendRatePerSecond',
        text('sesSendRatePerSecond'),
        defaultSendRates.emailPerSecond,
      ),
      smsPerSecond: readPositive(
        'smsSendRatePerSecond',
        text('smsSendRatePerSecond'),
        defaultSendRates.smsPerSecond,
      ),
    },
    wafWebAclArn: readWebAclArn(text('wafWebAclArn')),
    // WAF's rate-based rules count over 5 minutes and accept 10 to 2,000,000,000.
    wafRateLimitPer5Minutes: readPositive(
      'wafRateLimitPer5Minutes',
      text('wafRateLimitPer5Minutes'),
      2000,
      10,
    ),
    abuseLimits: readAbuseLimits(node.tryGetContext('abuseLimits')),
    staffCallbackUrls: readCallbackUrls(text('staffCallbackUrls')),
    inboundEmailDomain: readInboundDomain(text('inboundEmailDomain')),
    inboundReceiptRuleSetName: readRuleSetName(text('inboundReceiptRuleSetName')),
  };
}

/** `-c staffCallbackUrls=https://care.example.com/workspace/,https://…`: https only (http for localhost). */
function readCallbackUrls(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const urls = raw
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  for (const url of urls) {
    if (!/^(https:\/\/[^\s/]+|http:\/\/localhost(:\d+)?)(\/\S*)?$/.test(url)) {
      throw new Error(
        `Context "staffCallbackUrls" must be https URLs (http only for localhost), comma-separated; got "${url}"`,
      );
    }
  }
  return urls.length > 0 ? urls : undefined;
}

/** The service address's domain, checked as the functions check the address they are given. */
function readInboundDomain(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const domain = raw.toLowerCase();
  checked('inboundEmailDomain', configFields.INBOUND_EMAIL_ADDRESS, `care@${domain}`);
  return domain;
}

function readRuleSetName(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(raw)) {
    throw new Error(`Context "inboundReceiptRuleSetName" is not a receipt rule set name; got "${raw}"`);
  }
  return raw;
}

/** `-c abuseLimits='{"sourcePerMinute":20}'` or an object in cdk.json; checked by the functions' own schema. */
function readAbuseLimits(raw: unknown): AbuseLimits {
  try {
    return parseLimits(raw ?? '');
  } catch (error) {
    throw new Error(`Context "abuseLimits": ${(error as Error).message}`);
  }
}

function readPositive(key: string, raw: string | undefined, fallback: number, minimum = 1): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum) {
    throw new Error(`Context "${key}" must be a whole number of at least ${minimum}; got "${raw}"`);
  }
  return value;
}

function readWebAclArn(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!/^arn:aws[\w-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/.test(raw)) {
    throw new Error(
      `Context "wafWebAclArn" must be a CLOUDFRONT-scope web ACL's ARN (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>); got "${raw}"`,
    );
  }
  return raw;
}
