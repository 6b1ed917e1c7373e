// The one catalogue of functions and queues. The CDK stack deploys exactly this and the sandbox
// runs exactly this. An HTTP function reads its method, path and auth from its route's contract
// (events/customer-api.ts, events/agent-api.ts); queues and jobs are declared in shared/work-queues.ts.
import { agentRoutes } from '#events/agent-api';
import { customerRoutes } from '#events/customer-api';
import { type HttpMethod, type RouteContract, routeKeyOf } from '#events/route-contract';
import { type JobName, type QueueName, queueNamed } from '#shared/work-queues';

/** The HTTP API stage's default throttling: the stack sets it, the sandbox's gateway enforces it too. */
export const apiThrottle = { rateLimit: 100, burstLimit: 500 } as const;

/**
 * The send rates the notification consumer is sized to, per second. SES gives a new account with
 * production access 14 emails/s; End User Messaging SMS allows what the origination identity allows
 * (its MPS). Deployments set their own (context `sesSendRatePerSecond`, `smsSendRatePerSecond`).
 */
export interface SendRates {
  emailPerSecond: number;
  smsPerSecond: number;
}
export const defaultSendRates: SendRates = { emailPerSecond: 14, smsPerSecond: 10 };

/** Lambda's floor for an SQS event source's maximum concurrency. */
const minimumQueueConcurrency = 2;
/** One delivery (claim, suppression check, provider call, mark sent) takes about this long in AWS. */
const deliverySecondsEstimate = 0.5;

/**
 * Concurrent notification invocations that keep within the slower of the two send rates: each one
 * delivers its batch in parallel, so it sends about batchSize / deliverySecondsEstimate messages a second.
 * Lambda's floor of 2 can exceed a small quota in a burst; the SDK retries throttled sends and the queue
 * backs off, so the surplus waits instead of being lost.
 */
export function notificationConcurrency(rates: SendRates, batchSize: number): number {
  const perInvocation = batchSize / deliverySecondsEstimate;
  const slowest = Math.min(rates.emailPerSecond, rates.smsPerSecond);
  return Math.max(minimumQueueConcurrency, Math.floor(slowest / perInvocation));
}

export type FunctionTrigger =
  | { kind: 'http'; method: HttpMethod; path: string; auth: 'none' | 'jwt' }
  | {
      kind: 'queue';
      queue: QueueName;
      batchSize: number;
      /** 0: a batch goes to the function as soon as a receive returns it (no waiting to fill it). */
      maxBatchingWindowSeconds: number;
      /** Concurrent invocations the event source may run: a number, or sized to the send rates. */
      maxConcurrency: number | 'sendRates';
    }
  | { kind: 'schedule'; job: JobName; everyMinutes: number };

/** A queue trigger's maximum concurrency, for the send rates of the deployment (the sandbox uses the defaults). */
export function maxConcurrencyOf(
  trigger: Extract<FunctionTrigger, { kind: 'queue' }>,
  rates: SendRates = defaultSendRates,
): number {
  return trigger.maxConcurrency === 'sendRates'
    ? notificationConcurrency(rates, trigger.batchSize)
    : trigger.maxConcurrency;
}

/**
 * What a function may touch. It drives the function's IAM grants and what its bundle may hold: each grant
 * has one port group (shared/adapters/wiring/) and one AWS client, and test/infra/bundles.test.ts fails if a
 * bundle carries a client its access does not name (or lacks one it does).
 */
export interface FunctionAccess {
  /** The case table (DynamoDB). */
  table?: 'read' | 'readWrite';
  /** Reads the HMAC key (Secrets Manager) for keyed contact hashes and case tokens. */
  hmacKey?: boolean;
  /** Queues this function sends to (SQS). */
  sendTo?: readonly QueueName[];
  /** SESv2. */
  sendEmail?: boolean;
  /** End User Messaging SMS. */
  sendSms?: boolean;
}

export interface FunctionDefinition {
  /** PascalCase; the construct id and the base of the deployed function name. */
  name: string;
  description: string;
  /** Handler module, from the project root; it exports `handler`. */
  entry: string;
  trigger: FunctionTrigger;
  memoryMb: number;
  timeoutSeconds: number;
  access: FunctionAccess;
  /** Reserved concurrency: at most this many run at once (the sweep: one). */
  reservedConcurrency?: number;
}

/** An HTTP function's trigger and description come from its route's contract. */
function httpFunction(
  route: RouteContract,
  fn: Omit<FunctionDefinition, 'trigger' | 'description'> & { description?: string },
): FunctionDefinition {
  return {
    ...fn,
    description: `${routeKeyOf(route)}: ${fn.description ?? route.summary}`,
    trigger: {
      kind: 'http',
      method: route.method,
      path: route.path,
      auth: route.auth === 'jwt' ? 'jwt' : 'none',
    },
  };
}

