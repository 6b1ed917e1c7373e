// The one catalogue of functions and queues. The CDK stack deploys exactly this and the sandbox
// runs exactly this. An HTTP function reads its method, path and auth from its route's contract
// (events/customer-api.ts, events/agent-api.ts); queues and jobs are declared in shared/work-queues.ts.

import { type CaseTableIndexName, expectedPeak } from '#adapters/case-table';
import type { KeyFamily } from '#adapters/key-families';
import { agentRoutes } from '#events/agent-api';
import { customerRoutes } from '#events/customer-api';
import { type HttpMethod, type RouteContract, routeKeyOf } from '#events/route-contract';
import { type JobName, type QueueName, queueNamed } from '#shared/work-queues';

/** The HTTP API stage's default throttling: the stack sets it, the sandbox's gateway enforces it too. */
export const apiThrottle = { rateLimit: 100, burstLimit: 500 } as const;

/**
 * The send rates the notification consumers are sized to, per second. SES gives a new account with
 * production access 14 emails/s; End User Messaging SMS allows what the origination identity allows
 * (its MPS). Deployments set their own (context `sesSendRatePerSecond`, `smsSendRatePerSecond`).
 */
export interface SendRates {
  emailPerSecond: number;
  smsPerSecond: number;
}
export const defaultSendRates: SendRates = { emailPerSecond: 14, smsPerSecond: 10 };

/** Lambda's floor and ceiling for an SQS event source's maximum concurrency. */
const queueConcurrencyRange = { minimum: 2, maximum: 1000 } as const;
/** The largest batch SQS returns to one receive, so the largest an event source without a window takes. */
const largestBatch = 10;
/**
 * One invocation handles its batch's records in parallel (Powertools' batch processor), a batch in about
 * this long in AWS: a delivery (claim, suppression check, provider call, mark sent), or a classification.
 */
export const batchSecondsEstimate = 0.5;
/**
 * Intake's maximum concurrency takes the expected peak (`expectedPeak`, the load the key design's shard
 * counts are sized for) at half of it: room for slower invocations (a retried write, a cold start) and
 * growth, as each shard keeps half of a partition's limit.
 */
const intakePeakShare = 0.5;

const withinConcurrencyRange = (value: number) =>
  Math.min(queueConcurrencyRange.maximum, Math.max(queueConcurrencyRange.minimum, value));

/** Messages a second one concurrent invocation of a queue trigger handles, at full batches. */
export const messagesPerExecutionSecond = (batchSize: number) => batchSize / batchSecondsEstimate;

/**
 * A sending consumer's batch and maximum concurrency within one send rate: the batch shrinks below 10
 * when even Lambda's floor of 2 invocations of full batches would outrun the rate, and the concurrency is
 * as many invocations as the rate keeps busy. A rate under 4/s still gets 2 invocations of 1 (Lambda's
 * floor): the SDK retries throttled sends and the record backs off, so the surplus waits, nothing is lost.
 */
export function sendingSizing(ratePerSecond: number, largest = largestBatch): QueueSizing {
  const batchSize = Math.min(
    largest,
    Math.max(1, Math.floor((ratePerSecond * batchSecondsEstimate) / queueConcurrencyRange.minimum)),
  );
  return {
    batchSize,
    maxConcurrency: withinConcurrencyRange(Math.floor(ratePerSecond / messagesPerExecutionSecond(batchSize))),
  };
}

/** Intake's maximum concurrency: the expected peak's cases a second, at full batches, at `intakePeakShare`. */
export function intakeConcurrency(
  batchSize: number,
  casesPerSecond: number = expectedPeak.casesPerSecond,
): number {
  return withinConcurrencyRange(
    Math.ceil(casesPerSecond / messagesPerExecutionSecond(batchSize) / intakePeakShare),
  );
}

/** What a queue trigger's batch and maximum concurrency are: fixed, or derived (see `queueSizing`). */
export type QueueConcurrency = number | 'expectedPeak' | 'emailRate' | 'smsRate';

export interface QueueSizing {
  batchSize: number;
  maxConcurrency: number;
}

