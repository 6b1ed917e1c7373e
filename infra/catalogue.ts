// The one catalogue of functions and queues. The CDK stack deploys exactly this and the sandbox
// runs exactly this, so adding a route is one entry here plus one handler file.

export const queueNames = ['intake', 'notifications', 'slaWork', 'emailEvents'] as const;
export type QueueName = (typeof queueNames)[number];

export const jobNames = ['sla-sweep', 'survey-dispatch'] as const;
export type JobName = (typeof jobNames)[number];

/** The HTTP API stage's default throttling: the stack sets it, the sandbox's gateway enforces it too. */
export const apiThrottle = { rateLimit: 100, burstLimit: 200 } as const;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type FunctionTrigger =
  | { kind: 'http'; method: HttpMethod; path: string; auth: 'none' | 'jwt' }
  | { kind: 'queue'; queue: QueueName; batchSize: number; maxBatchingWindowSeconds: number }
  | { kind: 'schedule'; job: JobName; everyMinutes: number };

export interface FunctionAccess {
  table: 'read' | 'readWrite';
  /** Queues this function sends to. */
  sendTo?: readonly QueueName[];
  sendEmail?: boolean;
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
}

export interface QueueDefinition {
  name: QueueName;
  description: string;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
}

export const queues: readonly QueueDefinition[] = [
  { name: 'intake', description: 'Submitted cases waiting to be classified and routed', maxReceiveCount: 5 },
  { name: 'notifications', description: 'Outbox notifications waiting to be delivered', maxReceiveCount: 5 },
  { name: 'slaWork', description: 'Cases whose SLA clocks reached a threshold', maxReceiveCount: 5 },
  { name: 'emailEvents', description: 'SES bounce and complaint events', maxReceiveCount: 5 },
];

const http = (method: HttpMethod, path: string, auth: 'none' | 'jwt' = 'none'): FunctionTrigger => ({
  kind: 'http',
  method,
  path,
  auth,
});

