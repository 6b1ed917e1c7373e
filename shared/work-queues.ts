// The queues and scheduled jobs, as facts both sides need: the handlers (which queue they consume,
// after how many receives a message goes to the dead-letter queue, where a queue's URL comes from)
// and infra/catalogue.ts, which deploys and runs them.

export const queueNames = ['intake', 'notifications', 'slaWork', 'emailEvents'] as const;
export type QueueName = (typeof queueNames)[number];

export const jobNames = ['sla-sweep'] as const;
export type JobName = (typeof jobNames)[number];

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

export function queueNamed(name: QueueName): QueueDefinition {
  const found = queues.find((definition) => definition.name === name);
  if (!found) throw new Error(`No queue named ${name}`);
  return found;
}

/** The environment variable that carries a queue's URL to every function. */
export function queueUrlVariable(queue: QueueName): string {
  return `QUEUE_URL_${queue.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}
