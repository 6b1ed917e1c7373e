// Where a case stands on the customer's progress line: received, in progress, plan, resolved, closed.
import type { CustomerCaseView } from '#events/customer-api';
import type { ProgressStep } from './texts.ts';

/** An appealed case or one waiting for the customer is back in progress (or at its plan, once there is one). */
export function progressOf(view: Pick<CustomerCaseView, 'status' | 'timeline'>): ProgressStep {
  switch (view.status) {
    case 'closed':
      return 'closed';
    case 'resolved':
      return 'resolved';
    case 'received':
    case 'open':
      return 'received';
    default:
      return view.timeline.some((entry) => entry.kind === 'plan') ? 'plan' : 'in_progress';
  }
}