export type FunctionTrigger =
  | { kind: 'http'; method: HttpMethod; path: string; auth: 'none' | 'jwt' }
  | {
      kind: 'queue';
      queue: QueueName;
      /** The batch (a sending consumer's largest: its rate may make it smaller, see `sendingSizing`). */
      batchSize: number;
      /** 0: a batch goes to the function as soon as a receive returns it (no waiting to fill it). */
      maxBatchingWindowSeconds: number;
      /**
       * Concurrent invocations the event source may run: a number; `expectedPeak`, sized to the load the
       * key design is sized for (`intakeConcurrency`); or `emailRate`/`smsRate`, sized with the batch to
       * the deployment's send rate (`sendingSizing`).
       */
      maxConcurrency: QueueConcurrency;
    }
  | { kind: 'schedule'; job: JobName; everyMinutes: number }
  | {
      /**
       * The case table's stream (`caseTable.stream`): Lambda's DynamoDB event source in the stack, a
       * poller of DynamoDB Local's stream in the sandbox. Both deliver only the records `filterPattern`
       * matches (Lambda event filtering: records filtered out are not billed), in batches of at most
       * `batchSize`, waiting up to `maxBatchingWindowSeconds` to fill one. A batch whose handler reports
       * failed records (partial batch response) is retried from the first of them, bisected on error, at
       * most `retryAttempts` times; then the batch's description goes to the `onFailure` queue.
       */
      kind: 'tableStream';
      filterPattern: Record<string, unknown>;
      batchSize: number;
      maxBatchingWindowSeconds: number;
      retryAttempts: number;
      /** Records older than this are not delivered again but reported to `onFailure`. */
      maxRecordAgeSeconds: number;
      /**
       * Lambda's tumbling window, used only because an event under a window names its shard (`shardId`),
       * the lane in which the report counters keep their place (shared/adapters/report-counters.ts). The
       * function carries no state across a window; each window ends with one invocation that may hold no
       * records. Lambda's longest window, so those invocations are fewest.
       */
      tumblingWindowSeconds: number;
      /** The on-failure destination: a queue of its own, with no consumer, that operators read. */
      onFailure: 'caseChangeFailures';
    };

/**
 * A queue trigger's batch and maximum concurrency, for the send rates of the deployment: the stack deploys
 * these; the sandbox runs them with the default rates (capping what it really runs, see lambda-runtime.ts).
 */
export function queueSizing(
  trigger: Extract<FunctionTrigger, { kind: 'queue' }>,
  rates: SendRates = defaultSendRates,
): QueueSizing {
  switch (trigger.maxConcurrency) {
    case 'emailRate':
      return sendingSizing(rates.emailPerSecond, trigger.batchSize);
    case 'smsRate':
      return sendingSizing(rates.smsPerSecond, trigger.batchSize);
    case 'expectedPeak':
      return { batchSize: trigger.batchSize, maxConcurrency: intakeConcurrency(trigger.batchSize) };
    default:
      return { batchSize: trigger.batchSize, maxConcurrency: trigger.maxConcurrency };
  }
}

/**
 * What a function does with the case table (DynamoDB), action by action, each limited to the key families
 * it names (shared/adapters/key-families.ts): the stack grants each action on the table with a
 * `dynamodb:LeadingKeys` condition on those families' prefixes, so a function that may update `limit`
 * items can update no case. Index queries name their index. Nothing grants Scan or PartiQL; the stream is
 * read only by a `tableStream` trigger's event source (with the function's role).
 * IAM authorises each item of a transaction by its own action (PutItem, UpdateItem, …), so a function that
 * writes in TransactWriteItems names `put`/`update` for the families of the transaction's items.
 */
export interface TableAccess {
  /** GetItem. */
  get?: readonly KeyFamily[];
  /** BatchGetItem. */
  batchGet?: readonly KeyFamily[];
  /** Query within one partition of these families (the table's own key). */
  query?: readonly KeyFamily[];
  /** Query of these global secondary indexes (IAM cannot limit an index's keys, so: the whole index). */
  queryIndex?: readonly CaseTableIndexName[];
  /** PutItem, alone or as an item of a transaction; conditional or not (IAM cannot tell). */
  put?: readonly KeyFamily[];
  /** UpdateItem, alone or as an item of a transaction. */
  update?: readonly KeyFamily[];
  /** DeleteItem, alone or as an item of a transaction. */
  delete?: readonly KeyFamily[];
  /** BatchWriteItem (puts and deletes of up to 25 items). */
  batchWrite?: readonly KeyFamily[];
  /** ConditionCheckItem: a transaction's condition on an item it does not write. */
  conditionCheck?: readonly KeyFamily[];
}

export type TableAction = keyof TableAccess;

/** The IAM action behind each table action. */
export const tableActionIam = {
  get: 'dynamodb:GetItem',
  batchGet: 'dynamodb:BatchGetItem',
  query: 'dynamodb:Query',
  queryIndex: 'dynamodb:Query',
  put: 'dynamodb:PutItem',
  update: 'dynamodb:UpdateItem',
  delete: 'dynamodb:DeleteItem',
  batchWrite: 'dynamodb:BatchWriteItem',
  conditionCheck: 'dynamodb:ConditionCheckItem',
} as const satisfies Record<TableAction, string>;

/** Several uses of the table as one access: each action's families (or indexes) united. */
export function tableAccess(...uses: readonly TableAccess[]): TableAccess {
  const united: Record<string, Set<string>> = {};
  for (const use of uses) {
    for (const [action, names] of Object.entries(use) as Array<[TableAction, readonly string[]]>) {
      united[action] ??= new Set();
      for (const name of names) united[action].add(name);
    }
  }
  return Object.fromEntries(
    Object.entries(united).map(([action, names]) => [action, [...names].sort()]),
  ) as TableAccess;
}

/**
 * What the use cases do with the table, named once so a catalogue entry reads as what its function does.
 * Each says which port methods it stands for; test/infra/grant-matrix.test.ts prints what they grant.
 */
