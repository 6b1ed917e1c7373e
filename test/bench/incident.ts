// Incident fan-out at scale (issue 10 "Scale"): one incident declared over HTTP on a sandbox with
// BENCH_INCIDENT_RECIPIENTS (10,000) customers without a case, each on a waybill of its own. The fan-out
// queue turns pages of 100 into outbox notices and the notification consumer delivers them, as in AWS.
// Sends are counted from the SES emulator's store (distinct recipients and total), not from the product's
// own counters, which are shown beside them.
//   BENCH_INCIDENT_RECIPIENTS=10000 (default) · BENCH_INCIDENT_TIMEOUT_MINUTES=60 (default)
import { startSandboxProcess } from '../support/sandbox-process.ts';
import { type BenchTable, progress, verdict } from './report.ts';

interface StoredEmail {
  destination: { to: string[] };
  subject: string;
}

export async function incidentTable(): Promise<BenchTable> {
  const recipients = Number(process.env.BENCH_INCIDENT_RECIPIENTS ?? 10_000);
  const timeoutMs = Number(process.env.BENCH_INCIDENT_TIMEOUT_MINUTES ?? 60) * 60_000;
  progress(`Incident: ${recipients.toLocaleString('en')} recipients through a sandbox…`);
  // Schedules off: no sweep re-queues notices behind the consumer's back, so every send is the fan-out's.
  // The SES inbox stays in memory: rewriting 10,000 mails to disk every second would measure the disk.
  const sandbox = await startSandboxProcess({
    SANDBOX_SCHEDULES: 'off',
    SANDBOX_DYNAMODB: 'memory',
    SANDBOX_SES_INBOX: 'memory',
  });
  try {
    const stamp = Date.now().toString(36);
    const address = (n: number) => `incident.${stamp}.${n}@example.com`;
    const contacts = Array.from({ length: recipients }, (_, n) => ({
      trackingNumber: `SF${stamp.toUpperCase()}${String(n).padStart(6, '0')}`,
      email: address(n),
      locale: n % 2 === 0 ? 'zh-CN' : 'en',
    }));
    const manager = sandbox.token('manager', 'max', 'max@carrier.example');
    const started = performance.now();
    const declared = await sandbox.api('POST', '/agent/incidents', {
      token: manager,
      body: {
        title: '华北暴雪：北京转运中心停运',
        cause: 'weather',
        trackingNumbers: contacts.map((contact) => contact.trackingNumber),
        message: {
          'zh-CN': '华北暴雪，北京转运中心暂停发运，恢复后优先派送。',
          en: 'Snow has closed the Beijing hub; your parcel goes first once it reopens.',
        },
        expectedBy: new Date(Date.now() + 2 * 86_400_000).toISOString(),
        contacts,
      },
    });
    const answeredMs = performance.now() - started;
    if (declared.status !== 201)
      throw new Error(`Declaring answered ${declared.status}: ${JSON.stringify(declared.body)}`);
    const { incidentId } = declared.body as { incidentId: string };
    let queuedAtMs: number | null = null;
    let progressCounts = { queued: 0, sent: 0, skipped: 0, failed: 0 };
    await sandbox.waitFor(
      async () => {
        const view = await sandbox.api('GET', `/agent/incidents/${incidentId}`, { token: manager });
        progressCounts = view.body.notifications;
        if (queuedAtMs === null && progressCounts.queued >= recipients)
          queuedAtMs = performance.now() - started;
        const settled = progressCounts.sent + progressCounts.skipped + progressCounts.failed;
        progress(
          `  ${((performance.now() - started) / 1000).toFixed(0)} s: ${JSON.stringify(progressCounts)}`,
        );
        if (settled >= recipients) return true;
        // The view reads every page of waybills: ask every few seconds, not every 200 ms.
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        return false;
      },
      'every notice settled',
      timeoutMs,
    );
    const settledMs = performance.now() - started;
    // A settled notice was sent before it was marked: the store has it. Wait for SES's own count anyway.
    const store = (await (await fetch(`${sandbox.sesUrl}/store`)).json()) as { emails: StoredEmail[] };
    const mine = store.emails.filter((email) => email.destination.to.some((to) => to.includes(`.${stamp}.`)));
    const distinct = new Set(mine.flatMap((email) => email.destination.to)).size;
    const exact = mine.length === recipients && distinct === recipients;
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    const text = [
      `| ${recipients.toLocaleString('en')} recipients, one incident | value |`,
      '|---|---:|',
      `| \`POST /agent/incidents\` answered (${(JSON.stringify(contacts).length / 1024).toFixed(0)} KiB body) | ${seconds(answeredMs)} s |`,
      `| every notice in the outbox (progress \`queued\`) | ${queuedAtMs === null ? 'n/a' : `${seconds(queuedAtMs)} s`} |`,
      `| every notice settled (fan-out time) | ${seconds(settledMs)} s |`,
      `| sends per second, declaration to last settled | ${(recipients / (settledMs / 1000)).toFixed(1)} |`,
      `| emails in the SES emulator's store for these recipients | ${mine.length.toLocaleString('en')} |`,
      `| distinct recipients among them | ${distinct.toLocaleString('en')} |`,
      `| the incident's own counters | queued ${progressCounts.queued}, sent ${progressCounts.sent}, skipped ${progressCounts.skipped}, failed ${progressCounts.failed} |`,
      '',
      `Target (exactly ${recipients.toLocaleString('en')} sends, one per recipient, counted in the SES emulator): ${verdict(exact)}.`,
      "Sandbox with schedules off and DynamoDB Local in memory; the notification consumer runs at the concurrency the catalogue derives from the default send rates (SES 14/s, SMS 10/s), so the fan-out time here is the sandbox's sending rate on this machine, not AWS's.",
    ].join('\n');
    return { title: 'Incident fan-out', text, met: exact };
  } finally {
    await sandbox.stop();
  }
}
