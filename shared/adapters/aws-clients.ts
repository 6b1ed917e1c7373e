// One client per service per execution environment. Endpoints come from the standard
// AWS_ENDPOINT_URL_<SERVICE> variables, so the same code talks to AWS or to the emulators.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../observability.ts';

const resets: Array<() => void> = [];

function memo<T extends { destroy(): void }>(create: () => T): () => T {
  let instance: T | undefined;
  resets.push(() => {
    instance?.destroy();
    instance = undefined;
  });
  return () => {
    instance ??= create();
    return instance;
  };
}

/** Tests and the sandbox, after moving the endpoints: a client keeps the endpoint it started with. */
export function resetAwsClients(): void {
  for (const reset of resets) reset();
}

// Each client is traced: its calls show as X-Ray subsegments in AWS, and nothing changes elsewhere.
export const dynamoDocumentClient = memo(() =>
  DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  }),
);
export const sqsClient = memo(() => tracer.captureAWSv3Client(new SQSClient({})));
export const sesClient = memo(() => tracer.captureAWSv3Client(new SESv2Client({})));
export const smsClient = memo(() => tracer.captureAWSv3Client(new PinpointSMSVoiceV2Client({})));
export const secretsClient = memo(() => tracer.captureAWSv3Client(new SecretsManagerClient({})));
