// Delivery of a notification, and for an incident's notice its progress on the incident: the final state
// (sent, skipped, failed) is counted once per notice, however often SQS delivers its message.
import { incidentOfNoticeId } from '#domain/incident';
import {
  type DeliveryDependencies,
  type DeliveryOutcome,
  deliverNotification,
} from './deliver-notification.ts';
import type { MessageAttempt } from './ports.ts';

type Settled = 'sent' | 'skipped' | 'failed';

/** How a delivery's outcome, or a stored notice's status, counts on the incident. */
const settledBy: Partial<Record<string, Settled>> = {
  sent: 'sent',
  suppressed: 'skipped',
  skipped: 'skipped',
  failed: 'failed',
};

export async function deliverAndCountNotification(
  message: { caseId: string; notificationId: string },
  attempt: MessageAttempt,
  deps: DeliveryDependencies,
): Promise<DeliveryOutcome> {
  const incidentId = incidentOfNoticeId(message.notificationId);
  if (!incidentId) return deliverNotification(message, attempt, deps);
  let outcome: DeliveryOutcome;
  try {
    outcome = await deliverNotification(message, attempt, deps);
  } catch (error) {
    // The last attempt marked the notice failed before the error went back to the queue.
    if (attempt.finalAttempt) await countStoredState(incidentId, message, deps);
    throw error;
  }
  const settled = settledBy[outcome];
  if (settled) await deps.incidents.countSettled(incidentId, message, settled);
  // Settled by an earlier delivery whose count may not have been written: count what the outbox says.
  else if (outcome === 'already_done') await countStoredState(incidentId, message, deps);
  return outcome;
}

async function countStoredState(
  incidentId: string,
  message: { caseId: string; notificationId: string },
  deps: DeliveryDependencies,
): Promise<void> {
  const stored = await deps.outbox.getNotification(message.caseId, message.notificationId);
  const state = stored ? settledBy[stored.status] : undefined;
  if (state) await deps.incidents.countSettled(incidentId, message, state);
}
