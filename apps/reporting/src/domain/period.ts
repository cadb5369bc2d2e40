import { DateTime } from 'luxon';
import { badInput } from '@servicecenter/platform-errors';

/** A half-open interval [from, to). */
export interface Period {
  from: Date;
  to: Date;
  /** How it was asked, for titles: 2026-Q4, 2026-03, or the two instants. */
  label: string;
}

export interface PeriodInput {
  from?: Date | null;
  to?: Date | null;
  /** YYYY-MM, a calendar month in the report time zone. */
  month?: string | null;
  /** YYYY-Qn, a calendar quarter in the report time zone. */
  quarter?: string | null;
  /** YYYY, a calendar year in the report time zone. */
  year?: number | null;
}

const QUARTER = /^(\d{4})-Q([1-4])$/;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function quarterPeriod(quarter: string, zone: string, field = 'quarter'): Period {
  const m = QUARTER.exec(quarter);
  if (!m) throw badInput(field, 'A quarter looks like 2026-Q4');
  const start = DateTime.fromObject({ year: Number(m[1]), month: (Number(m[2]) - 1) * 3 + 1, day: 1 }, { zone });
  return { from: start.toJSDate(), to: start.plus({ months: 3 }).toJSDate(), label: quarter };
}

export function monthPeriod(month: string, zone: string, field = 'month'): Period {
  const m = MONTH.exec(month);
  if (!m) throw badInput(field, 'A month looks like 2026-03');
  const start = DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: 1 }, { zone });
  return { from: start.toJSDate(), to: start.plus({ months: 1 }).toJSDate(), label: month };
}

export function yearPeriod(year: number, zone: string): Period {
  const start = DateTime.fromObject({ year, month: 1, day: 1 }, { zone });
  return { from: start.toJSDate(), to: start.plus({ years: 1 }).toJSDate(), label: String(year) };
}

/**
 * Exactly one way of giving the period, or none (then `fallback`: the reports that look back
 * default to the current quarter, the open-work reports need no period).
 */
export function resolvePeriod(input: PeriodInput | null | undefined, zone: string, fallback: () => Period): Period {
  const given = [input?.from || input?.to ? 'range' : null, input?.month, input?.quarter, input?.year].filter(
    (v) => v !== null && v !== undefined,
  );
  if (given.length > 1) throw badInput('filter.period', 'Give one of from/to, month, quarter or year');
  if (!input || given.length === 0) return fallback();
  if (input.month) return monthPeriod(input.month, zone, 'filter.period.month');
  if (input.quarter) return quarterPeriod(input.quarter, zone, 'filter.period.quarter');
  if (input.year) {
    if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)
      throw badInput('filter.period.year', 'A year between 2000 and 2100');
    return yearPeriod(input.year, zone);
  }
  if (!input.from || !input.to) throw badInput('filter.period', 'Give both from and to');
  if (input.from >= input.to) throw badInput('filter.period.to', 'to must be after from');
  return { from: input.from, to: input.to, label: `${input.from.toISOString()}/${input.to.toISOString()}` };
}

export const quarterOf = (at: Date, zone: string): string => {
  const d = DateTime.fromJSDate(at, { zone });
  return `${d.year}-Q${Math.ceil(d.month / 3)}`;
};

export const currentQuarter = (now: Date, zone: string): Period => quarterPeriod(quarterOf(now, zone), zone);
