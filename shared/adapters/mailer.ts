// Email through SESv2. Throttling and 5xx surface as errors so the queue retries them.
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer } from '../use-cases/ports.ts';

export function sesMailer(client: SESv2Client, from: string, configurationSet?: string): Mailer {
  return {
    async send(email) {
      const result = await client.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: [email.to] },
          ...(email.replyTo ? { ReplyToAddresses: [email.replyTo] } : {}),
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: {
                Html: { Data: email.html, Charset: 'UTF-8' },
                Text: { Data: email.text, Charset: 'UTF-8' },
              },
            },
          },
          ConfigurationSetName: configurationSet,
          EmailTags: Object.entries(email.tags ?? {}).map(([Name, Value]) => ({
            Name,
            Value: tagSafe(Value),
          })),
        }),
      );
      return { messageId: result.MessageId ?? '' };
    },
  };
}

/** SES tag values allow only letters, digits, _ - . @ */
function tagSafe(value: string): string {
  return value.replace(/[^A-Za-z0-9_.@-]/g, '_');
}