export const tableUses = {
  /**
   * cases.getCase: GetItem, or one BatchGetItem with the other single reads made at once (the table
   * client's `get`: a delivery's case and suppression, a batch's records read together).
   */
  readsCase: { get: ['case'], batchGet: ['case'] },
  /** contacts.getSuppression: read as cases.getCase is, alone or with other reads made at once. */
  readsSuppression: { get: ['suppression'], batchGet: ['suppression'] },
  /** cases.getCaseWithTimeline: the case, its timeline and notifications, one partition. */
  readsWholeCase: { query: ['case'] },
  /**
   * changeCase (every staff and customer action): cases.getCase, then cases.saveCase: the case put alone
   * (conditional on its version, carrying the change), then its new timeline entries and outbox
   * notifications put; an anonymising change is then removed from the case item (update). The report
   * counters are the stream's (completesCaseChanges).
   */
  changesCases: { get: ['case'], batchGet: ['case'], put: ['case'], update: ['case'] },
  /**
   * cases.completeChange and reports.countChanges (the table stream's CaseChangeCompleter): which of a
   * change's items exist (batchGet) and the case (get); the missing ones put, each in a transaction with
   * a condition on the case (a creation's contact index entries among them); an anonymising change
   * removed from the case item; a notification its writer queued but nobody claimed yet put in the outbox
   * index (an update under the case); and for a batch, one conditional update of its lane's day counters
   * per day, and after a refused one (a batch delivered again) a read of the lane's mark there.
   */
  completesCaseChanges: {
    get: ['case', 'report'],
    batchGet: ['case', 'contact', 'report'],
    put: ['case', 'contact'],
    update: ['case', 'report'],
    conditionCheck: ['case'],
  },
  /** cases.addTimelineEntry: one conditional put under the case. */
  notesOnTimeline: { put: ['case'] },
  /** rateLimits.take (requireWithinLimits, takeLimits): the conditional ADD on a limit's window. */
  countsLimits: { update: ['limit'] },
  /** caseIndex.listCasesByUrgency. */
  listsCases: { queryIndex: ['byTeamStatus'] },
  /** contacts.suppressContact. */
  suppressesContacts: { put: ['suppression'] },
  /**
   * retention.loadCaseRecord, maskCaseItems, forgetContacts and deleteCase: the case's partition read,
   * its timeline and notifications rewritten, its contact index entries and (after five years) its items
   * deleted.
   */
  anonymisesCases: { query: ['case'], update: ['case'], batchWrite: ['case', 'contact'] },
  /** customers.tierOf: the directory's tier of each of the case's contact hashes. */
  readsTiers: { batchGet: ['customer'] },
  /**
   * submitCase (the route, and email or SMS that opens a case): the abuse limits, the customer's tier, an
   * idempotent replay (idempotency get, cases.getCase), the day's case number, then single puts: the
   * idempotency record, the case (carrying its creation), then its first timeline entry and its contact
   * index entries.
   */
  submitsCases: {
    update: ['limit', 'sequence'],
    batchGet: ['customer', 'case'],
    get: ['case', 'idempotency'],
    put: ['case', 'contact', 'idempotency'],
  },
  /**
   * incidents.getIncident and addRound (the next round of an incident, or its close): the incident item
   * and the round item, put together on condition of the round before. The pages are the fan-out's.
   */
  addsIncidentRounds: { get: ['incident'], put: ['incident'] },
  /**
   * incidents.* (incident-store.ts): the incident's partition (incident, rounds, pages, links, progress),
   * the waybill index items and the byWaybill index of cases, the outbox notices it puts under their
   * owners, and the "counted once" markers.
   */
  runsIncidents: {
    get: ['incident'],
    query: ['incident', 'waybill'],
    queryIndex: ['byWaybill'],
    batchGet: ['case'],
    put: ['incident', 'waybill', 'counted', 'case'],
    update: ['incident'],
    batchWrite: ['incident', 'waybill'],
  },
  /**
   * attachments.reserve, get, list, settle and deleteAll: the attachment items and their counter beside
   * the case (`CASE#`), the uploaded one's timeline entry in the same transaction.
   */
  keepsAttachments: {
    get: ['case'],
    batchGet: ['case'],
    query: ['case'],
    put: ['case'],
    update: ['case'],
    delete: ['case'],
  },
} as const satisfies Record<string, TableAccess>;

/**
 * What a function may touch. It drives the function's IAM grants and what its bundle may hold: each grant
 * has one port group (shared/adapters/wiring/) and one AWS client, and test/infra/bundles.test.ts fails if a
 * bundle carries a client its access does not name (or lacks one it does).
 */
export interface FunctionAccess {
  /** The case table (DynamoDB): which actions, on which key families and indexes. */
  table?: TableAccess;
  /**
   * Reads the HMAC key (Secrets Manager): only functions that use the keyring port, to hash contacts
   * (keyring.hashContact) or derive case tokens (keyring.caseToken).
   */
  hmacKey?: boolean;
  /** Queues this function sends to (SQS). */
  sendTo?: readonly QueueName[];
  /** SESv2. */
  sendEmail?: boolean;
  /** End User Messaging SMS. */
  sendSms?: boolean;
  /** Reads the service policy (AppConfig): SLA targets, delivery times, compensation, windows, calendar. */
  policy?: boolean;
  /** Reads raw inbound mail where SES receiving stored it (S3). */
  readInboundMail?: boolean;
  /** The attachments bucket (S3): read files (download links), or also store and delete them. */
  attachmentFiles?: 'read' | 'readWrite';
  /**
   * Reaches those files only through links it signs for the browser, never with the S3 client: presigned
   * GETs (`download`, which need `attachmentFiles` to read) or POSTs (`upload`, which need it to write), which
   * S3 honours under this function's role. Its bundle carries the signer (the attachmentSigner group) and no
   * S3 client.
   */
  attachmentLinks?: 'download' | 'upload';
}

