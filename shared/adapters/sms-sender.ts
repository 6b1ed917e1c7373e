// SMS through AWS End User Messaging SMS (pinpoint-sms-voice-v2 SendTextMessage).
import { type PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SmsOptedOut, type SmsSender } from '../use-cases/ports.ts';

export function endUserMessagingSmsSender(
  client: PinpointSMSVoiceV2Client,
  options: { originationIdentity?: string; configurationSet?: string },
): SmsSender {
  return {
    async send(sms) {
      try {
        const result = await client.send(
          new SendTextMessageCommand({
            DestinationPhoneNumber: sms.to,
            MessageBody: sms.body,
            MessageType: 'TRANSACTIONAL',
            OriginationIdentity: options.originationIdentity,
            ConfigurationSetName: options.configurationSet,
            Context: sms.tags,
          }),
        );
        return { messageId: result.MessageId ?? '' };
      } catch (error) {
        const reason = (error as { Reason?: string; name?: string }).Reason;
        if (reason === 'DESTINATION_PHONE_NUMBER_OPTED_OUT' || (error as Error).name === 'OptedOut') {
          throw new SmsOptedOut('The destination phone number opted out');
        }
        throw error;
      }
    },
  };
}
