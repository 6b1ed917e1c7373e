// Wires the adapters into the ports the use cases need. Built once per execution environment.

import { randomInt } from 'node:crypto';
import { chinaBusinessCalendar } from '#domain/business-calendar';
import { policyForCarrier } from '#domain/compensation';
import { defaultSlaPolicy } from '#domain/sla-policy';
import { loadConfig } from '../config.ts';
import { logger, metrics } from '../observability.ts';
import type { Dependencies } from '../use-cases/ports.ts';
import { dynamoDocumentClient, resetAwsClients, sesClient, smsClient, sqsClient } from './aws-clients.ts';
import { dynamoCaseIndex } from './case-index.ts';
import { dynamoCaseStore } from './case-store.ts';
import { caseTableClient } from './case-table-client.ts';
import { systemClock } from './clock.ts';
import { dynamoContactRegistry } from './contact-registry.ts';
import { dynamoIdempotencyStore } from './idempotency-store.ts';
import { loadKeyring } from './keyring.ts';
import { sesMailer } from './mailer.ts';
import { powertoolsMetricsRecorder } from './metrics-recorder.ts';
import { dynamoOutbox } from './outbox.ts';
import { sqsQueuePublisher } from './queue-publisher.ts';
import { dynamoRateLimitStore } from './rate-limit-store.ts';
import { dynamoReportCounters } from './report-counters.ts';
import { endUserMessagingSmsSender } from './sms-sender.ts';

const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

let built: Promise<Dependencies> | undefined;

export function dependencies(): Promise<Dependencies> {
  built ??= buildDependencies();
  return built;
}

/** Tests and the sandbox rebuild after changing the environment. */
export function resetDependencies(): void {
  built = undefined;
  resetAwsClients();
}

async function buildDependencies(): Promise<Dependencies> {
  const config = loadConfig();
  const base = config.PUBLIC_BASE_URL.replace(/\/$/, '');
  const table = caseTableClient(dynamoDocumentClient(), config.TABLE_NAME);
  return {
    clock: systemClock,
    calendar: chinaBusinessCalendar(),
    slaPolicy: defaultSlaPolicy,
    cases: dynamoCaseStore(table),
    caseIndex: dynamoCaseIndex(table),
    outbox: dynamoOutbox(table),
    contacts: dynamoContactRegistry(table),
    reports: dynamoReportCounters(table),
    idempotency: dynamoIdempotencyStore(table),
    rateLimits: dynamoRateLimitStore(table),
    limits: config.ABUSE_LIMITS,
    keyring: await loadKeyring(config),
    queues: {
      intake: sqsQueuePublisher(sqsClient(), config.QUEUE_URL_INTAKE),
      notifications: sqsQueuePublisher(sqsClient(), config.QUEUE_URL_NOTIFICATIONS),
      slaWork: sqsQueuePublisher(sqsClient(), config.QUEUE_URL_SLA_WORK),
    },
    mailer: sesMailer(sesClient(), config.SENDER_EMAIL, config.SES_CONFIGURATION_SET),
    sms: endUserMessagingSmsSender(smsClient(), {
      originationIdentity: config.SMS_ORIGINATION_IDENTITY,
      configurationSet: config.SMS_CONFIGURATION_SET,
    }),
    logger: {
      info: (message, extra) => logger.info(message, extra ?? {}),
      warn: (message, extra) => logger.warn(message, extra ?? {}),
      error: (message, extra) =>
        extra instanceof Error ? logger.error(message, extra) : logger.error(message, extra ?? {}),
    },
    metrics: powertoolsMetricsRecorder(metrics),
    links: {
      customerCaseUrl: (caseId, token) =>
        `${base}/cases/${encodeURIComponent(caseId)}${token ? `?token=${encodeURIComponent(token)}` : ''}`,
      agentCaseUrl: (caseId) => `${base}/agent/cases/${encodeURIComponent(caseId)}`,
    },
    teamLeads: config.TEAM_LEADS,
    randomSuffix: () => letters[randomInt(letters.length)]! + letters[randomInt(letters.length)]!,
    compensationPolicy: policyForCarrier(config.CARRIER_ID, config.CARRIER_COMPENSATION_POLICIES),
    surveyDelayMs: config.SURVEY_DELAY_MINUTES * 60_000,
  };
}
