import { stringify } from 'csv-stringify/sync';
import type { ServiceManagementReview } from '../domain/review';
import { AGE_BUCKETS } from '../domain/rules';

/**
 * Text a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a quote
 * in front (OWASP "CSV injection"). Numbers stay numbers, so a negative bundle balance is -5.
 */
export function neutraliseCell(value: unknown): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const pct = (fraction: number | null) => (fraction === null ? null : Math.round(fraction * 1000) / 10);

/** The review as CSV, one figure per line: section, item, period, value, detail. */
export function renderReviewCsv(review: ServiceManagementReview): string {
  const rows: unknown[][] = [];
  const add = (section: string, item: string, period: string, value: unknown, detail: unknown = '') =>
    rows.push([section, item, period, value, detail]);
  add('review', 'customer', review.quarter, review.customer.name, review.customer.customerId);
  for (const r of review.sla.quarter)
    add('sla', `${r.target} compliance %`, review.quarter, pct(r.rate), `${r.met} of ${r.total} met`);
  for (const r of review.sla.months)
    add('sla', `${r.target} compliance %`, r.period, pct(r.rate), `${r.met} of ${r.total} met`);
  const hw = review.sla.highWorkaround;
  add(
    'sla',
    'High workaround within 24 h %',
    review.quarter,
    pct(hw.withinBudgetRate),
    `${hw.withinBudget} of ${hw.completed}`,
  );
  add(
    'sla',
    'High workaround within 48 h %',
    review.quarter,
    pct(hw.withinHardLimitRate),
    `${hw.withinHardLimit} of ${hw.completed}`,
  );
  add('sla', 'High workaround rule', review.quarter, hw.met === null ? 'n/a' : hw.met ? 'MET' : 'MISSED');
  add(
    'sla',
    'Same-day resolution %',
    review.quarter,
    pct(review.sla.sameDay.rate),
    `${review.sla.sameDay.solvedSameDay} of ${review.sla.sameDay.registered}`,
  );
  add('open requests', 'total', 'today', review.openRequests.total);
  for (const p of review.openRequests.byPriority) {
    add('open requests', p.priority, 'today', p.count);
    for (const b of AGE_BUCKETS) add('open requests', `${p.priority} ${b.label}`, 'today', p.ages[b.key]);
  }
  for (const s of review.openRequests.byStatus) add('open requests', `status ${s.status}`, 'today', s.count);
  for (const r of review.openRequests.oldest) add('open requests', `oldest ${r.number}`, 'today', r.ageDays, r.title);
  const b = review.bundle;
  add('bundle', 'booked hours', String(b.year), b.bookedHours, `work dates before ${b.upTo}`);
  add('bundle', 'base bundle hours', String(b.year), b.baseHours);
  add('bundle', 'base used', String(b.year), b.baseUsed);
  add('bundle', 'base left', String(b.year), b.baseLeft);
  add('bundle', 'credit bundle hours', String(b.year), b.creditHours);
  add('bundle', 'credit used', String(b.year), b.creditUsed);
  add('bundle', 'credit left', String(b.year), b.creditLeft);
  add('bundle', 'left', String(b.year), b.left);
  const e = review.escalations;
  for (const [item, value] of Object.entries(e)) add('escalations', item, review.quarter, value);
  const d = review.disruptions;
  for (const item of [
    'published',
    'resolved',
    'averageDurationHours',
    'longestDurationHours',
    'updatesDue',
    'updatesOnTime',
    'updatesLate',
  ] as const)
    add('disruptions', item, review.quarter, d[item]);
  add('disruptions', 'on-time update %', review.quarter, pct(d.onTimeUpdateRate));
  for (const n of d.notices) add('disruptions', `notice ${n.number}`, review.quarter, n.durationHours, n.title);
  const s = review.satisfaction;
  for (const item of ['responses', 'promoters', 'passives', 'detractors', 'averageScore', 'tnps'] as const)
    add('satisfaction', item, review.quarter, s[item]);
  for (const c of s.comments)
    add('satisfaction', `comment ${c.number ?? c.requestId}`, review.quarter, c.score, c.comment);
  for (const c of review.changes)
    add('changes', c.changeRef, 'today', c.customerCount, c.requests.map((r) => r.number).join(' '));
  return stringify([['section', 'item', 'period', 'value', 'detail'], ...rows.map((row) => row.map(neutraliseCell))]);
}
