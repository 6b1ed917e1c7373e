import { describe, expect, it } from 'vitest';
import { chinaBusinessCalendar } from '#domain/business-calendar';
import type { Service, Shipment, ShipmentRoute } from '#domain/case-model';
import {
  assessDelivery,
  type DeliveryCommitmentTable,
  defaultDeliveryCommitments,
} from '#domain/delivery-commitment';

/** An instant given as Asia/Shanghai wall-clock time, e.g. shanghai('2026-03-02 10:00'). */
const shanghai = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00.000+08:00`);
const iso = (local: string): string => shanghai(local).toISOString();

const calendar = chinaBusinessCalendar();

/** Shipped on Monday 2 March 2026 at 10:00, a week with no holidays. */
const aShipment = (overrides: Partial<Shipment> = {}): Shipment => ({
  service: 'express',
  route: 'inter_province',
  shippedAt: iso('2026-03-02 10:00'),
  ...overrides,
});

describe('delivery commitment by service and route', () => {
  it.each<[Service, ShipmentRoute, string, string]>([
    ['same_day', 'same_city', '2026-03-03 00:00', '2026-03-06 00:00'],
    ['express', 'same_city', '2026-03-05 00:00', '2026-03-08 00:00'],
    ['express', 'intra_province', '2026-03-07 00:00', '2026-03-14 00:00'],
    ['express', 'inter_province', '2026-03-11 00:00', '2026-03-18 00:00'],
    ['time_limited', 'same_city', '2026-03-05 00:00', '2026-03-08 00:00'],
    ['time_limited', 'intra_province', '2026-03-06 00:00', '2026-03-13 00:00'],
    ['time_limited', 'inter_province', '2026-03-06 00:00', '2026-03-13 00:00'],
    ['standard', 'same_city', '2026-03-06 00:00', '2026-03-09 00:00'],
    ['standard', 'intra_province', '2026-03-10 00:00', '2026-03-17 00:00'],
    ['standard', 'inter_province', '2026-03-12 00:00', '2026-03-19 00:00'],
    ['economy', 'same_city', '2026-03-10 00:00', '2026-03-13 00:00'],
    ['economy', 'intra_province', '2026-03-12 00:00', '2026-03-19 00:00'],
    ['economy', 'inter_province', '2026-03-12 00:00', '2026-03-19 00:00'],
  ])('commits %s %s shipped Monday 10:00 to arrive before %s, lost after %s', (service, route, due, lost) => {
    const assessment = assessDelivery(aShipment({ service, route }), shanghai('2026-03-02 12:00'), calendar);
    expect(assessment).toEqual({
      commitmentAt: iso(due),
      lostAfter: iso(lost),
      verdict: 'within_commitment',
    });
  });

  it.each<ShipmentRoute>(['intra_province', 'inter_province'])(
    'answers unknown for same-day service %s, which is not offered',
    (route) => {
      expect(
        assessDelivery(aShipment({ service: 'same_day', route }), shanghai('2026-03-05 12:00'), calendar),
      ).toEqual({ verdict: 'unknown', reason: `no commitment for same_day on ${route}` });
    },
  );

  it('answers unknown for a shipment without service, route or shipping time', () => {
    const now = shanghai('2026-03-20 12:00');
    const reason = 'the shipment gives no service, route or shipping time';
    expect(assessDelivery(aShipment({ service: undefined }), now, calendar)).toEqual({
      verdict: 'unknown',
      reason,
    });
    expect(assessDelivery(aShipment({ route: undefined }), now, calendar)).toEqual({
      verdict: 'unknown',
      reason,
    });
    expect(assessDelivery(aShipment({ shippedAt: undefined }), now, calendar)).toEqual({
      verdict: 'unknown',
      reason,
    });
  });

  it('answers unknown, never throws, for shipping times it cannot count from', () => {
    const now = shanghai('2026-03-05 12:00');
    for (const shippedAt of ['yesterday', '', '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z']) {
      expect(assessDelivery(aShipment({ shippedAt }), now, calendar).verdict).toBe('unknown');
    }
    expect(assessDelivery(aShipment(), new Date(Number.NaN), calendar)).toEqual({
      verdict: 'unknown',
      reason: 'the time of the check is not a date',
    });
  });

  it('answers unknown for a carrier table with a hole in it', () => {
    const holed = {
      ...defaultDeliveryCommitments,
      completeDelayCalendarDays: {},
    } as unknown as DeliveryCommitmentTable;
    expect(assessDelivery(aShipment(), shanghai('2026-03-20 12:00'), calendar, holed).verdict).toBe(
      'unknown',
    );
  });
});

describe('shipments across calendar years', () => {
  it('judges a parcel shipped on 28 December 2025 on the official 2025 and 2026 calendars', () => {
    // Standard inter-province: Dec 29, 30, 31, (Jan 1–3 off), Jan 4 (make-up Sunday), 5, 6, 7.
    const shipped = aShipment({ service: 'standard', shippedAt: iso('2025-12-28 15:00') });
    expect(assessDelivery(shipped, shanghai('2026-01-05 10:00'), calendar)).toEqual({
      commitmentAt: iso('2026-01-08 00:00'),
      lostAfter: iso('2026-01-15 00:00'),
      verdict: 'within_commitment',
    });
  });

  it('counts Monday to Friday in a year without holiday data, and says the verdict is approximate', () => {
    const shipped = aShipment({ shippedAt: iso('2024-12-27 10:00') });
    // Express inter-province, 6 working days: Dec 30, 31, then Jan 2, 3, 6, 7 2025 (Jan 1 off in 2025).
    expect(assessDelivery(shipped, shanghai('2025-01-20 10:00'), calendar)).toEqual({
      commitmentAt: iso('2025-01-08 00:00'),
      lostAfter: iso('2025-01-15 00:00'),
      verdict: 'lost',
      approximate: true,
    });
  });
});

describe('delay and loss', () => {
  const verdictAt = (local: string): string | undefined =>
    assessDelivery(aShipment(), shanghai(local), calendar)?.verdict;

  it('is within the commitment up to the end of the last working day', () => {
    expect(verdictAt('2026-03-10 23:59')).toBe('within_commitment');
    expect(verdictAt('2026-03-11 00:00')).toBe('within_commitment');
  });

  it('confirms a delay once the commitment has passed', () => {
    expect(verdictAt('2026-03-11 00:01')).toBe('delayed');
    expect(verdictAt('2026-03-18 00:00')).toBe('delayed');
  });

  it('treats a parcel as lost seven days past an intercity commitment', () => {
    expect(verdictAt('2026-03-18 00:01')).toBe('lost');
  });

  it('treats a same-city parcel as lost three days past the commitment', () => {
    const sameCity = aShipment({ service: 'standard', route: 'same_city' });
    expect(assessDelivery(sameCity, shanghai('2026-03-09 00:00'), calendar)?.verdict).toBe('delayed');
    expect(assessDelivery(sameCity, shanghai('2026-03-09 00:01'), calendar)?.verdict).toBe('lost');
  });
});

describe('working days of a commitment', () => {
  it('does not count National Day towards the commitment', () => {
    const shipped = aShipment({ shippedAt: iso('2026-09-30 10:00') });
    // Oct 8, 9, 10 (make-up Saturday), 12, 13, 14.
    expect(assessDelivery(shipped, shanghai('2026-10-14 12:00'), calendar)).toEqual({
      commitmentAt: iso('2026-10-15 00:00'),
      lostAfter: iso('2026-10-22 00:00'),
      verdict: 'within_commitment',
    });
  });

  it('starts counting after the weekend for a parcel shipped on Friday evening', () => {
    const shipped = aShipment({ service: 'express', route: 'same_city', shippedAt: iso('2026-03-06 21:00') });
    expect(assessDelivery(shipped, shanghai('2026-03-07 12:00'), calendar)).toMatchObject({
      commitmentAt: iso('2026-03-11 00:00'),
    });
  });

  it('uses the Shanghai date of the shipping time', () => {
    // 17:30 UTC on Monday is 01:30 on Tuesday in Shanghai, so same-day means by the end of Tuesday.
    const shipped = aShipment({
      service: 'same_day',
      route: 'same_city',
      shippedAt: '2026-03-02T17:30:00.000Z',
    });
    expect(assessDelivery(shipped, shanghai('2026-03-03 12:00'), calendar)).toMatchObject({
      commitmentAt: iso('2026-03-04 00:00'),
    });
  });
});

describe('carrier tables', () => {
  it('uses a carrier table given as plain data', () => {
    const carrierTable: DeliveryCommitmentTable = {
      workingDays: {
        ...defaultDeliveryCommitments.workingDays,
        same_day: { same_city: 0, intra_province: 1 },
      },
      completeDelayCalendarDays: { same_city: 2, intra_province: 5, inter_province: 10 },
    };
    const shipped = aShipment({ service: 'same_day', route: 'intra_province' });
    expect(assessDelivery(shipped, shanghai('2026-03-02 12:00'), calendar, carrierTable)).toEqual({
      commitmentAt: iso('2026-03-04 00:00'),
      lostAfter: iso('2026-03-09 00:00'),
      verdict: 'within_commitment',
    });
  });
});
