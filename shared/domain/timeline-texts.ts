// What the customer reads on their timeline, in their language. Staff-only entries are in English.
import type { Category, Locale } from './case-model.ts';

const customerTexts = {
  created: { 'zh-CN': '您的工单 {caseId} 已受理', en: 'Your case {caseId} was received' },
  classified: {
    'zh-CN': '工单已分类（{category}）并转交负责团队',
    en: 'Your case was classified ({category}) and routed to the responsible team',
  },
  linked: {
    'zh-CN': '该问题与您的工单 {existingCaseId} 相同，已关联处理',
    en: 'This matches your open case {existingCaseId}; the two are handled together',
  },
  in_progress: { 'zh-CN': '客服已开始处理您的工单', en: 'An agent is now handling your case' },
  awaiting_customer: {
    'zh-CN': '我们需要您补充信息，请回复本工单',
    en: 'We are waiting for more information from you',
  },
  resumed: { 'zh-CN': '工单已恢复处理', en: 'We are working on your case again' },
  review_started: { 'zh-CN': '主管已开始复核您的申诉', en: 'A supervisor is reviewing your appeal' },
  closed: { 'zh-CN': '工单已关闭', en: 'Your case was closed' },
  feedback: { 'zh-CN': '感谢您的评价', en: 'Thank you for your feedback' },
  appealed: {
    'zh-CN': '已收到您的申诉，主管将在 {due} 前复核',
    en: 'Your appeal was received; a supervisor will review it by {due}',
  },
  withdrawn: { 'zh-CN': '您已撤回本工单', en: 'You withdrew this case' },
  auto_closed: {
    'zh-CN': '工单处理完毕后 {days} 天内无新的诉求，已自动关闭',
    en: 'Your case was closed {days} days after its resolution, with nothing new from you',
  },
  anonymised: { 'zh-CN': '本工单中的个人信息已匿名化', en: 'The personal data in this case was anonymised' },
  data_exported: { 'zh-CN': '您导出了您的个人数据副本', en: 'You downloaded a copy of your data' },
  attachment_added: { 'zh-CN': '已添加附件 {fileName}', en: 'Attachment {fileName} was added' },
} as const satisfies Record<string, Record<Locale, string>>;

export type CustomerTextKey = keyof typeof customerTexts;

export function customerText(
  locale: Locale,
  key: CustomerTextKey,
  values: Record<string, string> = {},
): string {
  return customerTexts[key][locale].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}

const categoryLabels: Record<Category, Record<Locale, string>> = {
  scope: { 'zh-CN': '服务范围', en: 'service scope' },
  time_limit: { 'zh-CN': '时效', en: 'delivery time' },
  price: { 'zh-CN': '价格', en: 'price' },
  waybill: { 'zh-CN': '运单', en: 'waybill' },
  packaging: { 'zh-CN': '包装', en: 'packaging' },
  tracking: { 'zh-CN': '物流查询', en: 'tracking' },
  service: { 'zh-CN': '服务态度', en: 'service' },
  delivery: { 'zh-CN': '派送问题', en: 'delivery' },
  privacy: { 'zh-CN': '个人信息', en: 'personal data' },
  billing: { 'zh-CN': '费用', en: 'billing' },
  lost: { 'zh-CN': '丢失', en: 'lost parcel' },
  damaged: { 'zh-CN': '破损', en: 'damaged parcel' },
  delayed: { 'zh-CN': '延误', en: 'delay' },
  misdelivered: { 'zh-CN': '错派', en: 'misdelivery' },
  address_unknown: { 'zh-CN': '地址不详', en: 'unknown address' },
  missing_contents: { 'zh-CN': '内件短少', en: 'missing contents' },
  product: { 'zh-CN': '产品', en: 'product' },
  other: { 'zh-CN': '其他', en: 'other' },
};

export function categoryLabel(locale: Locale, category: Category): string {
  return categoryLabels[category]?.[locale] ?? category;
}

const notificationLabels: Record<string, Record<Locale, string>> = {
  acknowledgement: { 'zh-CN': '受理通知', en: 'Acknowledgement' },
  reply: { 'zh-CN': '客服回复', en: 'Reply' },
  plan: { 'zh-CN': '处理方案', en: 'Handling plan' },
  resolution: { 'zh-CN': '处理结果', en: 'Resolution' },
  survey: { 'zh-CN': '满意度调查', en: 'Satisfaction survey' },
  duplicate_linked: { 'zh-CN': '工单关联通知', en: 'Linked-case notice' },
  erasure_confirmation: { 'zh-CN': '个人信息删除确认', en: 'Erasure confirmation' },
  incident_notice: { 'zh-CN': '延误通知', en: 'Delay notice' },
};

/** The customer's timeline line for a message that reached them, in their language. */
export function notificationSentText(locale: Locale, kind: string, channel: 'email' | 'sms'): string {
  const label = notificationLabels[kind]?.[locale] ?? kind;
  if (locale === 'zh-CN') return `${label}已通过${channel === 'email' ? '邮件' : '短信'}发送`;
  return `${label} sent by ${channel === 'email' ? 'email' : 'SMS'}`;
}
