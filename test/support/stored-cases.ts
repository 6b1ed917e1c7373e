// Cases put straight into the stores, as intake leaves them, for tests of the stores themselves.
import type { Dependencies } from '#use-cases/ports';
import { anAcceptance, type CaseOptions } from './support-cases.ts';

/** Stores a received case, then saves its acceptance: the case open, its acknowledgements in the outbox. */
export async function storeAcceptedCase(deps: Pick<Dependencies, 'cases'>, options: CaseOptions = {}) {
  const acceptance = anAcceptance(options);
  await deps.cases.createCase(acceptance.received, []);
  const supportCase = await deps.cases.saveCase(acceptance.supportCase, {
    timeline: acceptance.timeline,
    notifications: acceptance.notifications,
  });
  return { ...acceptance, supportCase };
}
