// Notification messages (DOMAIN.md §7). Rendered by the product rather than stored as SES templates, so the
// copy is versioned and tested with the code. Pure: every value, including the deadlines, comes in as data.

import { toBeijingWallClock } from './beijing-time.ts';
import type { CaseType, Category, EscalationLevel, Locale, Money, Team } from './case-model.ts';
import { processText, remedyText } from './process-texts.ts';
import type { Remedy } from './processes.ts';
import { categoryLabel } from './timeline-texts.ts';

export const notificationKinds = [
  'acknowledgement',
  'reply',
  'plan',
  'resolution',
  'survey',
  'duplicate_linked',
  'at_risk_reminder',
  'breach_notice',
  'erasure_confirmation',
  'incident_notice',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export const customerNotificationKinds = [
  'acknowledgement',
  'reply',
  'plan',
  'resolution',
  'survey',
  'duplicate_linked',
  'erasure_confirmation',
  'incident_notice',
] as const satisfies readonly NotificationKind[];
/** at_risk_reminder goes to the handler, breach_notice to the team lead. */
export const staffNotificationKinds = [
  'at_risk_reminder',
  'breach_notice',
] as const satisfies readonly NotificationKind[];
/** Every customer-facing kind has an SMS; staff are reached by email only. */
export const smsNotificationKinds = customerNotificationKinds;

export function hasSmsTemplate(kind: NotificationKind): boolean {
  return (smsNotificationKinds as readonly string[]).includes(kind);
}

/**
 * What causes each kind. `public`: anyone can, by a public action (an unauthenticated route, an email or SMS
 * in from any address, or a case token, which whoever submitted the case holds), naming an address nobody
 * proved. `casework`: only staff, an operator or the system acting on a case can. Only `public` kinds count
 * against the recipient's message limits, which exist so that nothing a stranger sends makes the product
 * message a third party (README "Limits"). A record, so a new kind cannot be left unclassified.
 */
export const notificationCauses: Record<NotificationKind, 'public' | 'casework'> = {
  // A submission (POST /cases, an email or SMS in) names a contact nobody proved: a stranger can name yours.
  acknowledgement: 'public',
  // Intake's notice that a new submission was linked to an open case: sent because of that submission.
  duplicate_linked: 'public',
  // Erasure asks only for the case token (POST /cases/{id}/erasure), which the submitter holds.
  erasure_confirmation: 'public',
  // Staff decisions on a case: each is an agent's or a lead's act, logged with their identity.
  reply: 'casework',
  plan: 'casework',
  resolution: 'casework',
  // Follows a resolution (staff) after a delay; the survey window already caps it per customer.
  survey: 'casework',
  // The SLA sweep (system) to staff, by email, addresses from the staff directory.
  at_risk_reminder: 'casework',
  breach_notice: 'casework',
  // A manager's incident declaration or update: staff name the waybills and contacts (bounded per declaration).
  incident_notice: 'casework',
};

/** Whether a stranger can make the product send this kind (see notificationCauses). */
export function strangerCausable(kind: NotificationKind): boolean {
  return notificationCauses[kind] === 'public';
}

// Same names as the SLA clocks; declared here so the templates do not depend on clock logic.
type ClockName =
  | 'firstResponse'
  | 'plan'
  | 'resolution'
  | 'appeal'
  | 'parcelReturn'
  | 'transfer'
  | 'appealRedo';

interface NotificationBase {
  /** The case number, e.g. CS2611230001AB. */
  caseId: string;
  recipientName?: string;
  /** Customers: a URL carrying the case token. Staff: the agent-console URL of the case. */
  caseLink?: string;
}

/** ISO-8601 instants with an explicit offset (normally UTC, `…Z`). */
export interface AcknowledgementDeadlines {
  firstResponseDueAt: string;
  planDueAt: string;
  resolutionDueAt: string;
}

/** A proposed or granted amount and the rule that produced it (DOMAIN.md §6). */
export interface Compensation extends Money {
  rule: string;
}

/**
 * The first message to an address nobody has proved yet: it echoes no customer free text (no subject, no
 * description, no name), so a stranger cannot make us mail their words to someone else. It gives the case
 * number, the category in words, the deadlines and the link.
 */
export interface AcknowledgementData extends NotificationBase {
  kind: 'acknowledgement';
  /** The category intake gave the case, named in words; left out when absent. */
  category?: Category;
  /** Names the request in the copy ("your complaint"); generic wording when absent. */
  caseType?: CaseType;
  deadlines: AcknowledgementDeadlines;
  /** The known incident the parcel is caught in (linked at intake): its cause and expected date. */
  incident?: IncidentFacts;
}

/** Incident causes, named here so the templates do not depend on incident logic (shared/domain/incident.ts). */
type IncidentCause = 'weather' | 'force_majeure' | 'operations' | 'other';

export interface IncidentFacts {
  incidentId: string;
  cause: IncidentCause;
  expectedBy?: string;
}

/**
 * A delay notice of an incident: to the customer of an open case on the waybill, or to a customer without a
 * case (the proactive notice). `caseId` is the outbox owner; the case number is `linkedCaseId` when there is
 * a case. The message is the manager's text in the recipient's language.
 */
export interface IncidentNoticeData extends NotificationBase {
  kind: 'incident_notice';
  incidentId: string;
  trackingNumber: string;
  linkedCaseId?: string;
  cause: IncidentCause;
  stage: 'declared' | 'update' | 'closed';
  message: string;
  expectedBy?: string;
}

export interface ReplyData extends NotificationBase {
  kind: 'reply';
  message: string;
}

/** The processes' additions to a plan or resolution (README "Processes"). */
export interface RemedyFacts {
  /** A non-cash remedy: re-ship, free replacement or re-send. */
  remedy?: Remedy;
  /** The cause was force majeure; the customer is told, with its effect on compensation. */
  forceMajeure?: true;
}

export interface PlanData extends NotificationBase, RemedyFacts {
  kind: 'plan';
  message: string;
  compensation?: Compensation;
}

export interface ResolutionData extends NotificationBase, RemedyFacts {
  kind: 'resolution';
  resolution: string;
  compensation?: Compensation;
}

export interface SurveyData extends NotificationBase {
  kind: 'survey';
  /** Carries the case token, so it is added at delivery; the SMS refuses to go without it. */
  surveyLink?: string;
}

export interface DuplicateLinkedData extends NotificationBase {
  kind: 'duplicate_linked';
  /** The open case the new one was linked to. */
  existingCaseId: string;
}

export interface AtRiskReminderData extends NotificationBase {
  kind: 'at_risk_reminder';
  clock: ClockName;
  dueAt: string;
  subject?: string;
}

export interface BreachNoticeData extends NotificationBase {
  kind: 'breach_notice';
  clock: ClockName;
  dueAt: string;
  /** The level the case was escalated to by this breach. */
  escalationLevel: EscalationLevel;
  team: Team;
  subject?: string;
}

/** The last message to a customer who asked for erasure: sent before their address is erased, so it names no one. */
export interface ErasureConfirmationData extends NotificationBase {
  kind: 'erasure_confirmation';
  /** How many cases were anonymised. */
  erasedCases: number;
}

export type NotificationData =
  | ErasureConfirmationData
  | AcknowledgementData
  | ReplyData
  | PlanData
  | ResolutionData
  | SurveyData
  | DuplicateLinkedData
  | AtRiskReminderData
  | BreachNoticeData
  | IncidentNoticeData;
export type NotificationDataOf<K extends NotificationKind> = Extract<NotificationData, { kind: K }>;

/** The links of a message carry the case token (or lead to the agent console), so delivery adds them. */
export type NotificationLinks = Pick<NotificationBase, 'caseLink'> & Pick<SurveyData, 'surveyLink'>;

/** What a decision says for each kind, beyond whom it concerns: the template's values without the links. */
export type NotificationDetails = {
  [K in NotificationKind]: Omit<
    NotificationDataOf<K>,
    'kind' | keyof NotificationBase | keyof NotificationLinks
  >;
};

/** The values a notification is decided with and kept with in the outbox until delivery adds the links. */
export type NotificationPayload<K extends NotificationKind> = { kind: K } & Omit<
  NotificationBase,
  'caseLink'
> &
  NotificationDetails[K];

export interface RenderOptions {
  /** The carrier's name, as it should appear in 【…】 / […]; defaults to 包裹客服 / Parcel Care. */
  brandName?: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

const defaultBrandName: Record<Locale, string> = { 'zh-CN': '包裹客服', en: 'Parcel Care' };

export function renderEmail<K extends NotificationKind>(
  kind: K,
  locale: Locale,
  data: NotificationDataOf<K>,
  options: RenderOptions = {},
): RenderedEmail {
  const notification = checkedData(kind, locale, data);
  const brand = brandNameFor(locale, options);
  const email = locale === 'zh-CN' ? zhEmail(notification, brand) : enEmail(notification, brand);
  const subject = singleLine(email.subject);
  return { subject, html: emailHtml(locale, subject, email), text: emailText(locale, email) };
}

/**
 * A short message for the customer. zh-CN aims at one 70-character segment and en at one 160-character
 * segment; agent text is cut to fit, but the case number, deadlines, amounts and links never are.
 */
export function renderSms<K extends NotificationKind>(
  kind: K,
  locale: Locale,
  data: NotificationDataOf<K>,
  options: RenderOptions = {},
): string {
  const notification = checkedData(kind, locale, data);
  const brand = brandNameFor(locale, options);
  if (notification.kind === 'at_risk_reminder' || notification.kind === 'breach_notice') {
    throw new RangeError(`There is no SMS template for ${notification.kind}; staff are notified by email`);
  }
  return locale === 'zh-CN' ? zhSms(notification, brand) : enSms(notification, brand);
}

// ── Formatting ──────────────────────────────────────────────────────────────────────────────────────────

const explicitOffset = /(?:Z|[+-]\d{2}:?\d{2})$/i;

interface BeijingTime {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
}

function toBeijingTime(instant: string): BeijingTime {
  // Without an offset Date.parse would read the string in the server's zone, which differs per machine.
  const epochMs = explicitOffset.test(instant) ? Date.parse(instant) : Number.NaN;
  if (Number.isNaN(epochMs)) throw new RangeError(`Not an ISO-8601 instant with an offset: ${instant}`);
  const local = toBeijingWallClock(new Date(epochMs));
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    year: String(local.getUTCFullYear()),
    month: pad(local.getUTCMonth() + 1),
    day: pad(local.getUTCDate()),
    hour: pad(local.getUTCHours()),
    minute: pad(local.getUTCMinutes()),
  };
}

/** `2026-11-23 16:00 (北京时间)` / `2026-11-23 16:00 (Beijing time, UTC+8)`, to the minute. */
export function formatBeijingTime(instant: string, locale: Locale): string {
  const t = toBeijingTime(instant);
  const zone = locale === 'zh-CN' ? '北京时间' : 'Beijing time, UTC+8';
  return `${t.year}-${t.month}-${t.day} ${t.hour}:${t.minute} (${zone})`;
}

/** `¥54.00` in Chinese, `54.00 CNY` in English; other currencies by their code in both. */
export function formatMoney(money: Money, locale: Locale): string {
  if (!Number.isFinite(money.amount)) throw new RangeError(`Not an amount: ${money.amount}`);
  const amount = new Intl.NumberFormat('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(money.amount);
  const currency = money.currency.toUpperCase();
  return locale === 'zh-CN' && currency === 'CNY' ? `¥${amount}` : `${amount} ${currency}`;
}

function checkedData(kind: NotificationKind, locale: Locale, data: NotificationData): NotificationData {
  if (data.kind !== kind) throw new RangeError(`Notification data is for ${data.kind}, not ${kind}`);
  if (locale !== 'zh-CN' && locale !== 'en') throw new RangeError(`Unsupported locale: ${String(locale)}`);
  return data;
}

function brandNameFor(locale: Locale, options: RenderOptions): string {
  return options.brandName?.trim() || defaultBrandName[locale];
}

function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

// ── Email content, one builder per locale ───────────────────────────────────────────────────────────────

type Block =
  | { type: 'paragraph'; text: string }
  | { type: 'quote'; text: string }
  | { type: 'fields'; rows: readonly (readonly [label: string, value: string])[] }
  | { type: 'link'; label: string; href: string };

interface EmailContent {
  subject: string;
  heading: string;
  greeting: string;
  blocks: Block[];
  signOff: string[];
  footer: string;
}

const paragraph = (text: string): Block => ({ type: 'paragraph', text });

/** The remedy and a force-majeure cause of a plan or resolution, as email blocks in the customer's language. */
function remedyBlocks(locale: Locale, data: RemedyFacts): Block[] {
  return [
    ...(data.remedy ? [fields([processText(locale, 'remedy_label'), remedyText(locale, data.remedy)])] : []),
    ...(data.forceMajeure ? [paragraph(processText(locale, 'force_majeure'))] : []),
  ];
}

/** The same, short, for an SMS lead. */
function smsRemedy(locale: Locale, data: RemedyFacts): string {
  const separator = locale === 'zh-CN' ? '' : '; ';
  const end = locale === 'zh-CN' ? '。' : '';
  const parts = [
    ...(data.remedy ? [remedyText(locale, data.remedy)] : []),
    ...(data.forceMajeure
      ? [
          `${processText(locale, 'force_majeure_label')}${locale === 'zh-CN' ? '：' : ': '}${processText(locale, 'force_majeure_short')}`,
        ]
      : []),
  ];
  return parts.map((part) => `${separator}${part}${end}`).join('');
}
const quote = (text: string): Block => ({ type: 'quote', text });
const fields = (...rows: (readonly [string, string])[]): Block => ({ type: 'fields', rows });
const link = (label: string, href: string | undefined): Block[] =>
  href === undefined ? [] : [{ type: 'link', label, href }];

const zhCaseType: Record<CaseType, string> = {
  inquiry: '咨询',
  complaint: '投诉',
  exception: '异常件反馈',
  claim: '理赔申请',
  suggestion: '建议',
};
const zhClock: Record<ClockName, string> = {
  firstResponse: '首次响应',
  plan: '处理方案',
  resolution: '处理完结',
  appeal: '申诉复核',
  parcelReturn: '退件/补寄',
  transfer: '转办',
  appealRedo: '申诉重新处理',
};
const zhLevel: Record<EscalationLevel, string> = { 0: '客服专员', 1: '主管', 2: '经理' };
const zhTeam: Record<Team, string> = {
  security: '信息安全组',
  branch: '网点管理组',
  operations: '运营组',
  finance: '财务组',
  service: '客服组',
};

function zhEmail(data: NotificationData, brand: string): EmailContent {
  const subject = (headline: string) => `【${brand}】${headline}（工单号：${data.caseId}）`;
  const customer = (heading: string, blocks: Block[], to: NotificationBase = data): EmailContent => ({
    subject: subject(heading),
    heading,
    greeting: to.recipientName ? `尊敬的${to.recipientName}，您好：` : '尊敬的客户，您好：',
    blocks,
    signOff: [`${brand} 敬上`],
    footer: '如需补充信息，请直接回复此邮件（请保留主题中的工单号），您的回复会加入本工单。',
  });
  /** To an address that has not proved itself: not even the name the sender typed. */
  const anonymous = (heading: string, blocks: Block[]) =>
    customer(heading, blocks, { ...data, recipientName: undefined });
  const staff = (heading: string, blocks: Block[]): EmailContent => ({
    subject: subject(heading),
    heading,
    greeting: data.recipientName ? `${data.recipientName}，您好：` : '您好：',
    blocks,
    signOff: [brand],
    footer: `此邮件由${brand}系统自动发送。`,
  });
  const compensationRows = (label: string, compensation: Compensation) =>
    fields([label, formatMoney(compensation, 'zh-CN')], ['计算依据', compensation.rule]);

  switch (data.kind) {
    case 'acknowledgement': {
      const request = data.caseType ? zhCaseType[data.caseType] : '服务请求';
      const by = (instant: string) => `${formatBeijingTime(instant, 'zh-CN')} 前`;
      return anonymous(`您的${request}已受理`, [
        paragraph(`我们已收到您的${request}，并已为您登记受理。请您记下工单号，以便后续查询。`),
        fields(
          ['工单号', data.caseId],
          ...(data.category ? [['问题类别', categoryLabel('zh-CN', data.category)] as const] : []),
        ),
        paragraph('我们将在以下处理时限内跟进您的问题：'),
        fields(
          ['首次答复', by(data.deadlines.firstResponseDueAt)],
          ['处理方案', by(data.deadlines.planDueAt)],
          ['处理结果', by(data.deadlines.resolutionDueAt)],
        ),
        ...(data.incident ? [paragraph(zhIncidentLine(data.incident))] : []),
        paragraph('客服人员将尽快与您联系。感谢您的耐心与理解！'),
        ...link('查看工单进度', data.caseLink),
      ]);
    }
    case 'reply':
      return customer('您的工单有新回复', [
        paragraph(`关于您的工单 ${data.caseId}，客服人员回复如下：`),
        quote(data.message),
        paragraph(
          data.caseLink
            ? '如需补充信息，请点击下方链接查看工单。感谢您的耐心与理解！'
            : '如需补充信息，请联系我们并提供工单号。感谢您的耐心与理解！',
        ),
        ...link('查看工单', data.caseLink),
      ]);
    case 'plan':
      return customer('您的工单处理方案', [
        paragraph(`针对您在工单 ${data.caseId} 中反映的问题，我们制定了以下处理方案：`),
        quote(data.message),
        ...(data.compensation ? [compensationRows('拟赔偿金额', data.compensation)] : []),
        ...remedyBlocks('zh-CN', data),
        paragraph('如您对处理方案有任何意见，请及时告知我们，我们将认真研究并尽快答复。'),
        ...link('查看处理方案', data.caseLink),
      ]);
    case 'resolution':
      return customer('您的工单已处理完毕', [
        paragraph(`您的工单 ${data.caseId} 已处理完毕，处理结果如下：`),
        quote(data.resolution),
        ...(data.compensation ? [compensationRows('赔偿金额', data.compensation)] : []),
        ...remedyBlocks('zh-CN', data),
        paragraph(
          data.caseLink
            ? '如您对处理结果有异议，可通过下方链接申请复核。'
            : '如您对处理结果有异议，可联系我们申请复核。',
        ),
        paragraph('感谢您的耐心与理解，祝您生活愉快！'),
        ...link('查看工单', data.caseLink),
      ]);
    case 'survey':
      return customer('邀请您评价本次服务', [
        paragraph(`感谢您的耐心等待，您的工单 ${data.caseId} 已处理完毕。`),
        paragraph('为持续改进服务质量，诚邀您花一分钟时间对本次服务进行评价：'),
        ...link('立即评价', data.surveyLink),
        paragraph('您的每一条意见都是我们改进的动力。'),
      ]);
    case 'duplicate_linked':
      return customer(`您的诉求已关联至工单 ${data.existingCaseId}`, [
        paragraph(
          `我们已收到您新提交的诉求（工单号：${data.caseId}）。经核实，该运单已有正在处理中的工单 ${data.existingCaseId}。`,
        ),
        paragraph('为便于统一跟进，我们已将两张工单关联处理，您无需重复提交，后续进展请以原工单为准。'),
        paragraph('感谢您的耐心与理解。'),
        ...link('查看工单进度', data.caseLink),
      ]);
    case 'incident_notice':
      return zhIncidentEmail(data, brand);
    case 'at_risk_reminder': {
      const clock = zhClock[data.clock];
      const due = formatBeijingTime(data.dueAt, 'zh-CN');
      return staff(`工单即将超时：${clock}`, [
        paragraph(`您负责的工单 ${data.caseId} 的${clock}时限将于 ${due} 到期，请尽快处理。`),
        fields(
          ['工单号', data.caseId],
          ...(data.subject ? [['问题主题', data.subject] as const] : []),
          ['时限类型', clock],
          ['到期时间', due],
        ),
        ...link('在工作台中打开', data.caseLink),
      ]);
    }
    case 'breach_notice': {
      const clock = zhClock[data.clock];
      const due = formatBeijingTime(data.dueAt, 'zh-CN');
      const level = zhLevel[data.escalationLevel];
      return staff(`工单已超时升级：${clock}`, [
        paragraph(`工单 ${data.caseId} 的${clock}时限已于 ${due} 超时，现已升级至${level}处理。请尽快跟进。`),
        fields(
          ['工单号', data.caseId],
          ...(data.subject ? [['问题主题', data.subject] as const] : []),
          ['负责团队', zhTeam[data.team]],
          ['时限类型', clock],
          ['到期时间', due],
          ['当前处理级别', level],
        ),
        ...link('在工作台中打开', data.caseLink),
      ]);
    }
    case 'erasure_confirmation':
      return anonymous('您的个人信息已删除', [
        paragraph(
          `根据您的申请，我们已删除您在 ${data.erasedCases} 张工单（含工单 ${data.caseId}）中的姓名、电话、邮箱等个人信息，尚未办结的工单已按您的意愿撤回。`,
        ),
        paragraph('这是我们发送给您的最后一条消息；此后原工单链接将失效，我们也不再保留您的联系方式。'),
        paragraph('感谢您曾使用我们的服务。'),
      ]);
  }
}

const enCaseType: Record<CaseType, string> = {
  inquiry: 'inquiry',
  complaint: 'complaint',
  exception: 'parcel problem report',
  claim: 'compensation claim',
  suggestion: 'suggestion',
};
const enClock: Record<ClockName, string> = {
  firstResponse: 'first response',
  plan: 'handling plan',
  resolution: 'resolution',
  appeal: 'appeal review',
  parcelReturn: 'return or re-send',
  transfer: 'transfer',
  appealRedo: 'appeal redo',
};
const enLevel: Record<EscalationLevel, string> = { 0: 'specialist', 1: 'supervisor', 2: 'manager' };
const enTeam: Record<Team, string> = {
  security: 'Information security',
  branch: 'Branch management',
  operations: 'Operations',
  finance: 'Finance',
  service: 'Customer service desk',
};

function enEmail(data: NotificationData, brand: string): EmailContent {
  const subject = (headline: string) => `[${brand}] ${headline} (case ${data.caseId})`;
  const customer = (heading: string, blocks: Block[], to: NotificationBase = data): EmailContent => ({
    subject: subject(heading),
    heading,
    greeting: to.recipientName ? `Dear ${to.recipientName},` : 'Dear customer,',
    blocks,
    signOff: ['Kind regards,', brand],
    footer:
      'To add information, reply to this email (keep the case number in the subject): your reply is added to your case.',
  });
  /** To an address that has not proved itself: not even the name the sender typed. */
  const anonymous = (heading: string, blocks: Block[]) =>
    customer(heading, blocks, { ...data, recipientName: undefined });
  const staff = (heading: string, blocks: Block[]): EmailContent => ({
    subject: subject(heading),
    heading,
    greeting: data.recipientName ? `Hello ${data.recipientName},` : 'Hello,',
    blocks,
    signOff: [brand],
    footer: `Sent automatically by ${brand}.`,
  });
  const compensationRows = (label: string, compensation: Compensation) =>
    fields([label, formatMoney(compensation, 'en')], ['How it was calculated', compensation.rule]);

  switch (data.kind) {
    case 'acknowledgement': {
      const request = data.caseType ? enCaseType[data.caseType] : 'request';
      const by = (instant: string) => `by ${formatBeijingTime(instant, 'en')}`;
      return anonymous(`We have received your ${request}`, [
        paragraph(
          `Thank you for contacting us. We have received and registered your ${request}. Please keep the case number for future reference.`,
        ),
        fields(
          ['Case number', data.caseId],
          ...(data.category ? [['Category', categoryLabel('en', data.category)] as const] : []),
        ),
        paragraph('We will follow up within these time limits:'),
        fields(
          ['First response', by(data.deadlines.firstResponseDueAt)],
          ['Handling plan', by(data.deadlines.planDueAt)],
          ['Resolution', by(data.deadlines.resolutionDueAt)],
        ),
        ...(data.incident ? [paragraph(enIncidentLine(data.incident))] : []),
        paragraph('One of our agents will be in touch shortly. Thank you for your patience.'),
        ...link('Track your case', data.caseLink),
      ]);
    }
    case 'reply':
      return customer('New reply to your case', [
        paragraph(`Our customer service team has replied to your case ${data.caseId}:`),
        quote(data.message),
        paragraph(
          data.caseLink
            ? 'If you have anything to add, please open your case using the link below. Thank you for your patience.'
            : 'If you have anything to add, please contact us and quote your case number. Thank you for your patience.',
        ),
        ...link('View your case', data.caseLink),
      ]);
    case 'plan':
      return customer('Proposed handling plan for your case', [
        paragraph(`We have prepared the following plan to address the issue in your case ${data.caseId}:`),
        quote(data.message),
        ...(data.compensation ? [compensationRows('Proposed compensation', data.compensation)] : []),
        ...remedyBlocks('en', data),
        paragraph(
          'If you have any comments on this plan, please let us know and we will get back to you promptly.',
        ),
        ...link('View the plan', data.caseLink),
      ]);
    case 'resolution':
      return customer('Your case has been resolved', [
        paragraph(`Your case ${data.caseId} has been resolved. Here is the outcome:`),
        quote(data.resolution),
        ...(data.compensation ? [compensationRows('Compensation', data.compensation)] : []),
        ...remedyBlocks('en', data),
        paragraph(
          data.caseLink
            ? 'If you disagree with the outcome, you can request a review using the link below.'
            : 'If you disagree with the outcome, please contact us to request a review.',
        ),
        paragraph('Thank you for your patience and understanding.'),
        ...link('View your case', data.caseLink),
      ]);
    case 'survey':
      return customer('How did we do?', [
        paragraph(`Thank you for your patience. Your case ${data.caseId} has been resolved.`),
        paragraph('We would be grateful if you could take a minute to rate the service you received:'),
        ...link('Rate our service', data.surveyLink),
        paragraph('Your feedback helps us improve.'),
      ]);
    case 'duplicate_linked':
      return customer(`Your request has been linked to case ${data.existingCaseId}`, [
        paragraph(
          `We have received your new request (case ${data.caseId}). The same parcel is already being handled in your open case ${data.existingCaseId}.`,
        ),
        paragraph(
          'We have linked the two so that they are handled together; there is no need to submit it again. Please follow the progress of the original case.',
        ),
        paragraph('Thank you for your patience.'),
        ...link('Track your case', data.caseLink),
      ]);
    case 'incident_notice':
      return enIncidentEmail(data, brand);
    case 'at_risk_reminder': {
      const clock = enClock[data.clock];
      const due = formatBeijingTime(data.dueAt, 'en');
      return staff(`At risk: ${clock} deadline approaching`, [
        paragraph(
          `The ${clock} deadline of your case ${data.caseId} falls due at ${due}. Please act on it soon.`,
        ),
        fields(
          ['Case number', data.caseId],
          ...(data.subject ? [['Subject', data.subject] as const] : []),
          ['Deadline', clock],
          ['Due', due],
        ),
        ...link('Open in the agent console', data.caseLink),
      ]);
    }
    case 'breach_notice': {
      const clock = enClock[data.clock];
      const due = formatBeijingTime(data.dueAt, 'en');
      const level = enLevel[data.escalationLevel];
      return staff(`Breached: ${clock} deadline missed, escalated to ${level}`, [
        paragraph(
          `Case ${data.caseId} missed its ${clock} deadline of ${due} and has been escalated to ${level} level. Please follow it up.`,
        ),
        fields(
          ['Case number', data.caseId],
          ...(data.subject ? [['Subject', data.subject] as const] : []),
          ['Team', enTeam[data.team]],
          ['Deadline', clock],
          ['Was due', due],
          ['Escalation level', level],
        ),
        ...link('Open in the agent console', data.caseLink),
      ]);
    }
    case 'erasure_confirmation':
      return anonymous('Your personal data has been erased', [
        paragraph(
          `As you asked, we have erased your name, phone number, email address and other personal data from ${data.erasedCases} case(s), including case ${data.caseId}. Cases still open were withdrawn.`,
        ),
        paragraph(
          'This is the last message we send you: the links to your cases no longer work and we no longer keep your contact details.',
        ),
        paragraph('Thank you for having used our service.'),
      ]);
  }
}

// ── Incident notices ───────────────────────────────────────────────────────────────────────────────────

const zhIncidentCause: Record<IncidentCause, string> = {
  weather: '恶劣天气',
  force_majeure: '不可抗力',
  operations: '运营异常',
  other: '突发情况',
};
const enIncidentCause: Record<IncidentCause, string> = {
  weather: 'severe weather',
  force_majeure: 'force majeure',
  operations: 'an operational disruption',
  other: 'an unforeseen event',
};
const enIncidentCauseShort: Record<IncidentCause, string> = {
  weather: 'weather',
  force_majeure: 'force majeure',
  operations: 'operations',
  other: 'incident',
};
const zhIncidentStage: Record<IncidentNoticeData['stage'], string> = {
  declared: '您的快递可能延误',
  update: '您的快递延误最新进展',
  closed: '您的快递延误已解除',
};
const enIncidentStage: Record<IncidentNoticeData['stage'], string> = {
  declared: 'Your parcel may be delayed',
  update: 'Update on the delay of your parcel',
  closed: 'The delay of your parcel is over',
};

/** What an acknowledgement says of the incident its parcel is caught in. */
function zhIncidentLine(incident: IncidentFacts): string {
  const expected = incident.expectedBy
    ? `预计 ${formatBeijingTime(incident.expectedBy, 'zh-CN')} 前送达。`
    : '恢复时间确定后我们会第一时间告知您。';
  return `您的快递受已知事件影响（原因：${zhIncidentCause[incident.cause]}，事件编号 ${incident.incidentId}），${expected}后续进展我们将主动通知您。`;
}

function enIncidentLine(incident: IncidentFacts): string {
  const expected = incident.expectedBy
    ? `We expect it by ${formatBeijingTime(incident.expectedBy, 'en')}.`
    : 'We will tell you as soon as we know when it will arrive.';
  return `Your parcel is affected by a known incident (cause: ${enIncidentCause[incident.cause]}, incident ${incident.incidentId}). ${expected} We will keep you informed.`;
}

// The notice has no case number in its subject when it goes to a customer without a case.
function zhIncidentEmail(data: IncidentNoticeData, brand: string): EmailContent {
  const heading = zhIncidentStage[data.stage];
  const caseNumber = data.linkedCaseId ? `（工单号：${data.linkedCaseId}）` : '';
  return {
    subject: `【${brand}】${heading}：运单 ${data.trackingNumber}${caseNumber}`,
    heading,
    greeting: '尊敬的客户，您好：',
    blocks: [
      paragraph(
        data.stage === 'closed'
          ? `您的运单 ${data.trackingNumber} 此前受${zhIncidentCause[data.cause]}影响，现已恢复正常。`
          : `受${zhIncidentCause[data.cause]}影响，您的运单 ${data.trackingNumber} 可能延误。我们主动告知您最新情况：`,
      ),
      quote(data.message),
      fields(
        ['运单号', data.trackingNumber],
        ...(data.linkedCaseId ? [['工单号', data.linkedCaseId] as const] : []),
        ['原因', zhIncidentCause[data.cause]],
        ...(data.expectedBy
          ? [['预计送达', `${formatBeijingTime(data.expectedBy, 'zh-CN')} 前`] as const]
          : []),
      ),
      paragraph('给您带来不便，敬请谅解。'),
      ...link('查看工单进度', data.caseLink),
    ],
    signOff: [`${brand} 敬上`],
    footer: '此邮件由系统自动发送，请勿直接回复。',
  };
}

function enIncidentEmail(data: IncidentNoticeData, brand: string): EmailContent {
  const heading = enIncidentStage[data.stage];
  const caseNumber = data.linkedCaseId ? ` (case ${data.linkedCaseId})` : '';
  return {
    subject: `[${brand}] ${heading}: parcel ${data.trackingNumber}${caseNumber}`,
    heading,
    greeting: 'Dear customer,',
    blocks: [
      paragraph(
        data.stage === 'closed'
          ? `Your parcel ${data.trackingNumber} was affected by ${enIncidentCause[data.cause]}; deliveries are back to normal.`
          : `Your parcel ${data.trackingNumber} may be delayed by ${enIncidentCause[data.cause]}. We are letting you know before you have to ask:`,
      ),
      quote(data.message),
      fields(
        ['Parcel', data.trackingNumber],
        ...(data.linkedCaseId ? [['Case number', data.linkedCaseId] as const] : []),
        ['Cause', enIncidentCause[data.cause]],
        ...(data.expectedBy ? [['Expected by', formatBeijingTime(data.expectedBy, 'en')] as const] : []),
      ),
      paragraph('We are sorry for the inconvenience.'),
      ...link('Track your case', data.caseLink),
    ],
    signOff: ['Kind regards,', brand],
    footer: 'This message was sent automatically; please do not reply to it.',
  };
}

// ── Email markup ────────────────────────────────────────────────────────────────────────────────────────

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEscapes[c]!);
}

