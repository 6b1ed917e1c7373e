// Logger and metrics, created once and imported everywhere. Log only ids and masked values:
// personal data never reaches the logs in clear.
import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { redactPersonalData } from '#domain/masking';

/**
 * The last line of defence: every string in every log entry (messages, attributes, error messages and
 * stacks) has emails and phone numbers masked, so a provider's error quoting an address stays safe.
 */
export class RedactingLogFormatter extends LogFormatter {
  // The same keys as Powertools' default format, so dashboards and queries work unchanged.
  formatAttributes(attributes: UnformattedAttributes, additionalLogAttributes: LogAttributes): LogItem {
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: redactPersonalData(attributes.message),
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        cold_start: attributes.lambdaContext?.coldStart,
        function_arn: attributes.lambdaContext?.invokedFunctionArn,
        function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
        function_name: attributes.lambdaContext?.functionName,
        function_request_id: attributes.lambdaContext?.awsRequestId,
        sampling_rate: attributes.sampleRateValue,
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes(
      redactDeep(additionalLogAttributes, (error) => this.formatError(error)) as LogAttributes,
    );
  }
}

function redactDeep(value: unknown, formatError: (error: Error) => unknown): unknown {
  if (typeof value === 'string') return redactPersonalData(value);
  if (value instanceof Error) return redactDeep(formatError(value), formatError);
  if (Array.isArray(value)) return value.map((inner) => redactDeep(inner, formatError));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, redactDeep(inner, formatError)]),
    );
  }
  return value;
}

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'parcel-care',
  logFormatter: new RedactingLogFormatter(),
});
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'ParcelCare',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'parcel-care',
});
