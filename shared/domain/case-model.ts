// The vocabulary of a case (DOMAIN.md §1–3). Plain data only: no AWS, no clock reads.

export const caseTypes = ['inquiry', 'complaint', 'exception', 'claim', 'suggestion'] as const;
export type CaseType = (typeof caseTypes)[number];

export const categoriesByType = {
  inquiry: ['scope', 'time_limit', 'price', 'waybill', 'packaging', 'tracking', 'other'],
  complaint: ['service', 'delivery', 'privacy', 'billing', 'other'],
  exception: ['lost', 'damaged', 'delayed', 'misdelivered', 'address_unknown', 'other'],
  claim: ['lost', 'damaged', 'delayed', 'missing_contents'],
  suggestion: ['service', 'product', 'other'],
} as const satisfies Record<CaseType, readonly string[]>;
export type CategoryOf<T extends CaseType> = (typeof categoriesByType)[T][number];
export type Category = CategoryOf<CaseType>;
export const allCategories = [...new Set(Object.values(categoriesByType).flat())] as Category[];

export const categorySources = ['customer', 'inferred', 'agent'] as const;
export type CategorySource = (typeof categorySources)[number];

export const channels = ['web', 'app', 'phone', 'email', 'sms', 'onsite', 'social'] as const;
export type Channel = (typeof channels)[number];

export const customerTypes = ['individual', 'enterprise'] as const;
export type CustomerType = (typeof customerTypes)[number];
/** DOMAIN.md §3: `vip` and `enterprise` customers are served one priority level higher. */
export const customerTiers = ['standard', 'vip', 'enterprise'] as const;
export type CustomerTier = (typeof customerTiers)[number];
export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];

export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];

export const teams = ['security', 'branch', 'operations', 'finance', 'service'] as const;
export type Team = (typeof teams)[number];

export const caseStatuses = [
  'received',
  'open',
  'in_progress',
  'awaiting_customer',
  'resolved',
  'closed',
  'appealed',
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export const services = ['standard', 'express', 'economy', 'time_limited', 'same_day'] as const;
export type Service = (typeof services)[number];
export const routes = ['same_city', 'intra_province', 'inter_province'] as const;
export type ShipmentRoute = (typeof routes)[number];

/** 0 specialist, 1 supervisor, 2 manager (DOMAIN.md §3, tiered response). */
export type EscalationLevel = 0 | 1 | 2;

export interface Money {
  amount: number;
  currency: string;
}

export interface Shipment {
  service?: Service;
  route?: ShipmentRoute;
  shippedAt?: string;
  declaredValue?: Money;
  insured?: boolean;
  freight?: Money;
}

export interface CustomerContact {
  name: string;
  email?: string;
  phone?: string;
  type: CustomerType;
  tier: CustomerTier;
  locale: Locale;
}

export function isCategoryOf(type: CaseType, category: string): category is Category {
  return (categoriesByType[type] as readonly string[]).includes(category);
}
