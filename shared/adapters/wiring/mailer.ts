// Email through SESv2.
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { awsClient } from '../aws-clients.ts';
import { sesMailer } from '../mailer.ts';
import type { PortGroup, PortsOf } from './wire.ts';

const sesClient = awsClient(() => new SESv2Client({}));

export const mailer: PortGroup<PortsOf<'mailer'>> = {
  name: 'mailer',
  build: (config) => ({
    mailer: sesMailer(sesClient(), config.SENDER_EMAIL, config.SES_CONFIGURATION_SET),
  }),
};
