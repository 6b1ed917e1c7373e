import { describe, expect, it } from 'vitest';
import { emailFeedbackOf, mailTag, sesEmailEventSchema } from '#events/email-events';
import { simulatedSesEvent, simulatorAddresses } from '../../../infra/sandbox/ses-event-simulator.ts';

/** The bounce record from the SES developer guide, in the envelope EventBridge wraps it in. */
const documentedBounce = {
  version: '0',
  id: '9f4b2d40-3c4d-4a5e-8f7a-1b2c3d4e5f60',
  'detail-type': 'Email Bounced',
  source: 'aws.ses',
  account: '123456789012',
  time: '2017-08-05T00:41:02Z',
  region: 'us-east-1',
  resources: ['arn:aws:ses:us-east-1:123456789012:configuration-set/parcel-care-prod'],
  detail: {
    eventType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [
        {
          emailAddress: 'recipient@example.com',
          action: 'failed',
          status: '5.1.1',
          diagnosticCode: 'smtp; 550 5.1.1 user unknown',
        },
      ],
      timestamp: '2017-08-05T00:41:02.669Z',
      feedbackId: '01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000',
      reportingMTA: 'dsn; mta.example.com',
    },
    mail: {
      timestamp: '2017-08-05T00:40:02.012Z',
      source: 'Sender Name <sender@example.com>',
      sendingAccountId: '123456789012',
      messageId: 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000',
      destination: ['recipient@example.com'],
      headersTruncated: false,
      tags: {
        'ses:configuration-set': ['parcel-care-prod'],
        'ses:source-ip': ['192.0.2.0'],
        caseId: ['CS2611230001AB'],
        notificationId: ['CS2611230001AB.ack.email'],
      },
    },
  },
};

const storedMail = {
  messageId: 'abc-123',
  from: 'care@parcel-care.example',
  destination: { to: [simulatorAddresses.bounce] },
  subject: '[Parcel Care] We have received your inquiry (case CS2611230042XY)',
  at: 1_795_000_000,
};
const simulatorContext = {
  now: new Date('2026-11-23T08:00:00.000Z'),
  region: 'us-east-1',
  account: '000000000000',
  configurationSet: 'parcel-care-sandbox',
};

describe('SES events from EventBridge', () => {
  it('reads a documented bounce: type, recipients and our tags', () => {
    const event = sesEmailEventSchema.parse(documentedBounce);
    expect(event.detail.eventType).toBe('Bounce');
    if (event.detail.eventType !== 'Bounce') return;
    expect(event.detail.bounce.bounceType).toBe('Permanent');
    expect(event.detail.bounce.bouncedRecipients.map((r) => r.emailAddress)).toEqual([
      'recipient@example.com',
    ]);
    expect(mailTag(event, 'caseId')).toBe('CS2611230001AB');
    expect(mailTag(event, 'notificationId')).toBe('CS2611230001AB.ack.email');
  });

  it('reads a complaint', () => {
    const complaint = {
      ...documentedBounce,
      'detail-type': 'Email Complaint Received',
      detail: {
        eventType: 'Complaint',
        mail: documentedBounce.detail.mail,
        complaint: {
          complainedRecipients: [{ emailAddress: 'recipient@example.com' }],
          timestamp: '2017-08-05T00:41:02.669Z',
          feedbackId: '01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000001',
          complaintFeedbackType: 'abuse',
        },
      },
    };
    const event = sesEmailEventSchema.parse(complaint);
    expect(event.detail.eventType).toBe('Complaint');
  });

  it.each([
    ['another source', { ...documentedBounce, source: 'aws.events' }],
    [
      'a delivery event',
      { ...documentedBounce, detail: { ...documentedBounce.detail, eventType: 'Delivery' } },
    ],
    [
      'a bounce without recipients',
      {
        ...documentedBounce,
        detail: {
          ...documentedBounce.detail,
          bounce: { ...documentedBounce.detail.bounce, bouncedRecipients: [] },
        },
      },
    ],
  ])('refuses %s', (_, event) => {
    expect(sesEmailEventSchema.safeParse(event).success).toBe(false);
  });
});

describe('an SES event as the domain sees it', () => {
  it('gives a bounce its kind, permanence, bare addresses and the case it was tagged with', () => {
    const named = {
      ...documentedBounce,
      detail: {
        ...documentedBounce.detail,
        bounce: {
          ...documentedBounce.detail.bounce,
          bouncedRecipients: [{ emailAddress: '"Zhang San" <recipient@example.com>' }],
        },
      },
    };
    expect(emailFeedbackOf(sesEmailEventSchema.parse(named))).toEqual({
      kind: 'bounce',
      permanent: true,
      bounceType: 'Permanent',
      bounceSubType: 'General',
      feedbackId: documentedBounce.detail.bounce.feedbackId,
      reportedAt: '2017-08-05T00:41:02.669Z',
      recipients: ['recipient@example.com'],
      providerMessageId: documentedBounce.detail.mail.messageId,
      caseId: 'CS2611230001AB',
      notificationId: 'CS2611230001AB.ack.email',
    });
  });

  it('calls a transient bounce not permanent, and leaves out a time it cannot read', () => {
    const transient = {
      ...documentedBounce,
      detail: {
        ...documentedBounce.detail,
        bounce: { ...documentedBounce.detail.bounce, bounceType: 'Transient', timestamp: 'soon' },
      },
    };
    const feedback = emailFeedbackOf(sesEmailEventSchema.parse(transient));
    expect(feedback).toMatchObject({ kind: 'bounce', permanent: false });
    expect(feedback).not.toHaveProperty('reportedAt');
  });

  it('gives a complaint its feedback type', () => {
    const complaint = {
      ...documentedBounce,
      'detail-type': 'Email Complaint Received',
      detail: {
        eventType: 'Complaint',
        mail: { ...documentedBounce.detail.mail, tags: {} },
        complaint: {
          complainedRecipients: [{ emailAddress: 'recipient@example.com' }],
          timestamp: '2017-08-05T00:41:02.669Z',
          feedbackId: 'complaint-1',
          complaintFeedbackType: 'abuse',
        },
      },
    };
    expect(emailFeedbackOf(sesEmailEventSchema.parse(complaint))).toEqual({
      kind: 'complaint',
      complaintFeedbackType: 'abuse',
      feedbackId: 'complaint-1',
      reportedAt: '2017-08-05T00:41:02.669Z',
      recipients: ['recipient@example.com'],
      providerMessageId: documentedBounce.detail.mail.messageId,
    });
  });
});

describe('the sandbox mailbox simulator', () => {
  it('turns mail to the bounce address into a permanent bounce of that address, tagged with the case from the subject', () => {
    const event = sesEmailEventSchema.parse(simulatedSesEvent(storedMail, 'bounce', simulatorContext));
    expect(event['detail-type']).toBe('Email Bounced');
    expect(event.detail).toMatchObject({
      eventType: 'Bounce',
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: simulatorAddresses.bounce }] },
      mail: { messageId: 'abc-123', tags: { caseId: ['CS2611230042XY'] } },
    });
  });

  it('turns mail to the complaint address into a complaint', () => {
    const mail = { ...storedMail, destination: { to: [simulatorAddresses.complaint] } };
    const event = sesEmailEventSchema.parse(simulatedSesEvent(mail, 'complaint', simulatorContext));
    expect(event.detail).toMatchObject({
      eventType: 'Complaint',
      complaint: { complainedRecipients: [{ emailAddress: simulatorAddresses.complaint }] },
    });
  });
});
