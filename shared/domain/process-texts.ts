// What the customer reads about the processes (README "Processes"), in their language: the non-cash remedy,
// force majeure, a return or re-send, and an appeal being redone.
import type { Locale } from './case-model.ts';
import type { ParcelReturnKind, Remedy } from './processes.ts';

const remedyTexts: Record<Remedy, Record<Locale, string>> = {
  reship: { 'zh-CN': '我们将为您免费补发该快件', en: 'We will re-ship your parcel free of charge' },
  replacement: { 'zh-CN': '我们将为您免费更换物品', en: 'We will send you a free replacement' },
  resend: { 'zh-CN': '我们将为您免费补寄', en: 'We will re-send your parcel free of charge' },
};

const parcelReturnTexts: Record<ParcelReturnKind, Record<Locale, string>> = {
  customer_return: {
    'zh-CN': '已为您登记退件，我们将在 {due} 前办结',
    en: 'Your return is registered; we will complete it by {due}',
  },
  carrier_return: {
    'zh-CN': '您的快件将由我们退回，我们将在 {due} 前办结',
    en: 'We are returning your parcel and will complete the return by {due}',
  },
  system_return: {
    'zh-CN': '您的快件已自动退回，我们将在 {due} 前办结',
    en: 'Your parcel was returned automatically; we will complete the return by {due}',
  },
  address_resend: {
    'zh-CN': '因地址有误，我们将为您免费补寄，并在 {due} 前寄出',
    en: 'Because the address was wrong, we will re-send your parcel free of charge by {due}',
  },
};

const texts = {
  force_majeure: {
    'zh-CN': '经核实，本次问题由不可抗力（如自然灾害、政府行为等）造成，赔偿按不可抗力规则处理',
    en: 'This was caused by force majeure (such as a natural disaster or a government order); compensation follows the force-majeure rules',
  },
  force_majeure_withdrawn: {
    'zh-CN': '经复核，本次问题不属于不可抗力',
    en: 'On review, this was not a case of force majeure',
  },
  parcel_return_done: { 'zh-CN': '退件/补寄已办结', en: 'The return or re-send is complete' },
  appeal_redo: {
    'zh-CN': '您的申诉将重新处理，我们将在 {due} 前答复',
    en: 'Your appeal is being handled again; we will answer by {due}',
  },
  remedy_label: { 'zh-CN': '处理方式', en: 'Remedy' },
  force_majeure_label: { 'zh-CN': '原因', en: 'Cause' },
  force_majeure_short: { 'zh-CN': '不可抗力', en: 'force majeure' },
} as const satisfies Record<string, Record<Locale, string>>;

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');

export function remedyText(locale: Locale, remedy: Remedy): string {
  return remedyTexts[remedy][locale];
}

export function parcelReturnText(locale: Locale, kind: ParcelReturnKind, due: string): string {
  return fill(parcelReturnTexts[kind][locale], { due });
}

export function processText(
  locale: Locale,
  key: keyof typeof texts,
  values: Record<string, string> = {},
): string {
  return fill(texts[key][locale], values);
}