function escapeMultiline(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim().split('\n').map(escapeHtml).join('<br>');
}

// Links end up in href attributes and SMS; only web links are ever meant to be there.
function checkedLink(href: string | undefined): string {
  if (href === undefined || !/^https?:\/\/\S+$/i.test(href))
    throw new RangeError(`Not an http(s) link: ${href}`);
  return href;
}

function safeHref(href: string): string {
  return escapeHtml(checkedLink(href));
}

const fontStack = "-apple-system, 'PingFang SC', 'Microsoft YaHei', 'Helvetica Neue', Arial, sans-serif";
const styles = {
  body: 'margin:0;padding:0;background-color:#f4f5f7;',
  card: `max-width:600px;margin:0 auto;padding:24px;background-color:#ffffff;font-family:${fontStack};font-size:14px;line-height:1.6;color:#333333;`,
  heading: 'margin:0 0 16px;font-size:18px;font-weight:bold;color:#1f2937;',
  paragraph: 'margin:0 0 12px;',
  quote: 'margin:0 0 12px;padding:12px 16px;background-color:#f7f7f7;border-left:4px solid #1a73e8;',
  table: 'margin:0 0 12px;border-collapse:collapse;',
  th: 'padding:4px 16px 4px 0;text-align:left;vertical-align:top;font-weight:normal;color:#6b7280;white-space:nowrap;',
  td: 'padding:4px 0;vertical-align:top;',
  button:
    'display:inline-block;padding:10px 20px;background-color:#1a73e8;color:#ffffff;text-decoration:none;border-radius:4px;',
  footer: 'margin:24px 0 0;font-size:12px;color:#9ca3af;',
};

