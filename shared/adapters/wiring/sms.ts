// SMS through AWS End User Messaging SMS.
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { awsClient } from '../aws-clients.ts';
import { endUserMessagingSmsSender } from '../sms-sender.ts';
import type { PortGroup, PortsOf } from './wire.ts';

const smsClient = awsClient(() => new PinpointSMSVoiceV2Client({}));

export const sms: PortGroup<PortsOf<'sms'>> = {
  name: 'sms',
  build: (config) => ({
    sms: endUserMessagingSmsSender(smsClient(), {
      originationIdentity: config.SMS_ORIGINATION_IDENTITY,
      configurationSet: config.SMS_CONFIGURATION_SET,
    }),
  }),
};