export interface FunctionDefinition {
  /** PascalCase; the construct id and the base of the deployed function name. */
  name: string;
  description: string;
  /** Handler module, from the project root; it exports `handler`. */
  entry: string;
  trigger: FunctionTrigger;
  memoryMb: number;
  timeoutSeconds: number;
  access: FunctionAccess;
  /** Reserved concurrency: at most this many run at once (the sweep: one). */
  reservedConcurrency?: number;
}

/** An HTTP function's trigger and description come from its route's contract. */
function httpFunction(
  route: RouteContract,
  fn: Omit<FunctionDefinition, 'trigger' | 'description'> & { description?: string },
): FunctionDefinition {
  return {
    ...fn,
    description: `${routeKeyOf(route)}: ${fn.description ?? route.summary}`,
    trigger: {
      kind: 'http',
      method: route.method,
      path: route.path,
      auth: route.auth === 'jwt' ? 'jwt' : 'none',
    },
  };
}

/**
 * Where outbox notifications are queued: one queue per channel (emails on `notifications`, SMS on
 * `smsNotifications`), each with a consumer sized to its own send rate. Whoever queues notifications
 * sends to both (`channelRoutedPublisher` picks the queue from the notification's channel).
 */
const notificationQueues = ['notifications', 'smsNotifications'] as const satisfies readonly QueueName[];

/**
 * What both notification consumers share: one delivery path (`deliverAndCountNotification`) whatever the
 * channel, since an email and an SMS share the outbox item's claim, the suppression list and the recipient
 * limits. Each may send on its own channel only (`deliversNotificationsBy`).
 */
const deliversNotifications: FunctionAccess = {
  policy: true,
  // outbox.getNotification / claim / release / complete (the notification item under its case),
  // cases.getCase, the suppression list, the survey slot (reserve, release) and the recipient limits.
  table: tableAccess(
    tableUses.readsCase,
    tableUses.readsSuppression,
    tableUses.countsLimits,
    tableUses.suppressesContacts,
    {
      update: ['case', 'incident'],
      put: ['surveyed', 'counted'],
      delete: ['surveyed'],
    },
  ),
  // Hashes the recipient for the suppression list and limits, derives the token for the case link.
  hmacKey: true,
};

/**
 * A notification consumer's access: the shared delivery, its own channel's send permission and no other,
 * and the other channel's queue, where it hands a notification of that channel that reached it (misrouted,
 * or redriven by hand) unclaimed, rather than failing on a send it may not make.
 */
function deliversNotificationsBy(channel: 'email' | 'sms'): FunctionAccess {
  return channel === 'email'
    ? { ...deliversNotifications, sendEmail: true, sendTo: ['smsNotifications'] }
    : { ...deliversNotifications, sendSms: true, sendTo: ['notifications'] };
}

