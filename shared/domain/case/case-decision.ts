// What every change to a case returns: the case as it should be saved, the timeline entries and the
// notifications to write with it in one transaction. One builder makes the timeline, so no caller numbers
// entries. Ids derive from the decision (its time and the entry's place, or a key the caller names), never
// from when it is written: a retried write of the same decision on the same loaded version adds nothing twice.
import type { NotificationIntent, SupportCase, TimelineEntry } from '../support-case.ts';

export interface CaseDecision {
  supportCase: SupportCase;
  timeline: TimelineEntry[];
  notifications: NotificationIntent[];
}

/** A decision that changes nothing: the unit of work writes nothing for it. */
export function unchanged(supportCase: SupportCase): CaseDecision {
  return { supportCase, timeline: [], notifications: [] };
}

export type TimelineFacts = Omit<TimelineEntry, 'entryId' | 'at'>;

const sequenceWidth = 4;

export class CaseDecisionBuilder {
  readonly timeline: TimelineEntry[] = [];
  readonly notifications: NotificationIntent[] = [];
  /** The decision's time, ISO-8601. */
  readonly at: string;
  #sequence: number;

  /**
   * `firstSequence` only for a decision that follows another at the same instant in the same case
   * (registration numbers from 0, intake from 1 so it never meets the entry registration wrote).
   */
  constructor(at: Date, options: { firstSequence?: number } = {}) {
    this.at = at.toISOString();
    this.#sequence = options.firstSequence ?? 1;
  }

  /** The next entry of this decision, at its time; the id is the time and the entry's place. */
  add(facts: TimelineFacts): TimelineEntry {
    const sequence = String(this.#sequence).padStart(sequenceWidth, '0');
    this.#sequence += 1;
    return this.#push(this.at, sequence, facts);
  }

  /**
   * An entry whose id is its own time and a key, not its place: for facts that must get the same id however
   * many decisions find them (a clock breached at its due time, whichever sweep sees it first).
   */
  addKeyed(id: { at: string; key: string }, facts: TimelineFacts): TimelineEntry {
    return this.#push(id.at, id.key, facts);
  }

  notify(intents: readonly NotificationIntent[]): void {
    this.notifications.push(...intents);
  }

  decide(supportCase: SupportCase): CaseDecision {
    return { supportCase, timeline: [...this.timeline], notifications: [...this.notifications] };
  }

  #push(at: string, suffix: string, facts: TimelineFacts): TimelineEntry {
    const entryId = `${at}#${suffix}`;
    if (this.timeline.some((entry) => entry.entryId === entryId)) {
      throw new RangeError(`Timeline entry ${entryId} is already part of this decision`);
    }
    const { data, ...rest } = facts;
    const entry: TimelineEntry = { entryId, at, ...rest, ...(data ? { data } : {}) };
    this.timeline.push(entry);
    return entry;
  }
}
