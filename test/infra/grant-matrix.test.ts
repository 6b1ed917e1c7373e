// The grant matrix: every function's IAM permissions (function × action × resource × condition), read from
// the synthesized template, printed to the test log and written to docs/grant-matrix.md. The test fails on
// any grant broader than the function's catalogue entry: an action or resource the access does not name, a
// table action on key families it does not name, a wildcard, Scan or stream actions.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { keyFamilies } from '#adapters/key-families';
import {
  functions as catalogueFunctions,
  type FunctionDefinition,
  type TableAction,
  tableActionIam,
} from '#infra/catalogue';
import type { ParcelCareStack } from '#infra/stack/parcel-care-stack';
import { projectRoot } from '#infra/stack/parcel-care-stack';
import { buildTestApp } from './synth-app.ts';
import {
  actionsOf,
  logicalIdOf,
  type PolicyStatement,
  resourcesOf,
  roleStatements,
} from './template-lookup.ts';

/** One line of the matrix: a function may do `action` on `resource` (when `condition` holds). */
interface Grant {
  fn: string;
  action: string;
  resource: string;
  condition: string;
}

const noBundling = { 'aws:cdk:bundling-stacks': [] };
const matrixFile = path.join(projectRoot, 'docs', 'grant-matrix.md');

let stack: ParcelCareStack;
let template: Template;
let labels: Map<string, string>;

beforeAll(() => {
  ({ stack } = buildTestApp({ nag: false, context: noBundling }));
  template = Template.fromStack(stack);
  labels = new Map<string, string>([
    [logicalIdOf(stack.state.table), 'table'],
    [logicalIdOf(stack.state.key), 'data-key'],
    [logicalIdOf(stack.state.hmacSecret), 'hmac-secret'],
    [logicalIdOf(stack.state.emailConfigurationSet), 'ses-configuration-set'],
  ]);
  for (const [name, { queue, deadLetterQueue }] of stack.state.queues) {
    labels.set(logicalIdOf(queue), `queue/${name}`);
    labels.set(logicalIdOf(deadLetterQueue), `dlq/${name}`);
  }
  for (const [name, failures] of stack.state.streamFailureQueues) {
    labels.set(logicalIdOf(failures), `on-failure-queue/${name}`);
  }
  for (const deployed of stack.service.functions) {
    labels.set(logicalIdOf(deployed.logGroup), `log-group/${deployed.definition.name}`);
  }
});

const pseudo: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': '{Region}',
  'AWS::AccountId': '{Account}',
};

/** A resource as readable text: references by what they are (`table`, `queue/intake`), joins joined. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if (typeof node.Ref === 'string') return pseudo[node.Ref] ?? `<${labels.get(node.Ref) ?? node.Ref}>`;
  if (Array.isArray(node['Fn::GetAtt'])) {
    const [id, attribute] = node['Fn::GetAtt'] as [string, string];
    const label = labels.get(id) ?? id;
    return attribute === 'Arn' ? `<${label}>` : `<${label}.${attribute}>`;
  }
  if (Array.isArray(node['Fn::Join'])) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(separator);
  }
  return JSON.stringify(value);
}

function renderCondition(statement: PolicyStatement): string {
  if (!statement.Condition) return '';
  return Object.entries(statement.Condition as Record<string, Record<string, unknown>>)
    .flatMap(([operator, keys]) =>
      Object.entries(keys).map(
        ([key, values]) => `${operator} ${key} ${[values].flat().map(render).sort().join(' ')}`,
      ),
    )
    .join('; ');
}

function grantsOf(fn: FunctionDefinition): Grant[] {
  const deployed = stack.service.functions.find((candidate) => candidate.definition.name === fn.name);
  if (!deployed) throw new Error(`${fn.name} is not deployed`);
  return roleStatements(template, deployed.role).flatMap((statement) =>
    actionsOf(statement).flatMap((action) =>
      resourcesOf(statement).map((resource) => ({
        fn: fn.name,
        action,
        resource: render(resource),
        condition: renderCondition(statement),
      })),
    ),
  );
}

const leadingKeys = (families: readonly string[]) =>
  `ForAllValues:StringLike dynamodb:LeadingKeys ${families
    .map((family) => `${keyFamilies[family as keyof typeof keyFamilies]}*`)
    .sort()
    .join(' ')}`;

/** The table grants an entry's access asks for, computed from the catalogue alone. */
function expectedTableGrants(fn: FunctionDefinition): Grant[] {
  const grants: Grant[] = [];
  const byAction = Object.entries(fn.access.table ?? {}) as Array<[TableAction, readonly string[]]>;
  for (const [action, names] of byAction) {
    for (const name of action === 'queryIndex' ? names : names.length > 0 ? [names] : []) {
      grants.push(
        action === 'queryIndex'
          ? { fn: fn.name, action: 'dynamodb:Query', resource: `<table>/index/${name}`, condition: '' }
          : {
              fn: fn.name,
              action: tableActionIam[action],
              resource: '<table>',
              condition: leadingKeys(name as readonly string[]),
            },
      );
    }
  }
  return grants;
}

