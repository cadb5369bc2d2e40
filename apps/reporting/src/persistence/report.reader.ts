import type { EntityManager } from 'typeorm';
import { Topics } from '@servicecenter/contracts';
import type {
  ChangeWait,
  ComplianceRow,
  DisruptionFigures,
  DisruptionItem,
  EscalationFigures,
  FreshnessRow,
  HighWorkaroundPeriod,
  OpenRequestItem,
  OpenRequestsRow,
  ReportScope,
  ResponseTimeRow,
  SameDayRow,
  SatisfactionFigures,
  SatisfactionRow,
  SurveyComment,
} from '../domain/reports';
import { SAME_DAY_GOAL, highWorkaroundRule, share, tnps } from '../domain/rules';

export type Granularity = 'MONTH' | 'QUARTER';

/** Builds WHERE conditions with numbered parameters; columns that do not apply are left out. */
class Where {
  readonly params: unknown[] = [];
  readonly conditions: string[] = [];
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
  add(condition: string): this {
    this.conditions.push(condition);
    return this;
  }
  scope(s: ReportScope, cols: { customer?: string; group?: string; product?: string; priority?: string }): this {
    if (cols.customer && s.customerIds) this.add(`${cols.customer} = ANY(${this.param(s.customerIds)}::text[])`);
    if (cols.group && s.productGroupId) this.add(`${cols.group} = ${this.param(s.productGroupId)}`);
    if (cols.product && s.productId) this.add(`${cols.product} = ${this.param(s.productId)}`);
    if (cols.priority && s.priority) this.add(`${cols.priority} = ${this.param(s.priority)}`);
    return this;
  }
  get sql(): string {
    return this.conditions.length ? this.conditions.join(' AND ') : 'true';
  }
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const hours = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round((Number(v) / 3600) * 100) / 100);

const AGE_COLUMNS = (now: string) => `
  count(*) FILTER (WHERE ${now} - registered_at < interval '1 day')::int AS b0,
  count(*) FILTER (WHERE ${now} - registered_at >= interval '1 day' AND ${now} - registered_at < interval '3 days')::int AS b1,
  count(*) FILTER (WHERE ${now} - registered_at >= interval '3 days' AND ${now} - registered_at < interval '7 days')::int AS b2,
  count(*) FILTER (WHERE ${now} - registered_at >= interval '7 days' AND ${now} - registered_at < interval '30 days')::int AS b3,
  count(*) FILTER (WHERE ${now} - registered_at >= interval '30 days')::int AS b4`;

const ages = (r: Record<string, unknown>) => ({
  lessThan1Day: Number(r.b0),
  from1To3Days: Number(r.b1),
  from3To7Days: Number(r.b2),
  from7To30Days: Number(r.b3),
  moreThan30Days: Number(r.b4),
});

const periodKey = (g: Granularity, column: string, zone: string) =>
  g === 'MONTH' ? `to_char(date_trunc('month', ${column} AT TIME ZONE ${zone}), 'YYYY-MM')` : `to_char(date_trunc('quarter', ${column} AT TIME ZONE ${zone}), 'YYYY-"Q"Q')`;

/** Which read models each topic feeds (for the freshness query). */
export const READ_MODELS_BY_TOPIC: Record<string, string[]> = {
  [Topics.requests]: ['requests', 'first responses', 'closings', 'time bookings', 'surveys', 'change links', 'customers'],
  [Topics.sla]: ['SLA target outcomes'],
  [Topics.escalations]: ['escalations', 'asks and urgent calls', 'disruptions'],
};

/**
 * The reports as SQL aggregates over the projections (GROUP BY, FILTER, date_trunc in the
 * report time zone): no rows are loaded into memory beyond the result lines.
 */
export class ReportReader {
  constructor(
    private readonly manager: EntityManager,
    private readonly zone: string,
  ) {}

