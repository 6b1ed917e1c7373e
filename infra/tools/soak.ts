// npm run soak: the proof that notifications are sent exactly once and never lost, with counts.
// Starts the sandbox in this process, once per scenario (faults are set at start), and checks:
//   1. with SES failing 30 % of calls, N submitted cases produce exactly N acknowledgement emails;
//   2. with every queue message delivered twice, no email is duplicated;
//   3. a bounced address (SES's bounce simulator) receives nothing more after the bounce;
//   4. quiet hours hold an SMS until 08:00 Beijing time, when the dispatch job sends it.
// Exits non-zero if any count is wrong. SOAK_CASES (default 500) and SOAK_DUPLICATE_CASES (200) size it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beijingDate } from '#domain/beijing-time';
import { parseCli } from './cli.ts';

parseCli({
  help: `Usage: npm run soak

Starts the sandbox in this process once per scenario and checks, with counts, that notifications are
sent exactly once and never lost: SES failing 30 % of calls, every message delivered twice, a bounced
address, an SMS held through the quiet hours. Exits 1 if any count is wrong. Needs Java 17+.
  SOAK_CASES (500) and SOAK_DUPLICATE_CASES (200) size it.`,
  options: {},
});

// Before the first import of the product: the logger reads its level once, the consumers their backoff.
process.env.RETRY_BASE_SECONDS ??= '1';
process.env.RETRY_MAX_SECONDS ??= '2';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const { startSandbox } = await import('../sandbox/sandbox.ts');
const { freePort } = await import('../sandbox/emulators.ts');
const { simulatorAddresses } = await import('../sandbox/ses-event-simulator.ts');
const { dependencies } = await import('#adapters/dependencies');

type RunningSandbox = Awaited<ReturnType<typeof startSandbox>>;
type SandboxOptions = Parameters<typeof startSandbox>[0];

interface StoredEmail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
}

interface Result {
  scenario: string;
  lines: string[];
  passed: boolean;
  seconds: number;
}

const runId = randomBytes(3).toString('hex');

/** An inquiry (no waybill, so never linked as a duplicate) from the given customer. */
function anInquiry(overrides: { customer: { email?: string; phone?: string; locale?: 'zh-CN' | 'en' } }) {
  return {
    type: 'inquiry',
    subject: '快递到北京需要几天？',
    description: '我想从上海寄一个包裹到北京，特快需要几天？',
    customer: { name: '李四', locale: 'zh-CN', ...overrides.customer },
    consent: { dataProcessing: true },
  };
}
const caseCount = Number(process.env.SOAK_CASES ?? 500);
const duplicateCaseCount = Number(process.env.SOAK_DUPLICATE_CASES ?? 200);

