import type { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { sesMailer } from '#adapters/mailer';

describe('the SES mailer', () => {
  it('turns tag values into what SES accepts (letters, digits, _ - . @)', async () => {
    const sent: SendEmailCommand[] = [];
    const client: Pick<SESv2Client, 'send'> = {
      send: async (command: SendEmailCommand) => {
        sent.push(command);
        return { MessageId: 'm-1', $metadata: {} };
      },
    } as Pick<SESv2Client, 'send'>;
    const mailer = sesMailer(client as SESv2Client, 'care@parcel-care.example');
    const result = await mailer.send({
      to: 'zhangsan@example.com',
      subject: 'Hello',
      html: '<p>Hello</p>',
      text: 'Hello',
      tags: { caseId: 'CS2611230001AB', notificationId: 'CS2611230001AB.survey#2/email' },
    });
    expect(result).toEqual({ messageId: 'm-1' });
    expect(sent[0]!.input.EmailTags).toEqual([
      { Name: 'caseId', Value: 'CS2611230001AB' },
      { Name: 'notificationId', Value: 'CS2611230001AB.survey_2_email' },
    ]);
  });
});