export const functions: readonly FunctionDefinition[] = [
  httpFunction(customerRoutes.health, {
    name: 'Health',
    entry: 'functions/http/health.ts',
    memoryMb: 256,
    timeoutSeconds: 5,
    access: {},
  }),
  httpFunction(customerRoutes.submitCase, {
    name: 'SubmitCase',
    description: 'register a case and queue it for intake',
    entry: 'functions/http/submit-case.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: {
      policy: true,
      // Abuse limit, idempotent replay (idempotency.get…, cases.getCase), case number, then one transaction:
      // the case, its first timeline entry, its contact index entries and the idempotency record.
      table: tableUses.submitsCases,
      // Hashes the contacts, derives the case token (also for a replay).
      hmacKey: true,
      sendTo: ['intake'],
    },
  }),
  httpFunction(customerRoutes.getCase, {
    name: 'GetCustomerCase',
    description: 'the customer view of a case, with the case token',
    entry: 'functions/http/get-customer-case.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: tableUses.readsWholeCase },
  }),
  httpFunction(customerRoutes.addMessage, {
    name: 'AddCustomerMessage',
    description: 'the customer adds information; a waiting case resumes',
    entry: 'functions/http/add-customer-message.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: tableAccess(tableUses.countsLimits, tableUses.changesCases) },
  }),
  httpFunction(customerRoutes.giveFeedback, {
    name: 'GiveFeedback',
    description: 'the survey answer, once per resolved or closed case',
    entry: 'functions/http/give-feedback.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: tableUses.changesCases },
  }),
  httpFunction(customerRoutes.appeal, {
    name: 'AppealCase',
    description: 'back to a supervisor with a new deadline',
    entry: 'functions/http/appeal-case.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: tableUses.changesCases, policy: true },
  }),
  httpFunction(agentRoutes.listCases, {
    name: 'ListAgentCases',
    description: 'a page of cases, most urgent first, from the status indexes',
    entry: 'functions/http/list-agent-cases.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: tableUses.listsCases },
  }),
  httpFunction(agentRoutes.getCase, {
    name: 'GetAgentCase',
    description: 'the whole case and its audit trail; records contact reads',
    entry: 'functions/http/get-agent-case.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: {
      table: tableAccess(tableUses.readsWholeCase, tableUses.notesOnTimeline),
      attachmentFiles: 'read',
      attachmentLinks: 'download',
    },
  }),
  httpFunction(agentRoutes.assign, {
    name: 'AssignCase',
    description: 'take or hand over a case',
    entry: 'functions/http/assign-case.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: tableUses.changesCases, policy: true },
  }),
  httpFunction(agentRoutes.reply, {
    name: 'ReplyToCase',
    description: 'a public reply to the customer, or an internal note',
    entry: 'functions/http/reply-to-case.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: tableUses.changesCases, sendTo: notificationQueues },
  }),
  httpFunction(agentRoutes.plan, {
    name: 'RecordPlan',
    description: 'the handling plan, with any compensation',
    entry: 'functions/http/record-plan.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: tableUses.changesCases, sendTo: notificationQueues, policy: true },
  }),
  httpFunction(agentRoutes.status, {
    name: 'ChangeCaseStatus',
    description: 'wait for the customer, or work on again',
    entry: 'functions/http/change-case-status.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: tableUses.changesCases },
  }),
  httpFunction(agentRoutes.escalate, {
    name: 'EscalateCase',
    description: 'one level up',
    entry: 'functions/http/escalate-case.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: tableUses.changesCases },
  }),
  httpFunction(agentRoutes.resolve, {
    name: 'ResolveCase',
    description: 'the result to the customer; schedules the survey',
    entry: 'functions/http/resolve-case.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: tableUses.changesCases, sendTo: notificationQueues, policy: true },
  }),
  httpFunction(agentRoutes.close, {
    name: 'CloseCase',
    description: 'a supervisor closes a resolved case',
    entry: 'functions/http/close-case.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: tableUses.changesCases },
  }),
  httpFunction(agentRoutes.correctCategory, {
    name: 'CorrectCategory',
    description: 'correct the category; the case is routed again',
    entry: 'functions/http/correct-category.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: tableUses.changesCases, policy: true },
  }),
  httpFunction(agentRoutes.reportSummary, {
    name: 'ReportSummary',
    description: 'counts, CSAT, NPS, medians and SLA compliance from daily counters',
    entry: 'functions/http/report-summary.ts',
    memoryMb: 512,
    // A long range reads many counters (days × report shards, 100 keys a request): up to API Gateway's
    // 30 s integration limit rather than 10 s.
    timeoutSeconds: 29,
    access: { table: { batchGet: ['report'] } },
  }),
  httpFunction(agentRoutes.parcelReturn, {
    name: 'ParcelReturn',
    description: 'record a return or re-send and start its clock, or record it done',
    entry: 'functions/http/parcel-return.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: tableUses.changesCases, policy: true },
  }),
  httpFunction(agentRoutes.problem, {
    name: 'CaseProblem',
    description: 'mark a technical or process problem; the resolution clock takes its target',
    entry: 'functions/http/case-problem.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: tableUses.changesCases, policy: true },
  }),
  httpFunction(agentRoutes.cause, {
    name: 'CaseCause',
    description: 'record force majeure as the cause, or withdraw it',
    entry: 'functions/http/case-cause.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: tableUses.changesCases, policy: true },
  }),
  httpFunction(agentRoutes.appealRedo, {
    name: 'AppealRedo',
    description: 'order an answered appeal redone within 5 days',
    entry: 'functions/http/appeal-redo.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: tableUses.changesCases, policy: true },
  }),
  httpFunction(agentRoutes.setCustomerTier, {
    name: 'SetCustomerTier',
    description: "set a customer's tier; their cases go to slaWork to be re-prioritised",
    entry: 'functions/http/set-customer-tier.ts',
    memoryMb: 512,
    // A customer's whole contact index is read and queued; under the HTTP API's 30 s limit.
    timeoutSeconds: 29,
    access: {
      // The directory's tier and its audit item (one transaction), the customer's cases by contact.
      table: tableAccess(tableUses.readsTiers, { put: ['customer'], query: ['contact'] }),
      hmacKey: true,
      sendTo: ['slaWork'],
    },
  }),
  {
    name: 'IntakeConsumer',
    description: 'Classifies, routes and starts the clocks of submitted cases; queues the acknowledgement',
    entry: 'functions/queue/intake-consumer.ts',
    // No batching window: every second spent filling a batch is a second before the case is classified.
    // As many at once as the expected peak needs twice over (`intakeConcurrency`: 115 for 1,150 cases/s);
    // the sandbox runs at most 5 (lambda-runtime.ts), since more only crowd DynamoDB Local's serial writes.
    trigger: {
      kind: 'queue',
      queue: 'intake',
      batchSize: 10,
      maxBatchingWindowSeconds: 0,
      maxConcurrency: 'expectedPeak',
    },
    memoryMb: 512,
    timeoutSeconds: queueNamed('intake').consumerTimeoutSeconds,
    access: {
      policy: true,
      // The case and same-waybill cases (cases.getCases), the contact's earlier cases, then changeCase.
      // …and the incidents of its waybill (a new case on one is linked: a link item in the incident).
      table: tableAccess(tableUses.changesCases, {
        batchGet: ['case'],
        query: ['contact', 'waybill'],
        get: ['incident'],
        put: ['incident'],
      }),
      sendTo: notificationQueues,
    },
  },
  {
    name: 'NotificationConsumer',
    description: 'Delivers outbox emails (SESv2), exactly once, within the SES send rate',
    entry: 'functions/queue/notification-consumer.ts',
    // Batch and concurrency from the SES rate (`sendingSizing`): 50 invocations of 10 at 1,000 emails/s.
    trigger: {
      kind: 'queue',
      queue: 'notifications',
      batchSize: 10,
      maxBatchingWindowSeconds: 0,
      maxConcurrency: 'emailRate',
    },
    memoryMb: 512,
    timeoutSeconds: queueNamed('notifications').consumerTimeoutSeconds,
    access: deliversNotificationsBy('email'),
  },
  {
    name: 'SmsNotificationConsumer',
    description: 'Delivers outbox SMS (End User Messaging), exactly once, within the SMS send rate',
    entry: 'functions/queue/sms-notification-consumer.ts',
    // Its own queue and sizing, so the slower SMS rate never holds back email (issue 15).
    trigger: {
      kind: 'queue',
      queue: 'smsNotifications',
      batchSize: 10,
      maxBatchingWindowSeconds: 0,
      maxConcurrency: 'smsRate',
    },
    memoryMb: 512,
    timeoutSeconds: queueNamed('smsNotifications').consumerTimeoutSeconds,
    access: deliversNotificationsBy('sms'),
  },
  {
    name: 'EmailEventsConsumer',
    description:
      'Suppresses addresses that bounced permanently or complained (SES via EventBridge) and notes it on the case',
    entry: 'functions/queue/email-events-consumer.ts',
    trigger: {
      kind: 'queue',
      queue: 'emailEvents',
      batchSize: 10,
      maxBatchingWindowSeconds: 1,
      maxConcurrency: 2,
    },
    memoryMb: 256,
    timeoutSeconds: queueNamed('emailEvents').consumerTimeoutSeconds,
    access: {
      table: tableAccess(tableUses.readsCase, tableUses.notesOnTimeline, tableUses.suppressesContacts),
      // Hashes the bounced or complaining address.
      hmacKey: true,
    },
  },
  {
    name: 'CaseChangeCompleter',
    description:
      'Completes a committed case change whose own writer stopped before completing it: its timeline ' +
      'entries, outbox notifications and report counters, from the change the case item carries (table stream)',
    entry: 'functions/stream/complete-case-changes.ts',
    trigger: {
      kind: 'tableStream',
      // Case items that carry a change (`chg`, written by cases.saveCase, and by cases.createCase on the
      // INSERT of a new case): nothing else on the table's stream reaches the function, or is billed.
      filterPattern: {
        eventName: ['INSERT', 'MODIFY'],
        dynamodb: { NewImage: { entity: { S: ['case'] }, chg: { S: [{ exists: true }] } } },
      },
      batchSize: 100,
      // The writer completes its own change within milliseconds of committing it; a few seconds' wait
      // lets it, so the completer mostly reads that it has nothing to do, and fills its batches.
      maxBatchingWindowSeconds: 5,
      retryAttempts: 10,
      maxRecordAgeSeconds: 6 * 3600,
      tumblingWindowSeconds: 900,
      onFailure: 'caseChangeFailures',
    },
    memoryMb: 256,
    timeoutSeconds: 60,
    access: {
      // cases.completeChange: which of a change's items exist, then the missing ones put as the writer
      // would have, and its notifications queued; reports.countChanges: the batch counted once.
      table: tableAccess(tableUses.completesCaseChanges),
      sendTo: notificationQueues,
    },
  },
  {
    name: 'SlaSweep',
    description:
      'Every minute: queues cases whose clocks reached 80 % or 100 % (sparse dueClocks index, no scan); ' +
      're-queues cases stuck in received and every outbox notification that came due (surveys after ' +
      'their delay, SMS held by quiet hours, sends lost after a commit)',
    entry: 'functions/schedule/sla-sweep.ts',
    trigger: { kind: 'schedule', job: 'sla-sweep', everyMinutes: 1 },
    memoryMb: 512,
    timeoutSeconds: 50,
    access: {
      // Due clocks, stuck intake (byTeamStatus) and due notifications are read from their indexes; a stuck case
      // counts its re-queues (intakeRequeues, an item under the case) and intake may give up on it (changeCase);
      // a notification queued at two runs is taken out of the outbox index (an update under its case).
      table: tableAccess(tableUses.changesCases, {
        queryIndex: ['dueClocks', 'byTeamStatus', 'pendingOutbox'],
        update: ['case'],
      }),
      sendTo: ['slaWork', 'intake', ...notificationQueues],
    },
    // One sweep at a time: a slow run never overlaps the next minute's.
    reservedConcurrency: 1,
  },
  {
    name: 'SlaWorkConsumer',
    description: 'Marks clocks at risk or breached, escalates, and queues reminders and breach notices, once',
    entry: 'functions/queue/sla-work-consumer.ts',
    trigger: {
      kind: 'queue',
      queue: 'slaWork',
      batchSize: 10,
      maxBatchingWindowSeconds: 1,
      maxConcurrency: 5,
    },
    memoryMb: 512,
    timeoutSeconds: queueNamed('slaWork').consumerTimeoutSeconds,
    access: {
      // enforceDeadlines (changeCase), or a tier change: the tiers held now, then changeCase.
      table: tableAccess(tableUses.changesCases, tableUses.readsTiers),
      sendTo: notificationQueues,
      policy: true,
    },
  },
  httpFunction(customerRoutes.eraseCustomerData, {
    name: 'EraseCustomerData',
    description: "anonymise every case of the token's customer; the last confirmation is queued first",
    entry: 'functions/http/erase-customer-data.ts',
    memoryMb: 512,
    timeoutSeconds: 29,
    access: {
      // The customer's cases by contact; each open one resolved (changeCase), then anonymised.
      table: tableAccess(
        tableUses.countsLimits,
        tableUses.changesCases,
        tableUses.anonymisesCases,
        tableUses.keepsAttachments,
        { query: ['contact'] },
      ),
      sendTo: notificationQueues,
      // The customer's photos and documents are deleted with the rest of their personal data.
      attachmentFiles: 'readWrite',
    },
  }),
  httpFunction(customerRoutes.exportCustomerData, {
    name: 'ExportCustomerData',
    description: "everything held about the token's customer; each case read goes on its audit trail",
    entry: 'functions/http/export-customer-data.ts',
    memoryMb: 512,
    timeoutSeconds: 29,
    access: {
      // The customer's cases by contact, each read whole, and the read on each case's audit trail.
      table: tableAccess(
        tableUses.countsLimits,
        tableUses.readsCase,
        tableUses.readsWholeCase,
        tableUses.notesOnTimeline,
        { query: ['contact'] },
      ),
    },
  }),
  {
    name: 'Retention',
    description:
      'Every 15 minutes: closes resolved cases left quiet for 7 days, anonymises cases closed a year ago and ' +
      'deletes those closed five years ago (sparse retentionDue index, no scan; bounded per run)',
    entry: 'functions/schedule/retention.ts',
    trigger: { kind: 'schedule', job: 'retention', everyMinutes: 15 },
    memoryMb: 512,
    timeoutSeconds: 300,
    // No reserved concurrency: a run ends (300 s) long before the next starts (15 min), and two runs that
    // did meet would only lose optimistic-lock races, since every step is decided again from the stored case.
    access: {
      // Due cases from the retentionDue index; close (changeCase), anonymise, or delete every item.
      table: tableAccess(tableUses.changesCases, tableUses.anonymisesCases, tableUses.keepsAttachments, {
        queryIndex: ['retentionDue'],
      }),
      policy: true,
      attachmentFiles: 'readWrite',
    },
  },
  httpFunction(customerRoutes.addAttachment, {
    name: 'AddAttachment',
    description: 'a presigned POST for one photo or PDF of the case',
    entry: 'functions/http/add-attachment.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: {
      table: tableAccess(tableUses.readsCase, tableUses.keepsAttachments),
      attachmentFiles: 'readWrite',
      attachmentLinks: 'upload',
    },
  }),
  {
    name: 'AttachmentUploadConsumer',
    description: 'Checks each stored attachment (real size, type by its bytes) and lists it, or rejects it',
    entry: 'functions/queue/attachment-upload-consumer.ts',
    trigger: {
      kind: 'queue',
      queue: 'attachmentUploads',
      batchSize: 10,
      maxBatchingWindowSeconds: 0,
      maxConcurrency: 2,
    },
    memoryMb: 512,
    timeoutSeconds: queueNamed('attachmentUploads').consumerTimeoutSeconds,
    access: {
      table: tableAccess(tableUses.readsCase, tableUses.keepsAttachments),
      attachmentFiles: 'readWrite',
    },
  },
  {
    name: 'InboundEmailConsumer',
    description:
      'Mail to the service address: a new message opens a case, a reply joins its case; auto-replies, ' +
      'bounces, spam and suppressed senders open nothing',
    entry: 'functions/queue/inbound-email-consumer.ts',
    trigger: {
      kind: 'queue',
      queue: 'inboundEmail',
      batchSize: 5,
      maxBatchingWindowSeconds: 1,
      maxConcurrency: 2,
    },
    // MIME parsing of a message with attachments wants more memory (and the CPU that comes with it).
    memoryMb: 1024,
    timeoutSeconds: queueNamed('inboundEmail').consumerTimeoutSeconds,
    access: {
      // A new message: submitCase; a reply: the suppression list, the sender's limits, changeCase; files:
      // the attachment items.
      table: tableAccess(
        tableUses.submitsCases,
        tableUses.changesCases,
        tableUses.keepsAttachments,
        tableUses.readsSuppression,
      ),
      hmacKey: true,
      // submitCase reads the policy in force (clock targets, delivery times).
      policy: true,
      sendTo: ['intake', ...notificationQueues],
      readInboundMail: true,
      attachmentFiles: 'readWrite',
    },
  },
  {
    name: 'InboundSmsConsumer',
    description:
      'Texts to the carrier number: opt-out words suppress the phone; a phone with an open case adds to it, another opens an inquiry',
    entry: 'functions/queue/inbound-sms-consumer.ts',
    trigger: {
      kind: 'queue',
      queue: 'inboundSms',
      batchSize: 10,
      maxBatchingWindowSeconds: 1,
      maxConcurrency: 2,
    },
    memoryMb: 512,
    timeoutSeconds: queueNamed('inboundSms').consumerTimeoutSeconds,
    access: {
      // Opt-out words: the suppression list; else the phone's open cases by contact (then changeCase), or
      // submitCase for an unknown phone.
      table: tableAccess(
        tableUses.submitsCases,
        tableUses.changesCases,
        tableUses.suppressesContacts,
        tableUses.readsSuppression,
        {
          query: ['contact'],
          batchGet: ['case'],
        },
      ),
      hmacKey: true,
      // submitCase reads the policy in force (clock targets, delivery times).
      policy: true,
      sendTo: ['intake', ...notificationQueues],
    },
  },
  // Incidents (README "Incidents"): the routes write the incident and queue its pages; the fan-out
  // consumer works one page per message into outbox notices, which the notification consumer delivers.
  httpFunction(agentRoutes.declareIncident, {
    name: 'DeclareIncident',
    description: 'an incident over waybills; links and tells small ones at once, queues the pages',
    entry: 'functions/http/declare-incident.ts',
    memoryMb: 1024,
    timeoutSeconds: 29,
    access: {
      // The incident and its pages; small scopes link their open cases (changeCase) and queue notices.
      table: tableAccess(tableUses.runsIncidents, tableUses.changesCases),
      hmacKey: true,
      sendTo: ['incidentFanout', ...notificationQueues],
    },
  }),
  httpFunction(agentRoutes.updateIncident, {
    name: 'UpdateIncident',
    description: 'the next round of an incident, queued a page at a time',
    entry: 'functions/http/update-incident.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: tableUses.addsIncidentRounds, sendTo: ['incidentFanout'] },
  }),
  httpFunction(agentRoutes.closeIncident, {
    name: 'CloseIncident',
    description: 'the closing round; optionally resolves every linked open case',
    entry: 'functions/http/close-incident.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: tableUses.addsIncidentRounds, sendTo: ['incidentFanout'] },
  }),
  httpFunction(agentRoutes.getIncident, {
    name: 'GetIncident',
    description: 'an incident with its waybills, linked cases and notice progress',
    entry: 'functions/http/get-incident.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: { get: ['incident'], query: ['incident'] } },
  }),
  {
    name: 'IncidentFanoutConsumer',
    description:
      'Works one page of an incident: links the open cases of its waybills, or puts one notice per ' +
      'customer in the outbox (deterministic ids), or resolves the linked cases on a close',
    entry: 'functions/queue/incident-fanout-consumer.ts',
    // Pages are cheap to queue and each queues up to 100 notices: a few at once keep the outbox ahead of
    // the senders without crowding the table.
    trigger: {
      kind: 'queue',
      queue: 'incidentFanout',
      batchSize: 1,
      maxBatchingWindowSeconds: 0,
      maxConcurrency: 4,
    },
    memoryMb: 512,
    timeoutSeconds: queueNamed('incidentFanout').consumerTimeoutSeconds,
    access: {
      // One page: link open cases (changeCase), put notices, or resolve linked cases (changeCase).
      table: tableAccess(tableUses.runsIncidents, tableUses.changesCases, tableUses.readsCase),
      sendTo: notificationQueues,
      policy: true,
    },
  },
];

export function functionNamed(name: string): FunctionDefinition {
  const found = functions.find((fn) => fn.name === name);
  if (!found) throw new Error(`No function named ${name} in the catalogue`);
  return found;
}

export function consumerOf(queue: QueueName): FunctionDefinition | undefined {
  return functions.find((fn) => fn.trigger.kind === 'queue' && fn.trigger.queue === queue);
}

/**
 * AWS guidance: a queue's visibility timeout is at least six times the timeout of whoever consumes it.
 * The stack passes the functions it deploys (tests may pass a variant); the sandbox uses the catalogue's.
 */
export function visibilityTimeoutSeconds(
  queue: QueueName,
  deployed: readonly FunctionDefinition[] = functions,
): number {
  const consumerTimeouts = deployed
    .filter((fn) => fn.trigger.kind === 'queue' && fn.trigger.queue === queue)
    .map((fn) => fn.timeoutSeconds);
  return Math.max(30, 6 * Math.max(...(consumerTimeouts.length > 0 ? consumerTimeouts : [30])));
}
