// Logger and metrics, created once and imported everywhere. Log only ids and masked values:
// personal data never reaches the logs in clear.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'parcel-care' });
/** X-Ray in Lambda (the stack turns active tracing on); it switches itself off anywhere else. */
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'parcel-care' });
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'ParcelCare',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'parcel-care',
});

// The masking rules live in the domain, which auditors' views use too.
export { maskEmail, maskName, maskPhone } from '#domain/masking';
