// The work queues (SQS) a function sends to, and the client its queue trigger uses to back off.
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClient } from '../aws-clients.ts';
import { channelRoutedPublisher } from '../notification-queues.ts';
import { sqsQueuePublisher } from '../queue-publisher.ts';
import type { PortGroup, PortsOf } from './wire.ts';

export const sqsClient = awsClient(() => new SQSClient({}));

export const queues: PortGroup<PortsOf<'queues'>> = {
  name: 'queues',
  build: (config) => ({
    queues: {
      intake: sqsQueuePublisher(sqsClient(), config.QUEUE_URL_INTAKE),
      notifications: channelRoutedPublisher({
        email: sqsQueuePublisher(sqsClient(), config.QUEUE_URL_NOTIFICATIONS),
        sms: sqsQueuePublisher(sqsClient(), config.QUEUE_URL_SMS_NOTIFICATIONS),
      }),
      slaWork: sqsQueuePublisher(sqsClient(), config.QUEUE_URL_SLA_WORK),
      incidentFanout: sqsQueuePublisher(sqsClient(), config.QUEUE_URL_INCIDENT_FANOUT),
    },
  }),
};
