// Configuration is parsed once, at cold start, and a missing variable fails loudly there.
import { z } from 'zod';
import { parseLimits } from './abuse-limits.ts';

const teamLeadsSchema = z.record(
  z.string(),
  z.object({ supervisor: z.email().optional(), manager: z.email().optional() }).strict(),
);

const moneySchema = z.object({ amount: z.number().nonnegative(), currency: z.string().length(3) });
/** Per-carrier compensation overrides (DOMAIN.md §6); whatever a carrier leaves out keeps the default. */
const carrierCompensationSchema = z.record(
  z.string(),
  z
    .object({
      approvalLimit: moneySchema,
      uninsuredLossFreightMultiple: z.number().positive(),
      uninsuredLossFixedCap: moneySchema,
      packagingDamageShare: z.number().min(0).max(1),
      contentsDamageShare: z.number().min(0).max(1),
      delayWaivesFreight: z.boolean(),
      delayPerDay: moneySchema,
    })
    .partial()
    .strict(),
);

const configSchema = z
  .object({
    TABLE_NAME: z.string().min(1),
    QUEUE_URL_INTAKE: z.url(),
    QUEUE_URL_NOTIFICATIONS: z.url(),
    QUEUE_URL_SLA_WORK: z.url(),
    QUEUE_URL_EMAIL_EVENTS: z.url(),
    SENDER_EMAIL: z.email(),
    PUBLIC_BASE_URL: z.url(),
    /** The HMAC key itself (sandbox and tests) or the ARN of the secret holding it (AWS). */
    HMAC_SECRET: z.string().min(32).optional(),
    HMAC_SECRET_ARN: z.string().startsWith('arn:').optional(),
    SES_CONFIGURATION_SET: z.string().min(1).optional(),
    SMS_ORIGINATION_IDENTITY: z.string().min(1).optional(),
    SMS_CONFIGURATION_SET: z.string().min(1).optional(),
    /** JSON: { "<team>": { "supervisor": "lead@…", "manager": "head@…" } } for at-risk and breach notices. */
    TEAM_LEADS: z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (!text) return {};
        try {
          return teamLeadsSchema.parse(JSON.parse(text));
        } catch {
          ctx.addIssue({
            code: 'custom',
            message: 'Must be JSON: {"<team>": {"supervisor": "…", "manager": "…"}}',
          });
          return z.NEVER;
        }
      }),
    STAGE: z.string().default('dev'),
    /** The carrier this deployment serves; selects its entry of CARRIER_COMPENSATION_POLICIES. */
    CARRIER_ID: z.string().min(1).default('default'),
    /** JSON: { "<carrier>": { "approvalLimit": { "amount": 500, "currency": "CNY" }, … } }. */
    CARRIER_COMPENSATION_POLICIES: z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (!text) return {};
        try {
          return carrierCompensationSchema.parse(JSON.parse(text));
        } catch {
          ctx.addIssue({ code: 'custom', message: 'Must be JSON: {"<carrier>": {"approvalLimit": {…}, …}}' });
          return z.NEVER;
        }
      }),
    /** JSON, any subset of the abuse limits (shared/abuse-limits.ts) over the production values. */
    ABUSE_LIMITS: z
      .string()
      .optional()
      .transform((text, ctx) => {
        try {
          return parseLimits(text ?? '');
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      }),
    /** How long after a resolution the satisfaction survey is sent. */
    SURVEY_DELAY_MINUTES: z.coerce.number().int().min(0).max(10_080).default(60),
    /** Backoff of failed queue records: base × 2^(receives − 1) seconds, at most the max. */
    RETRY_BASE_SECONDS: z.coerce.number().int().min(0).max(43_200).default(10),
    RETRY_MAX_SECONDS: z.coerce.number().int().min(0).max(43_200).default(300),
  })
  .refine((env) => env.HMAC_SECRET || env.HMAC_SECRET_ARN, {
    message: 'Set HMAC_SECRET or HMAC_SECRET_ARN',
    path: ['HMAC_SECRET_ARN'],
  });

export type Config = z.infer<typeof configSchema>;

let cached: Config | undefined;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (cached && env === process.env) return cached;
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  if (env === process.env) cached = parsed.data;
  return parsed.data;
}

/** For tests and the sandbox, which set the environment after import. */
export function resetConfigCache(): void {
  cached = undefined;
}
