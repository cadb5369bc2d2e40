import { SqlWhere } from '@servicecenter/platform-database';
import {
  PRIORITIES,
  REQUEST_STATUSES,
  REQUEST_TYPES,
  type OpenRequestItem,
  type PerPeriod,
  type ReportScope,
} from '../domain/reports';

export type Granularity = 'MONTH' | 'QUARTER';

/** A keyset position: the sort key as text (microseconds, UTC) and the row's id as tiebreak. */
export type Keyset = [at: string, id: string];

/** A row of a keyset-paged list with its position (the cursor is made of it). */
export interface Keyed<T> {
  node: T;
  key: Keyset;
}

/** The report filters (customer, product group, product, priority) on the columns a read model has. */
export class Where extends SqlWhere {
  scope(s: ReportScope, cols: { customer?: string; group?: string; product?: string; priority?: string }): this {
    if (cols.customer && s.customerIds) this.and(`${cols.customer} = ANY(${this.param(s.customerIds)}::text[])`);
    if (cols.group && s.productGroupId) this.and(`${cols.group} = ${this.param(s.productGroupId)}`);
    if (cols.product && s.productId) this.and(`${cols.product} = ${this.param(s.productId)}`);
    if (cols.priority && s.priority) this.and(`${cols.priority} = ${this.param(s.priority)}`);
    return this;
  }

  /** Rows after a report list's keyset position: (time, uuid id). */
  afterKey(sort: string, id: string, after: Keyset | undefined, direction: 'ASC' | 'DESC' = 'ASC'): this {
    return this.after([sort, id], after, ['timestamptz', 'uuid'], direction);
  }
}

/** The sort key as text with microseconds: a JavaScript Date would drop them and repeat or skip rows. */
export const keyText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * A read-model column that holds one of a vocabulary's names (the projections store what the
 * validated events carry). Anything else is a broken read model: an error, not a value the
 * schema's enum cannot show.
 */
export function oneOf<T extends string>(names: readonly T[], v: unknown, column: string): T {
  const name = names.find((n) => n === v);
  if (name === undefined)
    throw new Error(`Read model column ${column} holds ${String(v)}, not one of ${names.join(', ')}`);
  return name;
}

/** Rows of a query grouped by period and over the whole range (GROUPING SETS): '' marks the whole range. */
export function perPeriod<T extends { period: string }>(rows: T[], empty: () => T): PerPeriod<T> {
  return { total: rows.find((r) => r.period === '') ?? empty(), periods: rows.filter((r) => r.period !== '') };
}

export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const hours = (v: unknown): number | null =>
  v === null || v === undefined ? null : Math.round((Number(v) / 3600) * 100) / 100;

/** The age buckets as of `now`: counting rows (`count(*)`), or summing a count column (`sum(n)`). */
export const AGE_COLUMNS = (now: string, agg = 'count(*)') => `
  coalesce(${agg} FILTER (WHERE ${now} - registered_at < interval '1 day'), 0)::int AS b0,
  coalesce(${agg} FILTER (WHERE ${now} - registered_at >= interval '1 day' AND ${now} - registered_at < interval '3 days'), 0)::int AS b1,
  coalesce(${agg} FILTER (WHERE ${now} - registered_at >= interval '3 days' AND ${now} - registered_at < interval '7 days'), 0)::int AS b2,
  coalesce(${agg} FILTER (WHERE ${now} - registered_at >= interval '7 days' AND ${now} - registered_at < interval '30 days'), 0)::int AS b3,
  coalesce(${agg} FILTER (WHERE ${now} - registered_at >= interval '30 days'), 0)::int AS b4`;

export const ages = (r: Record<string, unknown>) => ({
  lessThan1Day: Number(r.b0),
  from1To3Days: Number(r.b1),
  from3To7Days: Number(r.b2),
  from7To30Days: Number(r.b3),
  moreThan30Days: Number(r.b4),
});

export const periodKey = (g: Granularity, column: string, zone: string) =>
  g === 'MONTH'
    ? `to_char(date_trunc('month', ${column} AT TIME ZONE ${zone}), 'YYYY-MM')`
    : `to_char(date_trunc('quarter', ${column} AT TIME ZONE ${zone}), 'YYYY-"Q"Q')`;

export function requestRow(r: Record<string, unknown>, now: Date): OpenRequestItem {
  const registeredAt = new Date(r.registered_at as string);
  return {
    requestId: r.request_id as string,
    number: r.number as string,
    title: (r.title as string | null) ?? null,
    type: oneOf(REQUEST_TYPES, r.type, 'type'),
    status: oneOf(REQUEST_STATUSES, r.status, 'status'),
    priority: oneOf(PRIORITIES, r.effective_priority, 'effective_priority'),
    customerId: r.customer_id as string,
    productGroupId: (r.product_group_id as string | null) ?? null,
    productId: (r.product_id as string | null) ?? null,
    registeredAt,
    ageDays: Math.floor(((now.getTime() - registeredAt.getTime()) / 86_400_000) * 10) / 10,
    changeRef: (r.change_ref as string | null) ?? null,
  };
}
