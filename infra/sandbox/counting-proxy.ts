// Call counting for the benchmarks (`SANDBOX_COUNT_CALLS=1`): a proxy in front of DynamoDB Local, the
// SQS emulator and the SES emulator that counts what the functions ask of each, and for DynamoDB the
// capacity each call consumed. It asks DynamoDB for per-index capacity (`ReturnConsumedCapacity:
// INDEXES`) on every call that can report it, whatever the code asked for, and reads it from the answer;
// DynamoDB Local reports table and index units separately, transactions doubled, as DynamoDB bills them.
// `GET /_sandbox/counts` shows the tally and `DELETE /_sandbox/counts` starts it again.
import type { IncomingMessage } from 'node:http';
import { type RunningProxy, startProxy } from './fault-proxy.ts';

export interface DynamoDbCounts {
  /** Calls by operation (`PutItem`, `TransactWriteItems`, …), failed ones included. */
  calls: Record<string, number>;
  /** Calls DynamoDB refused (conditional check failed, transaction cancelled, …), by operation. */
  failed: Record<string, number>;
  readUnits: number;
  /**
   * Read units with every GetItem, Query and Scan billed at least one read's minimum (0.5 eventually
   * consistent, 1 strongly): DynamoDB bills a read that finds nothing, where DynamoDB Local reports 0.
   */
  readUnitsAtLeast: number;
  tableWriteUnits: number;
  /** Write units of each global secondary index. */
  indexWriteUnits: Record<string, number>;
  /** The part of the index units that came from transactions (DynamoDB Local doubles these too). */
  transactionIndexWriteUnits: number;
  /** Successful calls whose answer carried no ConsumedCapacity (their units are missing above). */
  unreported: number;
  /** Items written by successful calls, by the kind of their partition key (`CASE`, `REPORT`, …). */
  keyWrites: Record<string, number>;
  /** Items (puts, updates, deletes, condition checks) in successful transactions. */
  transactionItems: number;
  /** The table units DynamoDB Local reported for those transactions. */
  transactionTableWriteUnits: number;
  /**
   * What DynamoDB bills for them at least: 2 units per 1 KB of every item, each put's size counted from
   * its attributes and every update, delete and condition check at 1 KB (the stored item's size is not in
   * the request). DynamoDB Local bills less: it adds each distinct item size once.
   */
  transactionTableWriteUnitsBilled: number;
}

export interface CallCounts {
  dynamodb: DynamoDbCounts;
  /** SQS requests the functions made, by action. */
  sqs: Record<string, number>;
  /** SESv2 SendEmail calls answered 200 (retries of failed sends are not counted twice). */
  emails: number;
}

export const emptyCounts = (): CallCounts => ({
  dynamodb: {
    calls: {},
    failed: {},
    readUnits: 0,
    readUnitsAtLeast: 0,
    tableWriteUnits: 0,
    indexWriteUnits: {},
    transactionIndexWriteUnits: 0,
    unreported: 0,
    keyWrites: {},
    transactionItems: 0,
    transactionTableWriteUnits: 0,
    transactionTableWriteUnitsBilled: 0,
  },
  sqs: {},
  emails: 0,
});

const readOperations = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
/** Reads of one request that DynamoDB bills at least one read for, whatever they find. */
const singleReadOperations = new Set(['GetItem', 'Query', 'Scan']);
const capacityOperations = new Set([
  ...readOperations,
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

/** `DynamoDB_20120810.PutItem` → `PutItem`. */
const actionOf = (target: string | string[] | undefined) =>
  String(target ?? '')
    .split('.')
    .pop() ?? '';

/** The request as forwarded: asks for per-index capacity where the operation can report it. */
export function withIndexCapacity(target: string | undefined, body: Buffer): Buffer {
  if (!capacityOperations.has(actionOf(target))) return body;
  const request = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  return Buffer.from(JSON.stringify({ ...request, ReturnConsumedCapacity: 'INDEXES' }));
}

interface ConsumedCapacity {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

const add = (tally: Record<string, number>, key: string, amount = 1) => {
  tally[key] = (tally[key] ?? 0) + amount;
};

type WireValue = {
  S?: string;
  N?: string;
  B?: string;
  BOOL?: boolean;
  NULL?: boolean;
  M?: Record<string, WireValue>;
  L?: WireValue[];
  SS?: string[];
  NS?: string[];
};
type WireItem = Record<string, WireValue | undefined>;

/** A value's size as DynamoDB counts it (docs: "Item sizes and formats"), near enough for units. */
function valueSize(value: WireValue | undefined): number {
  if (!value) return 0;
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|^0+/g, '').length / 2) + 1;
  if (value.B !== undefined) return Buffer.from(value.B, 'base64').length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.M) return 3 + itemSize(value.M) + Object.keys(value.M).length;
  if (value.L) return 3 + value.L.reduce((total, element) => total + 1 + valueSize(element), 0);
  if (value.SS) return value.SS.reduce((total, text) => total + Buffer.byteLength(text), 0);
  if (value.NS) return value.NS.reduce((total, n) => total + valueSize({ N: n }), 0);
  return 0;
}

