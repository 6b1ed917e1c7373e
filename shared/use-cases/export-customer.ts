// The customer's copy of their data (PIPL Art. 45, API.md "Customer"): every case of that customer, as
// they see it, with everything they submitted. Each case read is written to its audit trail first.
import { CaseDecisionBuilder } from '#domain/case/case-decision';
import { NotFound } from '#domain/errors';
import type { SupportCase } from '#domain/support-case';
import { customerText } from '#domain/timeline-texts';
import { requireWithinLimits } from './abuse-limits.ts';
import { caseNotFound, openCaseAsCustomer } from './customer-access.ts';
import { casesOfSameCustomer, privacyRequestScope } from './erase-customer.ts';
import type { Dependencies } from './ports.ts';
import { customerView } from './view-customer-case.ts';

/** What the customer submitted and was told, beyond the customer view. */
function submittedData(supportCase: SupportCase) {
  const { trackingNumber, description, shipment, claim, compensation, feedback, resolvedAt, closedAt } =
    supportCase;
  return {
    description,
    channel: supportCase.channel,
    ...(trackingNumber ? { trackingNumber } : {}),
    ...(shipment ? { shipment: Object.fromEntries(Object.entries(shipment)) } : {}),
    ...(claim ? { claim } : {}),
    ...(compensation
      ? {
          compensation: {
            amount: compensation.amount,
            currency: compensation.currency,
            rule: compensation.rule,
          },
        }
      : {}),
    ...(feedback ? { feedback } : {}),
    ...(resolvedAt ? { resolvedAt } : {}),
    ...(closedAt ? { closedAt } : {}),
  };
}

export async function exportCustomer(caseId: string, token: string | undefined, deps: Dependencies) {
  const opened = await openCaseAsCustomer(caseId, token, deps);
  const now = deps.clock.now();
  await requireWithinLimits(deps, now, [
    { limit: 'case_messages_per_day', scope: privacyRequestScope(caseId) },
  ]);
  const caseIds = await casesOfSameCustomer(opened, deps);
  const cases = [];
  for (const id of caseIds) {
    const found = await deps.cases.getCaseWithTimeline(id);
    // Anonymised meanwhile, or gone: nothing of this customer is held there any more.
    if (!found || found.supportCase.anonymisedAt) continue;
    const entry = new CaseDecisionBuilder(now).addKeyed(
      { at: now.toISOString(), key: 'data_exported' },
      {
        kind: 'data_exported',
        actor: 'customer',
        message: customerText(found.supportCase.customer.locale, 'data_exported'),
        internal: true,
        data: { requestedThrough: caseId },
      },
    );
    // Written before the data leaves, so no read goes unrecorded.
    await deps.cases.addTimelineEntry(id, entry);
    cases.push({ ...customerView(found.supportCase, found.timeline), ...submittedData(found.supportCase) });
  }
  if (cases.length === 0) throw new NotFound(caseNotFound);
  const { name, email, phone, type, tier, locale } = opened.customer;
  return {
    customer: { name, ...(email ? { email } : {}), ...(phone ? { phone } : {}), type, tier, locale },
    cases,
  };
}
