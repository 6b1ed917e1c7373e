import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { caseTable, type IndexDefinition } from '#adapters/case-table';
import { staffRoles } from '#domain/staff-permissions';
import {
  apiThrottle,
  functions as catalogueFunctions,
  defaultSendRates,
  type FunctionDefinition,
  queueSizing,
  type TableAction,
  tableActionIam,
  visibilityTimeoutSeconds,
} from '#infra/catalogue';
import {
  businessMetricAlarms,
  iteratorAgeAlarmSeconds,
  outboxDrainAlarmSeconds,
} from '#infra/stack/case-monitoring';
import type { ParcelCareStack } from '#infra/stack/parcel-care-stack';
import { productionLimits } from '#shared/abuse-limits';
import { queues as catalogueQueues, type QueueName, queueUrlVariable } from '#shared/work-queues';
import { assumptions as capacityAssumptions } from '../../infra/tools/capacity/model.ts';
import { fixedMonthlyCost } from '../bench/prices.ts';
import { buildTestApp } from './synth-app.ts';
import {
  actionsOf,
  arnOf,
  logicalIdOf,
  mentions,
  refTo,
  resourceOf,
  resourcesOf,
  roleStatements,
  type TemplateResource,
} from './template-lookup.ts';

const httpEntries = catalogueFunctions.filter((fn) => fn.trigger.kind === 'http');
const routeKeyOf = ({ trigger }: FunctionDefinition) =>
  trigger.kind === 'http' ? `${trigger.method} ${trigger.path}` : undefined;
const queueConsumers = (queue: QueueName) =>
  catalogueFunctions.filter((fn) => fn.trigger.kind === 'queue' && fn.trigger.queue === queue);
/** The catalogue's table-stream triggers (CaseChangeCompleter), each with its function's name. */
const streamTriggers = catalogueFunctions.flatMap((fn) =>
  fn.trigger.kind === 'tableStream' ? [{ name: fn.name, trigger: fn.trigger }] : [],
);
const streamFailureQueueNames = [...new Set(streamTriggers.map(({ trigger }) => trigger.onFailure))];
/** The raw inbound mail SES stores: `<bucket ARN>/inbound/*`. */
const mailObjects = (stack: ParcelCareStack) => ({
  'Fn::Join': ['', [arnOf(stack.state.inbound!.mailBucket), '/inbound/*']],
});
const functionNamed = (stack: ParcelCareStack, name: string) => {
  const found = stack.service.functions.find((fn) => fn.definition.name === name);
  if (!found) throw new Error(`No deployed function for ${name}`);
  return found;
};

let stack: ParcelCareStack;
let template: Template;
// Nothing here reads the bundles (test/infra/bundles.test.ts does): synthesis without esbuild is minutes
// shorter on a busy machine.
const noBundling = { 'aws:cdk:bundling-stacks': [] };

beforeAll(() => {
  ({ stack } = buildTestApp({ nag: false, context: noBundling }));
  template = Template.fromStack(stack);
});

describe('the case table', () => {
  it('is on-demand, point-in-time recoverable, protected and encrypted with the customer-managed key', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: arnOf(stack.state.key) },
      TimeToLiveSpecification: { AttributeName: caseTable.timeToLiveAttribute, Enabled: true },
      KeySchema: [
        { AttributeName: caseTable.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: caseTable.sortKey.name, KeyType: 'RANGE' },
      ],
    });
    expect(caseTable.timeToLiveAttribute).toBe('expiresAt');
  });

  it('has every index of the table definition, with its keys and projection', () => {
    const table = resourceOf(template, stack.state.table);
    const indexes = table.Properties.GlobalSecondaryIndexes as Array<Record<string, unknown>>;
    expect(indexes.map((index) => index.IndexName).sort()).toEqual(
      Object.values(caseTable.indexes)
        .map((index) => index.indexName)
        .sort(),
    );
    // One agent-list index: the all-teams list reads every team's keys of byTeamStatus (byStatus dropped 2026-11-30).
    expect(indexes.map((index) => index.IndexName)).not.toContain('byStatus');
    for (const index of Object.values<IndexDefinition>(caseTable.indexes)) {
      const projection =
        index.projection === 'all'
          ? { ProjectionType: 'ALL' }
          : index.projection === 'keys_only'
            ? { ProjectionType: 'KEYS_ONLY' }
            : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] };
      expect(indexes).toContainEqual({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: projection,
      });
    }
  });
});

