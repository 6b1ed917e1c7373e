// The sandbox holds each function to its catalogue access, as IAM does in AWS: every DynamoDB request a
// function makes while it runs is checked against the table actions and key families (or indexes) its
// entry names, and refused with AccessDeniedException otherwise. So a catalogue entry that promises less
// than its code does fails in the sandbox and its tests, not first in a deployment.
import { AsyncLocalStorage } from 'node:async_hooks';
import { onAwsClientCreated } from '#adapters/aws-clients';
import { keyFamilyOf } from '#adapters/key-families';
import type { FunctionDefinition, TableAccess, TableAction } from '../catalogue.ts';

/** The function running in this async context, with its access (set by lambda-runtime's invoke). */
export const runningFunction = new AsyncLocalStorage<Pick<FunctionDefinition, 'name' | 'access'>>();

type Attribute = { S?: string };
type Key = Record<string, Attribute>;
interface DynamoBody {
  Key?: Key;
  Item?: Key;
  IndexName?: string;
  KeyConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, Attribute>;
  RequestItems?: Record<
    string,
    { Keys?: Key[] } | Array<{ PutRequest?: { Item: Key }; DeleteRequest?: { Key: Key } }>
  >;
  TransactItems?: Array<Partial<Record<'Put' | 'Update' | 'Delete' | 'ConditionCheck' | 'Get', DynamoBody>>>;
}

/** One thing a request asks: a table action on an item's partition key, or a query of an index. */
type Asked = { action: TableAction; pk?: string; index?: string };

const pkOf = (key: Key | undefined) => key?.pk?.S;

/** The partition key a table query names in its key condition (`pk = :pk`, or through a `#name`). */
function queriedPk(body: DynamoBody): string | undefined {
  for (const [, name, value] of (body.KeyConditionExpression ?? '').matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    const attribute = name!.startsWith('#') ? body.ExpressionAttributeNames?.[name!] : name;
    if (attribute === 'pk') return body.ExpressionAttributeValues?.[value!]?.S;
  }
  return undefined;
}

/** What one DynamoDB request (its `X-Amz-Target` operation and JSON body) asks of the table. */
export function askedBy(operation: string, body: DynamoBody): Asked[] | 'unsupported' {
  switch (operation) {
    case 'GetItem':
      return [{ action: 'get', pk: pkOf(body.Key) }];
    case 'PutItem':
      return [{ action: 'put', pk: pkOf(body.Item) }];
    case 'UpdateItem':
      return [{ action: 'update', pk: pkOf(body.Key) }];
    case 'DeleteItem':
      return [{ action: 'delete', pk: pkOf(body.Key) }];
    case 'Query':
      return body.IndexName
        ? [{ action: 'queryIndex', index: body.IndexName }]
        : [{ action: 'query', pk: queriedPk(body) }];
    case 'BatchGetItem':
      return Object.values(body.RequestItems ?? {}).flatMap((request) =>
        Array.isArray(request)
          ? []
          : (request.Keys ?? []).map((key) => ({ action: 'batchGet' as const, pk: pkOf(key) })),
      );
    case 'BatchWriteItem':
      return Object.values(body.RequestItems ?? {}).flatMap((requests) =>
        (Array.isArray(requests) ? requests : []).map((request) => ({
          action: 'batchWrite' as const,
          pk: pkOf(request.PutRequest?.Item ?? request.DeleteRequest?.Key),
        })),
      );
    case 'TransactWriteItems':
      return (body.TransactItems ?? []).flatMap((item): Asked[] => {
        if (item.Put) return [{ action: 'put', pk: pkOf(item.Put.Item) }];
        if (item.Update) return [{ action: 'update', pk: pkOf(item.Update.Key) }];
        if (item.Delete) return [{ action: 'delete', pk: pkOf(item.Delete.Key) }];
        if (item.ConditionCheck) return [{ action: 'conditionCheck', pk: pkOf(item.ConditionCheck.Key) }];
        return [];
      });
    case 'TransactGetItems':
      return (body.TransactItems ?? []).map((item) => ({ action: 'get' as const, pk: pkOf(item.Get?.Key) }));
    default:
      // Scan, PartiQL, streams, table management: no catalogue access grants them.
      return 'unsupported';
  }
}

/** Why the access refuses the request, or undefined when it allows every part of it. */
export function refusal(
  access: TableAccess | undefined,
  operation: string,
  body: DynamoBody,
): string | undefined {
  const asked = askedBy(operation, body);
  if (asked === 'unsupported') return `dynamodb:${operation} is granted to no function`;
  for (const { action, pk, index } of asked) {
    const allowed: readonly string[] = access?.[action] ?? [];
    if (index !== undefined) {
      if (!allowed.includes(index)) return `${action} of index ${index} is not in its access`;
      continue;
    }
    const family = pk === undefined ? undefined : keyFamilyOf(pk);
    if (!family || !allowed.includes(family)) {
      return `${action} on ${pk === undefined ? 'an item without a partition key' : `${family ?? 'unknown'} key ${pk}`} is not in its access`;
    }
  }
  return undefined;
}

/** An SDK client as far as adding a middleware goes. */
export interface MiddlewareClient {
  config?: { serviceId?: string };
  middlewareStack?: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
      options: { step: 'build'; name: string; priority: 'low' },
    ): void;
  };
}

/** Adds the check to a DynamoDB client (or document client, which shares its middleware stack). */
export function holdToCatalogueGrants(client: object): void {
  const candidate = client as MiddlewareClient;
  if (candidate.config?.serviceId !== 'DynamoDB' || !candidate.middlewareStack) return;
  candidate.middlewareStack.add(
    (next) => async (args) => {
      const running = runningFunction.getStore();
      const request = (args as { request?: { headers?: Record<string, string>; body?: unknown } }).request;
      const target = request?.headers?.['x-amz-target'];
      const body = request?.body;
      const text =
        typeof body === 'string'
          ? body
          : body instanceof Uint8Array
            ? new TextDecoder().decode(body)
            : undefined;
      if (running && target && text !== undefined) {
        const operation = target.slice(target.indexOf('.') + 1);
        const why = refusal(running.access.table, operation, JSON.parse(text) as DynamoBody);
        if (why) {
          throw Object.assign(
            new Error(
              `${running.name} is not authorized to perform dynamodb:${operation}: ${why} (infra/catalogue.ts)`,
            ),
            { name: 'AccessDeniedException' },
          );
        }
      }
      return next(args);
    },
    { step: 'build', name: 'sandboxCatalogueGrants', priority: 'low' },
  );
}

let enforcing = false;

/** Once per process (a client's middleware names must be unique): every DynamoDB client made from now on. */
export function enforceCatalogueGrants(): void {
  if (enforcing) return;
  enforcing = true;
  onAwsClientCreated(holdToCatalogueGrants);
}
