// SES's mailbox simulator, for the sandbox: mail sent to bounce@simulator.amazonses.com or
// complaint@simulator.amazonses.com produces the event AWS would put on the emailEvents queue (SES →
// configuration set → EventBridge rule → SQS), so suppression can be tried end to end on a laptop.
// It watches the SES emulator's GET /store for new mail.
import { randomUUID } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { systemClock } from '#adapters/clock';
import type { SesEmailEvent } from '#events/email-events';

export const simulatorAddresses = {
  bounce: 'bounce@simulator.amazonses.com',
  complaint: 'complaint@simulator.amazonses.com',
} as const;

/** The part of a mail in the SES emulator's store that the event needs. */
export interface StoredMail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc?: string[]; bcc?: string[] };
  subject: string;
  /** Epoch seconds. */
  at: number;
}

const caseIdInSubject = /CS\d{10,13}[A-Z]{2}/;

/**
 * The EventBridge event for one simulated bounce or complaint. The emulator keeps no tags, so the
 * `caseId` tag comes from the subject, which carries the case number in every template.
 */
export function simulatedSesEvent(
  mail: StoredMail,
  kind: keyof typeof simulatorAddresses,
  context: { now: Date; region: string; account: string; configurationSet: string },
): SesEmailEvent {
  const recipient = simulatorAddresses[kind];
  const sentAt = new Date(mail.at * 1000).toISOString();
  const reportedAt = context.now.toISOString();
  const caseId = mail.subject.match(caseIdInSubject)?.[0];
  const mailRecord = {
    timestamp: sentAt,
    source: mail.from,
    sourceArn: `arn:aws:ses:${context.region}:${context.account}:identity/${mail.from}`,
    sendingAccountId: context.account,
    messageId: mail.messageId,
    destination: [...mail.destination.to, ...(mail.destination.cc ?? []), ...(mail.destination.bcc ?? [])],
    headersTruncated: false,
    commonHeaders: { from: [mail.from], to: mail.destination.to, subject: mail.subject },
    tags: {
      'ses:configuration-set': [context.configurationSet],
      'ses:from-domain': [mail.from.split('@')[1] ?? ''],
      ...(caseId ? { caseId: [caseId] } : {}),
    },
  };
  const feedbackId = `${randomUUID()}-000000`;
  const envelope = {
    version: '0',
    id: randomUUID(),
    account: context.account,
    time: reportedAt.replace(/\.\d{3}Z$/, 'Z'),
    region: context.region,
    resources: [
      `arn:aws:ses:${context.region}:${context.account}:configuration-set/${context.configurationSet}`,
    ],
    source: 'aws.ses' as const,
  };
  if (kind === 'bounce') {
    return {
      ...envelope,
      'detail-type': 'Email Bounced',
      detail: {
        eventType: 'Bounce',
        mail: mailRecord,
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [
            {
              emailAddress: recipient,
              action: 'failed',
              status: '5.1.1',
              diagnosticCode: 'smtp; 550 5.1.1 user unknown',
            },
          ],
          timestamp: reportedAt,
          feedbackId,
          reportingMTA: 'dsn; sandbox.simulator.amazonses.com',
        },
      },
    };
  }
  return {
    ...envelope,
    'detail-type': 'Email Complaint Received',
    detail: {
      eventType: 'Complaint',
      mail: mailRecord,
      complaint: {
        complainedRecipients: [{ emailAddress: recipient }],
        timestamp: reportedAt,
        feedbackId,
        complaintFeedbackType: 'abuse',
        userAgent: 'Parcel Care sandbox',
      },
    },
  };
}

export interface SesEventSimulator {
  /** Looks at the store once now (the timer does it every pollMs); resolves when the events are queued. */
  poll(): Promise<number>;
  stop(): Promise<void>;
}

export async function startSesEventSimulator(options: {
  sesEndpoint: string;
  queueUrl: string;
  client: SQSClient;
  region: string;
  account: string;
  configurationSet?: string;
  pollMs?: number;
  onError: (error: unknown) => void;
}): Promise<SesEventSimulator> {
  // The store lives as long as the process: only mail from now on counts, read with `?since=` (whole
  // seconds, inclusive), so the mail of the last second is remembered to be looked at once.
  let since = Math.floor(Date.now() / 1000);
  const seen = new Map<string, number>();
  for (const mail of await readStore(options.sesEndpoint, since)) seen.set(mail.messageId, mail.at);
  let polling: Promise<number> | undefined;

  const pollOnce = async (): Promise<number> => {
    let queued = 0;
    const mails = await readStore(options.sesEndpoint, since);
    for (const mail of mails) {
      if (seen.has(mail.messageId)) continue;
      seen.set(mail.messageId, mail.at);
      const recipients = [
        ...mail.destination.to,
        ...(mail.destination.cc ?? []),
        ...(mail.destination.bcc ?? []),
      ];
      for (const kind of ['bounce', 'complaint'] as const) {
        if (!recipients.some((address) => address.toLowerCase() === simulatorAddresses[kind])) continue;
        const event = simulatedSesEvent(mail, kind, {
          now: systemClock.now(),
          region: options.region,
          account: options.account,
          configurationSet: options.configurationSet ?? 'parcel-care-sandbox',
        });
        await options.client.send(
          new SendMessageCommand({ QueueUrl: options.queueUrl, MessageBody: JSON.stringify(event) }),
        );
        queued += 1;
      }
    }
    since = Math.max(since, ...mails.map((mail) => mail.at));
    for (const [messageId, at] of seen) if (at < since) seen.delete(messageId);
    return queued;
  };
  // One look at a time: the timer and an explicit poll() never queue the same mail twice.
  const poll = () => {
    polling ??= pollOnce().finally(() => {
      polling = undefined;
    });
    return polling;
  };

  const timer = setInterval(() => {
    poll().catch(options.onError);
  }, options.pollMs ?? 500);
  return {
    poll,
    stop: async () => {
      clearInterval(timer);
      await polling?.catch(() => undefined);
    },
  };
}

async function readStore(sesEndpoint: string, since: number): Promise<StoredMail[]> {
  const response = await fetch(`${sesEndpoint.replace(/\/$/, '')}/store?since=${since}`);
  if (!response.ok) throw new Error(`The SES emulator's store answered ${response.status}`);
  return ((await response.json()) as { emails: StoredMail[] }).emails;
}