/** The table stream's actions, which only an event source needs (the function never calls them). */
const isStreamGrant = (grant: Grant) =>
  /^dynamodb:(GetRecords|GetShardIterator|DescribeStream|ListStreams)$/.test(grant.action);

const key = (grant: Grant) => `${grant.fn} | ${grant.action} | ${grant.resource} | ${grant.condition}`;

/** Everything besides the table an entry's access (and its trigger) may be granted: action → resources. */
function otherAllowed(fn: FunctionDefinition): Map<string, Set<string>> {
  const allowed = new Map<string, Set<string>>();
  const allow = (resource: string, ...actions: string[]) => {
    for (const action of actions) allowed.set(action, (allowed.get(action) ?? new Set()).add(resource));
  };
  allow(`<log-group/${fn.name}>`, 'logs:CreateLogStream', 'logs:PutLogEvents');
  // X-Ray's two actions take no resource but `*` (active tracing on every function).
  allow('*', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords');
  const { access } = fn;
  const tableActions = Object.values(access.table ?? {}).some((names) => names.length > 0);
  const tableWrites = ['put', 'update', 'delete', 'batchWrite'].some(
    (action) => (access.table?.[action as TableAction]?.length ?? 0) > 0,
  );
  const sends = (access.sendTo?.length ?? 0) > 0;
  const consumes = fn.trigger.kind === 'queue';
  if (tableActions || sends || access.hmacKey || consumes) allow('<data-key>', 'kms:Decrypt');
  if (tableActions) allow('<data-key>', 'kms:DescribeKey');
  if (tableWrites) {
    allow(
      '<data-key>',
      'kms:Encrypt',
      'kms:ReEncryptFrom',
      'kms:ReEncryptTo',
      'kms:GenerateDataKeyWithoutPlaintext',
    );
  }
  if (tableWrites || sends) allow('<data-key>', 'kms:GenerateDataKey');
  for (const queue of access.sendTo ?? []) allow(`<queue/${queue}>`, 'sqs:SendMessage');
  if (fn.trigger.kind === 'queue') {
    allow(
      `<queue/${fn.trigger.queue}>`,
      'sqs:ReceiveMessage',
      'sqs:ChangeMessageVisibility',
      'sqs:GetQueueUrl',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
    );
  }
  // A table-stream trigger: Lambda reads the table's stream and sends the batches it gives up on to the
  // trigger's on-failure queue, both with the function's role; ListStreams takes no resource but `*`.
  if (fn.trigger.kind === 'tableStream') {
    allow('<table.StreamArn>', 'dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator');
    allow('*', 'dynamodb:ListStreams');
    allow(`<on-failure-queue/${fn.trigger.onFailure}>`, 'sqs:SendMessage');
    allow('<data-key>', 'kms:Decrypt', 'kms:GenerateDataKey');
  }
  if (access.hmacKey)
    allow('<hmac-secret>', 'secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret');
  if (access.sendEmail) {
    for (const identity of ['noreply@example.com', 'example.com']) {
      allow(`arn:aws:ses:{Region}:{Account}:identity/${identity}`, 'ses:SendEmail');
    }
    allow('arn:aws:ses:{Region}:{Account}:configuration-set/<ses-configuration-set>', 'ses:SendEmail');
  }
  // The attachments bucket, only under `cases/`: read (download links), or also store, list and delete.
  if (access.attachmentFiles) {
    const files = '<StateBucketsAttachments552F0F13>';
    allow(`${files}/cases/*`, 's3:GetObject');
    if (access.attachmentFiles === 'readWrite') {
      allow(`${files}/cases/*`, 's3:PutObject', 's3:DeleteObject');
      allow(files, 's3:ListBucket');
    }
  }
  // Raw inbound mail, where the SES receipt rule stored it.
  if (access.readInboundMail) allow('<StateInboundMailBucket6F305788>/inbound/*', 's3:GetObject');
  // The service policy document: one AppConfig profile in one environment, read through sessions.
  if (access.policy) {
    allow(
      'arn:aws:appconfig:{Region}:{Account}:application/<StateServicePolicyApplication04DB8A3C>/environment/<StateServicePolicyEnvironment066C7E8C>/configuration/<StateServicePolicyConfigurationProfile6D96E496>',
      'appconfig:StartConfigurationSession',
      'appconfig:GetLatestConfiguration',
    );
  }
  // Authorised against identity, configuration set and opt-out list together: this account and region.
  if (access.sendSms) allow('arn:aws:sms-voice:{Region}:{Account}:*', 'sms-voice:SendTextMessage');
  return allowed;
}

function markdown(grants: readonly Grant[]): string {
  const rows = grants.map(
    (grant) =>
      `| ${grant.fn} | \`${grant.action}\` | \`${grant.resource}\` | ${grant.condition ? `\`${grant.condition}\`` : ''} |`,
  );
  return [
    '# Grant matrix',
    '',
    'Every IAM permission of every function role, read from the synthesized template by',
    '`test/infra/grant-matrix.test.ts` (which writes this file on each run and fails on any grant broader',
    'than the function’s entry in `infra/catalogue.ts`). `<table>` is the case table, `<data-key>` the one',
    'customer-managed KMS key; `dynamodb:LeadingKeys` holds a table action to the key families',
    '(`shared/adapters/key-families.ts`) it names.',
    '',
    '| function | action | resource | condition |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

describe('the grant matrix', () => {
  let all: Grant[];
  beforeAll(() => {
    all = catalogueFunctions.flatMap(grantsOf).sort((a, b) => key(a).localeCompare(key(b)));
    const text = markdown(all);
    writeFileSync(matrixFile, text);
    console.log(text);
  });

  it.each(catalogueFunctions.map((fn) => [fn.name, fn] as const))(
    '%s has exactly the table actions, key families and indexes its catalogue entry names',
    (_, fn) => {
      const actual = all.filter(
        (grant) => grant.fn === fn.name && grant.action.startsWith('dynamodb:') && !isStreamGrant(grant),
      );
      expect(actual.map(key).sort()).toEqual(expectedTableGrants(fn).map(key).sort());
    },
  );

  it.each(catalogueFunctions.map((fn) => [fn.name, fn] as const))(
    '%s has nothing else but what its access and trigger name',
    (_, fn) => {
      const allowed = otherAllowed(fn);
      const broader = all.filter(
        (grant) =>
          grant.fn === fn.name &&
          (!grant.action.startsWith('dynamodb:') || isStreamGrant(grant)) &&
          !allowed.get(grant.action)?.has(grant.resource),
      );
      expect(broader.map(key)).toEqual([]);
    },
  );

  it('has no wildcard action, no `*` resource (but X-Ray’s and a stream consumer’s ListStreams), no Scan or PartiQL, and stream actions only for a table-stream trigger', () => {
    const streamConsumers = new Set(
      catalogueFunctions.filter((fn) => fn.trigger.kind === 'tableStream').map((fn) => fn.name),
    );
    const forbidden = all.filter(
      (grant) =>
        grant.action.includes('*') ||
        (grant.resource === '*' &&
          !grant.action.startsWith('xray:') &&
          !(grant.action === 'dynamodb:ListStreams' && streamConsumers.has(grant.fn))) ||
        /^dynamodb:(Scan|PartiQL)/.test(grant.action) ||
        (isStreamGrant(grant) && !streamConsumers.has(grant.fn)),
    );
    expect(forbidden.map(key)).toEqual([]);
    // The stream reads are on the case table's stream alone.
    const reads = all.filter((grant) => isStreamGrant(grant) && grant.action !== 'dynamodb:ListStreams');
    expect(reads.length).toBeGreaterThan(0);
    for (const grant of reads) expect(grant.resource).toBe('<table.StreamArn>');
  });

  it('gives Health no table access and nothing but its logs and traces', () => {
    expect(
      all
        .filter((grant) => grant.fn === 'Health')
        .map((grant) => grant.action)
        .sort(),
    ).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  it.each([
    ['NotificationConsumer', 'ses:SendEmail', 'sms-voice:SendTextMessage', 'smsNotifications'],
    ['SmsNotificationConsumer', 'sms-voice:SendTextMessage', 'ses:SendEmail', 'notifications'],
  ])(
    'lets %s send on its own channel only, and queue to the other channel’s queue',
    (fn, own, other, queue) => {
      const actions = new Set(all.filter((grant) => grant.fn === fn).map((grant) => grant.action));
      expect(actions.has(own)).toBe(true);
      expect(actions.has(other)).toBe(false);
      // A notification of the other channel that reaches it is queued there, unclaimed.
      const sends = all.filter((grant) => grant.fn === fn && grant.action === 'sqs:SendMessage');
      expect(sends.map((grant) => grant.resource)).toEqual([`<queue/${queue}>`]);
    },
  );

  it('lets only the functions that hash contacts or derive tokens read the HMAC secret', () => {
    const readers = [
      ...new Set(
        all.filter((grant) => grant.action === 'secretsmanager:GetSecretValue').map((grant) => grant.fn),
      ),
    ].sort();
    // SetCustomerTier hashes the email or phone a manager names, to find the customer's directory entry;
    // the inbound consumers hash the sender (suppression, limits, cases) and check signed reply addresses.
    // DeclareIncident hashes the contacts of customers without a case (the proactive notice's owner id).
    // Both notification consumers hash the recipient (suppression list, recipient limits).
    expect(readers).toEqual([
      'DeclareIncident',
      'EmailEventsConsumer',
      'InboundEmailConsumer',
      'InboundSmsConsumer',
      'NotificationConsumer',
      'SetCustomerTier',
      'SmsNotificationConsumer',
      'SubmitCase',
    ]);
  });
});