export const functions: readonly FunctionDefinition[] = [
  {
    name: 'Health',
    description: 'GET /health',
    entry: 'functions/http/health.ts',
    trigger: http('GET', '/health'),
    memoryMb: 256,
    timeoutSeconds: 5,
    access: { table: 'read' },
  },
  {
    name: 'SubmitCase',
    description: 'POST /cases: register a case and queue it for intake',
    entry: 'functions/http/submit-case.ts',
    trigger: http('POST', '/cases'),
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite', sendTo: ['intake'] },
  },
  {
    name: 'GetCustomerCase',
    description: 'GET /cases/{caseId}: the customer view of a case, with the case token',
    entry: 'functions/http/get-customer-case.ts',
    trigger: http('GET', '/cases/{caseId}'),
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'read' },
  },
  {
    name: 'AddCustomerMessage',
    description: 'POST /cases/{caseId}/messages: the customer adds information; a waiting case resumes',
    entry: 'functions/http/add-customer-message.ts',
    trigger: http('POST', '/cases/{caseId}/messages'),
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
  },
  {
    name: 'GiveFeedback',
    description: 'POST /cases/{caseId}/feedback: the survey answer, once per resolved or closed case',
    entry: 'functions/http/give-feedback.ts',
    trigger: http('POST', '/cases/{caseId}/feedback'),
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
  },
  {
    name: 'AppealCase',
    description: 'POST /cases/{caseId}/appeal: back to a supervisor with a new deadline',
    entry: 'functions/http/appeal-case.ts',
    trigger: http('POST', '/cases/{caseId}/appeal'),
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
  },
  {
    name: 'ListAgentCases',
    description: 'GET /agent/cases: a page of cases, most urgent first, from the status indexes',
    entry: 'functions/http/list-agent-cases.ts',
    trigger: http('GET', '/agent/cases', 'jwt'),
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'read' },
  },
  {
    name: 'GetAgentCase',
    description: 'GET /agent/cases/{caseId}: the whole case and its audit trail; records contact reads',
    entry: 'functions/http/get-agent-case.ts',
    trigger: http('GET', '/agent/cases/{caseId}', 'jwt'),
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
  },
  {
    name: 'AssignCase',
    description: 'POST /agent/cases/{caseId}/assign: take or hand over a case',
    entry: 'functions/http/assign-case.ts',
    trigger: http('POST', '/agent/cases/{caseId}/assign', 'jwt'),
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
  },
  {
    name: 'ReplyToCase',
    description: 'POST /agent/cases/{caseId}/reply: a public reply to the customer, or an internal note',
    entry: 'functions/http/reply-to-case.ts',
    trigger: http('POST', '/agent/cases/{caseId}/reply', 'jwt'),
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite', sendTo: ['notifications'] },
  },
  {
    name: 'RecordPlan',
    description: 'POST /agent/cases/{caseId}/plan: the handling plan, with any compensation',
    entry: 'functions/http/record-plan.ts',
    trigger: http('POST', '/agent/cases/{caseId}/plan', 'jwt'),
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite', sendTo: ['notifications'] },
  },
  {
    name: 'ChangeCaseStatus',
    description: 'POST /agent/cases/{caseId}/status: wait for the customer, or work on again',
    entry: 'functions/http/change-case-status.ts',
    trigger: http('POST', '/agent/cases/{caseId}/status', 'jwt'),
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
  },
  {
    name: 'EscalateCase',
    description: 'POST /agent/cases/{caseId}/escalate: one level up',
    entry: 'functions/http/escalate-case.ts',
    trigger: http('POST', '/agent/cases/{caseId}/escalate', 'jwt'),
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
  },
  {
    name: 'ResolveCase',
    description: 'POST /agent/cases/{caseId}/resolve: the result to the customer; schedules the survey',
    entry: 'functions/http/resolve-case.ts',
    trigger: http('POST', '/agent/cases/{caseId}/resolve', 'jwt'),
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite', sendTo: ['notifications'] },
  },
  {
    name: 'CloseCase',
    description: 'POST /agent/cases/{caseId}/close: a supervisor closes a resolved case',
    entry: 'functions/http/close-case.ts',
    trigger: http('POST', '/agent/cases/{caseId}/close', 'jwt'),
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
  },
  {
    name: 'CorrectCategory',
    description: 'POST /agent/cases/{caseId}/category: correct the category; the case is routed again',
    entry: 'functions/http/correct-category.ts',
    trigger: http('POST', '/agent/cases/{caseId}/category', 'jwt'),
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
  },
  {
    name: 'ReportSummary',
    description:
      'GET /agent/reports/summary: counts, CSAT, NPS, medians and SLA compliance from daily counters',
    entry: 'functions/http/report-summary.ts',
    trigger: http('GET', '/agent/reports/summary', 'jwt'),
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: 'read' },
  },
  {
    name: 'IntakeConsumer',
    description: 'Classifies, routes and starts the clocks of submitted cases; queues the acknowledgement',
    entry: 'functions/queue/intake-consumer.ts',
    trigger: { kind: 'queue', queue: 'intake', batchSize: 10, maxBatchingWindowSeconds: 1 },
    memoryMb: 512,
    timeoutSeconds: 30,
    access: { table: 'readWrite', sendTo: ['notifications'] },
  },
  {
    name: 'NotificationConsumer',
    description: 'Delivers outbox notifications by email (SESv2) and SMS, exactly once',
    entry: 'functions/queue/notification-consumer.ts',
    trigger: { kind: 'queue', queue: 'notifications', batchSize: 10, maxBatchingWindowSeconds: 1 },
    memoryMb: 512,
    timeoutSeconds: 30,
    access: { table: 'readWrite', sendEmail: true, sendSms: true },
  },
  {
    name: 'EmailEventsConsumer',
    description:
      'Suppresses addresses that bounced permanently or complained (SES via EventBridge) and notes it on the case',
    entry: 'functions/queue/email-events-consumer.ts',
    trigger: { kind: 'queue', queue: 'emailEvents', batchSize: 10, maxBatchingWindowSeconds: 1 },
    memoryMb: 256,
    timeoutSeconds: 30,
    access: { table: 'readWrite' },
  },
  {
    name: 'SurveyDispatch',
    description:
      'Every 5 minutes: queues outbox notifications that came due (surveys after their delay, SMS held by quiet hours)',
    entry: 'functions/schedule/survey-dispatch.ts',
    trigger: { kind: 'schedule', job: 'survey-dispatch', everyMinutes: 5 },
    memoryMb: 256,
    timeoutSeconds: 50,
    access: { table: 'read', sendTo: ['notifications'] },
  },
  {
    name: 'SlaSweep',
    description:
      'Every minute: queues cases whose clocks reached 80 % or 100 % (sparse dueClocks index, no scan); ' +
      're-queues cases stuck in received and due outbox notifications',
    entry: 'functions/schedule/sla-sweep.ts',
    trigger: { kind: 'schedule', job: 'sla-sweep', everyMinutes: 1 },
    memoryMb: 512,
    timeoutSeconds: 50,
    access: { table: 'read', sendTo: ['slaWork', 'intake', 'notifications'] },
  },
  {
    name: 'SlaWorkConsumer',
    description: 'Marks clocks at risk or breached, escalates, and queues reminders and breach notices, once',
    entry: 'functions/queue/sla-work-consumer.ts',
    trigger: { kind: 'queue', queue: 'slaWork', batchSize: 10, maxBatchingWindowSeconds: 1 },
    memoryMb: 512,
    timeoutSeconds: 30,
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

/** AWS guidance: a queue's visibility timeout is at least six times its consumer's timeout. */
export function visibilityTimeoutSeconds(queue: QueueName): number {
  const consumer = consumerOf(queue);
  return Math.max(30, (consumer?.timeoutSeconds ?? 30) * 6);
}

/** The environment variable that carries a queue's URL to every function. */
export function queueUrlVariable(queue: QueueName): string {
  return `QUEUE_URL_${queue.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}
