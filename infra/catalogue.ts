// The one catalogue of functions and queues. The CDK stack deploys exactly this and the sandbox
// runs exactly this, so adding a route is one entry here plus one handler file.

export const queueNames = ['intake', 'notifications', 'slaWork', 'emailEvents'] as const;
export type QueueName = (typeof queueNames)[number];

export const jobNames = ['sla-sweep', 'survey-dispatch'] as const;
export type JobName = (typeof jobNames)[number];

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
