import { calendarMonthUtc, previousPeriod } from "./billing-period";

const at = (iso: string) => new Date(iso);

describe("calendarMonthUtc", () => {
  it("is the UTC calendar month, start included, end excluded", () => {
    expect(calendarMonthUtc.periodContaining(at("2026-03-15T12:00:00Z"))).toEqual({
      start: at("2026-03-01T00:00:00.000Z"),
      end: at("2026-04-01T00:00:00.000Z"),
    });
    expect(calendarMonthUtc.periodContaining(at("2026-03-01T00:00:00.000Z")).start).toEqual(at("2026-03-01T00:00:00Z"));
    expect(calendarMonthUtc.periodContaining(at("2026-03-31T23:59:59.999Z")).end).toEqual(at("2026-04-01T00:00:00Z"));
  });

  it("ignores the local time zone: 23:30 on the 31st in New York is already the next month in UTC", () => {
    expect(calendarMonthUtc.periodContaining(at("2026-03-31T23:30:00-04:00")).start).toEqual(at("2026-04-01T00:00:00Z"));
  });

  it("rolls over the year and knows leap years", () => {
    expect(calendarMonthUtc.next(calendarMonthUtc.periodContaining(at("2026-12-10T00:00:00Z")))).toEqual({
      start: at("2027-01-01T00:00:00Z"),
      end: at("2027-02-01T00:00:00Z"),
    });
    expect(calendarMonthUtc.periodContaining(at("2028-02-29T10:00:00Z")).end).toEqual(at("2028-03-01T00:00:00Z"));
    expect(previousPeriod(calendarMonthUtc, calendarMonthUtc.periodContaining(at("2027-01-05T00:00:00Z")))).toEqual({
      start: at("2026-12-01T00:00:00Z"),
      end: at("2027-01-01T00:00:00Z"),
    });
  });

  it("refuses an invalid date", () => {
    expect(() => calendarMonthUtc.periodContaining(new Date(Number.NaN))).toThrow(RangeError);
  });
});
