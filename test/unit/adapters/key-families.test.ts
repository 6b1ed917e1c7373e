// Every partition key the stores write belongs to a key family, so the catalogue's grants (which name
// families) and IAM's `dynamodb:LeadingKeys` (which matches their prefixes) cover every item.
import { describe, expect, it } from 'vitest';
import * as keys from '#adapters/case-keys';
import { keyFamilies, keyFamilyOf } from '#adapters/key-families';

const builders: Array<[string, { pk: string }]> = [
  ['caseKey', keys.caseKey('CS2611230001AB')],
  ['timelineKey', keys.timelineKey('CS2611230001AB', 'e1')],
  ['notificationKey', keys.notificationKey('CS2611230001AB', 'n1')],
  ['intakeRequeuesKey', keys.intakeRequeuesKey('CS2611230001AB')],
  ['idempotencyKey', keys.idempotencyKey({ key: 'k-12345678', scope: 's' })],
  ['contactCaseKey', keys.contactCaseKey('hash', '2026-11-30T00:00:00.000Z', 'CS2611230001AB')],
  ['contactCasesSince', keys.contactCasesSince('hash', '2026-11-30T00:00:00.000Z')],
  ['suppressionKey', keys.suppressionKey('hash')],
  ['surveySlotKey', keys.surveySlotKey('hash')],
  ['rateLimitKey', keys.rateLimitKey('203.0.113.9', '2026-11-30T00:00:00.000Z')],
  ['dailySequenceKey', keys.dailySequenceKey('2026-11-30')],
  ['reportCountersKey', keys.reportCountersKey('2026-11-30', 'S0')],
  ['customerTierKey', keys.customerTierKey('hash')],
  ['attachmentRecordKey', keys.attachmentRecordKey('CS2611230001AB', 'a1')],
  ['reportTeamCountersKey', keys.reportTeamCountersKey('2026-11-30', 'S0')],
  ['incidentKey', keys.incidentKey('IN1')],
  ['incidentRoundKey', keys.incidentRoundKey('IN1', 1)],
  ['incidentScopeKey', keys.incidentScopeKey('IN1', 0)],
  ['incidentContactsKey', keys.incidentContactsKey('IN1', 0)],
  ['incidentLinkKey', keys.incidentLinkKey('IN1', 0, 'CS2611230001AB')],
  ['incidentProgressKey', keys.incidentProgressKey('IN1')],
  ['incidentCountedKey', keys.incidentCountedKey('IN1', 'm')],
  ['waybillIncidentKey', keys.waybillIncidentKey('SF1234567890', 'IN1')],
  ['attachmentCountKey', keys.attachmentCountKey('CS2611230001AB')],
  ['customerTierChangeKey', keys.customerTierChangeKey('hash', '2026-11-30T00:00:00.000Z', 'mia')],
];

describe('key families', () => {
  it.each(builders)('%s is in a family', (_, key) => {
    expect(keyFamilyOf(key.pk)).toBeDefined();
  });

  it('covers every table key builder of case-keys.ts', () => {
    const exported = Object.entries(keys)
      .filter(([name, value]) => typeof value === 'function' && /Key$|CasesSince$/.test(name))
      .map(([name]) => name)
      .filter(
        (name) =>
          ![
            'caseIdOfKey',
            'notificationRefOfKey',
            'teamStatusKey',
            'caseIdOfUrgencyKey',
            'caseIdOfLinkKey',
          ].includes(name),
      );
    expect(exported.sort()).toEqual(builders.map(([name]) => name).sort());
  });

  it('have prefixes no other family’s prefix starts with', () => {
    const prefixes = Object.values(keyFamilies);
    for (const prefix of prefixes) {
      expect(prefixes.filter((other) => other !== prefix && other.startsWith(prefix))).toEqual([]);
    }
  });
});
