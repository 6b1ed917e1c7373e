// The queues and scheduled jobs, as facts both sides need: the handlers (which queue they consume,
// after how many receives a message goes to the dead-letter queue, where a queue's URL comes from)
// and infra/catalogue.ts, which deploys and runs them.

export const queueNames = [
  'intake',
  'notifications',
  'smsNotifications',
  'slaWork',
  'emailEvents',
  'attachmentUploads',
  'inboundEmail',
  'inboundSms',
  'incidentFanout',
] as const;
export type QueueName = (typeof queueNames)[number];

export const jobNames = ['sla-sweep', 'retention'] as const;
export type JobName = (typeof jobNames)[number];

export interface QueueDefinition {
  name: QueueName;
  description: string;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  /** The consumer's timeout: the catalogue deploys it, and a lease over retries counts it per attempt. */
  consumerTimeoutSeconds: number;
}

export const queues: readonly QueueDefinition[] = [
  {
    name: 'intake',
    description: 'Submitted cases waiting to be classified and routed',
    maxReceiveCount: 5,
    consumerTimeoutSeconds: 30,
  },
  {
    name: 'notifications',
    description: 'Outbox emails waiting to be delivered',
    maxReceiveCount: 5,
    consumerTimeoutSeconds: 30,
  },
  {
    // Apart from email, so that each channel drains at its own send rate (issue 15). Its consumer's
    // notification lease covers this queue's own retries (functions/middleware/sqs-consumer.ts).
    name: 'smsNotifications',
    description: 'Outbox SMS waiting to be delivered',
    maxReceiveCount: 5,
    consumerTimeoutSeconds: 30,
  },
  {
    name: 'slaWork',
    description: 'Cases whose SLA clocks reached a threshold',
    maxReceiveCount: 5,
    consumerTimeoutSeconds: 30,
  },
  {
    name: 'emailEvents',
    description: 'SES bounce and complaint events',
    maxReceiveCount: 5,
    consumerTimeoutSeconds: 30,
  },
  {
    name: 'attachmentUploads',
    description: 'S3 notifications of files stored in the attachments bucket, to be checked and listed',
    maxReceiveCount: 5,
    consumerTimeoutSeconds: 30,
  },
  {
    name: 'inboundEmail',
    description: 'Mail SES received and stored in S3 (the receipt notification, through SNS)',
    maxReceiveCount: 5,
    consumerTimeoutSeconds: 60,
  },
  {
    name: 'inboundSms',
    description: 'Texts to the carrier number (End User Messaging SMS two-way, through SNS)',
    maxReceiveCount: 5,
    consumerTimeoutSeconds: 30,
  },
  {
    name: 'incidentFanout',
    description: 'Pages of an incident: waybills to link, customers to tell, cases to resolve',
    maxReceiveCount: 5,
    consumerTimeoutSeconds: 60,
  },
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

/** Backoff of a failed record: base × 2^(receives − 1) seconds, at most max (RETRY_BASE_SECONDS, RETRY_MAX_SECONDS). */
export interface RetryBackoff {
  baseSeconds: number;
  maxSeconds: number;
}

/** base × 2^(receiveCount − 1), at most max: 10 s, 20 s, 40 s … with the defaults. */
export function retryDelaySeconds(receiveCount: number, backoff: RetryBackoff): number {
  const exponent = Math.min(Math.max(0, receiveCount - 1), 30);
  return Math.min(backoff.maxSeconds, backoff.baseSeconds * 2 ** exponent);
}

/**
 * The longest a message of `queue` can take from its first receive to the end of its last: every
 * attempt running to the consumer's timeout, and every backoff wait between attempts (the last receive
 * is followed by the dead-letter queue, not by another wait).
 */
export function wholeRetrySeconds(queue: QueueName, backoff: RetryBackoff): number {
  const { maxReceiveCount, consumerTimeoutSeconds } = queueNamed(queue);
  let seconds = maxReceiveCount * consumerTimeoutSeconds;
  for (let receive = 1; receive < maxReceiveCount; receive += 1) {
    seconds += Math.max(1, retryDelaySeconds(receive, backoff));
  }
  return seconds;
}

/**
 * A claim that no retry of the same message can outlive: a lease longer than the message's whole
 * retry span (plus a minute for clock skew and SQS's own delays), so a send whose "mark sent" failed is
 * never claimed and sent again by a later receive of the same message.
 */
export function leaseCoveringRetriesMs(queue: QueueName, backoff: RetryBackoff): number {
  return (wholeRetrySeconds(queue, backoff) + 60) * 1000;
}