async function withSandbox<T>(
  options: Pick<SandboxOptions, 'faults' | 'duplicateDelivery'>,
  run: (sandbox: RunningSandbox, log: string[]) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'parcel-care-soak-'));
  const log: string[] = [];
  const sandbox = await startSandbox({
    port: await freePort(),
    dynamoDbPort: await freePort(),
    sqsPort: await freePort(),
    sesPort: await freePort(),
    dataDir,
    schedules: false,
    log: (line) => log.push(line),
    ...options,
  });
  try {
    return await run(sandbox, log);
  } finally {
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function api<T = unknown>(sandbox: RunningSandbox, method: string, route: string, body?: unknown) {
  const response = await fetch(`${sandbox.url}${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Submits with a few requests in flight at once; returns each accepted case with its address. */
async function submitAll<C>(
  sandbox: RunningSandbox,
  customers: C[],
  bodyOf: (customer: C) => unknown,
  concurrency = 16,
): Promise<Array<{ caseId: string; customer: C }>> {
  const accepted: Array<{ caseId: string; customer: C }> = [];
  let next = 0;
  const worker = async () => {
    while (next < customers.length) {
      const customer = customers[next++]!;
      const response = await api<{ caseId: string }>(sandbox, 'POST', '/cases', bodyOf(customer));
      if (response.status === 201) accepted.push({ caseId: response.body.caseId, customer });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return accepted;
}

async function emailsIn(sandbox: RunningSandbox): Promise<StoredEmail[]> {
  return ((await (await fetch(`${sandbox.endpoints.ses}/store`)).json()) as { emails: StoredEmail[] }).emails;
}

interface QueueState {
  name: string;
  visible: number;
  inFlight: number;
  delayed: number;
  deadLetters: number;
}

async function queuesOf(sandbox: RunningSandbox): Promise<QueueState[]> {
  return (await api<{ queues: QueueState[] }>(sandbox, 'GET', '/_sandbox/queues')).body.queues;
}

/** Until every queue is empty twice in a row (failed records wait out their backoff in flight). */
async function waitForQuiet(sandbox: RunningSandbox, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  let quiet = 0;
  while (Date.now() < until) {
    const busy = (await queuesOf(sandbox)).some((q) => q.visible + q.inFlight + q.delayed > 0);
    quiet = busy ? 0 : quiet + 1;
    if (quiet >= 3) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

/** Acknowledgements per case, matched by the case's own address and its case number in the subject. */
function countPerCase(emails: StoredEmail[], cases: Array<{ caseId: string; customer: string }>) {
  const perCase = new Map(cases.map(({ caseId }) => [caseId, 0]));
  const caseOf = new Map(cases.map(({ caseId, customer }) => [customer, caseId]));
  for (const email of emails) {
    for (const to of email.destination.to) {
      const caseId = caseOf.get(to);
      if (caseId && email.subject.includes(caseId)) perCase.set(caseId, (perCase.get(caseId) ?? 0) + 1);
    }
  }
  const counts = [...perCase.values()];
  return {
    emails: counts.reduce((sum, n) => sum + n, 0),
    exactlyOne: counts.filter((n) => n === 1).length,
    none: counts.filter((n) => n === 0).length,
    more: counts.filter((n) => n > 1).length,
  };
}

/** What the sandbox logged besides its start-up notes: consumer errors, simulator errors. */
function problems(log: string[]): string[] {
  const errors = log.filter((line) => !/^(Fault injection|Duplicate delivery):/.test(line));
  return errors.length > 0
    ? [`sandbox log: ${errors.length} error line(s), first: ${errors[0]!.slice(0, 200)}`]
    : [];
}

const deadLetters = (queues: QueueState[]) => queues.reduce((sum, q) => sum + q.deadLetters, 0);
const percent = (part: number, whole: number) => (whole === 0 ? '0' : ((100 * part) / whole).toFixed(1));

async function timed(scenario: string, run: () => Promise<Omit<Result, 'scenario' | 'seconds'>>) {
  const started = Date.now();
  process.stdout.write(`\n${scenario}\n`);
  try {
    const result = await run();
    const seconds = (Date.now() - started) / 1000;
    for (const line of result.lines) process.stdout.write(`   ${line}\n`);
    process.stdout.write(`   ${result.passed ? 'PASS' : 'FAIL'} in ${seconds.toFixed(1)} s\n`);
    return { scenario, seconds, ...result };
  } catch (error) {
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`   FAIL: ${(error as Error).stack ?? error}\n`);
    return { scenario, seconds, lines: [], passed: false };
  }
}

async function acknowledgementsUnderFaults(): Promise<Omit<Result, 'scenario' | 'seconds'>> {
  return withSandbox({ faults: { ses: 0.3 } }, async (sandbox, log) => {
    const addresses = Array.from({ length: caseCount }, (_, i) => `soak-${runId}-ses-${i}@example.com`);
    const cases = (await submitAll(sandbox, addresses, (email) => anInquiry({ customer: { email } }))).map(
      ({ caseId, customer }) => ({ caseId, customer }),
    );
    const quiet = await waitForQuiet(sandbox, 240_000);
    const counts = countPerCase(await emailsIn(sandbox), cases);
    const ses = sandbox.faults.stats().ses ?? { calls: 0, failed: 0 };
    const dead = deadLetters(await queuesOf(sandbox));
    // Each claim counts an attempt: more than one means the queue brought the message back after a failure.
    const deps = await dependencies();
    const attempts = await Promise.all(
      cases.map(
        async ({ caseId }) =>
          (await deps.outbox.getNotification(caseId, `${caseId}.ack.email`))?.attempts ?? 0,
      ),
    );
    const retried = attempts.filter((n) => n > 1).length;
    return {
      lines: [
        `submitted ${caseCount}, accepted ${cases.length}; acknowledgement emails ${counts.emails}`,
        `cases with exactly one ${counts.exactlyOne}, with none ${counts.none}, with more than one ${counts.more}`,
        `SES calls ${ses.calls}, failed by the fault proxy ${ses.failed} (${percent(ses.failed, ses.calls)} %); the SDK retried most, the queue retried ${retried} notification(s) (at most ${Math.max(0, ...attempts)} receives)`,
        `dead letters ${dead}; queues drained: ${quiet}`,
        ...problems(log),
      ],
      passed:
        cases.length === caseCount &&
        counts.emails === caseCount &&
        counts.exactlyOne === caseCount &&
        dead === 0 &&
        quiet,
    };
  });
}

async function acknowledgementsDeliveredTwice(): Promise<Omit<Result, 'scenario' | 'seconds'>> {
  return withSandbox({ duplicateDelivery: true }, async (sandbox, log) => {
    const addresses = Array.from(
      { length: duplicateCaseCount },
      (_, i) => `soak-${runId}-dup-${i}@example.com`,
    );
    const cases = await submitAll(sandbox, addresses, (email) => anInquiry({ customer: { email } }));
    const quiet = await waitForQuiet(sandbox, 180_000);
    const counts = countPerCase(await emailsIn(sandbox), cases);
    const dead = deadLetters(await queuesOf(sandbox));
    return {
      lines: [
        `submitted ${duplicateCaseCount}, accepted ${cases.length}; every intake and notification batch delivered twice, concurrently`,
        `acknowledgement emails ${counts.emails}: exactly one ${counts.exactlyOne}, none ${counts.none}, duplicated ${counts.more}; dead letters ${dead}`,
        ...problems(log),
      ],
      passed:
        counts.emails === duplicateCaseCount && counts.more === 0 && counts.none === 0 && dead === 0 && quiet,
    };
  });
}

async function bouncedAddress(): Promise<Omit<Result, 'scenario' | 'seconds'>> {
  return withSandbox({}, async (sandbox) => {
    const address = simulatorAddresses.bounce;
    // The SES emulator's store outlives a sandbox in this process: count what is new.
    const before = new Set((await emailsIn(sandbox)).map((email) => email.messageId));
    const newMailTo = async () =>
      (await emailsIn(sandbox)).filter(
        (email) => !before.has(email.messageId) && email.destination.to.includes(address),
      );
    const body = () => anInquiry({ customer: { email: address } });

    const [first] = await submitAll(sandbox, [address], body);
    await waitForQuiet(sandbox, 30_000);
    const afterFirst = (await newMailTo()).length;
    // The simulator looks at the store every 500 ms; then the bounce goes through the emailEvents queue.
    const deps = await dependencies();
    const hash = deps.keyring.hashContact(address);
    let suppression = await deps.contacts.getSuppression(hash);
    for (let tries = 0; !suppression && tries < 40; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      suppression = await deps.contacts.getSuppression(hash);
    }

    const later = await submitAll(sandbox, [address, address, address], body, 1);
    await waitForQuiet(sandbox, 30_000);
    const afterLater = (await newMailTo()).length;
    const statuses = await Promise.all(
      later.map(
        async ({ caseId }) => (await deps.outbox.getNotification(caseId, `${caseId}.ack.email`))?.status,
      ),
    );
    const firstTimeline = first ? (await deps.cases.getCaseWithTimeline(first.caseId))?.timeline : [];
    const noted = (firstTimeline ?? []).some((entry) => entry.kind === 'email_bounced');
    return {
      lines: [
        `first case: ${afterFirst} email to ${address}; bounce event queued and consumed: address suppressed ${suppression ? `(${suppression.reason})` : 'NO'}, noted on the case ${noted}`,
        `3 later cases from the same address: ${afterLater - afterFirst} more emails; their acknowledgements ${statuses.join(', ')}`,
      ],
      passed:
        afterFirst === 1 &&
        suppression?.reason === 'bounce' &&
        noted &&
        afterLater === 1 &&
        statuses.every((status) => status === 'suppressed'),
    };
  });
}

async function quietHours(): Promise<Omit<Result, 'scenario' | 'seconds'>> {
  return withSandbox({}, async (sandbox) => {
    // 22:00 Beijing time tomorrow, and 07:59 and 08:00 the morning after.
    const beijingDay = beijingDate(new Date(Date.now() + 86_400_000));
    const evening = `${beijingDay}T14:00:00.000Z`;
    const morning = new Date(Date.parse(evening) + 10 * 3600_000);
    const phone = `+86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const textsTo = async () =>
      (await api<{ messages: Array<{ to: string }> }>(sandbox, 'GET', '/_sandbox/sms')).body.messages.filter(
        (sms) => sms.to === phone,
      ).length;
    const runJob = async () => api(sandbox, 'POST', '/_sandbox/jobs/survey-dispatch');

    try {
      await api(sandbox, 'POST', '/_sandbox/clock', { set: evening });
      const [submitted] = await submitAll(sandbox, [phone], () =>
        anInquiry({ customer: { email: undefined, phone, locale: 'zh-CN' } }),
      );
      await waitForQuiet(sandbox, 30_000);
      const atNight = await textsTo();
      const deps = await dependencies();
      const held = submitted
        ? await deps.outbox.getNotification(submitted.caseId, `${submitted.caseId}.ack.sms`)
        : null;

      await api(sandbox, 'POST', '/_sandbox/clock', {
        set: new Date(morning.getTime() - 60_000).toISOString(),
      });
      await runJob();
      const at0759 = await textsTo();
      await api(sandbox, 'POST', '/_sandbox/clock', { set: morning.toISOString() });
      await runJob();
      const at0800 = await textsTo();
      return {
        lines: [
          `phone-only case submitted at 22:00 Beijing time: ${atNight} SMS; held until ${held?.dispatchAt ?? '?'} (${held?.status ?? '?'})`,
          `dispatch job at 07:59: ${at0759} SMS; at 08:00: ${at0800} SMS`,
        ],
        passed: atNight === 0 && held?.dispatchAt === morning.toISOString() && at0759 === 0 && at0800 === 1,
      };
    } finally {
      await api(sandbox, 'POST', '/_sandbox/clock', { reset: true });
    }
  });
}

process.stdout.write(`Parcel Care soak: notifications sent exactly once, never lost (run ${runId})\n`);
const results: Result[] = [];
results.push(await timed(`1. SES failing 30 % of calls, ${caseCount} cases`, acknowledgementsUnderFaults));
results.push(
  await timed(
    `2. every queue message delivered twice, ${duplicateCaseCount} cases`,
    acknowledgementsDeliveredTwice,
  ),
);
results.push(await timed('3. a bounced address receives nothing more', bouncedAddress));
results.push(await timed('4. quiet hours hold an SMS until 08:00', quietHours));

const failed = results.filter((result) => !result.passed);
process.stdout.write(
  `\n${results.length - failed.length} of ${results.length} scenarios hold${failed.length ? `; failed: ${failed.map((r) => r.scenario).join('; ')}` : ''}\n`,
);
process.exit(failed.length === 0 ? 0 : 1);
