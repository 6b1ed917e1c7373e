// A stand-in for AWS End User Messaging SMS: it answers the SDK's SendTextMessage call (AWS JSON 1.0
// protocol) so production code sends SMS through the real client, and keeps what was sent.
import { randomUUID } from 'node:crypto';
import type { SandboxRouteResult } from './http-gateway.ts';

export interface SentSms {
  messageId: string;
  to: string;
  body: string;
  originationIdentity?: string;
  context?: Record<string, string>;
  sentAt: string;
}

/** Numbers that answer like a phone that replied TD/STOP, for trying opt-outs. */
export const optedOutTestNumbers = ['+8613900000000', '+15555550100'];

export function smsEmulator(
  options: { sent?: readonly SentSms[]; onSent?: (all: readonly SentSms[]) => void } = {},
) {
  const sent: SentSms[] = [...(options.sent ?? [])];
  return {
    path: '/_sandbox/aws/sms',
    messages: () => [...sent],
    handle(
      method: string,
      body: string,
      headers: Record<string, string | string[] | undefined>,
    ): SandboxRouteResult {
      const target = String(headers['x-amz-target'] ?? '');
      if (method !== 'POST' || target !== 'PinpointSMSVoiceV2.SendTextMessage') {
        return {
          status: 400,
          body: { __type: 'ValidationException', message: `Unsupported operation ${target}` },
        };
      }
      const input = JSON.parse(body || '{}') as {
        DestinationPhoneNumber?: string;
        MessageBody?: string;
        OriginationIdentity?: string;
        Context?: Record<string, string>;
      };
      if (!input.DestinationPhoneNumber || !/^\+[1-9]\d{6,14}$/.test(input.DestinationPhoneNumber)) {
        return {
          status: 400,
          body: { __type: 'ValidationException', message: 'DestinationPhoneNumber must be E.164' },
        };
      }
      if (optedOutTestNumbers.includes(input.DestinationPhoneNumber)) {
        return {
          status: 400,
          body: {
            __type: 'ConflictException',
            message: 'The destination phone number is opted out',
            Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT',
          },
        };
      }
      const messageId = randomUUID();
      sent.push({
        messageId,
        to: input.DestinationPhoneNumber,
        body: input.MessageBody ?? '',
        originationIdentity: input.OriginationIdentity,
        context: input.Context,
        sentAt: new Date().toISOString(),
      });
      options.onSent?.(sent);
      return { status: 200, body: { MessageId: messageId } };
    },
  };
}
