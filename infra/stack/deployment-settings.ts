// What one deployment may vary, read once from CDK context (cdk.json or `-c key=value`) and checked
// before any construct is built, so a typo fails the synth instead of the first request.

import { aws_logs as logs, RemovalPolicy } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import { type AbuseLimits, parseLimits } from '#shared/abuse-limits';

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
  /** The abuse limits (shared/abuse-limits.ts): production values with the `abuseLimits` context over them. */
  abuseLimits: AbuseLimits;
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
  'abuseLimits',
] as const;

export function readDeploymentSettings(node: Node): DeploymentSettings {
  const text = (key: (typeof contextKeys)[number]): string | undefined => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new Error(`Context "${key}" must be a string, number or boolean`);
    }
    return String(value).trim();
  };

  const stage = text('stage') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(stage)) {
    throw new Error(`Context "stage" must be 1-16 lowercase letters, digits or dashes; got "${stage}"`);
  }

  const senderEmail = text('senderEmail') ?? 'noreply@example.com';
  if (!isEmail(senderEmail))
    throw new Error(`Context "senderEmail" is not an email address: "${senderEmail}"`);

  const alarmEmail = text('alarmEmail');
  if (alarmEmail !== undefined && !isEmail(alarmEmail)) {
    throw new Error(`Context "alarmEmail" is not an email address: "${alarmEmail}"`);
  }

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

  const publicBaseUrl = text('publicBaseUrl');
  if (publicBaseUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(publicBaseUrl)) {
    throw new Error(`Context "publicBaseUrl" must be an http(s) URL; got "${publicBaseUrl}"`);
  }

  return {
    stage,
    senderEmail,
    createEmailIdentity: text('createEmailIdentity') === 'true',
    alarmEmail,
    removalPolicy: removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    logRetention: retention as logs.RetentionDays,
    smsOriginationIdentity: text('smsOriginationIdentity'),
    smsConfigurationSet: text('smsConfigurationSet'),
    publicBaseUrl: publicBaseUrl?.replace(/\/+$/, ''),
    teamLeads: readTeamLeads(node.tryGetContext('teamLeads')),
    carrierId: text('carrierId'),
    compensationPolicies: readJsonText(node.tryGetContext('compensationPolicies'), 'compensationPolicies'),
    surveyDelayMinutes: readSurveyDelay(text('surveyDelayMinutes')),
    abuseLimits: readAbuseLimits(node.tryGetContext('abuseLimits')),
  };
}

/** `-c abuseLimits='{"sourcePerMinute":20}'` or an object in cdk.json; checked by the functions' own schema. */
function readAbuseLimits(raw: unknown): AbuseLimits {
  try {
    return parseLimits(raw ?? '');
  } catch (error) {
    throw new Error(`Context "abuseLimits": ${(error as Error).message}`);
  }
}

function readJsonText(raw: unknown, key: string): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') return JSON.stringify(raw);
  try {
    JSON.parse(raw);
  } catch {
    throw new Error(`Context "${key}" must be JSON`);
  }
  return raw;
}

function readSurveyDelay(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const minutes = Number(raw);
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > 10_080) {
    throw new Error(`Context "surveyDelayMinutes" must be whole minutes from 0 to 10080; got "${raw}"`);
  }
  return minutes;
}

/** `-c teamLeads='{"branch":{"supervisor":"lead@…"}}'` arrives as a string; cdk.json gives an object. */
function readTeamLeads(raw: unknown): DeploymentSettings['teamLeads'] {
  if (raw === undefined || raw === null || raw === '') return undefined;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new Error('Context "teamLeads" must be JSON: {"<team>": {"supervisor": "…", "manager": "…"}}');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('Context "teamLeads" must map teams to { supervisor, manager } emails');
  }
  for (const [team, leads] of Object.entries(value as Record<string, unknown>)) {
    for (const [role, email] of Object.entries((leads ?? {}) as Record<string, unknown>)) {
      if ((role !== 'supervisor' && role !== 'manager') || typeof email !== 'string' || !isEmail(email)) {
        throw new Error(`Context "teamLeads.${team}.${role}" must be a supervisor or manager email address`);
      }
    }
  }
  return value as DeploymentSettings['teamLeads'];
}

function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}
