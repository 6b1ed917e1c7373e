// Configuration is parsed once, at cold start, and a missing variable fails loudly there.

import { defaultSmsCountryCodes } from '#domain/phone-rules';
import type { RetryBackoff } from './work-queues.ts';
import * as z from './zod.ts';

/** Country calling codes SMS may go to, comma-separated ("86", "86,852"). */
const smsCountryCodesSchema = z.pipe(
  z.pipe(
    z._default(z.string(), defaultSmsCountryCodes.join(',')),
    z.transform((text) => text.split(',').map((code) => code.trim().replace(/^\+/, ''))),
  ),
  z
    .array(z.string().check(z.regex(/^[1-9]\d{0,2}$/, 'Country calling codes are 1–3 digits, e.g. 86')))
    .check(z.minLength(1, 'Name at least one country calling code')),
);

/** A JSON text, parsed, then checked with `schema`; an absent text is `{}`. */
function jsonSetting<S extends z.ZodMiniType>(schema: S, example: string) {
  return z.pipe(
    z.pipe(
      z.optional(z.string()),
      z.transform((text, ctx) => {
        if (!text) return {};
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.issues.push({ code: 'custom', message: `Must be JSON: ${example}`, input: ctx.value });
          return z.NEVER;
        }
      }),
    ),
    schema,
  );
}

import { parseLimits } from './abuse-limits.ts';

const teamLeadsSchema = z.record(
  z.string(),
  z.strictObject({ supervisor: z.optional(z.email()), manager: z.optional(z.email()) }),
);

const moneySchema = z.object({
  amount: z.number().check(z.nonnegative()),
  currency: z.string().check(z.length(3)),
});
/** Per-carrier compensation overrides (DOMAIN.md §6); whatever a carrier leaves out keeps the default. */
export const carrierCompensationSchema = z.record(
  z.string(),
  z.partial(
    z.strictObject({
      approvalLimit: moneySchema,
      uninsuredLossFreightMultiple: z.number().check(z.positive()),
      uninsuredLossFixedCap: moneySchema,
      packagingDamageShare: z.number().check(z.gte(0), z.lte(1)),
      contentsDamageShare: z.number().check(z.gte(0), z.lte(1)),
      delayWaivesFreight: z.boolean(),
      delayPerDay: moneySchema,
      forceMajeurePaysDelay: z.boolean(),
      forceMajeurePaysUninsured: z.boolean(),
    }),
  ),
);

