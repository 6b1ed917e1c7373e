// One case of a customer whose tier changed (from the slaWork queue): it takes the tier the directory holds
// now, so a duplicate or late message, or two changes racing, end on the latest tier and write nothing more.
import { applyCustomerTier } from '#domain/case/customer-tier';
import { changeCase } from './change-case.ts';
import { policyInForce } from './policy-in-force.ts';
import type { Dependencies } from './ports.ts';

export type RetierOutcome = 'reprioritised' | 'unchanged' | 'unknown';

export async function applyCustomerTierToCase(caseId: string, deps: Dependencies): Promise<RetierOutcome> {
  const loaded = await deps.cases.getCase(caseId);
  if (!loaded) {
    deps.logger.warn('Tier change for an unknown case', { caseId });
    return 'unknown';
  }
  const tier = await deps.customers.tierOf(loaded.contactHashes);
  const { sla } = await policyInForce(deps);
  const change = await changeCase(
    caseId,
    deps,
    (supportCase, now) =>
      applyCustomerTier(supportCase, {
        at: now,
        tier,
        sla,
      }),
    { loaded, maxAttempts: 5 },
  );
  return change.decision.timeline.length === 0 ? 'unchanged' : 'reprioritised';
}
