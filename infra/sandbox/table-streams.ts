// The sandbox's table-stream event sources: one TableStreamSource for each catalogue function triggered by
// the case table's stream, its invocations through the in-process runtime (counted, held to the
// function's grants, logged as any other), its given-up batches kept as the on-failure queue's messages.
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { FunctionDefinition } from '../catalogue.ts';
import { invoke, lambdaContext, sandboxRegion } from './lambda-runtime.ts';
import { jsonFile, stateFiles } from './sandbox-state.ts';
import type { StreamBatchFailure } from './stream-batch-delivery.ts';
import {
  dynamoDbStreamReader,
  latestStreamArn,
  type ShardCheckpoints,
  TableStreamSource,
} from './table-stream-source.ts';

/** A batch given up on, as the on-failure destination (an SQS queue in the stack) would hold it. */
export interface StreamFailureMessage {
  destination: string;
  function: string;
  message: StreamBatchFailure;
}

/** The stream's line in `GET /_sandbox/queues`, in the queues' shape so "drained" checks wait for it too. */
export interface StreamSourceReport {
  name: string;
  kind: 'tableStream';
  function: string;
  streamArn: string;
  onFailure: string;
  /** Records read and matched, not yet delivered. */
  visible: number;
  /** Batches in their handler (or waiting to retry). */
  inFlight: number;
  delayed: 0;
  /** Batches given up on and reported to the on-failure destination (`GET /_sandbox/stream-failures`). */
  deadLetters: number;
}

export interface RunningTableStreams {
  readonly busy: boolean;
  report(): Promise<StreamSourceReport[]>;
  failures(): StreamFailureMessage[];
  stop(): Promise<void>;
}

export async function startTableStreams(options: {
  /** DynamoDB Local itself: the sandbox's own polling is not counted among the functions' calls. */
  endpoint: string;
  tableName: string;
  functions: readonly FunctionDefinition[];
  /** Where the checkpoints are kept across restarts (SANDBOX_DIR). */
  dataDir: string;
  log: (line: string) => void;
}): Promise<RunningTableStreams> {
  const consumers = options.functions.flatMap((fn) =>
    fn.trigger.kind === 'tableStream' ? [{ fn, trigger: fn.trigger }] : [],
  );
  const client = new DynamoDBStreamsClient({ endpoint: options.endpoint });
  const failures: StreamFailureMessage[] = [];
  const sources: Array<{
    name: string;
    fn: FunctionDefinition;
    onFailure: string;
    source: TableStreamSource;
  }> = [];
  let streamArn = '';
  // Per function, per stream: a new stream (a new table, or an in-memory DynamoDB Local) starts afresh.
  const checkpointFile = jsonFile<Record<string, Record<string, ShardCheckpoints>>>(
    options.dataDir,
    stateFiles.streamCheckpoints,
  );
  let checkpoints: Record<string, ShardCheckpoints> = {};
  let unsaved = false;
  const save = () => {
    if (!unsaved) return;
    checkpointFile.write({ [streamArn]: checkpoints });
    unsaved = false;
  };
  const saveTimer = setInterval(save, 1_000);
  saveTimer.unref();
  try {
    if (consumers.length > 0) {
      // DynamoDB Local names its region `ddblocal`; the events carry the stack's ARN shape.
      const localArn = await latestStreamArn(client, options.tableName);
      streamArn = localArn.replace(':ddblocal:', `:${sandboxRegion}:`);
      checkpoints = checkpointFile.read()?.[streamArn] ?? {};
      for (const { fn, trigger } of consumers) {
        const kept: ShardCheckpoints = checkpoints[fn.name] ?? {};
        checkpoints[fn.name] = kept;
        const source = new TableStreamSource({
          reader: dynamoDbStreamReader(client, localArn, {
            awsRegion: sandboxRegion,
            eventSourceArn: streamArn,
          }),
          trigger,
          streamArn,
          functionArn: lambdaContext(fn).invokedFunctionArn,
          invoke: (event) => invoke(fn, event),
          // As the stack's mapping; the checkpoints of a kept data folder say where the last run stopped.
          startingPosition: 'TRIM_HORIZON',
          checkpoints: { ...kept },
          onCheckpoint: (shardId, checkpoint) => {
            kept[shardId] = checkpoint;
            unsaved = true;
          },
          onFailure: (message) => {
            failures.push({ destination: trigger.onFailure, function: fn.name, message });
            const batch = message.DDBStreamBatchInfo;
            options.log(
              `[${fn.name}] gave up on ${batch.batchSize} stream record(s) ${batch.startSequenceNumber}…${batch.endSequenceNumber} ` +
                `(${message.requestContext.condition}); sent to ${trigger.onFailure}: GET /_sandbox/stream-failures`,
            );
          },
          onError: (error) => options.log(`[${fn.name}] ${(error as Error).stack ?? error}`),
        });
        await source.start();
        const name = consumers.length === 1 ? 'caseTableStream' : `caseTableStream-${fn.name}`;
        sources.push({ name, fn, onFailure: trigger.onFailure, source });
      }
    }
  } catch (error) {
    clearInterval(saveTimer);
    await Promise.all(sources.map(({ source }) => source.stop()));
    client.destroy();
    throw error;
  }
  return {
    get busy() {
      return sources.some(({ source }) => source.busy);
    },
    report: () =>
      Promise.all(
        sources.map(async ({ name, fn, onFailure, source }) => ({
          name,
          kind: 'tableStream' as const,
          function: fn.name,
          streamArn,
          onFailure,
          ...(await source.depth()),
          delayed: 0 as const,
          deadLetters: failures.filter((failure) => failure.function === fn.name).length,
        })),
      ),
    failures: () => [...failures],
    stop: async () => {
      await Promise.all(sources.map(({ source }) => source.stop()));
      clearInterval(saveTimer);
      save();
      client.destroy();
    },
  };
}