  private requestRow(r: Record<string, unknown>, now: Date): OpenRequestItem {
    const registeredAt = new Date(r.registered_at as string);
    return {
      requestId: r.request_id as string,
      number: r.number as string,
      title: (r.title as string | null) ?? null,
      type: r.type as string,
      status: r.status as string,
      priority: r.effective_priority as string,
      customerId: r.customer_id as string,
      productGroupId: (r.product_group_id as string | null) ?? null,
      productId: (r.product_id as string | null) ?? null,
      registeredAt,
      ageDays: Math.floor(((now.getTime() - registeredAt.getTime()) / 86_400_000) * 10) / 10,
      changeRef: (r.change_ref as string | null) ?? null,
    };
  }

  async openRequests(s: ReportScope, now: Date): Promise<OpenRequestsRow[]> {
    const w = new Where();
    const n = `${w.param(now)}::timestamptz`;
    w.add(`status <> 'CLOSED'`).scope(s, { customer: 'customer_id', group: 'product_group_id', product: 'product_id', priority: 'effective_priority' });
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT product_group_id, effective_priority, count(*)::int AS count, min(registered_at) AS oldest, ${AGE_COLUMNS(n)}
       FROM rp_request WHERE ${w.sql} GROUP BY product_group_id, effective_priority
       ORDER BY product_group_id NULLS LAST, array_position(ARRAY['HIGH','MEDIUM','LOW'], effective_priority)`,
      w.params,
    );
    return rows.map((r) => ({
      productGroupId: (r.product_group_id as string | null) ?? null,
      priority: r.effective_priority as string,
      count: Number(r.count),
      ages: ages(r),
      oldestRegisteredAt: r.oldest ? new Date(r.oldest as string) : null,
    }));
  }

  async openByStatus(s: ReportScope): Promise<{ status: string; count: number }[]> {
    const w = new Where().add(`status <> 'CLOSED'`).scope(s, { customer: 'customer_id', group: 'product_group_id', product: 'product_id', priority: 'effective_priority' });
    const rows: { status: string; count: number }[] = await this.manager.query(
      `SELECT status, count(*)::int AS count FROM rp_request WHERE ${w.sql} GROUP BY status ORDER BY count DESC, status`,
      w.params,
    );
    return rows;
  }

  async oldestOpen(s: ReportScope, now: Date, limit: number, extra?: 'CONSULTING_CHANGES'): Promise<OpenRequestItem[]> {
    const w = new Where().add(`status <> 'CLOSED'`).scope(s, { customer: 'customer_id', group: 'product_group_id', product: 'product_id', priority: 'effective_priority' });
    if (extra === 'CONSULTING_CHANGES') w.add(`type = 'CHANGE' AND status = 'HANDED_OVER' AND handed_over_to = 'CONSULTING'`);
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT * FROM rp_request WHERE ${w.sql} ORDER BY registered_at, number LIMIT ${w.param(limit)}`,
      w.params,
    );
    return rows.map((r) => this.requestRow(r, now));
  }

  async responseTimes(s: ReportScope, now: Date): Promise<ResponseTimeRow[]> {
    const w = new Where();
    const n = `${w.param(now)}::timestamptz`;
    w.add(`status <> 'CLOSED'`).scope(s, { customer: 'customer_id', group: 'product_group_id', product: 'product_id', priority: 'effective_priority' });
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT product_group_id, count(*)::int AS open,
         count(first_response_at)::int AS responded,
         avg(extract(epoch FROM first_response_at - registered_at))::float8 AS avg_response,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - registered_at))::float8 AS median_response,
         max(extract(epoch FROM first_response_at - registered_at))::float8 AS max_response,
         count(*) FILTER (WHERE first_response_at IS NULL)::int AS waiting,
         avg(extract(epoch FROM ${n} - registered_at)) FILTER (WHERE first_response_at IS NULL)::float8 AS avg_wait,
         max(extract(epoch FROM ${n} - registered_at)) FILTER (WHERE first_response_at IS NULL)::float8 AS max_wait
       FROM rp_request WHERE ${w.sql} GROUP BY product_group_id ORDER BY product_group_id NULLS LAST`,
      w.params,
    );
    return rows.map((r) => ({
      productGroupId: (r.product_group_id as string | null) ?? null,
      open: Number(r.open),
      responded: Number(r.responded),
      averageResponseHours: hours(r.avg_response),
      medianResponseHours: hours(r.median_response),
      longestResponseHours: hours(r.max_response),
      waiting: Number(r.waiting),
      averageWaitingHours: hours(r.avg_wait),
      longestWaitingHours: hours(r.max_wait),
    }));
  }

  async consultingChanges(s: ReportScope, now: Date): Promise<OpenRequestsRow[]> {
    const w = new Where();
    const n = `${w.param(now)}::timestamptz`;
    w.add(`status = 'HANDED_OVER' AND handed_over_to = 'CONSULTING' AND type = 'CHANGE'`).scope(s, {
      customer: 'customer_id',
      group: 'product_group_id',
      product: 'product_id',
      priority: 'effective_priority',
    });
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT product_group_id, effective_priority, count(*)::int AS count, min(registered_at) AS oldest, ${AGE_COLUMNS(n)}
       FROM rp_request WHERE ${w.sql} GROUP BY product_group_id, effective_priority
       ORDER BY product_group_id NULLS LAST, array_position(ARRAY['HIGH','MEDIUM','LOW'], effective_priority)`,
      w.params,
    );
    return rows.map((r) => ({
      productGroupId: (r.product_group_id as string | null) ?? null,
      priority: r.effective_priority as string,
      count: Number(r.count),
      ages: ages(r),
      oldestRegisteredAt: r.oldest ? new Date(r.oldest as string) : null,
    }));
  }

  /**
   * A completed target counts in the period it was completed (MET or MISSED; NOT_APPLICABLE
   * is left out); a breached target that is still running counts as MISSED in the period of
   * its breach. Rows per period and target, plus '' rows for the whole range.
   */
  async compliance(s: ReportScope, g: Granularity): Promise<ComplianceRow[]> {
    const w = new Where();
    const zone = w.param(this.zone);
    const from = w.param(s.from);
    const to = w.param(s.to);
    w.scope(s, { customer: 'customer_id', group: 'product_group_id', product: 'product_id', priority: 'priority' });
    const rows: Record<string, unknown>[] = await this.manager.query(
      `WITH counted AS (
         SELECT kind, completed_at AS at, outcome FROM rp_sla_target
           WHERE outcome IN ('MET', 'MISSED') AND completed_at >= ${from} AND completed_at < ${to} AND ${w.sql}
         UNION ALL
         SELECT kind, breached_at AS at, 'MISSED' FROM rp_sla_target
           WHERE outcome IS NULL AND breached_at IS NOT NULL AND breached_at >= ${from} AND breached_at < ${to} AND ${w.sql})
       SELECT coalesce(${periodKey(g, 'at', zone)}, '') AS period, kind,
         count(*) FILTER (WHERE outcome = 'MET')::int AS met, count(*) FILTER (WHERE outcome = 'MISSED')::int AS missed
       FROM counted GROUP BY GROUPING SETS ((${periodKey(g, 'at', zone)}, kind), (kind))
       ORDER BY 1, array_position(ARRAY['FIRST_RESPONSE','ASSIGNMENT','ACCEPTANCE','WORKAROUND','RESOLUTION'], kind)`,
      w.params,
    );
    return rows.map((r) => {
      const met = Number(r.met);
      const missed = Number(r.missed);
      return { period: r.period as string, target: r.kind as string, met, missed, total: met + missed, rate: share(met, met + missed) };
    });
  }

  /** High incidents' WORKAROUND targets completed in the period: within 24 h (elapsed ≤ budget) and within 48 h (hard limit not exceeded). */
  async highWorkaround(s: ReportScope, g: Granularity): Promise<HighWorkaroundPeriod[]> {
    const w = new Where();
    const zone = w.param(this.zone);
    w.add(`kind = 'WORKAROUND' AND priority = 'HIGH' AND type = 'INCIDENT' AND outcome IN ('MET', 'MISSED')`);
    w.add(`completed_at >= ${w.param(s.from)} AND completed_at < ${w.param(s.to)}`);
    w.scope(s, { customer: 'customer_id', group: 'product_group_id', product: 'product_id' });
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT coalesce(${periodKey(g, 'completed_at', zone)}, '') AS period, count(*)::int AS completed,
         count(*) FILTER (WHERE elapsed_ms <= budget_ms)::int AS within_budget,
         count(*) FILTER (WHERE NOT hard_limit_exceeded)::int AS within_hard
       FROM rp_sla_target WHERE ${w.sql}
       GROUP BY GROUPING SETS ((${periodKey(g, 'completed_at', zone)}), ()) ORDER BY 1`,
      w.params,
    );
    const result = rows.map((r) => ({ period: r.period as string, ...highWorkaroundRule(Number(r.completed), Number(r.within_budget), Number(r.within_hard)) }));
    if (!result.some((r) => r.period === '')) result.unshift({ period: '', ...highWorkaroundRule(0, 0, 0) });
    return result;
  }

  /**
   * Incidents and information requests registered in the period (not closed as duplicate,
   * withdrawn or declined) whose first solution or workaround went out, or which closed as
   * SOLVED/WORKAROUND, on the calendar day of registration in the report time zone.
   */
  async sameDay(s: ReportScope, g: Granularity): Promise<SameDayRow[]> {
    const w = new Where();
    const zone = w.param(this.zone);
    w.add(`type IN ('INCIDENT', 'INFORMATION') AND coalesce(completion_reason, '') NOT IN ('DUPLICATE', 'WITHDRAWN', 'DECLINED')`);
    w.add(`registered_at >= ${w.param(s.from)} AND registered_at < ${w.param(s.to)}`);
    w.scope(s, { customer: 'customer_id', group: 'product_group_id', product: 'product_id', priority: 'effective_priority' });
    const day = (c: string) => `(${c} AT TIME ZONE ${zone})::date`;
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT coalesce(${periodKey(g, 'registered_at', zone)}, '') AS period, count(*)::int AS registered,
         count(*) FILTER (WHERE ${day('first_solution_at')} = ${day('registered_at')}
           OR (status = 'CLOSED' AND completion_reason IN ('SOLVED', 'WORKAROUND') AND ${day('closed_at')} = ${day('registered_at')}))::int AS same_day
       FROM rp_request WHERE ${w.sql}
       GROUP BY GROUPING SETS ((${periodKey(g, 'registered_at', zone)}), ()) ORDER BY 1`,
      w.params,
    );
    const result = rows.map((r) => {
      const rate = share(Number(r.same_day), Number(r.registered));
      return { period: r.period as string, registered: Number(r.registered), solvedSameDay: Number(r.same_day), rate, goalMet: rate === null ? null : rate >= SAME_DAY_GOAL };
    });
    if (!result.some((r) => r.period === '')) result.unshift({ period: '', registered: 0, solvedSameDay: 0, rate: null, goalMet: null });
    return result;
  }

  async satisfaction(s: ReportScope, g: Granularity): Promise<SatisfactionRow[]> {
    const w = new Where();
    const zone = w.param(this.zone);
    w.add(`answered_at >= ${w.param(s.from)} AND answered_at < ${w.param(s.to)}`);
    w.scope(s, { customer: 'customer_id', group: 'product_group_id', product: 'product_id', priority: 'priority' });
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT coalesce(${periodKey(g, 'answered_at', zone)}, '') AS period, count(*)::int AS responses,
         count(*) FILTER (WHERE score >= 9)::int AS promoters, count(*) FILTER (WHERE score BETWEEN 7 AND 8)::int AS passives,
         count(*) FILTER (WHERE score <= 6)::int AS detractors, avg(score)::float8 AS average
       FROM rp_survey WHERE ${w.sql}
       GROUP BY GROUPING SETS ((${periodKey(g, 'answered_at', zone)}), ()) ORDER BY 1`,
      w.params,
    );
    const result = rows.map((r) => satisfactionRow(r.period as string, Number(r.promoters), Number(r.passives), Number(r.detractors), num(r.average)));
    if (!result.some((r) => r.period === '')) result.unshift(satisfactionRow('', 0, 0, 0, null));
    return result;
  }

  async surveyComments(s: ReportScope, limit: number): Promise<SurveyComment[]> {
    const w = new Where().add(`s.answered_at >= $1 AND s.answered_at < $2 AND s.comment IS NOT NULL AND s.comment <> ''`);
    w.params.push(s.from, s.to);
    w.scope(s, { customer: 's.customer_id', group: 's.product_group_id', product: 's.product_id', priority: 's.priority' });
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT s.request_id, r.number, s.score, s.comment, s.answered_at FROM rp_survey s LEFT JOIN rp_request r USING (request_id)
       WHERE ${w.sql} ORDER BY s.answered_at DESC, s.request_id LIMIT ${w.param(limit)}`,
      w.params,
    );
    return rows.map((r) => ({ requestId: r.request_id as string, number: (r.number as string | null) ?? null, score: Number(r.score), comment: r.comment as string, answeredAt: new Date(r.answered_at as string) }));
  }

  /** Hours booked per customer with work dates in [yearStart, upTo), with the customer's bundles. */
  async bookedHours(customerIds: string[] | null, yearStart: string, upTo: string): Promise<{ customerId: string; name: string; base: number; credit: number; booked: number }[]> {
    const w = new Where();
    const from = w.param(yearStart);
    const to = w.param(upTo);
    if (customerIds) w.add(`c.customer_id = ANY(${w.param(customerIds)}::text[])`);
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT c.customer_id, c.name, c.base_bundle_hours AS base, c.credit_bundle_hours AS credit,
         coalesce((SELECT sum(b.hours) FROM rp_booking b WHERE b.customer_id = c.customer_id AND b.work_date >= ${from}::date AND b.work_date < ${to}::date), 0) AS booked
       FROM rp_customer c WHERE ${w.sql} ORDER BY c.name, c.customer_id`,
      w.params,
    );
    return rows.map((r) => ({ customerId: r.customer_id as string, name: r.name as string, base: Number(r.base), credit: Number(r.credit), booked: Number(r.booked) }));
  }

  async escalations(s: ReportScope): Promise<EscalationFigures> {
    const w = new Where();
    const from = w.param(s.from);
    const to = w.param(s.to);
    w.scope(s, { customer: 'customer_id' });
    const [e]: Record<string, unknown>[] = await this.manager.query(
      `SELECT count(*) FILTER (WHERE opened_at >= ${from} AND opened_at < ${to})::int AS opened,
         count(*) FILTER (WHERE closed_at >= ${from} AND closed_at < ${to})::int AS closed,
         count(*) FILTER (WHERE status = 'OPEN')::int AS open_now,
         avg(extract(epoch FROM closed_at - opened_at)) FILTER (WHERE closed_at >= ${from} AND closed_at < ${to})::float8 AS avg_duration,
         max(extract(epoch FROM closed_at - opened_at)) FILTER (WHERE closed_at >= ${from} AND closed_at < ${to})::float8 AS max_duration
       FROM rp_escalation WHERE ${w.sql}`,
      w.params,
    );
    const a = new Where();
    a.add(`occurred_at >= ${a.param(s.from)} AND occurred_at < ${a.param(s.to)}`).scope(s, { customer: 'customer_id' });
    const kinds: { kind: string; count: number }[] = await this.manager.query(`SELECT kind, count(*)::int AS count FROM rp_escalation_activity WHERE ${a.sql} GROUP BY kind`, a.params);
    const k = (kind: string) => kinds.find((x) => x.kind === kind)?.count ?? 0;
    return {
      opened: Number(e.opened),
      closed: Number(e.closed),
      openNow: Number(e.open_now),
      averageDurationHours: hours(e.avg_duration),
      longestDurationHours: hours(e.max_duration),
      priorityChangesAsked: k('PRIORITY_CHANGE_ASKED'),
      priorityChangesRejected: k('PRIORITY_CHANGE_REJECTED'),
      statusUpdatesAsked: k('STATUS_UPDATE_ASKED'),
      statusUpdatesAnswered: k('STATUS_UPDATE_ANSWERED'),
      urgentCalls: k('URGENT_CALL'),
    };
  }

  private disruptionWhere(s: ReportScope, alias: string): Where {
    const w = new Where();
    if (s.customerIds) w.add(`${alias}.affected_customer_ids && ${w.param(s.customerIds)}::text[]`);
    if (s.productId) w.add(`${alias}.product_id = ${w.param(s.productId)}`);
    return w;
  }

  /**
   * Disruptions published in the period (for a customer: notices that list it as affected).
   * Duration: resolution minus start (publication when no start was given). Updates: every
   * promised next update due in the period is on time when an update (or the resolution) was
   * given after the promise and by its due time, late when it came later, was flagged
   * overdue, or is still missing after the due time; promises not yet due are not counted.
   */
  async disruptions(s: ReportScope, now: Date): Promise<DisruptionFigures> {
    const w = this.disruptionWhere(s, 'd');
    const from = w.param(s.from);
    const to = w.param(s.to);
    const [d]: Record<string, unknown>[] = await this.manager.query(
      `SELECT count(*) FILTER (WHERE d.published_at >= ${from} AND d.published_at < ${to})::int AS published,
         count(*) FILTER (WHERE d.resolved_at >= ${from} AND d.resolved_at < ${to})::int AS resolved,
         avg(extract(epoch FROM d.resolved_at - coalesce(d.started_at, d.published_at))) FILTER (WHERE d.resolved_at >= ${from} AND d.resolved_at < ${to})::float8 AS avg_duration,
         max(extract(epoch FROM d.resolved_at - coalesce(d.started_at, d.published_at))) FILTER (WHERE d.resolved_at >= ${from} AND d.resolved_at < ${to})::float8 AS max_duration
       FROM rp_disruption d WHERE ${w.sql}`,
      w.params,
    );
    const u = this.disruptionWhere(s, 'd');
    const n = `${u.param(now)}::timestamptz`;
    u.add(`p.due_at >= ${u.param(s.from)} AND p.due_at < ${u.param(s.to)}`);
    const [p]: Record<string, unknown>[] = await this.manager.query(
      `WITH judged AS (
         SELECT p.due_at, p.overdue,
           (SELECT min(g.given_at) FROM rp_disruption_update g WHERE g.notice_id = p.notice_id AND g.given_at > p.promised_at) AS given_at
         FROM rp_disruption_promise p JOIN rp_disruption d ON d.notice_id = p.notice_id WHERE ${u.sql})
       SELECT count(*) FILTER (WHERE NOT overdue AND given_at IS NOT NULL AND given_at <= due_at)::int AS on_time,
         count(*) FILTER (WHERE overdue OR (given_at IS NOT NULL AND given_at > due_at) OR (given_at IS NULL AND due_at <= ${n}))::int AS late
       FROM judged`,
      u.params,
    );
    const onTime = Number(p.on_time);
    const late = Number(p.late);
    return {
      published: Number(d.published),
      resolved: Number(d.resolved),
      averageDurationHours: hours(d.avg_duration),
      longestDurationHours: hours(d.max_duration),
      updatesDue: onTime + late,
      updatesOnTime: onTime,
      updatesLate: late,
      onTimeUpdateRate: share(onTime, onTime + late),
    };
  }

  /** Notices active in the period: started or published before its end and not resolved before its start. */
  async disruptionList(s: ReportScope, limit: number): Promise<DisruptionItem[]> {
    const w = this.disruptionWhere(s, 'd');
    w.add(`coalesce(d.started_at, d.published_at) < ${w.param(s.to)} AND (d.resolved_at IS NULL OR d.resolved_at >= ${w.param(s.from)}) AND d.published_at IS NOT NULL`);
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT d.*, extract(epoch FROM d.resolved_at - coalesce(d.started_at, d.published_at))::float8 AS duration FROM rp_disruption d
       WHERE ${w.sql} ORDER BY coalesce(d.started_at, d.published_at), d.number LIMIT ${w.param(limit)}`,
      w.params,
    );
    return rows.map((r) => ({
      noticeId: r.notice_id as string,
      number: r.number as string,
      title: r.title as string,
      productId: r.product_id as string,
      // disruption.resolved carries no version or status: a resolution shows even before the notice closes.
      status: r.resolved_at && r.status === 'PUBLISHED' ? 'RESOLVED' : (r.status as string),
      startedAt: r.started_at ? new Date(r.started_at as string) : null,
      resolvedAt: r.resolved_at ? new Date(r.resolved_at as string) : null,
      durationHours: hours(r.duration),
    }));
  }

  /** Open requests linked to a product-development change, grouped by change. */
  async changeWaits(s: ReportScope, now: Date): Promise<ChangeWait[]> {
    const w = new Where().add(`status <> 'CLOSED' AND change_ref IS NOT NULL`).scope(s, { customer: 'customer_id', group: 'product_group_id', product: 'product_id' });
    const rows: Record<string, unknown>[] = await this.manager.query(`SELECT * FROM rp_request WHERE ${w.sql} ORDER BY change_ref, registered_at, number LIMIT 500`, w.params);
    const byChange = new Map<string, ChangeWait>();
    for (const r of rows) {
      const ref = r.change_ref as string;
      const wait = byChange.get(ref) ?? { changeRef: ref, customerCount: null, requests: [] };
      const count = num(r.change_customer_count);
      if (count !== null) wait.customerCount = Math.max(wait.customerCount ?? 0, count);
      wait.requests.push(this.requestRow(r, now));
      byChange.set(ref, wait);
    }
    return [...byChange.values()];
  }

  async customer(customerId: string): Promise<{ customerId: string; name: string; serviceManagerId: string | null; customerSuccessManagerId: string | null } | null> {
    const [r]: Record<string, unknown>[] = await this.manager.query(`SELECT * FROM rp_customer WHERE customer_id = $1`, [customerId]);
    return r
      ? { customerId: r.customer_id as string, name: r.name as string, serviceManagerId: (r.service_manager_id as string | null) ?? null, customerSuccessManagerId: (r.customer_success_manager_id as string | null) ?? null }
      : null;
  }

  /** The customers a service manager or customer success manager looks after. */
  async customersOf(personId: string): Promise<string[]> {
    const rows: { customer_id: string }[] = await this.manager.query(
      `SELECT customer_id FROM rp_customer WHERE service_manager_id = $1 OR customer_success_manager_id = $1 ORDER BY customer_id`,
      [personId],
    );
    return rows.map((r) => r.customer_id);
  }

  async freshness(now: Date): Promise<FreshnessRow[]> {
    const rows: Record<string, unknown>[] = await this.manager.query(`SELECT * FROM rp_freshness`);
    return Object.entries(READ_MODELS_BY_TOPIC).map(([topic, readModels]) => {
      const r = rows.find((x) => x.topic === topic);
      const last = r ? new Date(r.last_event_time as string) : null;
      return {
        topic,
        readModels,
        lastEventId: (r?.last_event_id as string | undefined) ?? null,
        lastEventType: (r?.last_event_type as string | undefined) ?? null,
        lastEventTime: last,
        eventsApplied: r ? Number(r.events_applied) : 0,
        lagSeconds: last ? Math.max(0, Math.round((now.getTime() - last.getTime()) / 1000)) : null,
      };
    });
  }

  async journalSize(): Promise<number> {
    const [r]: { n: string }[] = await this.manager.query(`SELECT count(*) AS n FROM event_journal`);
    return Number(r.n);
  }
}

function satisfactionRow(period: string, promoters: number, passives: number, detractors: number, average: number | null): SatisfactionRow & SatisfactionFigures {
  return {
    period,
    responses: promoters + passives + detractors,
    promoters,
    passives,
    detractors,
    averageScore: average === null ? null : Math.round(average * 10) / 10,
    tnps: tnps(promoters, passives, detractors),
  };
}