function blockHtml(block: Block): string {
  switch (block.type) {
    case 'paragraph':
      return `<p style="${styles.paragraph}">${escapeMultiline(block.text)}</p>`;
    case 'quote':
      return `<div style="${styles.quote}">${escapeMultiline(block.text)}</div>`;
    case 'fields': {
      const rows = block.rows.map(
        ([label, value]) =>
          `<tr><th scope="row" style="${styles.th}">${escapeHtml(label)}</th><td style="${styles.td}">${escapeMultiline(value)}</td></tr>`,
      );
      return `<table role="presentation" style="${styles.table}">\n${rows.join('\n')}\n</table>`;
    }
    case 'link':
      return `<p style="${styles.paragraph}"><a href="${safeHref(block.href)}" style="${styles.button}">${escapeHtml(block.label)}</a></p>`;
  }
}

function emailHtml(locale: Locale, subject: string, email: EmailContent): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${locale}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    `<body style="${styles.body}">`,
    `<div style="${styles.card}">`,
    `<h1 style="${styles.heading}">${escapeHtml(email.heading)}</h1>`,
    `<p style="${styles.paragraph}">${escapeHtml(email.greeting)}</p>`,
    ...email.blocks.map(blockHtml),
    `<p style="${styles.paragraph}">${email.signOff.map(escapeHtml).join('<br>')}</p>`,
    `<p style="${styles.footer}">${escapeHtml(email.footer)}</p>`,
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function blockText(block: Block, colon: string): string {
  switch (block.type) {
    case 'paragraph':
      return block.text.trim();
    case 'quote':
      return block.text.replace(/\r\n?/g, '\n').trim();
    case 'fields':
      return block.rows.map(([label, value]) => `${label}${colon}${value}`).join('\n');
    case 'link':
      // Links are checked here too, so the text part cannot carry what the HTML part would refuse.
      return `${block.label}${colon}${checkedLink(block.href)}`;
  }
}

