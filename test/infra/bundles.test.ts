// Each function's bundle, built by esbuild with the stack's own options, holds exactly the AWS clients its
// catalogue access names: the access that grants IAM permissions also bounds what the function carries.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupOfPort } from '#adapters/wiring/wire';
import { type FunctionDefinition, functions } from '#infra/catalogue';
import { esbuildOptionsOf, functionBundling } from '#infra/stack/bundling';
import { projectRoot } from '#infra/stack/parcel-care-stack';

/** Each AWS client package, and whether a function's access (or its queue trigger) entitles it to it. */
const clients: Record<string, (fn: FunctionDefinition) => boolean> = {
  // Any table action at all: a function whose access names none (Health) carries no DynamoDB client.
  '@aws-sdk/client-dynamodb': (fn) => Object.values(fn.access.table ?? {}).some((names) => names.length > 0),
  '@aws-sdk/client-secrets-manager': (fn) => fn.access.hmacKey === true,
  // Queue consumers shorten the visibility of failed records on their own queue (retry backoff).
  '@aws-sdk/client-sqs': (fn) => (fn.access.sendTo?.length ?? 0) > 0 || fn.trigger.kind === 'queue',
  '@aws-sdk/client-sesv2': (fn) => fn.access.sendEmail === true,
  '@aws-sdk/client-pinpoint-sms-voice-v2': (fn) => fn.access.sendSms === true,
  '@aws-sdk/client-appconfigdata': (fn) => fn.access.policy === true,
  // Objects read, stored, listed or deleted by the function itself: raw inbound mail, or attachment files
  // it reaches otherwise than through the links it signs (attachmentLinks: the signer below, no client).
  '@aws-sdk/client-s3': (fn) =>
    fn.access.readInboundMail === true ||
    (fn.access.attachmentFiles !== undefined && fn.access.attachmentLinks === undefined),
};

/** The SDK's presigners, which need the S3 client: links are signed by attachment-links.ts, in no bundle. */
const sdkPresigners = ['@aws-sdk/s3-presigned-post', '@aws-sdk/s3-request-presigner'];

/** Whether a function's table access names any of these key families or indexes, with any action. */
const touches = (fn: FunctionDefinition, ...names: string[]) =>
  Object.values(fn.access.table ?? {}).some((granted: readonly string[]) =>
    granted.some((name) => names.includes(name)),
  );

/**
 * Each store of the case table is a port group of its own (shared/adapters/wiring/), and whether a function
 * may use it follows from its table access as the client does: a store's calls on families the function is
 * not granted would be refused by IAM, and a grant whose store is not bundled is one the code never uses.
 */
const storeGroups: Record<string, (fn: FunctionDefinition) => boolean> = {
  'case-table': (fn) => touches(fn, 'case'),
  'contact-registry': (fn) => touches(fn, 'contact', 'suppression', 'surveyed'),
  'case-lists': (fn) => touches(fn, 'byTeamStatus', 'dueClocks'),
  'report-counters': (fn) => touches(fn, 'report'),
  'idempotency-records': (fn) => touches(fn, 'idempotency'),
  'rate-limits': (fn) => touches(fn, 'limit'),
  'customer-directory': (fn) => touches(fn, 'customer'),
  // Closing, anonymising and deleting cases: the due ones from retentionDue, or a customer's on erasure.
  'retention-store': (fn) =>
    touches(fn, 'retentionDue') || (fn.access.table?.batchWrite ?? []).includes('case'),
  // The records beside the files: whatever reads or stores an attachment's file reads its record, and the
  // customer's view of a case lists them (names and sizes, from the case's partition) without the files.
  'attachment-records': (fn) => fn.access.attachmentFiles !== undefined || fn.name === 'GetCustomerCase',
  'incident-store': (fn) => touches(fn, 'incident', 'waybill', 'counted', 'byWaybill'),
};

/**
 * Ports a bundled use case names that its function never reaches, so its handler need not wire them:
 * export bundles the customer's view (`customerView`) beside the route's `viewCustomerCase`, which lists
 * attachments; SMS opens a case through email's `openCase`, beside which email stores its attachments.
 */
const unreachedPorts: Record<string, string[]> = {
  ExportCustomerData: ['attachments'],
  InboundSmsConsumer: ['attachments'],
};

const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** The MIME parser (charsets decoded by the runtime, HTML to text our own): only for reading raw inbound mail. */
const mailParser = ['postal-mime'];
/** The parser it replaced and what that brought (charset tables, HTML parsing, linkify): in no bundle. */
const formerMailParser = ['mailparser', 'iconv-lite', 'libmime', 'htmlparser2', 'html-to-text', 'linkify-it'];

