/**
 * The arithmetic of the reports, in one place so the SQL sums and the review agree. The
 * figures come from SQL aggregates; these functions turn counts into the published numbers.
 */

export const SAME_DAY_GOAL = 0.95;
/** The compliance goals of the High-workaround rule, in percent; a customer's agreement may set others. */
export interface SlaGoals {
  workaroundGoalPercent: number;
  hardLimitGoalPercent: number;
}

/** DOMAIN.md: 90% within 24 hours, 100% within 48 hours (the generic agreement). */
export const DEFAULT_SLA_GOALS: SlaGoals = { workaroundGoalPercent: 90, hardLimitGoalPercent: 100 };

/** Share as a fraction, or null when there is nothing to count. */
export const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** Rounded to one decimal, for percentages shown to people. */
export const percent = (fraction: number | null): number | null =>
  fraction === null ? null : Math.round(fraction * 1000) / 10;

export type TnpsCategory = 'PROMOTER' | 'PASSIVE' | 'DETRACTOR';

/** tNPS categories: 9–10 promoter, 7–8 passive, 0–6 detractor. */
export const tnpsCategory = (score: number): TnpsCategory =>
  score >= 9 ? 'PROMOTER' : score >= 7 ? 'PASSIVE' : 'DETRACTOR';

/** tNPS = % promoters − % detractors, from −100 to 100 (one decimal); null without responses. */
export function tnps(promoters: number, passives: number, detractors: number): number | null {
  const n = promoters + passives + detractors;
  if (n === 0) return null;
  return Math.round(((promoters - detractors) * 1000) / n) / 10;
}

export interface BundleUse {
  baseHours: number;
  creditHours: number;
  bookedHours: number;
  baseUsed: number;
  creditUsed: number;
  baseLeft: number;
  creditLeft: number;
  /** base + credit − booked: negative when the bundles are overrun. */
  left: number;
  overrun: number;
}

/** Hours booked in a calendar year consume the base bundle first, then the credit bundle. */
export function bundleUse(baseHours: number, creditHours: number, bookedHours: number): BundleUse {
  const r = (n: number) => Math.round(n * 100) / 100;
  const baseUsed = Math.min(bookedHours, baseHours);
  const creditUsed = Math.min(Math.max(bookedHours - baseHours, 0), creditHours);
  return {
    baseHours: r(baseHours),
    creditHours: r(creditHours),
    bookedHours: r(bookedHours),
    baseUsed: r(baseUsed),
    creditUsed: r(creditUsed),
    baseLeft: r(baseHours - baseUsed),
    creditLeft: r(creditHours - creditUsed),
    left: r(baseHours + creditHours - bookedHours),
    overrun: r(Math.max(bookedHours - baseHours - creditHours, 0)),
  };
}

export interface HighWorkaroundRule {
  completed: number;
  withinBudget: number;
  withinHardLimit: number;
  withinBudgetRate: number | null;
  withinHardLimitRate: number | null;
  budgetPartMet: boolean;
  hardLimitPartMet: boolean;
  /** null when no High workaround was completed in the period (nothing to judge). */
  met: boolean | null;
  /** The goals judged against (the customer's agreement, else the generic one). */
  workaroundGoalPercent: number;
  hardLimitGoalPercent: number;
}

/** part ≥ goal% of whole, in integers of tenths of a percent (goals have at most one decimal). */
const reaches = (part: number, whole: number, goalPercent: number) =>
  part * 1000 >= Math.round(goalPercent * 10) * whole;

/**
 * High incidents' workarounds: at least the workaround goal (90% by default) within the 24 h
 * budget AND the hard-limit goal (100%) within the 48 h hard limit. Exactly the goal meets a
 * part. Compared in integers, so no floating-point rounding decides a boundary case.
 */
export function highWorkaroundRule(
  completed: number,
  withinBudget: number,
  withinHardLimit: number,
  goals: SlaGoals = DEFAULT_SLA_GOALS,
): HighWorkaroundRule {
  const budgetPartMet = completed === 0 || reaches(withinBudget, completed, goals.workaroundGoalPercent);
  const hardLimitPartMet = completed === 0 || reaches(withinHardLimit, completed, goals.hardLimitGoalPercent);
  return {
    completed,
    withinBudget,
    withinHardLimit,
    withinBudgetRate: share(withinBudget, completed),
    withinHardLimitRate: share(withinHardLimit, completed),
    budgetPartMet,
    hardLimitPartMet,
    met: completed === 0 ? null : budgetPartMet && hardLimitPartMet,
    ...goals,
  };
}

/** Age buckets of open requests, in calendar time since registration. */
export const AGE_BUCKETS = [
  { key: 'lessThan1Day', label: '< 1 day', upToDays: 1 },
  { key: 'from1To3Days', label: '1–3 days', upToDays: 3 },
  { key: 'from3To7Days', label: '3–7 days', upToDays: 7 },
  { key: 'from7To30Days', label: '7–30 days', upToDays: 30 },
  { key: 'moreThan30Days', label: '> 30 days', upToDays: null },
] as const;

export type AgeBucketKey = (typeof AGE_BUCKETS)[number]['key'];

/** Which bucket an age in days falls in; the lower bound is inclusive (exactly 1 day is 1–3 days). */
export function ageBucket(ageDays: number): AgeBucketKey {
  for (const b of AGE_BUCKETS) if (b.upToDays !== null && ageDays < b.upToDays) return b.key;
  return 'moreThan30Days';
}
