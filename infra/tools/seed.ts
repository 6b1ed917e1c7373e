// npm run seed: a realistic day in the running sandbox, over its HTTP API as customers and staff would
// make it: cases of every type in Chinese and English; some breached, some at risk, some being worked,
// some resolved and rated after the survey. It moves the sandbox clock forward (about 4 hours) to get
// there; `POST /_sandbox/clock {"reset": true}` brings it back.
import path from 'node:path';
import { localIssuer } from '../sandbox/local-issuer.ts';
import { parseCli } from './cli.ts';

const help = `Usage: npm run seed

Fills the running sandbox (http://127.0.0.1:$PORT, PORT default 3000; SANDBOX_DIR for its signing key)
with a realistic day: SEED_CASES (default 40) cases of every type, in Chinese and English, some breached,
some at risk, some in progress, some resolved with survey answers. Moves the sandbox clock about 4 hours
forward on the way. Start the sandbox first (npm start); npm run reset and a restart empty it again.`;
parseCli({ help, options: {} });

const base = `http://127.0.0.1:${process.env.PORT ?? '3000'}`;
const total = Math.max(10, Number(process.env.SEED_CASES ?? 40));
const runId = Date.now().toString(36).slice(-4);

interface CaseText {
  type: 'inquiry' | 'complaint' | 'exception' | 'claim' | 'suggestion';
  subject: string;
  description: string;
  locale: 'zh-CN' | 'en';
}

const texts: readonly CaseText[] = [
  {
    type: 'complaint',
    locale: 'zh-CN',
    subject: '快递员态度恶劣',
    description: '派送时快递员对我大声辱骂，还把包裹扔在门口。',
  },
  {
    type: 'complaint',
    locale: 'zh-CN',
    subject: '未经同意放快递柜',
    description: '我备注了送货上门，快递员没打电话就放进了快递柜。',
  },
  {
    type: 'complaint',
    locale: 'en',
    subject: 'Courier was rude at the door',
    description: 'The courier shouted at me and threw the parcel on the floor.',
  },
  {
    type: 'complaint',
    locale: 'en',
    subject: 'Charged twice for one shipment',
    description: 'My card was charged twice for the same waybill yesterday.',
  },
  {
    type: 'exception',
    locale: 'zh-CN',
    subject: '包裹三天没有物流更新',
    description: '显示已到达转运中心，之后三天没有任何更新。',
  },
  {
    type: 'exception',
    locale: 'zh-CN',
    subject: '外包装破损，内件摔坏',
    description: '收到时纸箱压扁，里面的陶瓷杯碎了两个。',
  },
  {
    type: 'exception',
    locale: 'en',
    subject: 'Parcel marked delivered but not received',
    description: 'Tracking says delivered at 14:02 but nothing arrived and no neighbour has it.',
  },
  {
    type: 'exception',
    locale: 'en',
    subject: 'Delivery is late',
    description: 'Express shipment promised for yesterday has not arrived yet.',
  },
  { type: 'claim', locale: 'zh-CN', subject: '丢件索赔', description: '包裹确认丢失，申请按保价金额赔偿。' },
  {
    type: 'claim',
    locale: 'en',
    subject: 'Claim for damaged laptop',
    description: 'The laptop screen arrived cracked; the box was crushed. I want compensation.',
  },
  {
    type: 'inquiry',
    locale: 'zh-CN',
    subject: '寄到北京要几天？',
    description: '从上海寄一个两公斤的包裹到北京，特快需要几天？',
  },
  {
    type: 'inquiry',
    locale: 'zh-CN',
    subject: '如何修改收件地址',
    description: '包裹还没派送，想把收件地址改到公司。',
  },
  {
    type: 'inquiry',
    locale: 'en',
    subject: 'Can I send batteries abroad?',
    description: 'I want to ship a power bank to Hong Kong. Is that allowed?',
  },
  {
    type: 'inquiry',
    locale: 'en',
    subject: 'Invoice for last month',
    description: 'Where can I download the VAT invoice for my shipments last month?',
  },
  {
    type: 'suggestion',
    locale: 'zh-CN',
    subject: '希望增加晚间派送',
    description: '上班族白天不在家，建议增加晚上七点以后的派送时段。',
  },
  {
    type: 'suggestion',
    locale: 'en',
    subject: 'Please add photo proof of delivery',
    description: 'A photo of where the parcel was left would save everyone a call.',
  },
];

const names = {
  'zh-CN': ['王芳', '李娜', '张伟', '刘洋', '陈静', '杨磊'],
  en: ['Ann Lee', 'Tom Reid', 'Maya Chen', 'Sam Ortiz'],
};