const configSchema = z
  .object({
    TABLE_NAME: z.string().check(z.minLength(1)),
    QUEUE_URL_INTAKE: z.url(),
    QUEUE_URL_NOTIFICATIONS: z.url(),
    QUEUE_URL_SMS_NOTIFICATIONS: z.url(),
    QUEUE_URL_SLA_WORK: z.url(),
    QUEUE_URL_EMAIL_EVENTS: z.url(),
    QUEUE_URL_INBOUND_EMAIL: z.url(),
    QUEUE_URL_INBOUND_SMS: z.url(),
    /** The attachments bucket (shared/storage-buckets.ts); only functions with attachment access need it. */
    ATTACHMENTS_BUCKET: z.optional(z.string().check(z.minLength(3))),
    QUEUE_URL_INCIDENT_FANOUT: z.url(),
    SENDER_EMAIL: z.email(),
    PUBLIC_BASE_URL: z.url({ protocol: /^https?$/, error: 'Must be an http(s) URL' }),
    /** The HMAC key itself (sandbox and tests) or the ARN of the secret holding it (AWS). */
    HMAC_SECRET: z.optional(z.string().check(z.minLength(32))),
    HMAC_SECRET_ARN: z.optional(z.string().check(z.startsWith('arn:'))),
    SES_CONFIGURATION_SET: z.optional(z.string().check(z.minLength(1))),
    SMS_ORIGINATION_IDENTITY: z.optional(z.string().check(z.minLength(1))),
    SMS_CONFIGURATION_SET: z.optional(z.string().check(z.minLength(1))),
    /** Country calling codes SMS may go to, comma-separated: "86" or "86,852". Other numbers are refused. */
    SMS_COUNTRY_CODES: smsCountryCodesSchema,
    /** JSON: { "<team>": { "supervisor": "lead@…", "manager": "head@…" } } for at-risk and breach notices. */
    TEAM_LEADS: jsonSetting(teamLeadsSchema, '{"<team>": {"supervisor": "…", "manager": "…"}}'),
    STAGE: z._default(
      z
        .string()
        .check(
          z.regex(
            /^[a-z][a-z0-9-]{0,15}$/,
            'Use 1-16 lowercase letters, digits or dashes, starting with a letter',
          ),
        ),
      'dev',
    ),
    /** The carrier this deployment serves; selects its entry of CARRIER_COMPENSATION_POLICIES. */
    CARRIER_ID: z._default(z.string().check(z.minLength(1)), 'default'),
    /** JSON: { "<carrier>": { "approvalLimit": { "amount": 500, "currency": "CNY" }, … } }. */
    CARRIER_COMPENSATION_POLICIES: jsonSetting(
      carrierCompensationSchema,
      '{"<carrier>": {"approvalLimit": {…}, …}}',
    ),
    /** JSON, any subset of the abuse limits (shared/abuse-limits.ts) over the production values. */
    ABUSE_LIMITS: z.pipe(
      z.optional(z.string()),
      z.transform((text, ctx) => {
        try {
          return parseLimits(text ?? '');
        } catch (error) {
          ctx.issues.push({ code: 'custom', message: (error as Error).message, input: ctx.value });
          return z.NEVER;
        }
      }),
    ),
    /** How long after a resolution the satisfaction survey is sent. */
    SURVEY_DELAY_MINUTES: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(10_080)), 60),
    /** Backoff of failed queue records: base × 2^(receives − 1) seconds, at most the max. */
    RETRY_BASE_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(43_200)), 10),
    RETRY_MAX_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(43_200)), 300),
    /** The service policy in AppConfig (README, "Service policy"): application, environment and profile ids. */
    POLICY_APPCONFIG_APPLICATION: z.optional(z.string().check(z.minLength(1))),
    POLICY_APPCONFIG_ENVIRONMENT: z.optional(z.string().check(z.minLength(1))),
    POLICY_APPCONFIG_PROFILE: z.optional(z.string().check(z.minLength(1))),
    /** How long a function uses the policy before asking AppConfig again (AppConfig's floor is 15 s). */
    POLICY_REFRESH_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(15), z.lte(3600)), 45),
    /** The service policy as a JSON file (the sandbox), read again whenever it changes. */
    SERVICE_POLICY_FILE: z.optional(z.string().check(z.minLength(1))),
    /** The service address mail comes in at (`care@<inboundEmailDomain>`); unset, no email is received. */
    INBOUND_EMAIL_ADDRESS: z.optional(z.email()),
  })
  .check(
    z.refine((env) => env.HMAC_SECRET || env.HMAC_SECRET_ARN, {
      message: 'Set HMAC_SECRET or HMAC_SECRET_ARN',
      path: ['HMAC_SECRET_ARN'],
    }),
  );

export type Config = z.infer<typeof configSchema>;

/** The backoff of a failed queue record, as configured (RETRY_BASE_SECONDS, RETRY_MAX_SECONDS). */
export const retryBackoffOf = (config: Config): RetryBackoff => ({
  baseSeconds: config.RETRY_BASE_SECONDS,
  maxSeconds: config.RETRY_MAX_SECONDS,
});

/**
 * Each setting's schema, by variable: the CDK app checks deployment context with these at synth
 * (infra/stack/deployment-settings.ts), so a value the functions would refuse at cold start never deploys.
 */
export const configFields = configSchema.shape;

/** One line per problem, each named by its path: `TEAM_LEADS.branch.boss: Unknown field`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], name = ''): string {
  return issues
    .flatMap((issue) => {
      const paths =
        issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
      const message = issue.code === 'unrecognized_keys' ? 'Unknown field' : issue.message;
      return paths.map((path) => `${[name, ...path.map(String)].filter(Boolean).join('.')}: ${message}`);
    })
    .join('; ');
}

let cached: Config | undefined;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (cached && env === process.env) return cached;
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${describeIssues(parsed.error.issues)}`);
  }
  if (env === process.env) cached = parsed.data;
  return parsed.data;
}

/** For tests and the sandbox, which set the environment after import. */
export function resetConfigCache(): void {
  cached = undefined;
}
