import type { EntityManager } from 'typeorm';
import {
  DISRUPTION_STATUSES,
  type DisruptionFigures,
  type DisruptionItem,
  type EscalationFigures,
  type ReportScope,
} from '../domain/reports';
import { share } from '../domain/rules';
import { Where, hours, keyText, oneOf, type Keyed, type Keyset } from './sql';

/** When a notice began: its start, or its publication when no start was given. */
const BEGAN = 'coalesce(d.started_at, d.published_at)';

/** Customer escalations and disruption notices over a period. */
export class EscalationsReader {
  constructor(private readonly manager: EntityManager) {}

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
       FROM rp_escalation WHERE ${w.conditions}`,
      w.params,
    );
    const a = new Where();
    a.and(`occurred_at >= ${a.param(s.from)} AND occurred_at < ${a.param(s.to)}`).scope(s, { customer: 'customer_id' });
    const kinds: { kind: string; count: number }[] = await this.manager.query(
      `SELECT kind, count(*)::int AS count FROM rp_escalation_activity WHERE ${a.conditions} GROUP BY kind`,
      a.params,
    );
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

  /**
   * Disruptions published in the period (for a customer: notices that list it as affected).
   * Duration: resolution minus start (publication when no start was given). Updates: every
   * promised next update due in the period is on time when an update (or the resolution) was
   * given after the promise and by its due time, late when it came later, was flagged
   * overdue, or is still missing after the due time; promises not yet due are not counted.
   */
  async disruptions(s: ReportScope, now: Date): Promise<DisruptionFigures> {
    const w = disruptionWhere(s);
    const from = w.param(s.from);
    const to = w.param(s.to);
    const [d]: Record<string, unknown>[] = await this.manager.query(
      `SELECT count(*) FILTER (WHERE d.published_at >= ${from} AND d.published_at < ${to})::int AS published,
         count(*) FILTER (WHERE d.resolved_at >= ${from} AND d.resolved_at < ${to})::int AS resolved,
         avg(extract(epoch FROM d.resolved_at - ${BEGAN})) FILTER (WHERE d.resolved_at >= ${from} AND d.resolved_at < ${to})::float8 AS avg_duration,
         max(extract(epoch FROM d.resolved_at - ${BEGAN})) FILTER (WHERE d.resolved_at >= ${from} AND d.resolved_at < ${to})::float8 AS max_duration
       FROM rp_disruption d WHERE ${w.conditions}`,
      w.params,
    );
    const u = disruptionWhere(s);
    const n = `${u.param(now)}::timestamptz`;
    u.and(`p.due_at >= ${u.param(s.from)} AND p.due_at < ${u.param(s.to)}`);
    const [p]: Record<string, unknown>[] = await this.manager.query(
      `WITH judged AS (
         SELECT p.due_at, p.overdue,
           (SELECT min(g.given_at) FROM rp_disruption_update g WHERE g.notice_id = p.notice_id AND g.given_at > p.promised_at) AS given_at
         FROM rp_disruption_promise p JOIN rp_disruption d ON d.notice_id = p.notice_id WHERE ${u.conditions})
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

  /**
   * One page of the notices active in the period (began before its end, not resolved before
   * its start), in the order they began: keyset on (began, notice_id) over the index
   * rp_disruption_began; `limit` is first + 1.
   */
  async notices(s: ReportScope, limit: number, after?: Keyset): Promise<Keyed<DisruptionItem>[]> {
    const w = activeWhere(s).afterKey(BEGAN, 'd.notice_id', after);
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT d.*, extract(epoch FROM d.resolved_at - ${BEGAN})::float8 AS duration, ${keyText(BEGAN)} AS k_at FROM rp_disruption d
       WHERE ${w.conditions} ORDER BY ${BEGAN}, d.notice_id LIMIT ${w.param(limit)}`,
      w.params,
    );
    return rows.map((r) => ({
      node: {
        noticeId: r.notice_id as string,
        number: r.number as string,
        title: r.title as string,
        productId: r.product_id as string,
        // disruption.resolved carries no version or status: a resolution shows even before the notice closes.
        status: r.resolved_at && r.status === 'PUBLISHED' ? 'RESOLVED' : oneOf(DISRUPTION_STATUSES, r.status, 'status'),
        startedAt: r.started_at ? new Date(r.started_at as string) : null,
        resolvedAt: r.resolved_at ? new Date(r.resolved_at as string) : null,
        durationHours: hours(r.duration),
      },
      key: [r.k_at as string, r.notice_id as string],
    }));
  }

  async noticeCount(s: ReportScope): Promise<number> {
    const w = activeWhere(s);
    const [r]: { n: number }[] = await this.manager.query(
      `SELECT count(*)::int AS n FROM rp_disruption d WHERE ${w.conditions}`,
      w.params,
    );
    return Number(r.n);
  }
}

function disruptionWhere(s: ReportScope): Where {
  const w = new Where();
  if (s.customerIds) w.and(`d.affected_customer_ids && ${w.param(s.customerIds)}::text[]`);
  if (s.productId) w.and(`d.product_id = ${w.param(s.productId)}`);
  return w;
}

function activeWhere(s: ReportScope): Where {
  const w = disruptionWhere(s);
  return w.and(
    `${BEGAN} < ${w.param(s.to)} AND (d.resolved_at IS NULL OR d.resolved_at >= ${w.param(s.from)}) AND d.published_at IS NOT NULL`,
  );
}
