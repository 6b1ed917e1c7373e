// Which notifications a stranger can cause: only those count against a recipient's message limits
// (README "Limits"). The classification is one record in the domain, next to the kinds.
import { describe, expect, it } from 'vitest';
import {
  notificationCauses,
  notificationKinds,
  staffNotificationKinds,
  strangerCausable,
} from '#domain/notification-templates';

describe('notification causes', () => {
  it('classifies every kind, and nothing that is not a kind', () => {
    expect(Object.keys(notificationCauses).sort()).toEqual([...notificationKinds].sort());
    for (const kind of notificationKinds) expect(['public', 'casework']).toContain(notificationCauses[kind]);
  });

  it('finds three kinds a stranger can cause: the acknowledgement, the duplicate notice and the erasure confirmation', () => {
    // POST /cases, an email or SMS in (acknowledgement, and duplicate_linked when intake links it), and the
    // erasure a case token asks for (the submitter holds it): each names an address nobody proved.
    expect(notificationKinds.filter(strangerCausable).sort()).toEqual([
      'acknowledgement',
      'duplicate_linked',
      'erasure_confirmation',
    ]);
  });

  it('counts what staff, an operator or the system decide on a case as casework', () => {
    for (const kind of [
      'reply',
      'plan',
      'resolution',
      'survey',
      'incident_notice',
      ...staffNotificationKinds,
    ] as const) {
      expect(strangerCausable(kind), kind).toBe(false);
      expect(notificationCauses[kind]).toBe('casework');
    }
  });
});