function emailText(locale: Locale, email: EmailContent): string {
  const colon = locale === 'zh-CN' ? '：' : ': ';
  return `${[
    email.heading,
    email.greeting,
    ...email.blocks.map((block) => blockText(block, colon)),
    email.signOff.join('\n'),
    email.footer,
  ].join('\n\n')}\n`;
}

// ── SMS ─────────────────────────────────────────────────────────────────────────────────────────────────

type SmsData = Exclude<NotificationData, AtRiskReminderData | BreachNoticeData>;

/** Segment sizes: UCS-2 (any Chinese) 70 characters, GSM-7 (plain English) 160. */
export const smsLengthLimit: Record<Locale, number> = { 'zh-CN': 70, en: 160 };
// Agent text keeps at least this much even when the fixed parts alone fill the segment.
const minimumBodyLength: Record<Locale, number> = { 'zh-CN': 12, en: 30 };

interface SmsParts {
  /** Brand, case number and every fact that must survive: never shortened. */
  lead: string;
  /** Agent text: shortened with an ellipsis to fit. */
  body?: string;
  link?: string;
}

/** Lengths are counted in UTF-16 code units, as carriers count UCS-2 characters. */
function composeSms(locale: Locale, parts: SmsParts): string {
  const zh = locale === 'zh-CN';
  const ellipsis = zh ? '…' : '...';
  const linkPart = parts.link
    ? zh
      ? `详情：${checkedLink(parts.link)}`
      : ` Details: ${checkedLink(parts.link)}`
    : '';
  let body = parts.body ? singleLine(zh ? parts.body : toGsmFriendly(parts.body)) : '';
  const separator = zh || !body ? '' : ' ';
  // zh closes the agent text with 。 before the link.
  const closing = zh && body && linkPart ? 1 : 0;
  const room = smsLengthLimit[locale] - parts.lead.length - separator.length - linkPart.length - closing;
  const keep = Math.max(room - ellipsis.length, minimumBodyLength[locale]);
  if (body.length > room && body.length > keep + ellipsis.length) {
    body = `${cutAt(body, keep).replace(/[\s,.;:!?，。、；：！？]+$/u, '')}${ellipsis}`;
  }
  if (zh && body && linkPart && !/[。！？…]$/u.test(body)) body += '。';
  return `${parts.lead}${separator}${body}${linkPart}`;
}

