// A DynamoDB stream record in the shape Lambda hands a function (aws-lambda's DynamoDBRecord), for tests
// that give a stream consumer or source records of their own.
import type { DynamoDBRecord } from 'aws-lambda';

type Image = NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];

export function streamRecord(record: {
  keys: Image;
  newImage: Image;
  sequence: string;
  streamArn: string;
  /** Seconds since the epoch, as Lambda gives ApproximateCreationDateTime; now unless given. */
  createdAt?: number;
  sizeBytes?: number;
}): DynamoDBRecord {
  return {
    eventID: `event-${record.sequence}`,
    eventName: 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: record.streamArn,
    dynamodb: {
      ApproximateCreationDateTime: record.createdAt ?? Math.floor(Date.now() / 1000),
      Keys: record.keys,
      NewImage: record.newImage,
      SequenceNumber: record.sequence,
      SizeBytes: record.sizeBytes ?? 1024,
      StreamViewType: 'NEW_IMAGE',
    },
  };
}
