// Builds the dependencies of one function from the port groups its handler names. Only those groups'
// adapters and AWS clients are in its bundle (test/infra/bundles.test.ts holds the bundle to the
// catalogue's access), and they are built on the first invocation, not at import. A port whose group
// the handler did not name throws on use, saying which group to add.
import { randomInt } from 'node:crypto';
import { type Config, loadConfig } from '../../config.ts';
import { logger, metrics } from '../../observability.ts';
import type { Dependencies } from '../../use-cases/ports.ts';
import { systemClock } from '../clock.ts';
import { type LazyPromise, lazyPromise } from '../lazy-promise.ts';
import { powertoolsMetricsRecorder } from '../metrics-recorder.ts';

/** The ports that need an AWS client, by the port group (shared/adapters/wiring/) that provides them. */
export const groupOfPort = {
  cases: 'caseTable',
  outbox: 'caseTable',
  intakeRequeues: 'caseTable',
  contacts: 'contactRegistry',
  caseIndex: 'caseLists',
  reports: 'reportCounters',
  idempotency: 'idempotencyRecords',
  rateLimits: 'rateLimits',
  customers: 'customerDirectory',
  retention: 'retentionStore',
  attachments: 'attachmentRecords',
  incidents: 'incidentStore',
  keyring: 'keyring',
  queues: 'queues',
  mailer: 'mailer',
  sms: 'sms',
  policy: 'policy',
  attachmentFiles: 'objectStore',
  attachmentLinks: 'attachmentSigner',
  inboundMail: 'inboundMailbox',
} as const satisfies Record<string, string>;

export type WiredPort = keyof typeof groupOfPort;
type CorePort = Exclude<keyof Dependencies, WiredPort>;

/** Some ports and the AWS client behind them, built from the configuration on first use. */
type GroupName = (typeof groupOfPort)[WiredPort];
/** Every port the table above gives to group `G`: a group that builds fewer does not type-check. */
export type PortsOf<G extends GroupName> = {
  [P in WiredPort]: (typeof groupOfPort)[P] extends G ? P : never;
}[WiredPort];

/**
 * What the groups of one function's dependencies share: a value made once per build (the case table's
 * client, so reads its stores make at once go out as one request), never across functions, which the
 * sandbox runs in one process and IAM holds to their own grants.
 */
export interface BuildScope {
  shared<T>(key: string, make: () => T): T;
}

export interface PortGroup<P extends WiredPort = never> {
  name: GroupName;
  build(config: Config, scope: BuildScope): Pick<Dependencies, P> | Promise<Pick<Dependencies, P>>;
}

function buildScope(): BuildScope {
  const made = new Map<string, unknown>();
  return {
    shared<T>(key: string, make: () => T): T {
      if (!made.has(key)) made.set(key, make());
      return made.get(key) as T;
    },
  };
}

const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

// One logger and one metrics recorder per execution environment, whichever function's dependencies hold them.
export const logPort: Dependencies['logger'] = {
  info: (message, extra) => logger.info(message, extra ?? {}),
  warn: (message, extra) => logger.warn(message, extra ?? {}),
  error: (message, extra) =>
    extra instanceof Error ? logger.error(message, extra) : logger.error(message, extra ?? {}),
};
export const metricsPort = powertoolsMetricsRecorder(metrics);
const built: LazyPromise<Dependencies>[] = [];

/** One function's dependencies: built once, on the first call, and built again if that failed. */
export function wireDependencies(groups: readonly PortGroup[]): () => Promise<Dependencies> {
  const dependencies = lazyPromise(async () => {
    const config = loadConfig();
    const scope = buildScope();
    const parts = await Promise.all(groups.map((group) => group.build(config, scope)));
    return Object.assign(unwired(groups), corePorts(config), ...parts) as Dependencies;
  });
  built.push(dependencies);
  return () => dependencies.get();
}

/** Tests and the sandbox, after changing the environment: every function builds its dependencies again. */
export function resetWiredDependencies(): void {
  for (const dependencies of built) dependencies.reset();
}

/** Ports of the groups not named: reading one is a wiring mistake, reported by name. */
function unwired(groups: readonly PortGroup[]): object {
  const named = new Set(groups.map((group) => group.name));
  const ports = {};
  for (const [port, group] of Object.entries(groupOfPort)) {
    if (named.has(group)) continue;
    Object.defineProperty(ports, port, {
      enumerable: false,
      configurable: true,
      get() {
        throw new Error(
          `The ${port} port is not wired into this function: name the ${group} port group in its handler ` +
            'and give it the matching access in infra/catalogue.ts',
        );
      },
    });
  }
  return ports;
}

function corePorts(config: Config): Pick<Dependencies, CorePort> {
  const base = config.PUBLIC_BASE_URL.replace(/\/$/, '');
  return {
    clock: systemClock,
    logger: logPort,
    metrics: metricsPort,
    links: {
      // The token travels in the fragment, which browsers never send: no server or log sees it.
      customerCaseUrl: (caseId, token, options) =>
        `${base}/case/${encodeURIComponent(caseId)}${options?.survey ? '?rate=1' : ''}${token ? `#token=${encodeURIComponent(token)}` : ''}`,
      agentCaseUrl: (caseId) => `${base}/workspace/cases/${encodeURIComponent(caseId)}`,
    },
    teamLeads: config.TEAM_LEADS,
    randomSuffix: () => letters[randomInt(letters.length)]! + letters[randomInt(letters.length)]!,
    carrierId: config.CARRIER_ID,
    surveyDelayMs: config.SURVEY_DELAY_MINUTES * 60_000,
    smsCountryCodes: config.SMS_COUNTRY_CODES,
    limits: config.ABUSE_LIMITS,
    ...(config.INBOUND_EMAIL_ADDRESS ? { inboundEmailAddress: config.INBOUND_EMAIL_ADDRESS } : {}),
  };
}