describe('the queues', () => {
  it.each(catalogueQueues.map((q) => [q.name, q] as const))(
    '%s has a dead-letter queue and a safe visibility timeout',
    (_, definition) => {
      const { queue, deadLetterQueue } = stack.state.queue(definition.name);
      const main = resourceOf(template, queue).Properties;
      const dead = resourceOf(template, deadLetterQueue).Properties;

      expect(main.RedrivePolicy).toEqual({
        deadLetterTargetArn: arnOf(deadLetterQueue),
        maxReceiveCount: definition.maxReceiveCount,
      });
      expect(definition.maxReceiveCount).toBe(5);
      expect(dead.MessageRetentionPeriod).toBe(14 * 24 * 3600);

      const consumerTimeouts = queueConsumers(definition.name).map((fn) => fn.timeoutSeconds);
      for (const timeout of consumerTimeouts)
        expect(main.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
      expect(main.VisibilityTimeout).toBeGreaterThanOrEqual(visibilityTimeoutSeconds(definition.name));

      for (const encrypted of [main, dead]) expect(encrypted.KmsMasterKeyId).toEqual(arnOf(stack.state.key));
    },
  );

  it('refuse every request that is not over TLS', () => {
    for (const { queue, deadLetterQueue } of stack.state.queues.values()) {
      for (const q of [queue, deadLetterQueue]) {
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [refTo(q)],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
    }
  });

  it('feed each consumer with partial batch failures, in the batches the catalogue asks for', () => {
    const mappings = Object.values(
      template.findResources('AWS::Lambda::EventSourceMapping'),
    ) as TemplateResource[];
    const consumers = catalogueFunctions.filter((fn) => fn.trigger.kind === 'queue');
    // And one per table-stream trigger (see 'the case table stream').
    expect(mappings).toHaveLength(consumers.length + streamTriggers.length);
    for (const mapping of mappings) {
      expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    }
    for (const consumer of consumers) {
      if (consumer.trigger.kind !== 'queue') continue;
      const deployed = functionNamed(stack, consumer.name);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: refTo(deployed.handler),
        EventSourceArn: arnOf(stack.state.queue(consumer.trigger.queue).queue),
        // The default send rates (14 emails/s, 10 SMS/s) make the sending consumers' batches smaller.
        BatchSize: queueSizing(consumer.trigger, defaultSendRates).batchSize,
        ...(consumer.trigger.maxBatchingWindowSeconds > 0
          ? { MaximumBatchingWindowInSeconds: consumer.trigger.maxBatchingWindowSeconds }
          : {}),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
  });
});

describe('the case table stream', () => {
  const mappingOf = (name: string) => {
    const handler = functionNamed(stack, name).handler;
    const found = (
      Object.values(template.findResources('AWS::Lambda::EventSourceMapping')) as TemplateResource[]
    ).filter((mapping) => JSON.stringify(mapping.Properties.FunctionName) === JSON.stringify(refTo(handler)));
    expect(found).toHaveLength(1);
    return found[0]!.Properties;
  };
  const alarms = () => Object.values(template.findResources('AWS::CloudWatch::Alarm')) as TemplateResource[];

  it('is on: the table streams new images, as the table definition says', () => {
    expect(caseTable.stream).toBe('NEW_IMAGE');
    expect(resourceOf(template, stack.state.table).Properties.StreamSpecification).toEqual({
      StreamViewType: caseTable.stream,
    });
  });

  it('has a trigger in the catalogue (CaseChangeCompleter), or this block checks nothing', () => {
    expect(streamTriggers.map(({ name }) => name)).toEqual(['CaseChangeCompleter']);
  });

  it.each(streamTriggers.map((entry) => [entry.name, entry] as const))(
    'feeds %s the filtered records in its batches, retried, bisected and reported as the catalogue says',
    (name, { trigger }) => {
      const mapping = mappingOf(name);
      expect(mapping).toMatchObject({
        EventSourceArn: arnOf(stack.state.table, 'StreamArn'),
        // Never LATEST: records committed while the mapping was being created would be skipped.
        StartingPosition: 'TRIM_HORIZON',
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify(trigger.filterPattern) }] },
        BatchSize: trigger.batchSize,
        MaximumBatchingWindowInSeconds: trigger.maxBatchingWindowSeconds,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: trigger.retryAttempts,
        MaximumRecordAgeInSeconds: trigger.maxRecordAgeSeconds,
        // The window makes each event name its shard, which the report counters' marks are kept by.
        TumblingWindowInSeconds: trigger.tumblingWindowSeconds,
        DestinationConfig: {
          OnFailure: { Destination: arnOf(stack.state.streamFailureQueue(trigger.onFailure)) },
        },
      });
      // One batch per shard at once: what the capacity model assumes (streamParallelizationFactor), and
      // what the report counters' marks rely on (a shard's batches counted in its order).
      expect(mapping.ParallelizationFactor).toBe(1);
      expect(capacityAssumptions.streamParallelizationFactor).toBe(1);
      // The filter reaches case items that carry a change, inserted or modified, and nothing else.
      expect(trigger.filterPattern).toEqual({
        eventName: ['INSERT', 'MODIFY'],
        dynamodb: { NewImage: { entity: { S: ['case'] }, chg: { S: [{ exists: true }] } } },
      });
    },
  );

  it.each(streamFailureQueueNames)(
    'gives up into %s: encrypted with the project key, TLS only, kept 14 days, not a work queue, consumed by nobody',
    (name) => {
      const failures = stack.state.streamFailureQueue(name);
      const properties = resourceOf(template, failures).Properties;
      expect(properties.KmsMasterKeyId).toEqual(arnOf(stack.state.key));
      expect(properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      expect(properties.RedrivePolicy).toBeUndefined();
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [refTo(failures)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
      expect(catalogueQueues.map((q) => q.name)).not.toContain(name);
      expect([...stack.state.queues.keys()]).not.toContain(name);
      // No event source reads it, no role may receive from it, no function is told its URL.
      for (const mapping of Object.values(
        template.findResources('AWS::Lambda::EventSourceMapping'),
      ) as TemplateResource[]) {
        expect(mentions(mapping.Properties.EventSourceArn, failures)).toBe(false);
      }
      for (const fn of stack.service.functions) {
        const receivers = roleStatements(template, fn.role).filter(
          (statement) => actionsOf(statement).includes('sqs:ReceiveMessage') && mentions(statement, failures),
        );
        expect(receivers, fn.definition.name).toEqual([]);
        expect(mentions(resourceOf(template, fn.handler).Properties.Environment, failures)).toBe(false);
      }
    },
  );

  it.each(streamTriggers.map((entry) => [entry.name, entry] as const))(
    'lets %s read the stream and send to its on-failure queue, and no other function either',
    (name, { trigger }) => {
      for (const fn of stack.service.functions) {
        const statements = roleStatements(template, fn.role);
        const streamReads = statements.filter((statement) =>
          actionsOf(statement).some((action) =>
            /^dynamodb:(DescribeStream|GetRecords|GetShardIterator)$/.test(action),
          ),
        );
        const failureSends = statements.filter(
          (statement) =>
            actionsOf(statement).includes('sqs:SendMessage') &&
            mentions(statement, stack.state.streamFailureQueue(trigger.onFailure)),
        );
        if (fn.definition.name !== name) {
          expect(streamReads, fn.definition.name).toEqual([]);
          expect(failureSends, fn.definition.name).toEqual([]);
          continue;
        }
        expect(streamReads).toHaveLength(1);
        expect(resourcesOf(streamReads[0]!)).toEqual([arnOf(stack.state.table, 'StreamArn')]);
        expect(failureSends).toHaveLength(1);
        expect(actionsOf(failureSends[0]!)).toEqual(['sqs:SendMessage']);
      }
    },
  );

  it.each(streamFailureQueueNames)('pages on the first message in %s', (name) => {
    const failures = stack.state.streamFailureQueue(name);
    const matching = alarms().filter(
      (alarm) =>
        alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' && mentions(alarm, failures),
    );
    expect(matching).toHaveLength(1);
    expect(matching[0]!.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      AlarmActions: [refTo(stack.state.opsTopic)],
    });
  });

  it.each(streamTriggers.map((entry) => [entry.name] as const))(
    'alarms when %s is more than five minutes behind the stream for five minutes, and on its errors',
    (name) => {
      const handler = functionNamed(stack, name).handler;
      const behind = alarms().filter(
        (alarm) => alarm.Properties.MetricName === 'IteratorAge' && mentions(alarm, handler),
      );
      expect(behind).toHaveLength(1);
      expect(behind[0]!.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        Dimensions: [{ Name: 'FunctionName', Value: refTo(handler) }],
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 5,
        Threshold: iteratorAgeAlarmSeconds * 1000,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [refTo(stack.state.opsTopic)],
      });
      expect(iteratorAgeAlarmSeconds).toBe(300);
      expect(
        alarms().filter((alarm) => alarm.Properties.MetricName === 'Errors' && mentions(alarm, handler)),
      ).toHaveLength(1);
    },
  );

  it('shows the iterator age and the on-failure queues on the dashboard', () => {
    const [dashboard] = Object.values(
      template.findResources('AWS::CloudWatch::Dashboard'),
    ) as TemplateResource[];
    const body = JSON.stringify(dashboard!.Properties.DashboardBody);
    expect(body).toContain('Table stream iterator age (ms)');
    expect(body).toContain('IteratorAge');
    for (const name of streamFailureQueueNames) {
      expect(body).toContain(logicalIdOf(stack.state.streamFailureQueue(name)));
    }
  });
});