export function itemSize(item: WireItem): number {
  return Object.entries(item).reduce(
    (total, [name, value]) => total + Buffer.byteLength(name) + valueSize(value),
    0,
  );
}
interface WriteRequest {
  Item?: WireItem;
  Key?: WireItem;
  TransactItems?: Array<Record<string, { Item?: WireItem; Key?: WireItem } | undefined>>;
  RequestItems?: Record<
    string,
    Array<{ PutRequest?: { Item?: WireItem }; DeleteRequest?: { Key?: WireItem } }>
  >;
}

/** The partition keys a write request touches (condition checks write nothing). */
function writtenKeys(action: string, request: WriteRequest): Array<WireItem | undefined> {
  if (action === 'PutItem') return [request.Item];
  if (action === 'UpdateItem' || action === 'DeleteItem') return [request.Key];
  if (action === 'TransactWriteItems') {
    return (request.TransactItems ?? []).flatMap((item) =>
      ['Put', 'Update', 'Delete'].map((kind) => item[kind]?.Item ?? item[kind]?.Key).filter(Boolean),
    );
  }
  if (action === 'BatchWriteItem') {
    return Object.values(request.RequestItems ?? {})
      .flat()
      .map((write) => write.PutRequest?.Item ?? write.DeleteRequest?.Key);
  }
  return [];
}

/** Adds one DynamoDB call and its answer to the tally; `request` is the body that was forwarded. */
export function countDynamoDbCall(
  counts: DynamoDbCounts,
  target: string | undefined,
  status: number,
  answer: string,
  request?: string,
) {
  const action = actionOf(target);
  add(counts.calls, action);
  if (status !== 200) {
    add(counts.failed, action);
    return;
  }
  const asked = request ? (JSON.parse(request) as WriteRequest & { ConsistentRead?: boolean }) : undefined;
  if (asked) {
    for (const key of writtenKeys(action, asked)) {
      add(counts.keyWrites, String(key?.pk?.S ?? '').split('#')[0] || 'other');
    }
    if (action === 'TransactWriteItems') {
      const items = asked.TransactItems ?? [];
      counts.transactionItems += items.length;
      counts.transactionTableWriteUnitsBilled += items.reduce(
        (total, item) => total + 2 * Math.max(1, Math.ceil(itemSize(item.Put?.Item ?? {}) / 1024)),
        0,
      );
    }
  }
  if (!capacityOperations.has(action)) return;
  const parsed = JSON.parse(answer) as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] };
  const consumed = [parsed.ConsumedCapacity ?? []].flat();
  if (consumed.length === 0) {
    counts.unreported += 1;
    return;
  }
  for (const capacity of consumed) {
    if (readOperations.has(action)) {
      const units = capacity.CapacityUnits ?? 0;
      counts.readUnits += units;
      const minimum = singleReadOperations.has(action) ? (asked?.ConsistentRead ? 1 : 0.5) : 0;
      counts.readUnitsAtLeast += Math.max(units, minimum);
      continue;
    }
    const tableUnits = capacity.Table?.CapacityUnits ?? capacity.CapacityUnits ?? 0;
    counts.tableWriteUnits += tableUnits;
    if (action === 'TransactWriteItems') counts.transactionTableWriteUnits += tableUnits;
    for (const [index, units] of Object.entries(capacity.GlobalSecondaryIndexes ?? {})) {
      add(counts.indexWriteUnits, index, units.CapacityUnits ?? 0);
      if (action === 'TransactWriteItems') counts.transactionIndexWriteUnits += units.CapacityUnits ?? 0;
    }
  }
}

export interface CountingProxies {
  /** Where the functions should send each service's calls. */
  endpoints: { dynamodb: string; sqs: string; ses: string };
  counts(): CallCounts;
  reset(): void;
  stop(): Promise<void>;
}

const header = (incoming: IncomingMessage, name: string) => {
  const value = incoming.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** One counting proxy in front of each emulator; `emulators` are their origins. */
export async function startCountingProxies(emulators: {
  dynamodb: string;
  sqs: string;
  ses: string;
}): Promise<CountingProxies> {
  let counts = emptyCounts();
  const started: RunningProxy[] = [];
  const stop = async () => {
    await Promise.all(started.map((proxy) => proxy.stop()));
  };
  try {
    const dynamodb = await startProxy(new URL(emulators.dynamodb), {
      before: (incoming, body) => ({ forward: withIndexCapacity(header(incoming, 'x-amz-target'), body) }),
      after: (incoming, forwarded, status, answer) =>
        countDynamoDbCall(
          counts.dynamodb,
          header(incoming, 'x-amz-target'),
          status,
          answer.toString('utf8'),
          forwarded.toString('utf8'),
        ),
    });
    started.push(dynamodb);
    const sqs = await startProxy(new URL(emulators.sqs), {
      after: (incoming) => add(counts.sqs, actionOf(header(incoming, 'x-amz-target')) || 'other'),
    });
    started.push(sqs);
    const ses = await startProxy(new URL(emulators.ses), {
      after: (incoming, _forwarded, status) => {
        if (
          incoming.method === 'POST' &&
          incoming.url?.startsWith('/v2/email/outbound-emails') &&
          status === 200
        ) {
          counts.emails += 1;
        }
      },
    });
    started.push(ses);
    return {
      endpoints: { dynamodb: dynamodb.endpoint, sqs: sqs.endpoint, ses: ses.endpoint },
      counts: () => structuredClone(counts),
      reset: () => {
        counts = emptyCounts();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