export const functions: readonly FunctionDefinition[] = [
  httpFunction(customerRoutes.health, {
    name: 'Health',
    entry: 'functions/http/health.ts',
    memoryMb: 256,
    timeoutSeconds: 5,
    access: {},
  }),
  httpFunction(customerRoutes.submitCase, {
    name: 'SubmitCase',
    description: 'register a case and queue it for intake',
    entry: 'functions/http/submit-case.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite', hmacKey: true, sendTo: ['intake'] },
  }),
  httpFunction(customerRoutes.getCase, {
    name: 'GetCustomerCase',
    description: 'the customer view of a case, with the case token',
    entry: 'functions/http/get-customer-case.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'read' },
  }),
  httpFunction(customerRoutes.addMessage, {
    name: 'AddCustomerMessage',
    description: 'the customer adds information; a waiting case resumes',
    entry: 'functions/http/add-customer-message.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
  }),
  httpFunction(customerRoutes.giveFeedback, {
    name: 'GiveFeedback',
    description: 'the survey answer, once per resolved or closed case',
    entry: 'functions/http/give-feedback.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
  }),
  httpFunction(customerRoutes.appeal, {
    name: 'AppealCase',
    description: 'back to a supervisor with a new deadline',
    entry: 'functions/http/appeal-case.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
  }),
  httpFunction(agentRoutes.listCases, {
    name: 'ListAgentCases',
    description: 'a page of cases, most urgent first, from the status indexes',
    entry: 'functions/http/list-agent-cases.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'read' },
  }),
  httpFunction(agentRoutes.getCase, {
    name: 'GetAgentCase',
    description: 'the whole case and its audit trail; records contact reads',
    entry: 'functions/http/get-agent-case.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
  }),
  httpFunction(agentRoutes.assign, {
    name: 'AssignCase',
    description: 'take or hand over a case',
    entry: 'functions/http/assign-case.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
  }),
  httpFunction(agentRoutes.reply, {
    name: 'ReplyToCase',
    description: 'a public reply to the customer, or an internal note',
    entry: 'functions/http/reply-to-case.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite', sendTo: ['notifications'] },
  }),
  httpFunction(agentRoutes.plan, {
    name: 'RecordPlan',
    description: 'the handling plan, with any compensation',
    entry: 'functions/http/record-plan.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite', sendTo: ['notifications'] },
  }),
  httpFunction(agentRoutes.status, {
    name: 'ChangeCaseStatus',
    description: 'wait for the customer, or work on again',
    entry: 'functions/http/change-case-status.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
  }),
  httpFunction(agentRoutes.escalate, {
    name: 'EscalateCase',
    description: 'one level up',
    entry: 'functions/http/escalate-case.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
  }),
  httpFunction(agentRoutes.resolve, {
    name: 'ResolveCase',
    description: 'the result to the customer; schedules the survey',
    entry: 'functions/http/resolve-case.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite', sendTo: ['notifications'] },
  }),
  httpFunction(agentRoutes.close, {
    name: 'CloseCase',
    description: 'a supervisor closes a resolved case',
    entry: 'functions/http/close-case.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
  }),
  httpFunction(agentRoutes.correctCategory, {
    name: 'CorrectCategory',
    description: 'correct the category; the case is routed again',
    entry: 'functions/http/correct-category.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
  }),
  httpFunction(agentRoutes.reportSummary, {
    name: 'ReportSummary',
    description: 'counts, CSAT, NPS, medians and SLA compliance from daily counters',
    entry: 'functions/http/report-summary.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'read' },
  }),
  {
    name: 'IntakeConsumer',
    description: 'Classifies, routes and starts the clocks of submitted cases; queues the acknowledgement',
    entry: 'functions/queue/intake-consumer.ts',
    // No batching window: every second spent filling a batch is a second before the case is classified.
    // 5 at once (Lambda's first pollers, 50 cases in flight): intake only writes DynamoDB and queues, far
    // ahead of the senders; more would only crowd DynamoDB Local, which serialises writes, in the sandbox.
    trigger: {
      kind: 'queue',
      queue: 'intake',
      batchSize: 10,
      maxBatchingWindowSeconds: 0,
      maxConcurrency: 5,
    },
    memoryMb: 512,
    timeoutSeconds: queueNamed('intake').consumerTimeoutSeconds,
    access: { table: 'readWrite', sendTo: ['notifications'] },
  },
  {
    name: 'NotificationConsumer',
    description: 'Delivers outbox notifications by email (SESv2) and SMS, exactly once',
    entry: 'functions/queue/notification-consumer.ts',
    trigger: {
      kind: 'queue',
      queue: 'notifications',
      batchSize: 10,
      maxBatchingWindowSeconds: 0,
      maxConcurrency: 'sendRates',
    },
    memoryMb: 512,
    timeoutSeconds: queueNamed('notifications').consumerTimeoutSeconds,
    access: { table: 'readWrite', hmacKey: true, sendEmail: true, sendSms: true },
  },
  {
    name: 'EmailEventsConsumer',
    description:
      'Suppresses addresses that bounced permanently or complained (SES via EventBridge) and notes it on the case',
    entry: 'functions/queue/email-events-consumer.ts',
    trigger: {
      kind: 'queue',
      queue: 'emailEvents',
      batchSize: 10,
      maxBatchingWindowSeconds: 1,
      maxConcurrency: 2,
    },
    memoryMb: 256,
    timeoutSeconds: queueNamed('emailEvents').consumerTimeoutSeconds,
    access: { table: 'readWrite', hmacKey: true },
  },
  {
    name: 'SlaSweep',
    description:
      'Every minute: queues cases whose clocks reached 80 % or 100 % (sparse dueClocks index, no scan); ' +
      're-queues cases stuck in received and every outbox notification that came due (surveys after ' +
      'their delay, SMS held by quiet hours, sends lost after a commit)',
    entry: 'functions/schedule/sla-sweep.ts',
    trigger: { kind: 'schedule', job: 'sla-sweep', everyMinutes: 1 },
    memoryMb: 512,
    timeoutSeconds: 50,
    access: { table: 'read', sendTo: ['slaWork', 'intake', 'notifications'] },
    // One sweep at a time: a slow run never overlaps the next minute's.
    reservedConcurrency: 1,
  },
  {
    name: 'SlaWorkConsumer',
    description: 'Marks clocks at risk or breached, escalates, and queues reminders and breach notices, once',
    entry: 'functions/queue/sla-work-consumer.ts',
    trigger: {
      kind: 'queue',
      queue: 'slaWork',
      batchSize: 10,
      maxBatchingWindowSeconds: 1,
      maxConcurrency: 5,
    },
    memoryMb: 512,
    timeoutSeconds: queueNamed('slaWork').consumerTimeoutSeconds,
    access: { table: 'readWrite', sendTo: ['notifications'] },
  },
  // Incidents (README "Incidents"): the routes write the incident and queue its pages; the fan-out
  // consumer works one page per message into outbox notices, which the notification consumer delivers.
  httpFunction(agentRoutes.declareIncident, {
    name: 'DeclareIncident',
    description: 'an incident over waybills; links and tells small ones at once, queues the pages',
    entry: 'functions/http/declare-incident.ts',
    memoryMb: 1024,
    timeoutSeconds: 29,
    access: { table: 'readWrite', hmacKey: true, sendTo: ['incidentFanout', 'notifications'] },
  }),
  httpFunction(agentRoutes.updateIncident, {
    name: 'UpdateIncident',
    description: 'the next round of an incident, queued a page at a time',
    entry: 'functions/http/update-incident.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite', sendTo: ['incidentFanout'] },
  }),
  httpFunction(agentRoutes.closeIncident, {
    name: 'CloseIncident',
    description: 'the closing round; optionally resolves every linked open case',
    entry: 'functions/http/close-incident.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite', sendTo: ['incidentFanout'] },
  }),
  httpFunction(agentRoutes.getIncident, {
    name: 'GetIncident',
    description: 'an incident with its waybills, linked cases and notice progress',
    entry: 'functions/http/get-incident.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'read' },
  }),
  {
    name: 'IncidentFanoutConsumer',
    description:
      'Works one page of an incident: links the open cases of its waybills, or puts one notice per ' +
      'customer in the outbox (deterministic ids), or resolves the linked cases on a close',
    entry: 'functions/queue/incident-fanout-consumer.ts',
    // Pages are cheap to queue and each queues up to 100 notices: a few at once keep the outbox ahead of
    // the senders without crowding the table.
    trigger: {
      kind: 'queue',
      queue: 'incidentFanout',
      batchSize: 1,
      maxBatchingWindowSeconds: 0,
      maxConcurrency: 4,
    },
    memoryMb: 512,
    timeoutSeconds: queueNamed('incidentFanout').consumerTimeoutSeconds,
    access: { table: 'readWrite', sendTo: ['notifications'] },
  },
];

export function functionNamed(name: string): FunctionDefinition {
  const found = functions.find((fn) => fn.name === name);
  if (!found) throw new Error(`No function named ${name} in the catalogue`);
  return found;
}

export function consumerOf(queue: QueueName): FunctionDefinition | undefined {
  return functions.find((fn) => fn.trigger.kind === 'queue' && fn.trigger.queue === queue);
}

/**
 * AWS guidance: a queue's visibility timeout is at least six times the timeout of whoever consumes it.
 * The stack passes the functions it deploys (tests may pass a variant); the sandbox uses the catalogue's.
 */
export function visibilityTimeoutSeconds(
  queue: QueueName,
  deployed: readonly FunctionDefinition[] = functions,
): number {
  const consumerTimeouts = deployed
    .filter((fn) => fn.trigger.kind === 'queue' && fn.trigger.queue === queue)
    .map((fn) => fn.timeoutSeconds);
  return Math.max(30, 6 * Math.max(...(consumerTimeouts.length > 0 ? consumerTimeouts : [30])));
}