function cutAt(text: string, length: number): string {
  const code = text.charCodeAt(length - 1);
  const splitsSurrogatePair = code >= 0xd800 && code <= 0xdbff;
  return text.slice(0, splitsSurrogatePair ? length - 1 : length);
}

// Typographic punctuation from word processors is outside GSM-7 and would halve the English segment.
function toGsmFriendly(text: string): string {
  return text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/[–—]/g, '-').replace(/…/g, '...');
}

function smsTime(instant: string, locale: Locale): string {
  const t = toBeijingTime(instant);
  return locale === 'zh-CN'
    ? `${Number(t.month)}月${Number(t.day)}日${t.hour}:${t.minute}`
    : `${t.year}-${t.month}-${t.day} ${t.hour}:${t.minute} (UTC+8)`;
}

function zhSms(data: SmsData, brand: string): string {
  const sign = `【${brand}】`;
  const compensation = (label: string, c?: Compensation) => (c ? `${label}${formatMoney(c, 'zh-CN')}。` : '');
  switch (data.kind) {
    case 'acknowledgement': {
      const request = data.caseType ? zhCaseType[data.caseType] : '服务请求';
      const due = smsTime(data.deadlines.firstResponseDueAt, 'zh-CN');
      return composeSms('zh-CN', {
        lead: `${sign}您的${request}已受理，工单号${data.caseId}，我们将于${due}前答复您。`,
        link: data.caseLink,
      });
    }
    case 'reply':
      return composeSms('zh-CN', {
        lead: `${sign}工单${data.caseId}有新回复：`,
        body: data.message,
        link: data.caseLink,
      });
    case 'plan':
      return composeSms('zh-CN', {
        lead: `${sign}工单${data.caseId}处理方案已出。${compensation('拟赔偿', data.compensation)}${smsRemedy('zh-CN', data)}`,
        body: data.message,
        link: data.caseLink,
      });
    case 'resolution':
      return composeSms('zh-CN', {
        lead: `${sign}工单${data.caseId}已处理完毕。${compensation('赔偿', data.compensation)}${smsRemedy('zh-CN', data)}`,
        body: data.resolution,
        link: data.caseLink,
      });
    case 'survey':
      return `${sign}工单${data.caseId}已办结，诚邀您评价本次服务：${checkedLink(data.surveyLink)}`;
    case 'duplicate_linked':
      return composeSms('zh-CN', {
        lead: `${sign}您提交的工单${data.caseId}已关联至处理中的工单${data.existingCaseId}，无需重复提交，请以原工单进度为准。`,
        link: data.caseLink,
      });
    case 'erasure_confirmation':
      return `${sign}您在${data.erasedCases}张工单（含${data.caseId}）中的个人信息已按您的申请删除，这是最后一条通知。`;
    case 'incident_notice': {
      // One segment: the case number when there is a case, else the expected date.
      const about = data.linkedCaseId ? `工单${data.linkedCaseId}：` : '';
      const expected =
        !data.linkedCaseId && data.expectedBy ? `，预计${smsTime(data.expectedBy, 'zh-CN')}前送达` : '';
      const lead =
        data.stage === 'closed'
          ? `${sign}${about}运单${data.trackingNumber}延误已解除。`
          : `${sign}${about}运单${data.trackingNumber}因${zhIncidentCause[data.cause]}延误${expected}。`;
      return composeSms('zh-CN', { lead, body: data.message, link: data.caseLink });
    }
  }
}

