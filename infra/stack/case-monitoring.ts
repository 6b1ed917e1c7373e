// Alarms to the ops topic and one dashboard. Each alarm names a thing an operator can act on:
// a poisoned message, a failing function, an API returning 5xx, a queue nobody is draining, a table
// stream falling behind or giving up on case changes.

import { aws_cloudwatch_actions as actions, aws_cloudwatch as cloudwatch, Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { CaseService } from './case-service.ts';
import type { CaseState } from './case-state.ts';
import { metricsNamespace, metricsService } from './catalogue-function.ts';
import type { DeploymentSettings } from './deployment-settings.ts';
import { pascalCase } from './names.ts';

export interface CaseMonitoringProps {
  settings: DeploymentSettings;
  state: CaseState;
  service: CaseService;
}

/** A message older than this on a work queue means its consumer is stuck or missing. */
export const oldestMessageAlarmSeconds = 300;
/**
 * A table-stream event source is behind when its oldest record not yet handed to the function is older
 * than this (IteratorAge, ms in CloudWatch) for five minutes: the completer is failing or throttled.
 */
export const iteratorAgeAlarmSeconds = 300;
/** The outbox is behind when its notifications queue would take longer than this to drain. */
export const outboxDrainAlarmSeconds = 900;

/** Share of API requests answered with 5xx over five minutes that pages someone. */
export const apiServerErrorRatePercent = 1;
/** Share of the monthly SMS spend cap (abuseLimits.smsMonthlySpendUsd) at which the spend alarm fires. */
export const smsSpendAlarmShare = 0.8;

/** Business metrics the functions emit that ask an operator to act whenever one is counted. */
export const businessMetricAlarms = [
  {
    metricName: 'CalendarDataMissing',
    description:
      'Working days were counted for a year without holiday data (Monday to Friday only; deadlines approximate): load the year into the service policy (README, Service policy)',
  },
  {
    metricName: 'IntakeFailed',
    description:
      'Intake gave up on a case after its re-queues: it waits in GET /agent/cases?status=received; fix the cause, then redrive the intake dead-letter queue',
  },
  {
    metricName: 'SweepIncomplete',
    description:
      'The SLA sweep ran out of its time budget before reading every due clock; the next run continues. Sustained: raise the dueClocks shards or the sweep memory (README, Scale)',
  },
  {
    metricName: 'PolicyDocumentRejected',
    description:
      'A function could not read or validate the service policy document and kept the last good one (the defaults at cold start): see its log for the problems, then deploy a corrected document (README, Service policy)',
  },
  {
    metricName: 'RetentionFailed',
    description:
      'The retention job could not close, anonymise or delete a case (its log names the case and error); the next run tries again, and personal data may be kept past its date until it succeeds (README, Personal data)',
  },
] as const;

export class CaseMonitoring extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: CaseMonitoringProps) {
    super(scope, id);
    const { settings, state, service } = props;
    const notifyOps = new actions.SnsAction(state.opsTopic);
    const fiveMinutes = Duration.minutes(5);
    const oneMinute = Duration.minutes(1);
    const alarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...alarmProps,
      });
      created.addAlarmAction(notifyOps);
      created.addOkAction(notifyOps);
      return created;
    };

    for (const { definition, queue, deadLetterQueue } of state.queues.values()) {
      const name = pascalCase(definition.name);
      alarm(`${name}DeadLetters`, {
        alarmDescription: `Messages from the ${definition.name} queue failed ${definition.maxReceiveCount} times and sit in its dead-letter queue`,
        metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: oneMinute,
          statistic: 'Maximum',
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
      alarm(`${name}OldestMessage`, {
        alarmDescription: `The ${definition.name} queue holds a message older than ${oldestMessageAlarmSeconds} s: its consumer is failing or absent`,
        metric: queue.metricApproximateAgeOfOldestMessage({ period: oneMinute, statistic: 'Maximum' }),
        threshold: oldestMessageAlarmSeconds,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    // A table stream's on-failure queue: each message describes stream records Lambda gave up on, changes
    // that may never have been completed (README, Operating it).
    for (const [name, failures] of state.streamFailureQueues) {
      alarm(`${pascalCase(name)}NotEmpty`, {
        alarmDescription: `The ${name} queue holds a message: the table stream event source gave up on a batch of case changes (retries or record age exhausted), which may never have been completed. Complete them and delete the message (README, Operating it)`,
        metric: failures.metricApproximateNumberOfMessagesVisible({
          period: oneMinute,
          statistic: 'Maximum',
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }
    const streamConsumers = service.functions.filter((fn) => fn.definition.trigger.kind === 'tableStream');
    // The oldest record not yet handed to the function, ms. (A labelled metric would make the alarm a
    // metric-math one: the dashboard's carries the label, the alarm's not.)
    const iteratorAgeOf = (fn: (typeof streamConsumers)[number], label?: string) =>
      fn.handler.metric('IteratorAge', { period: oneMinute, statistic: 'Maximum', label });
    for (const fn of streamConsumers) {
      alarm(`${fn.definition.name}IteratorAge`, {
        alarmDescription: `${fn.definition.name} is more than ${iteratorAgeAlarmSeconds} s behind the table stream for 5 minutes: it fails or is throttled, and records near the maximum record age go to the on-failure queue`,
        metric: iteratorAgeOf(fn),
        threshold: iteratorAgeAlarmSeconds * 1000,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
      });
    }

    for (const fn of service.functions) {
      alarm(`${fn.definition.name}Errors`, {
        alarmDescription: `${fn.definition.name} threw or timed out in the last five minutes`,
        metric: fn.handler.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    for (const { metricName, description } of businessMetricAlarms) {
      alarm(metricName, {
        alarmDescription: description,
        metric: new cloudwatch.Metric({
          namespace: metricsNamespace,
          metricName,
          dimensionsMap: { service: metricsService },
          period: fiveMinutes,
          statistic: 'Sum',
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    // How far the outbox is behind, per channel (emails and SMS drain at their own send rates, on their own
    // queues): notifications waiting, and how long they take to drain at the rate the consumer deleted them
    // in the last minute (a day when nothing drains: the consumer is stopped). The alarm takes the slower.
    const drainOf = (
      queueName: 'notifications' | 'smsNotifications',
      id: 'email' | 'sms',
      channel: string,
    ) => {
      const queue = state.queue(queueName).queue;
      // Metric ids are unique across the alarm's nested expressions: each channel's carry its prefix.
      const [backlogId, deletedId] = [`${id}Backlog`, `${id}Deleted`];
      const backlog = queue.metricApproximateNumberOfMessagesVisible({
        period: oneMinute,
        statistic: 'Maximum',
        label: `${channel} waiting`,
      });
      const drainSeconds = new cloudwatch.MathExpression({
        expression: `IF(${deletedId} > 0, ${backlogId} / (${deletedId} / 60), IF(${backlogId} > 0, 86400, 0))`,
        usingMetrics: {
          [backlogId]: backlog,
          [deletedId]: queue.metricNumberOfMessagesDeleted({ period: oneMinute, statistic: 'Sum' }),
        },
        period: oneMinute,
        label: `${channel}: estimated drain time (s)`,
      });
      return { backlog, drainSeconds };
    };
    const emailOutbox = drainOf('notifications', 'email', 'emails');
    const smsOutbox = drainOf('smsNotifications', 'sms', 'SMS');
    const outboxDrainSeconds = new cloudwatch.MathExpression({
      expression: 'MAX([emailDrain, smsDrain])',
      usingMetrics: { emailDrain: emailOutbox.drainSeconds, smsDrain: smsOutbox.drainSeconds },
      period: oneMinute,
      label: 'estimated drain time, slower channel (s)',
    });
    alarm('OutboxBehind', {
      alarmDescription: `The email or the SMS notifications queue would take more than ${outboxDrainAlarmSeconds} s to drain at its current rate for 5 minutes: sending is behind (SES or SMS rate, consumer concurrency)`,
      metric: outboxDrainSeconds,
      threshold: outboxDrainAlarmSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
    });

    const apiRequests = service.httpApi.metricCount({ period: fiveMinutes, statistic: 'Sum' });
    const apiServerErrors = service.httpApi.metricServerError({ period: fiveMinutes, statistic: 'Sum' });
    const apiServerErrorRate = new cloudwatch.MathExpression({
      expression: 'IF(requests > 0, 100 * serverErrors / requests, 0)',
      usingMetrics: { requests: apiRequests, serverErrors: apiServerErrors },
      period: fiveMinutes,
      label: '5xx rate (%)',
    });
    alarm('ApiServerErrorRate', {
      alarmDescription: `More than ${apiServerErrorRatePercent} % of API requests failed with 5xx over five minutes`,
      metric: apiServerErrorRate,
      threshold: apiServerErrorRatePercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });

    // End User Messaging SMS publishes the account's month-to-date SMS spend (USD) in AWS/SMSVoice.
    const smsSpend = new cloudwatch.Metric({
      namespace: 'AWS/SMSVoice',
      metricName: 'TextMessageMonthlySpend',
      period: Duration.hours(1),
      statistic: 'Maximum',
    });
    const smsSpendCap = settings.abuseLimits.smsMonthlySpendUsd;
    alarm('SmsMonthlySpend', {
      alarmDescription: `The account's SMS spend this month passed ${smsSpendAlarmShare * 100} % of the ${smsSpendCap} USD cap (abuseLimits.smsMonthlySpendUsd); the application stops texting at the cap`,
      metric: smsSpend,
      threshold: smsSpendCap * smsSpendAlarmShare,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `parcel-care-${settings.stage}`,
      defaultInterval: Duration.hours(6),
    });
    const queues = [...state.queues.values()];
    const wide = 12;
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API requests and 5xx',
        width: wide,
        left: [apiRequests, apiServerErrors],
        right: [apiServerErrorRate],
      }),
      new cloudwatch.GraphWidget({
        title: 'API latency (ms)',
        width: wide,
        left: [
          service.httpApi.metricLatency({ period: fiveMinutes, statistic: 'p50' }),
          service.httpApi.metricLatency({ period: fiveMinutes, statistic: 'p99' }),
        ],
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Queue depth (visible messages)',
        width: wide,
        left: queues.map(({ definition, queue }) =>
          queue.metricApproximateNumberOfMessagesVisible({ period: oneMinute, label: definition.name }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Age of oldest message (s)',
        width: wide,
        left: queues.map(({ definition, queue }) =>
          queue.metricApproximateAgeOfOldestMessage({ period: oneMinute, label: definition.name }),
        ),
        leftAnnotations: [{ value: oldestMessageAlarmSeconds, label: 'alarm' }],
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Outbox backlog and estimated drain time (s)',
        width: wide,
        left: [emailOutbox.backlog, smsOutbox.backlog],
        right: [emailOutbox.drainSeconds, smsOutbox.drainSeconds],
        rightAnnotations: [{ value: outboxDrainAlarmSeconds, label: 'alarm' }],
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queue depth',
        width: wide,
        left: [
          ...queues.map(({ definition, deadLetterQueue }) =>
            deadLetterQueue.metricApproximateNumberOfMessagesVisible({
              period: oneMinute,
              statistic: 'Maximum',
              label: `${definition.name} DLQ`,
            }),
          ),
          // The table stream's on-failure queues: dead letters of the stream event source.
          ...[...state.streamFailureQueues].map(([name, failures]) =>
            failures.metricApproximateNumberOfMessagesVisible({
              period: oneMinute,
              statistic: 'Maximum',
              label: name,
            }),
          ),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'SLA clocks breached',
        width: wide,
        // Whatever dimensions the use cases attach (service, clock, team), every series shows up.
        left: [
          new cloudwatch.SearchExpression({
            expression: `SEARCH('Namespace="ParcelCare" MetricName="SlaBreached"', 'Sum', 300)`,
            label: 'SlaBreached',
            period: fiveMinutes,
          }),
        ],
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Abuse limits hit',
        width: wide,
        left: [
          new cloudwatch.SearchExpression({
            expression: `SEARCH('Namespace="ParcelCare" MetricName="RateLimited"', 'Sum', 300)`,
            label: 'RateLimited',
            period: fiveMinutes,
          }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'SMS spend this month (USD)',
        width: wide,
        left: [smsSpend],
        leftAnnotations: [{ value: smsSpendCap, label: 'cap' }],
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Function errors',
        width: wide,
        left: service.functions.map((fn) =>
          fn.handler.metricErrors({ period: fiveMinutes, statistic: 'Sum', label: fn.definition.name }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Function duration p99 (ms)',
        width: wide,
        left: service.functions.map((fn) =>
          fn.handler.metricDuration({ period: fiveMinutes, statistic: 'p99', label: fn.definition.name }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Table stream iterator age (ms)',
        width: wide,
        left: streamConsumers.map((fn) => iteratorAgeOf(fn, fn.definition.name)),
        leftAnnotations: [{ value: iteratorAgeAlarmSeconds * 1000, label: 'alarm' }],
      }),
    );
  }
}
