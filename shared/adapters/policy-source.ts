// The service policy port (PolicySource): a loader fetches the document's text, this keeps the last good
// policy. A document that cannot be read or does not validate never replaces it: the functions go on with
// the last good policy (the defaults at cold start), and PolicyDocumentRejected asks an operator to look.
import { readFile, stat } from 'node:fs/promises';
import { defaultServicePolicy, type ServicePolicy } from '#domain/service-policy';
import { parseServicePolicyText } from '../service-policy-schema.ts';
import type { Clock, Logger, MetricsRecorder, PolicySource } from '../use-cases/ports.ts';

export interface PolicyLoader {
  /** Where the document comes from, for logs and the metric: `appconfig`, `file`. */
  readonly origin: string;
  /** The document's JSON text, or undefined when it has not changed since the last load. */
  load(): Promise<string | undefined>;
}

export interface FailSafeOptions {
  /** How long a policy is used before the loader is asked again. */
  refreshMs: number;
  clock: Clock;
  metrics: MetricsRecorder;
  logger: Logger;
  /** The policy before any document is read: the defaults, with the deployment's compensation settings. */
  initial?: ServicePolicy;
}

export function failSafePolicySource(loader: PolicyLoader, options: FailSafeOptions): PolicySource {
  const initial = options.initial ?? defaultServicePolicy;
  let inForce = initial;
  let checkedAtMs = Number.NEGATIVE_INFINITY;
  let refreshing: Promise<ServicePolicy> | undefined;

  const reject = (reason: 'invalid' | 'unreachable', detail: Record<string, unknown>) => {
    options.metrics.count('PolicyDocumentRejected', {});
    options.logger.error('Service policy document rejected: the last good policy stays in force', {
      origin: loader.origin,
      reason,
      ...detail,
    });
  };

  const refresh = async (): Promise<ServicePolicy> => {
    try {
      const text = await loader.load();
      if (text === undefined) return inForce;
      const parsed = parseServicePolicyText(text);
      if (!parsed.ok) {
        reject('invalid', { problems: parsed.problems });
        return inForce;
      }
      // The deployment's compensation settings (context) stay under the document's, carrier by carrier.
      inForce = {
        ...parsed.policy,
        compensation: { ...initial.compensation, ...parsed.policy.compensation },
      };
      options.logger.info('Service policy loaded', { origin: loader.origin });
    } catch (error) {
      reject('unreachable', { error: error instanceof Error ? error.message : String(error) });
    }
    return inForce;
  };

  return {
    current() {
      const nowMs = options.clock.now().getTime();
      // A clock moved back (the sandbox) counts as due.
      if (nowMs >= checkedAtMs && nowMs - checkedAtMs < options.refreshMs) return Promise.resolve(inForce);
      if (!refreshing) {
        checkedAtMs = nowMs;
        refreshing = refresh().finally(() => {
          refreshing = undefined;
        });
      }
      return refreshing;
    },
  };
}

/** The policy that never changes: a deployment without a document. */
export function fixedPolicySource(policy: ServicePolicy = defaultServicePolicy): PolicySource {
  return { current: () => Promise.resolve(policy) };
}

/** A document on disk (the sandbox): read again whenever its modification time or size changes. */
export function filePolicyLoader(file: string): PolicyLoader {
  let seen: string | undefined;
  return {
    origin: 'file',
    async load() {
      const { mtimeMs, size } = await stat(file);
      const version = `${mtimeMs}:${size}`;
      if (version === seen) return undefined;
      const text = await readFile(file, 'utf8');
      seen = version;
      return text;
    },
  };
}
