// Registration (DOMAIN.md §2 step 1): a submission becomes a `received` case with its first timeline entry
// and the deadlines it is promised. Intake does the rest (see intake.ts).
import { beijingDate } from '../beijing-time.ts';
import type {
  CaseType,
  Channel,
  CustomerContact,
  CustomerTier,
  CustomerType,
  Locale,
  Money,
  Shipment,
} from '../case-model.ts';
import type { SupportCase, TimelineEntry } from '../support-case.ts';
import { customerText } from '../timeline-texts.ts';
import { assessNewCase } from './assessment.ts';
import type { SlaSettings } from './case-clocks.ts';
import { CaseDecisionBuilder } from './case-decision.ts';

export interface CaseSubmission {
  type: CaseType;
  category?: string;
  channel: Channel;
  subject: string;
  description: string;
  trackingNumber?: string;
  customer: { name: string; email?: string; phone?: string; type: CustomerType; locale: Locale };
  shipment?: Shipment;
  claim?: Money;
}

/**
 * The most cases one day can number: the daily sequence has 4 to 7 digits. API.md's example shows at most
 * 6 (999,999 a day); a national carrier's peak needs more (issue 15, README "Scale").
 */
export const maxDailyCaseNumber = 9_999_999;

/** Case numbers people can read out on the phone: CS + yymmdd (Beijing date) + daily sequence + two letters. */
export function formatCaseId(now: Date, dailySequence: number, suffix: string): string {
  if (!Number.isInteger(dailySequence) || dailySequence < 1 || dailySequence > maxDailyCaseNumber) {
    throw new RangeError(`Case number ${dailySequence} is outside 1…${maxDailyCaseNumber} for one day`);
  }
  const yymmdd = beijingDate(now).slice(2).replaceAll('-', '');
  return `CS${yymmdd}${String(dailySequence).padStart(4, '0')}${suffix}`;
}

export function registerCase(
  submission: CaseSubmission,
  context: {
    caseId: string;
    now: Date;
    accessTokenHash: string;
    tokenNonce: string;
    contactHashes: string[];
    sla: SlaSettings;
    /** The tier the customer directory holds for these contacts; standard when it holds none. */
    tier?: CustomerTier;
  },
): { supportCase: SupportCase; timeline: TimelineEntry[] } {
  const at = context.now.toISOString();
  const customer: CustomerContact = { ...submission.customer, tier: context.tier ?? 'standard' };
  // The clocks start at intake, from this same moment; until then the case shows the deadlines they will have.
  const { classification, deadlines } = assessNewCase({ ...submission, customer }, context.now, context.sla);
  const supportCase: SupportCase = {
    caseId: context.caseId,
    type: submission.type,
    category: classification.category,
    categorySource: classification.categorySource,
    channel: submission.channel,
    status: 'received',
    priority: classification.priority,
    team: classification.team,
    owner: null,
    handler: null,
    escalationLevel: 0,
    trackingNumber: submission.trackingNumber,
    subject: submission.subject,
    description: submission.description,
    customer,
    contactHashes: context.contactHashes,
    shipment: submission.shipment,
    claim: submission.claim,
    accessTokenHash: context.accessTokenHash,
    tokenNonce: context.tokenNonce,
    deadlines,
    clocks: {},
    linkedCaseIds: [],
    appealCount: 0,
    createdAt: at,
    updatedAt: at,
    version: 0,
  };
  // Registration numbers from 0, so intake's entries at the same instant follow it.
  const entries = new CaseDecisionBuilder(context.now, { firstSequence: 0 });
  entries.add({
    kind: 'created',
    actor: 'customer',
    message: customerText(customer.locale, 'created', { caseId: context.caseId }),
    internal: false,
    data: { channel: submission.channel },
  });
  return { supportCase, timeline: entries.timeline };
}
