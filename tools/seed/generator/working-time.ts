/**
 * Working time of the generated desk: Monday to Friday, 07:00–16:00 UTC (08:00–17:00 in
 * Amsterdam in winter). Holidays and daylight saving are ignored: the generator only needs
 * plausible office-hour timestamps, the services compute SLAs with their own calendar.
 * A "working offset" counts working milliseconds since the Monday 07:00 UTC of an epoch.
 */
export const HOUR = 3_600_000;
export const WORKING_DAY = 9 * HOUR;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const WORKING_WEEK = 5 * WORKING_DAY;
/** Monday 5 January 1970, 07:00 UTC. */
const EPOCH = 4 * DAY + 7 * HOUR;

/** The working offset of an instant; an instant outside working hours counts as the next working moment. */
export function toWorking(t: number): number {
  const sinceEpoch = t - EPOCH;
  const weeks = Math.floor(sinceEpoch / WEEK);
  const inWeek = sinceEpoch - weeks * WEEK;
  const day = Math.floor(inWeek / DAY);
  const inDay = inWeek - day * DAY;
  if (day >= 5) return (weeks + 1) * WORKING_WEEK;
  return weeks * WORKING_WEEK + day * WORKING_DAY + Math.min(Math.max(inDay, 0), WORKING_DAY);
}

export function fromWorking(w: number): number {
  const weeks = Math.floor(w / WORKING_WEEK);
  const inWeek = w - weeks * WORKING_WEEK;
  const day = Math.floor(inWeek / WORKING_DAY);
  return EPOCH + weeks * WEEK + day * DAY + (inWeek - day * WORKING_DAY);
}

/** `t` plus `ms` of working time. */
export const addWorking = (t: number, ms: number): number => fromWorking(toWorking(t) + ms);