function enSms(data: SmsData, brand: string): string {
  const sign = `${brand}:`;
  const compensation = (label: string, c?: Compensation) => (c ? `, ${label} ${formatMoney(c, 'en')}` : '');
  switch (data.kind) {
    case 'acknowledgement': {
      const request = data.caseType ? enCaseType[data.caseType] : 'request';
      const due = smsTime(data.deadlines.firstResponseDueAt, 'en');
      return composeSms('en', {
        lead: `${sign} we have received your ${request}, case ${data.caseId}. We will reply by ${due}.`,
        link: data.caseLink,
      });
    }
    case 'reply':
      return composeSms('en', {
        lead: `${sign} new reply on case ${data.caseId}:`,
        body: data.message,
        link: data.caseLink,
      });
    case 'plan':
      return composeSms('en', {
        lead: `${sign} proposed plan for case ${data.caseId}${compensation('compensation', data.compensation)}${smsRemedy('en', data)}:`,
        body: data.message,
        link: data.caseLink,
      });
    case 'resolution':
      return composeSms('en', {
        lead: `${sign} case ${data.caseId} has been resolved${compensation('with compensation of', data.compensation)}${smsRemedy('en', data)}.`,
        body: data.resolution,
        link: data.caseLink,
      });
    case 'survey':
      return `${sign} thank you for your patience. Case ${data.caseId} is resolved - how did we do? ${checkedLink(data.surveyLink)}`;
    case 'duplicate_linked':
      return composeSms('en', {
        lead: `${sign} your new request ${data.caseId} is linked to your open case ${data.existingCaseId} and will be handled there.`,
        link: data.caseLink,
      });
    case 'erasure_confirmation':
      return `${sign} as you asked, your personal data in ${data.erasedCases} case(s) incl. ${data.caseId} was erased. This is our last message.`;
    case 'incident_notice': {
      const about = data.linkedCaseId ? ` case ${data.linkedCaseId}:` : '';
      const expected =
        !data.linkedCaseId && data.expectedBy ? `, expected by ${smsTime(data.expectedBy, 'en')}` : '';
      const lead =
        data.stage === 'closed'
          ? `${sign}${about} parcel ${data.trackingNumber} is no longer delayed.`
          : `${sign}${about} parcel ${data.trackingNumber} delayed (${enIncidentCauseShort[data.cause]})${expected}.`;
      return composeSms('en', { lead, body: data.message, link: data.caseLink });
    }
  }
}
