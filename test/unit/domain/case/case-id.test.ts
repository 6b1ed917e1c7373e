// Issue 15: at a national carrier's peak a day numbers more than 999,999 cases, so the daily number
// of a case id takes up to 7 digits (API.md's example shows 4 to 6); every reader of ids accepts them.
import { describe, expect, it } from 'vitest';
import { formatCaseId, maxDailyCaseNumber } from '#domain/case/registration';
import { caseIdsIn, parseReplyAddress, replyAddressFor } from '#domain/inbound-messages';
import { caseIdSchema } from '#events/common';

const now = new Date('2026-11-11T02:00:00Z');

describe('case ids', () => {
  it('pads the daily number to 4 digits and widens it up to 7', () => {
    expect(formatCaseId(now, 1, 'AB')).toBe('CS2611110001AB');
    expect(formatCaseId(now, 999_999, 'AB')).toBe('CS261111999999AB');
    expect(formatCaseId(now, 1_000_000, 'AB')).toBe('CS2611111000000AB');
    expect(formatCaseId(now, maxDailyCaseNumber, 'AB')).toBe('CS2611119999999AB');
  });

  it('numbers at most 9,999,999 cases a day, and never an id the API would refuse', () => {
    expect(maxDailyCaseNumber).toBe(9_999_999);
    expect(() => formatCaseId(now, maxDailyCaseNumber + 1, 'AB')).toThrow(RangeError);
    expect(() => formatCaseId(now, 0, 'AB')).toThrow(RangeError);
    for (const number of [1, 9_999, 10_000, 999_999, 1_000_000, maxDailyCaseNumber]) {
      expect(caseIdSchema.safeParse(formatCaseId(now, number, 'ZZ')).success, String(number)).toBe(true);
    }
    expect(caseIdSchema.safeParse('CS26111110000000AB').success).toBe(false);
  });

  it('finds a 7-digit case id in a subject and in a reply address', () => {
    const caseId = formatCaseId(now, 1_234_567, 'QX');
    expect(caseIdsIn(`Re: your case ${caseId}`)).toEqual([caseId]);
    const service = 'care@mail.example.com';
    const reply = replyAddressFor(service, caseId, 'abcdefgh12');
    expect(parseReplyAddress(service, reply)).toEqual({ caseId, tag: 'abcdefgh12' });
  });
});
