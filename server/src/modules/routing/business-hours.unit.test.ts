import { describe, expect, it } from 'vitest';
import { BusinessHours, isOpen, nextOpening } from './business-hours.js';

const officeHours = (timezone: string) =>
  BusinessHours.parse({
    timezone,
    weekly: {
      mon: [['09:00', '18:00']],
      tue: [['09:00', '18:00']],
      wed: [['09:00', '18:00']],
      thu: [['09:00', '18:00']],
      fri: [['09:00', '18:00']],
      sat: [['10:00', '14:00']],
    },
    holidays: ['2026-01-01'],
  });

describe('business hours', () => {
  it("read the clock in the department's time zone", () => {
    const moscow = officeHours('Europe/Moscow');
    // 06:30 UTC on a Wednesday is 09:30 in Moscow (UTC+3 all year).
    expect(isOpen(moscow, new Date('2026-11-25T06:30:00Z'))).toBe(true);
    expect(isOpen(moscow, new Date('2026-11-25T05:59:00Z'))).toBe(false);
    expect(isOpen(moscow, new Date('2026-11-25T15:00:00Z'))).toBe(false);
  });

  it('follow daylight-saving changes', () => {
    const berlin = officeHours('Europe/Berlin');
    // 08:30 UTC is 09:30 in winter (UTC+1) but 10:30 in summer (UTC+2); 07:30 UTC only opens in summer.
    expect(isOpen(berlin, new Date('2026-03-27T07:30:00Z'))).toBe(false);
    expect(isOpen(berlin, new Date('2026-03-30T07:30:00Z'))).toBe(true);
    // Before the October change 16:30 UTC is 18:30 local (closed); after it 15:30 UTC is 16:30 local (open).
    expect(isOpen(berlin, new Date('2026-10-30T15:30:00Z'))).toBe(true);
    expect(isOpen(berlin, new Date('2026-10-23T16:30:00Z'))).toBe(false);
  });

  it('close on holidays and weekends, and find the next opening', () => {
    const moscow = officeHours('Europe/Moscow');
    expect(isOpen(moscow, new Date('2026-01-01T08:00:00Z'))).toBe(false);
    expect(isOpen(moscow, new Date('2026-11-29T10:00:00Z'))).toBe(false);
    // Saturday 14:00 Moscow closes; next opening is Monday 09:00 Moscow = 06:00 UTC.
    expect(nextOpening(moscow, new Date('2026-11-28T11:00:00Z'))?.toISOString()).toBe(
      '2026-11-30T06:00:00.000Z',
    );
  });

  it('refuse an unknown time zone and malformed times', () => {
    expect(BusinessHours.safeParse({ timezone: 'Mars/Base', weekly: {} }).success).toBe(false);
    expect(BusinessHours.safeParse({ timezone: 'UTC', weekly: { mon: [['9:00', '18:00']] } }).success).toBe(
      false,
    );
  });
});