/**
 * The SDK's default credential chain beyond the environment and container providers: replaced in every bundle
 * (infra/stack/bundling.ts, shared/adapters/lambda-credentials.ts), as Lambda's credentials are in the
 * environment. `bowser` (a browser user-agent parser in @aws-sdk/core) is in the list as a guard.
 */
const credentialChain = [
  '@aws-sdk/credential-provider-node',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/token-providers',
  '@aws-sdk/nested-clients',
  '@smithy/credential-provider-imds',
  'bowser',
];

const outdir = mkdtempSync(path.join(tmpdir(), 'parcel-care-bundles-'));
let metafile: Metafile;

beforeAll(async () => {
  ({ metafile } = await build({
    ...esbuildOptionsOf(functionBundling),
    entryPoints: Object.fromEntries(functions.map((fn) => [fn.name, path.join(projectRoot, fn.entry)])),
    outdir,
    outExtension: { '.js': '.mjs' },
    metafile: true,
    write: false,
    logLevel: 'error',
  }));
});

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** The packages (and project files) that put code into a function's bundle. */
function bundledPackages(fn: FunctionDefinition): Set<string> {
  const output = metafile.outputs[path.relative(process.cwd(), path.join(outdir, `${fn.name}.mjs`))];
  if (!output) throw new Error(`No bundle for ${fn.name}`);
  const packages = new Set<string>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    if (bytesInOutput === 0) continue;
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(input);
    packages.add(match ? `${match[1]}/${match[2]}` : input);
  }
  return packages;
}

const has = (packages: Set<string>, name: string) =>
  [...packages].some((file) => file.startsWith(`${name}/`));