describe('the functions', () => {
  it('are exactly the catalogue: Node.js 24 on arm64 with active tracing', () => {
    const deployed = Object.entries(template.findResources('AWS::Lambda::Function'))
      // CDK's own handler that copies the pages into their bucket (CaseSite) is not a catalogue function.
      .filter(([logicalId]) => !logicalId.startsWith('CustomCDKBucketDeployment'))
      // Nor is CDK's handler that sets the attachments bucket's notifications (CaseBuckets).
      .filter(([logicalId]) => !logicalId.startsWith('BucketNotificationsHandler'))
      .map(([, fn]) => fn) as TemplateResource[];
    // The catalogue, and the `$default` route's function.
    expect(deployed).toHaveLength(catalogueFunctions.length + 1);
    for (const fn of deployed) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
      });
    }
  });

  it.each(catalogueFunctions.map((fn) => [fn.name, fn] as const))(
    '%s has its memory, timeout, log group and environment',
    (_, definition) => {
      const deployed = functionNamed(stack, definition.name);
      const { Properties } = resourceOf(template, deployed.handler);
      expect(Properties).toMatchObject({
        FunctionName: `parcel-care-dev-${definition.name}`,
        MemorySize: definition.memoryMb,
        Timeout: definition.timeoutSeconds,
        LoggingConfig: { LogGroup: refTo(deployed.logGroup) },
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/lambda/parcel-care-dev-${definition.name}`,
        RetentionInDays: 30,
      });
      const variables = (Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(variables)).toEqual(
        expect.arrayContaining([
          'TABLE_NAME',
          'SENDER_EMAIL',
          'PUBLIC_BASE_URL',
          'HMAC_SECRET_ARN',
          'SES_CONFIGURATION_SET',
          'STAGE',
          'ABUSE_LIMITS',
          ...catalogueQueues.map((q) => queueUrlVariable(q.name)),
        ]),
      );
      // Source maps ship in the asset but are loaded only when an operator sets NODE_OPTIONS to debug.
      expect(variables).not.toHaveProperty('NODE_OPTIONS');
      expect(variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'parcel-care',
        POWERTOOLS_METRICS_NAMESPACE: 'ParcelCare',
        STAGE: 'dev',
        SENDER_EMAIL: 'noreply@example.com',
      });
      for (const q of catalogueQueues) {
        expect(variables[queueUrlVariable(q.name)]).toEqual(refTo(stack.state.queue(q.name).queue));
      }
    },
  );

  it.each(catalogueFunctions.map((fn) => [fn.name, fn] as const))(
    '%s may touch only what its catalogue entry grants',
    (_, definition) => {
      const deployed = functionNamed(stack, definition.name);
      const statements = roleStatements(template, deployed.role);
      const actions = statements.flatMap(actionsOf);
      const allowing = (action: string) => statements.filter((s) => actionsOf(s).includes(action));

      // Each table action once per family set; test/infra/grant-matrix.test.ts checks families and indexes.
      const namedActions = [
        ...Object.entries(definition.access.table ?? {})
          .filter(([, names]) => names.length > 0)
          .map(([action]) => tableActionIam[action as TableAction]),
        // A table-stream trigger's event source reads the stream with the function's role.
        ...(definition.trigger.kind === 'tableStream'
          ? [
              'dynamodb:DescribeStream',
              'dynamodb:GetRecords',
              'dynamodb:GetShardIterator',
              'dynamodb:ListStreams',
            ]
          : []),
      ];
      expect(new Set(actions.filter((a) => a.startsWith('dynamodb:')))).toEqual(new Set(namedActions));

      const sentTo = allowing('sqs:SendMessage').flatMap(resourcesOf);
      const expectedQueues = [
        ...(definition.access.sendTo ?? []).map((q) => arnOf(stack.state.queue(q).queue)),
        // A table-stream trigger's on-failure queue: Lambda sends there with the function's role.
        ...(definition.trigger.kind === 'tableStream'
          ? [arnOf(stack.state.streamFailureQueue(definition.trigger.onFailure))]
          : []),
      ];
      expect(sentTo).toHaveLength(expectedQueues.length);
      expect(sentTo).toEqual(expect.arrayContaining(expectedQueues));

      expect(allowing('ses:SendEmail').length > 0).toBe(definition.access.sendEmail === true);
      expect(allowing('sms-voice:SendTextMessage').length > 0).toBe(definition.access.sendSms === true);
      // S3: raw mail (readInboundMail) and the attachments bucket (attachmentFiles), each checked below too.
      const readObjects = allowing('s3:GetObject').flatMap(resourcesOf);
      expect(readObjects).toHaveLength(
        (definition.access.readInboundMail ? 1 : 0) + (definition.access.attachmentFiles ? 1 : 0),
      );
      if (definition.access.readInboundMail) expect(readObjects).toContainEqual(mailObjects(stack));
      expect(actions.some((action) => /^s3:(Put|Delete|List)/.test(action))).toBe(
        definition.access.attachmentFiles === 'readWrite',
      );
      expect(allowing('secretsmanager:GetSecretValue').flatMap(resourcesOf)).toEqual(
        definition.access.hmacKey ? [refTo(stack.state.hmacSecret)] : [],
      );

      // No AWS-managed policies: the function writes to its own log group and nothing else.
      expect(resourceOf(template, deployed.role).Properties.ManagedPolicyArns).toBeUndefined();
      expect(allowing('logs:PutLogEvents').flatMap(resourcesOf)).toEqual([arnOf(deployed.logGroup)]);
    },
  );

  it('may shorten the visibility of their own queue’s messages only (retry backoff)', () => {
    for (const definition of catalogueFunctions) {
      const statements = roleStatements(template, functionNamed(stack, definition.name).role);
      const resources = statements
        .filter((s) => actionsOf(s).includes('sqs:ChangeMessageVisibility'))
        .flatMap(resourcesOf);
      const expected =
        definition.trigger.kind === 'queue' ? [arnOf(stack.state.queue(definition.trigger.queue).queue)] : [];
      expect(resources).toEqual(expected);
    }
  });

  it('send email only through the sender identity and the configuration set', () => {
    for (const definition of catalogueFunctions.filter((fn) => fn.access.sendEmail)) {
      const statements = roleStatements(template, functionNamed(stack, definition.name).role);
      const resources = statements.filter((s) => actionsOf(s).includes('ses:SendEmail')).flatMap(resourcesOf);
      const text = JSON.stringify(resources);
      expect(text).toContain(':identity/noreply@example.com');
      expect(text).toContain(':identity/example.com');
      expect(text).toContain(':configuration-set/');
      expect(text).not.toContain('"*"');
    }
  });
});

describe('the HTTP API', () => {
  it('has one route per HTTP entry of the catalogue, and a JWT authorizer exactly on the staff routes', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as TemplateResource[];
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(
      [...httpEntries.map(routeKeyOf), '$default'].sort(),
    );
    for (const fn of httpEntries) {
      const route = routes.find((r) => r.Properties.RouteKey === routeKeyOf(fn))!;
      if (fn.trigger.kind === 'http' && fn.trigger.auth === 'jwt') {
        expect(route.Properties.AuthorizationType).toBe('JWT');
        expect(route.Properties.AuthorizerId).toBeDefined();
      } else {
        expect(route.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
        expect(route.Properties.AuthorizerId).toBeUndefined();
      }
    }
  });

  it('throttles the default stage and writes JSON access logs without bodies', () => {
    const stage = resourceOf(template, stack.service.apiStage).Properties;
    expect(stage).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingBurstLimit: apiThrottle.burstLimit,
        ThrottlingRateLimit: apiThrottle.rateLimit,
      },
    });
    const { Format } = stage.AccessLogSettings as { Format: string };
    const fields = JSON.parse(Format) as Record<string, string>;
    expect(fields).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latency: '$context.responseLatency',
      ip: '$context.identity.sourceIp',
    });
    expect(Format).not.toMatch(/body|header|querystring/i);
  });

  it('sends every request no route matched to the $default function, which answers in API.md shape', () => {
    const route = resourceOf(template, stack.service.defaultRoute.route).Properties;
    expect(route.RouteKey).toBe('$default');
    expect(route.AuthorizationType ?? 'NONE').toBe('NONE');
    const integrations = Object.entries(template.findResources('AWS::ApiGatewayV2::Integration'));
    const [integrationId] = integrations.find(([, integration]) =>
      mentions(integration, stack.service.defaultRoute.handler),
    )!;
    expect(JSON.stringify(route.Target)).toContain(`"${integrationId}"`);
    const fn = resourceOf(template, stack.service.defaultRoute.handler).Properties;
    expect(fn).toMatchObject({ Runtime: 'nodejs24.x', MemorySize: 256, Timeout: 5 });
    // It reads no data: its role may write its logs and traces, nothing else.
    const actions = roleStatements(template, stack.service.defaultRoute.role).flatMap(actionsOf);
    expect(actions.filter((action) => !/^(logs|xray):/.test(action))).toEqual([]);
  });

  // What still differs from the sandbox, and cannot be shaped: HTTP APIs have no gateway responses,
  // so a failed JWT check answers 401 {"message":"Unauthorized"} and throttling 429
  // {"message":"Too Many Requests"} straight from API Gateway (README, "What differs in AWS").
  it('leaves the JWT authorizer’s 401 and the stage’s 429 to API Gateway: HTTP APIs cannot shape them', () => {
    template.resourceCountIs('AWS::ApiGateway::GatewayResponse', 0);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
    const api = Object.values(template.findResources('AWS::ApiGatewayV2::Api'))[0] as TemplateResource;
    expect(api.Properties.ProtocolType).toBe('HTTP');
  });

  it('has no CORS configuration', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
  });
});

describe('staff sign-in', () => {
  it('is an invitation-only user pool with email sign-in and a strong password policy', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      MfaConfiguration: 'ON',
      Policies: {
        PasswordPolicy: {
          MinimumLength: Match.anyValue(),
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH']),
    });
  });

  it('has a group for each role of API.md', () => {
    expect([...staffRoles]).toEqual(['agent', 'supervisor', 'manager', 'auditor']);
    for (const group of staffRoles) {
      template.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
        GroupName: group,
        UserPoolId: refTo(stack.state.userPool),
      });
    }
  });
});

describe('bounces and complaints', () => {
  it('go from the SES configuration set through the default bus to the emailEvents queue', () => {
    expect(resourceOf(template, stack.state.emailConfigurationSet).Properties.Name).toBe('parcel-care-dev');
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
        EventBridgeDestination: { EventBusArn: Match.anyValue() },
      }),
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ses'],
        'detail-type': ['Email Bounced', 'Email Complaint Received'],
        detail: { mail: { tags: { 'ses:configuration-set': [refTo(stack.state.emailConfigurationSet)] } } },
      },
      Targets: [Match.objectLike({ Arn: arnOf(stack.state.queue('emailEvents').queue) })],
    });
  });

  it('can be delivered by EventBridge into the encrypted queue', () => {
    const key = resourceOf(template, stack.state.key).Properties as {
      KeyPolicy: { Statement: Array<{ Principal?: { Service?: string }; Action: string | string[] }> };
    };
    const forEvents = key.KeyPolicy.Statement.filter((s) => s.Principal?.Service === 'events.amazonaws.com');
    expect(forEvents.flatMap((s) => s.Action)).toEqual(expect.arrayContaining(['kms:GenerateDataKey*']));
  });

  it('creates no email identity unless asked to', () => {
    template.resourceCountIs('AWS::SES::EmailIdentity', 0);
  });
});

interface MetricDataQuery {
  Id: string;
  Expression?: string;
  ReturnData?: boolean;
  MetricStat?: { Metric: { MetricName: string; Namespace: string }; Period: number; Stat: string };
}

describe('alarms', () => {
  const alarms = () => Object.values(template.findResources('AWS::CloudWatch::Alarm')) as TemplateResource[];
  const alarmsOn = (metricName: string) => alarms().filter((a) => a.Properties.MetricName === metricName);
  const notifiesOps = (alarm: TemplateResource) =>
    expect(alarm.Properties.AlarmActions).toEqual([refTo(stack.state.opsTopic)]);

  it('count one per dead-letter queue, one per function, one per work queue, one for the API, one per business metric, one for SMS spend, one for the outbox backlog, one per table-stream trigger and one per on-failure queue', () => {
    expect(alarms()).toHaveLength(
      catalogueQueues.length * 2 +
        catalogueFunctions.length +
        1 +
        businessMetricAlarms.length +
        1 +
        1 +
        streamTriggers.length +
        streamFailureQueueNames.length,
    );
    for (const alarm of alarms()) notifiesOps(alarm);
  });

  it('are the alarm metrics the cost bench prices the stack’s fixed month with', () => {
    // CloudWatch bills an alarm by the metrics it watches: one, or each metric of its math expression.
    const metrics = alarms().reduce(
      (total, alarm) =>
        total +
        (alarm.Properties.MetricName
          ? 1
          : ((alarm.Properties.Metrics ?? []) as MetricDataQuery[]).filter((m) => m.MetricStat).length),
      0,
    );
    const fixed = fixedMonthlyCost({
      functions: catalogueFunctions.length,
      queues: catalogueQueues.length,
      streamTriggers: streamTriggers.length,
      streamFailureQueues: streamFailureQueueNames.length,
      schedules: [],
      staffMau: 0,
    });
    expect(fixed.find((line) => line.item === 'CloudWatch alarms')?.basis).toBe(`${metrics} alarm metrics`);
  });

  it('fire when the email or the SMS outbox would take over 15 minutes to drain at the rate it drains, for 5 minutes', () => {
    const behind = alarms().filter((alarm) =>
      JSON.stringify(alarm.Properties.Metrics ?? []).includes('MAX([emailDrain, smsDrain])'),
    );
    expect(behind).toHaveLength(1);
    expect(behind[0]?.Properties).toMatchObject({
      Threshold: outboxDrainAlarmSeconds,
      EvaluationPeriods: 5,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    const metrics = (behind[0]?.Properties.Metrics ?? []) as MetricDataQuery[];
    const expressions = metrics.map((metric) => metric.Expression).filter(Boolean);
    expect(expressions).toEqual(
      expect.arrayContaining([
        'IF(emailDeleted > 0, emailBacklog / (emailDeleted / 60), IF(emailBacklog > 0, 86400, 0))',
        'IF(smsDeleted > 0, smsBacklog / (smsDeleted / 60), IF(smsBacklog > 0, 86400, 0))',
      ]),
    );
    // Each channel's backlog and deletions come from its own queue.
    for (const [id, queueName] of [
      ['email', 'notifications'],
      ['sms', 'smsNotifications'],
    ] as const) {
      const queueNameOf = (metricId: string) =>
        JSON.stringify(metrics.find((metric) => metric.Id === metricId)?.MetricStat?.Metric);
      const queue = stack.resolve(stack.state.queue(queueName).queue.queueName);
      expect(queueNameOf(`${id}Backlog`)).toContain(JSON.stringify(queue));
      expect(queueNameOf(`${id}Deleted`)).toContain('NumberOfMessagesDeleted');
      expect(queueNameOf(`${id}Deleted`)).toContain(JSON.stringify(queue));
    }
  });

  it('fire on the first message in any dead-letter queue', () => {
    for (const { deadLetterQueue } of stack.state.queues.values()) {
      const matching = alarmsOn('ApproximateNumberOfMessagesVisible').filter((a) =>
        mentions(a, deadLetterQueue),
      );
      expect(matching).toHaveLength(1);
      expect(matching[0]!.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('fire on any function error within five minutes', () => {
    for (const fn of stack.service.functions) {
      const matching = alarmsOn('Errors').filter((a) => mentions(a, fn.handler));
      expect(matching).toHaveLength(1);
      expect(matching[0]!.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        Period: 300,
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('fire when a work queue holds a message older than five minutes', () => {
    for (const { queue } of stack.state.queues.values()) {
      const matching = alarmsOn('ApproximateAgeOfOldestMessage').filter((a) => mentions(a, queue));
      expect(matching).toHaveLength(1);
      expect(matching[0]!.Properties).toMatchObject({
        Threshold: 300,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
  });

  it('fire at 80 % of the monthly SMS spend cap, on End User Messaging SMS’s own spend metric', () => {
    const [spend, ...others] = alarmsOn('TextMessageMonthlySpend');
    expect(others).toHaveLength(0);
    expect(spend!.Properties).toMatchObject({
      Namespace: 'AWS/SMSVoice',
      Statistic: 'Maximum',
      Threshold: productionLimits.smsMonthlySpendUsd * 0.8,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('fire when more than 1 % of API requests fail with 5xx over five minutes', () => {
    const rate = alarms().filter(
      (a) => Array.isArray(a.Properties.Metrics) && JSON.stringify(a.Properties.Metrics).includes('5xx'),
    );
    expect(rate).toHaveLength(1);
    const metrics = rate[0]!.Properties.Metrics as MetricDataQuery[];
    expect(rate[0]!.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' });
    const expression = metrics.find((m) => m.Expression)!;
    expect(expression.ReturnData ?? true).toBe(true);
    const inputs = metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat] : []));
    const idOf = (name: string) => metrics.find((m) => m.MetricStat?.Metric.MetricName === name)!.Id;
    expect(inputs.map((m) => m.Metric.MetricName).sort()).toEqual(['5xx', 'Count']);
    expect(expression.Expression).toContain(`${idOf('5xx')} / ${idOf('Count')}`);
    for (const input of inputs) expect(input).toMatchObject({ Period: 300, Stat: 'Sum' });
  });

  it.each(['CalendarDataMissing'])(
    'fire on the first %s the functions count, in their namespace and service',
    (metricName) => {
      const matching = alarmsOn(metricName);
      expect(matching).toHaveLength(1);
      expect(matching[0]!.Properties).toMatchObject({
        Namespace: 'ParcelCare',
        Dimensions: [{ Name: 'service', Value: 'parcel-care' }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    },
  );

  it('come with a dashboard that shows breached SLA clocks', () => {
    const dashboards = Object.values(
      template.findResources('AWS::CloudWatch::Dashboard'),
    ) as TemplateResource[];
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody);
    expect(body).toContain('SlaBreached');
    expect(body).toContain('ParcelCare');
  });
});

describe('outputs', () => {
  it.each([
    'ApiUrl',
    'UserPoolId',
    'UserPoolClientId',
    'TableName',
    'OpsTopicArn',
    'InboundSmsTopicArn',
    'InboundReceiptRuleSet',
  ])('has %s', (name) => {
    template.hasOutput(name, {});
  });
  it('encrypts the ops topic and refuses plain HTTP', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: arnOf(stack.state.key) });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [refTo(stack.state.opsTopic)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('entries the catalogue does not have yet', () => {
  // Staff routes and scheduled jobs join the catalogue as their handlers land; this checks the wiring
  // they will get, with a placeholder handler and names no real entry will use.
  const placeholder = 'test/infra/fixtures/placeholder-handler.ts';
  const staffRoute: FunctionDefinition = {
    name: 'InfraTestStaffRoute',
    description: 'GET /infra-test/staff',
    entry: placeholder,
    trigger: { kind: 'http', method: 'GET', path: '/infra-test/staff', auth: 'jwt' },
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { table: { get: ['case'] } },
  };
  const sweep: FunctionDefinition = {
    name: 'InfraTestSchedule',
    description: 'A scheduled job',
    entry: placeholder,
    trigger: { kind: 'schedule', job: 'sla-sweep', everyMinutes: 5 },
    memoryMb: 512,
    timeoutSeconds: 60,
    access: { table: { queryIndex: ['dueClocks'] }, sendTo: ['slaWork'] },
  };
  let variant: Template;
  let variantStack: ParcelCareStack;

  beforeAll(() => {
    ({ stack: variantStack } = buildTestApp({
      nag: false,
      context: noBundling,
      functions: [...catalogueFunctions, staffRoute, sweep],
    }));
    variant = Template.fromStack(variantStack);
  });

  it('puts the Cognito JWT authorizer on a jwt route', () => {
    const authorizers = variant.findResources('AWS::ApiGatewayV2::Authorizer');
    expect(Object.keys(authorizers)).toHaveLength(1);
    const [authorizerId] = Object.keys(authorizers);
    variant.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [refTo(variantStack.state.userPoolClient), refTo(variantStack.site.userPoolClient)],
        Issuer: {
          'Fn::Join': [
            '',
            Match.arrayWith([
              'https://cognito-idp.',
              { Ref: 'AWS::Region' },
              { Ref: 'AWS::URLSuffix' },
              refTo(variantStack.state.userPool),
            ]),
          ],
        },
      },
    });
    variant.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /infra-test/staff',
      AuthorizationType: 'JWT',
      AuthorizerId: { Ref: authorizerId },
    });
  });

  it('runs a scheduled job on an EventBridge rate rule', () => {
    const deployed = variantStack.service.functions.find((fn) => fn.definition.name === sweep.name)!;
    variant.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: arnOf(deployed.handler) })],
    });
  });
});

describe('schedules in the catalogue', () => {
  it('each have a rate rule targeting their function', () => {
    const scheduled = catalogueFunctions.filter((fn) => fn.trigger.kind === 'schedule');
    const rules = Object.values(template.findResources('AWS::Events::Rule')) as TemplateResource[];
    expect(rules.filter((r) => r.Properties.ScheduleExpression)).toHaveLength(scheduled.length);
    for (const fn of scheduled) {
      if (fn.trigger.kind !== 'schedule') continue;
      const minutes = fn.trigger.everyMinutes;
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`,
        Targets: [Match.objectLike({ Arn: arnOf(functionNamed(stack, fn.name).handler) })],
      });
    }
  });
});

