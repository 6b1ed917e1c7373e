// Business metrics through Powertools (CloudWatch EMF in the function's log). POWERTOOLS_METRICS_DISABLED
// turns the output off in the sandbox and the tests.
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricsRecorder } from '../use-cases/ports.ts';

export function powertoolsMetricsRecorder(metrics: Metrics): MetricsRecorder {
  return {
    count(name, dimensions, value = 1) {
      // One EMF document per data point, flushed at once: records of one batch carry different
      // dimensions, and nothing is lost if the function dies before the end of the batch.
      const single = metrics.singleMetric();
      for (const [dimension, dimensionValue] of Object.entries(dimensions)) {
        single.addDimension(dimension, dimensionValue);
      }
      single.addMetric(name, MetricUnit.Count, value);
    },
  };
}