describe.each(functions.map((fn) => [fn.name, fn] as const))('the %s bundle', (_, fn) => {
  it('holds the AWS clients its catalogue access names, and no other', () => {
    const packages = bundledPackages(fn);
    const bundled = Object.keys(clients).filter((client) => has(packages, client));
    const entitled = Object.entries(clients)
      .filter(([, entitles]) => entitles(fn))
      .map(([client]) => client);
    expect(bundled).toEqual(entitled);
  });

  it("names the case table's store groups its table access entitles it to, and no other", () => {
    const packages = bundledPackages(fn);
    const named = Object.keys(storeGroups).filter((group) =>
      packages.has(`shared/adapters/wiring/${group}.ts`),
    );
    const entitled = Object.entries(storeGroups)
      .filter(([, entitles]) => entitles(fn))
      .map(([group]) => group);
    expect(named).toEqual(entitled);
  });

  it('wires every store of the case table its bundled use cases name (`deps.<port>`, or destructured)', () => {
    const sources = [...bundledPackages(fn)]
      .filter((file) => /^(shared\/use-cases|functions)\//.test(file))
      .map((file) => readFileSync(path.join(projectRoot, file), 'utf8'));
    const storePorts = Object.entries(groupOfPort)
      .filter(([, group]) => kebab(group) in storeGroups)
      .map(([port]) => port);
    const named = storePorts.filter((port) => {
      const use = new RegExp(
        `deps\\.${port}\\b|\\{[^}]*\\b${port}\\b[^}]*\\}\\s*(=\\s*deps|:\\s*(Pick<)?Dependencies)`,
      );
      return sources.some((source) => use.test(source));
    });
    const unwired = named.filter(
      (port) =>
        !bundledPackages(fn).has(
          `shared/adapters/wiring/${kebab(groupOfPort[port as keyof typeof groupOfPort])}.ts`,
        ),
    );
    expect(unwired).toEqual(unreachedPorts[fn.name] ?? []);
  });

  it('signs links to attachment files (the attachmentSigner group) only if its access hands them out', () => {
    const packages = bundledPackages(fn);
    expect(packages.has('shared/adapters/wiring/attachment-signer.ts')).toBe(
      fn.access.attachmentLinks !== undefined,
    );
    expect(sdkPresigners.filter((name) => has(packages, name))).toEqual([]);
    // S3 honours a link under the signer's role: a download needs a read grant, an upload a write grant.
    const granted = { download: ['read', 'readWrite'], upload: ['readWrite'] };
    if (fn.access.attachmentLinks) {
      expect(granted[fn.access.attachmentLinks]).toContain(fn.access.attachmentFiles);
    }
  });

  it('carries the mail parser only if its access reads raw inbound mail', () => {
    const packages = bundledPackages(fn);
    const bundled = mailParser.filter((name) => has(packages, name));
    expect(bundled).toEqual(fn.access.readInboundMail ? mailParser : []);
    expect(formerMailParser.filter((name) => has(packages, name))).toEqual([]);
  });

  it('carries no credential provider but the environment and container ones', () => {
    const packages = bundledPackages(fn);
    expect(credentialChain.filter((name) => has(packages, name))).toEqual([]);
    if (Object.keys(clients).some((client) => has(packages, client))) {
      expect(has(packages, '@aws-sdk/credential-provider-env')).toBe(true);
    }
  });

  it("carries the endpoint cache's LRU as a Map, not mnemonist's", () => {
    const packages = bundledPackages(fn);
    expect(['mnemonist', 'obliterator'].filter((name) => has(packages, name))).toEqual([]);
    if (has(packages, '@aws-sdk/endpoint-cache')) {
      expect(packages.has('shared/adapters/endpoint-lru.ts')).toBe(true);
    }
  });

  it('carries no X-Ray SDK and no zod locale but English', () => {
    const packages = bundledPackages(fn);
    expect(has(packages, '@aws-lambda-powertools/tracer')).toBe(false);
    expect(has(packages, 'aws-xray-sdk-core')).toBe(false);
    const locales = [...packages].filter((file) => /^zod\/.*\/locales\/(?!index)/.test(file));
    // English is loaded wherever zod is (shared/zod.ts): the API's messages do not depend on the import order.
    expect(locales.map((file) => path.basename(file))).toEqual(has(packages, 'zod') ? ['en.js'] : []);
  });

  it("carries zod's functional API (zod/mini), not the classic one nor its JSON Schema generator", () => {
    const packages = bundledPackages(fn);
    expect(has(packages, 'zod/v4/classic')).toBe(false);
    expect([...packages].filter((file) => /^zod\/.*json-schema/.test(file))).toEqual([]);
  });
});

describe('the category keywords', () => {
  // The keyword tables (about 12 KB) are built in a pure call (shared/domain/category-inference.ts), so a
  // function that only imports a constant from a module beside them does not carry them.
  const classifying = ['SubmitCase', 'IntakeConsumer', 'InboundEmailConsumer', 'InboundSmsConsumer'];
  it('are bundled only where a case is classified: submitting one (by route, email or SMS) and intake', () => {
    const carrying = functions
      .filter((fn) => [...bundledPackages(fn)].some((file) => file.endsWith('domain/category-inference.ts')))
      .map((fn) => fn.name);
    expect(carrying.sort()).toEqual([...classifying].sort());
  });
});

describe('the notification consumers', () => {
  it.each([
    ['NotificationConsumer', '@aws-sdk/client-sesv2', '@aws-sdk/client-pinpoint-sms-voice-v2'],
    ['SmsNotificationConsumer', '@aws-sdk/client-pinpoint-sms-voice-v2', '@aws-sdk/client-sesv2'],
  ])('bundle %s with its own channel’s client only', (name, own, other) => {
    const fn = functions.find((candidate) => candidate.name === name);
    if (!fn) throw new Error(`No catalogue entry ${name}`);
    const packages = bundledPackages(fn);
    expect([has(packages, own), has(packages, other)]).toEqual([true, false]);
  });
});

describe('an SDK client in a bundle', () => {
  const variables = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'];
  const saved = Object.fromEntries(variables.map((name) => [name, process.env[name]]));
  let probe: { credentials(): Promise<{ accessKeyId: string; sessionToken?: string }> };

  beforeAll(async () => {
    await build({
      ...esbuildOptionsOf(functionBundling),
      entryPoints: { probe: path.join(import.meta.dirname, 'fixtures/credentials-probe.ts') },
      outdir,
      outExtension: { '.js': '.mjs' },
      logLevel: 'error',
    });
    probe = await import(path.join(outdir, 'probe.mjs'));
  });

  afterAll(() => {
    for (const name of variables) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it("signs with the role's credentials Lambda puts in the environment", async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDLAMBDA', AWS_SECRET_ACCESS_KEY: 'secret' });
    process.env.AWS_SESSION_TOKEN = 'session';
    expect(await probe.credentials()).toMatchObject({ accessKeyId: 'AKIDLAMBDA', sessionToken: 'session' });
  });

  it('says which providers it carries when there are no credentials, and reads no profile', async () => {
    for (const name of variables) delete process.env[name];
    process.env.AWS_PROFILE = 'default';
    await expect(probe.credentials()).rejects.toThrow(/No AWS credentials.*infra\/stack\/bundling\.ts/);
  });
});
