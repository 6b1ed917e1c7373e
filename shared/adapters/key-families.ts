// The partition-key families of the case table, by the prefix every partition key of that family starts
// with. Functions are granted table actions per family (infra/catalogue.ts), and IAM holds them to it with
// `dynamodb:LeadingKeys`; a unit test checks every key builder in case-keys.ts yields one of these.

export const keyFamilies = {
  /** A case, its timeline, its notifications and its intake re-queue counter: all under `CASE#<id>`. */
  case: 'CASE#',
  /** A contact hash's index of cases. */
  contact: 'CONTACT#',
  /** Submissions already answered, by idempotency key. */
  idempotency: 'IDEMPOTENCY#',
  /** Contacts that must not be messaged (bounces, complaints). */
  suppression: 'SUPPRESSION#',
  /** One survey per contact and window. */
  surveyed: 'SURVEYED#',
  /** The abuse limits' counters. */
  limit: 'LIMIT#',
  /** The daily case-number sequence. */
  sequence: 'SEQUENCE#',
  /** The daily report counters. */
  report: 'REPORT#',
  /** The customer directory: a contact hash's tier and the changes to it. */
  customer: 'CUSTOMER#',
  /** An incident, its rounds, pages and links, and (`INCIDENT#<id>#PROGRESS`) its counters. */
  incident: 'INCIDENT#',
  /** The incidents a waybill is caught in. */
  waybill: 'WAYBILL#',
  /** "Counted once" markers of an incident's notices. */
  counted: 'COUNTED#',
} as const;

export type KeyFamily = keyof typeof keyFamilies;

/** The family a partition key belongs to, or undefined for a key no family declares. */
export function keyFamilyOf(pk: string): KeyFamily | undefined {
  return (Object.keys(keyFamilies) as KeyFamily[]).find((family) => pk.startsWith(keyFamilies[family]));
}
