/**
 * A billing period: the half-open interval [start, end). Usage counters and the monthly reset key
 * periods by their start.
 *
 * The default is the calendar month in UTC, the same for every user, so one reset at 00:00 UTC on
 * the 1st closes everyone's period. A Stripe billing anchor would plug in as another policy whose
 * periods come from the user's subscription (`subscriptions.current_period_start/end`, which the
 * worker already stores) instead of the calendar. Counters need no change for that (they are keyed
 * by user and period start); `usage_periods` would then be keyed by (user, period start) and the
 * reset would close, per user, every period whose end has passed, using the same lock-and-mark
 * steps as closeUsagePeriod.
 */
export interface BillingPeriod {
  start: Date;
  end: Date;
}

export interface PeriodPolicy {
  /** The period that contains `at`. */
  periodContaining(at: Date): BillingPeriod;
  /** The period right after `period`. */
  next(period: BillingPeriod): BillingPeriod;
}

/** Calendar months in UTC: [the 1st 00:00:00.000 UTC, the 1st of the next month). */
export const calendarMonthUtc: PeriodPolicy = {
  periodContaining(at: Date): BillingPeriod {
    if (Number.isNaN(at.getTime())) throw new RangeError("invalid date");
    const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
    const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
    return { start, end };
  },
  next(period: BillingPeriod): BillingPeriod {
    return calendarMonthUtc.periodContaining(period.end);
  },
};

/** The period right before `period`. */
export function previousPeriod(policy: PeriodPolicy, period: BillingPeriod): BillingPeriod {
  return policy.periodContaining(new Date(period.start.getTime() - 1));
}