async function call(method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text.slice(0, 300)}`);
  return parsed;
}

const moveClock = (advance: string) => call('POST', '/_sandbox/clock', { advance });
const runJob = (job: string) => call('POST', `/_sandbox/jobs/${job}`);

let caseNumber = 0;
async function submit(): Promise<{ caseId: string; token: string; text: CaseText }> {
  const text = texts[caseNumber % texts.length]!;
  const people = names[text.locale];
  const name = people[caseNumber % people.length]!;
  caseNumber += 1;
  const waybill = text.type === 'complaint' || text.type === 'exception' || text.type === 'claim';
  const submitted = await call('POST', '/cases', {
    type: text.type,
    subject: text.subject,
    description: text.description,
    channel: (['web', 'app', 'phone'] as const)[caseNumber % 3],
    ...(waybill ? { trackingNumber: `SF${runId.toUpperCase()}${String(caseNumber).padStart(8, '0')}` } : {}),
    ...(text.type === 'claim' ? { claim: { amount: 300, currency: 'CNY' } } : {}),
    customer: {
      name,
      email: `seed-${runId}-${caseNumber}@example.com`,
      locale: text.locale,
      ...(caseNumber % 9 === 0 ? { type: 'enterprise' } : {}),
    },
    consent: { dataProcessing: true },
  });
  return { caseId: String(submitted.caseId), token: String(submitted.accessToken), text };
}

async function submitMany(count: number) {
  const cases = [];
  for (let index = 0; index < count; index += 1) cases.push(await submit());
  // The intake consumer classifies and routes them; the jobs route waits until the queues are drained.
  await runJob('sla-sweep');
  return cases;
}

async function main() {
  const clock = await fetch(`${base}/_sandbox/clock`, { signal: AbortSignal.timeout(2000) }).catch(
    () => null,
  );
  if (!clock?.ok) {
    console.error(
      `No sandbox answers at ${base}: start it with npm start (PORT moves it), then npm run seed.`,
    );
    process.exit(1);
  }
  const issuer = await localIssuer(path.resolve(process.env.SANDBOX_DIR ?? '.sandbox'));
  // Tokens from the sandbox's clock as it is now, so moving it later never leaves one expired.
  const staffToken = async (sub: string, role: string) => {
    const { now } = await call('GET', '/_sandbox/clock');
    return `Bearer ${await issuer.sign({ sub, roles: [role], email: `${sub}@carrier.example` }, new Date(String(now)))}`;
  };
  const share = (part: number) => Math.max(2, Math.round(total * part));

  console.log(`Seeding ${base} with ${total} cases…`);
  const willBreach = await submitMany(share(0.2));
  const willResolve = await submitMany(share(0.25));
  let agent = await staffToken('alice', 'agent');
  for (const [index, { caseId, text }] of willResolve.entries()) {
    const zh = text.locale === 'zh-CN';
    await call('POST', `/agent/cases/${caseId}/assign`, {}, { authorization: agent });
    await call(
      'POST',
      `/agent/cases/${caseId}/reply`,
      {
        message: zh
          ? '您好，我们已收到您的反馈，正在核实。'
          : 'Hello, we have your report and are looking into it.',
      },
      { authorization: agent },
    );
    if (index % 4 === 3) continue; // left in progress
    await call(
      'POST',
      `/agent/cases/${caseId}/resolve`,
      {
        resolution: zh
          ? '已与网点核实并处理，感谢您的耐心。'
          : 'We checked with the branch and sorted it out. Thank you for your patience.',
      },
      { authorization: agent },
    );
  }

  // Two hours on: the first cases missed their first response; the sweep escalates them.
  await moveClock('PT2H10M');
  await runJob('sla-sweep');
  const atRisk = await submitMany(share(0.2));
  // 100 minutes into a 2-hour first response: at risk (80 %).
  await moveClock('PT1H40M');
  await runJob('sla-sweep');
  // More than the survey delay after the resolutions: the surveys go out, and most customers answer.
  await runJob('survey-dispatch');
  let rated = 0;
  for (const [index, { caseId, token }] of willResolve.entries()) {
    if (index % 4 === 3 || index % 5 === 4) continue;
    await call(
      'POST',
      `/cases/${caseId}/feedback`,
      { score: [5, 4, 5, 3, 2][index % 5], nps: [9, 8, 10, 6, 3][index % 5] },
      { 'x-case-token': token },
    );
    rated += 1;
  }
  const fresh = await submitMany(Math.max(0, total - caseNumber));
  agent = await staffToken('alice', 'agent');
  for (const { caseId } of fresh.slice(0, Math.ceil(fresh.length / 3))) {
    await call('POST', `/agent/cases/${caseId}/assign`, {}, { authorization: agent });
  }

  const { now } = await call('GET', '/_sandbox/clock');
  console.log(`Done: ${caseNumber} cases (${willBreach.length} breached, ${atRisk.length} at risk, ${willResolve.length} worked of which ${rated} rated, ${fresh.length} new); sandbox clock ${now}.
  Queue:  AGENT=$(npm run -s token -- --role agent --sub alice); curl -s ${base}/agent/cases -H "Authorization: Bearer $AGENT"
  Report: SUP=$(npm run -s token -- --role supervisor --sub sue); curl -s "${base}/agent/reports/summary" -H "Authorization: Bearer $SUP"`);
}

main().catch((error: Error) => {
  console.error(`Seeding failed: ${error.message}`);
  process.exit(1);
});