describe('channels in (issue 16)', () => {
  it('receive mail for the cdk.json domain into the raw-mail bucket, notifying the inboundEmail queue', () => {
    const inbound = stack.state.inbound!;
    template.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({
        Recipients: ['inbound.example.com'],
        Actions: [Match.objectLike({ S3Action: Match.objectLike({ TopicArn: refTo(inbound.emailTopic) }) })],
      }),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: refTo(inbound.emailTopic),
      Endpoint: arnOf(stack.state.queue('inboundEmail').queue),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: refTo(inbound.smsTopic),
      Endpoint: arnOf(stack.state.queue('inboundSms').queue),
    });
  });

  it('tell every function the service address, so case emails carry a signed Reply-To', () => {
    for (const fn of stack.service.functions) {
      const variables = (
        resourceOf(template, fn.handler).Properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
      expect(variables.INBOUND_EMAIL_ADDRESS).toBe('care@inbound.example.com');
    }
  });
});

describe('the attachments bucket', () => {
  const attachments = () => stack.state.buckets.buckets.get('attachments')!;

  it('is encrypted with the project key, blocks public access, refuses plain HTTP and logs access', () => {
    const bucket = resourceOf(template, attachments()).Properties;
    expect(bucket.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf(stack.state.key) },
          BucketKeyEnabled: true,
        },
      ],
    });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.LoggingConfiguration).toMatchObject({
      DestinationBucketName: refTo(stack.state.buckets.logBucket),
    });
    expect(bucket.VersioningConfiguration).toBeUndefined();
    expect(JSON.stringify(bucket.LifecycleConfiguration)).toContain('AbortIncompleteMultipartUpload');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: refTo(attachments()),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets the site’s origin POST uploads (CORS), and nothing else', () => {
    const rules = (
      resourceOf(template, attachments()).Properties.CorsConfiguration as { CorsRules: unknown[] }
    ).CorsRules as Array<{ AllowedMethods: string[]; AllowedOrigins: unknown[] }>;
    expect(rules).toHaveLength(1);
    expect(rules[0]!.AllowedMethods).toEqual(['POST', 'GET', 'HEAD']);
    expect(JSON.stringify(rules[0]!.AllowedOrigins)).toContain(logicalIdOf(stack.site.distribution));
  });

  it('announces new files under cases/ on the attachmentUploads queue, which only this bucket may send to', () => {
    const queue = stack.state.queue('attachmentUploads').queue;
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: refTo(attachments()),
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            QueueArn: arnOf(queue),
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'cases/' }] } },
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [refTo(queue)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 's3.amazonaws.com' },
            Action: Match.arrayWith(['sqs:SendMessage']),
            Condition: Match.objectLike({ ArnLike: Match.anyValue() }),
          }),
        ]),
      },
    });
  });

  it('is granted per the catalogue: objects under cases/ only, read for the staff view, read-write for upload and check', () => {
    for (const definition of catalogueFunctions) {
      const statements = roleStatements(template, functionNamed(stack, definition.name).role);
      const s3Actions = [
        ...new Set(
          statements
            .flatMap(actionsOf)
            .filter((action) => action.startsWith('s3:'))
            .filter((action) => !(definition.access.readInboundMail && action === 's3:GetObject')),
        ),
      ].sort();
      const expected =
        definition.access.attachmentFiles === 'readWrite'
          ? ['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject']
          : definition.access.attachmentFiles === 'read'
            ? ['s3:GetObject']
            : [];
      if (definition.access.readInboundMail && definition.access.attachmentFiles) {
        expect(s3Actions, definition.name).toEqual(expected.filter((action) => action !== 's3:GetObject'));
      } else {
        expect(s3Actions, definition.name).toEqual(expected);
      }
      const objects = statements
        .filter((s) => actionsOf(s).includes('s3:GetObject'))
        .flatMap(resourcesOf)
        .filter((resource) => !JSON.stringify(resource).includes('/inbound/*'));
      for (const resource of objects) expect(JSON.stringify(resource)).toContain('/cases/*');
    }
    expect(functionNamed(stack, 'AddAttachment').definition.access.attachmentFiles).toBe('readWrite');
    expect(functionNamed(stack, 'GetAgentCase').definition.access.attachmentFiles).toBe('read');
  });
});
