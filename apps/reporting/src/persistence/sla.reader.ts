import type { EntityManager } from 'typeorm';
import {
  TARGET_KINDS,
  type ComplianceRow,
  type HighWorkaroundPeriod,
  type PerPeriod,
  type ReportScope,
  type SameDayRow,
} from '../domain/reports';
import { DEFAULT_SLA_GOALS, SAME_DAY_GOAL, highWorkaroundRule, share, type SlaGoals } from '../domain/rules';
import { dayPeriodKey, wholeDays } from './rollups';
import { Where, oneOf, perPeriod, periodKey, type Granularity } from './sql';

/** SLA figures over a period: compliance per target, the High-workaround rule, same-day resolution. */
export class SlaReader {
  constructor(
    private readonly manager: EntityManager,
    private readonly zone: string,
  ) {}

  /**
   * A completed target counts in the period it was completed (MET or MISSED; NOT_APPLICABLE
   * is left out); a breached target that is still running counts as MISSED in the period of
   * its breach. Rows per period and target, plus '' rows for the whole range.
   */
  async compliance(s: ReportScope, g: Granularity): Promise<ComplianceRow[]> {
    const days = wholeDays(s.from, s.to, this.zone);
    const rows = days ? await this.complianceFromDays(s, g, days) : await this.complianceFromTargets(s, g);
    return rows.map((r) => {
      const met = Number(r.met);
      const missed = Number(r.missed);
      return {
        period: r.period as string,
        target: oneOf(TARGET_KINDS, r.kind, 'kind'),
        met,
        missed,
        total: met + missed,
        rate: share(met, met + missed),
      };
    });
  }

  /**
   * The goals the rule is judged by: a scope of one customer uses that customer's agreement,
   * any other scope (and a customer without an agreement of its own) the generic agreement's,
   * else DOMAIN.md's 90 / 100.
   */
  async goals(s: ReportScope): Promise<SlaGoals> {
    const own = s.customerIds?.length === 1 ? s.customerIds[0] : null;
    const rows: { customer_id: string; workaround_goal_percent: number; hard_limit_goal_percent: number }[] =
      await this.manager.query(
        `SELECT customer_id, workaround_goal_percent, hard_limit_goal_percent FROM rp_sla_goals WHERE customer_id = ANY($1::text[])`,
        [own ? [own, ''] : ['']],
      );
    const row = rows.find((r) => r.customer_id === own) ?? rows.find((r) => r.customer_id === '');
    return row
      ? {
          workaroundGoalPercent: Number(row.workaround_goal_percent),
          hardLimitGoalPercent: Number(row.hard_limit_goal_percent),
        }
      : DEFAULT_SLA_GOALS;
  }

  /** Whole days: the day counters (rp_sla_target_day), a few thousand rows for a year. */
  private complianceFromDays(
    s: ReportScope,
    g: Granularity,
    days: { fromDay: string; toDay: string },
  ): Promise<Record<string, unknown>[]> {
    const w = new Where();
    w.and(`outcome IN ('MET', 'MISSED', 'RUNNING_BREACHED')`);
    w.and(`day >= ${w.param(days.fromDay)}::date AND day < ${w.param(days.toDay)}::date`);
    w.scope(s, { customer: 'customer_id', group: 'product_group_id', product: 'product_id', priority: 'priority' });
    return this.manager.query(
      `SELECT coalesce(${dayPeriodKey(g, 'day')}, '') AS period, kind,
         coalesce(sum(targets) FILTER (WHERE outcome = 'MET'), 0)::int AS met,
         coalesce(sum(targets) FILTER (WHERE outcome <> 'MET'), 0)::int AS missed
       FROM rp_sla_target_day WHERE ${w.conditions}
       GROUP BY GROUPING SETS ((${dayPeriodKey(g, 'day')}, kind), (kind))
       ORDER BY 1, array_position(ARRAY['FIRST_RESPONSE','ASSIGNMENT','ACCEPTANCE','WORKAROUND','RESOLUTION'], kind)`,
      w.params,
    );
  }

  /** A range that does not start and end at midnight: the target rows themselves. */
  private complianceFromTargets(s: ReportScope, g: Granularity): Promise<Record<string, unknown>[]> {
    const w = new Where();
    const zone = w.param(this.zone);
    const from = w.param(s.from);
    const to = w.param(s.to);
    w.scope(s, { customer: 'customer_id', group: 'product_group_id', product: 'product_id', priority: 'priority' });
    return this.manager.query(
      `WITH counted AS (
         SELECT kind, completed_at AS at, outcome FROM rp_sla_target
           WHERE outcome IN ('MET', 'MISSED') AND completed_at >= ${from} AND completed_at < ${to} AND ${w.conditions}
         UNION ALL
         SELECT kind, breached_at AS at, 'MISSED' FROM rp_sla_target
           WHERE outcome IS NULL AND breached_at IS NOT NULL AND breached_at >= ${from} AND breached_at < ${to} AND ${w.conditions})
       SELECT coalesce(${periodKey(g, 'at', zone)}, '') AS period, kind,
         count(*) FILTER (WHERE outcome = 'MET')::int AS met, count(*) FILTER (WHERE outcome = 'MISSED')::int AS missed
       FROM counted GROUP BY GROUPING SETS ((${periodKey(g, 'at', zone)}, kind), (kind))
       ORDER BY 1, array_position(ARRAY['FIRST_RESPONSE','ASSIGNMENT','ACCEPTANCE','WORKAROUND','RESOLUTION'], kind)`,
      w.params,
    );
  }

  /** High incidents' WORKAROUND targets completed in the period: within 24 h (elapsed ≤ budget) and within 48 h (hard limit not exceeded). */
  async highWorkaround(s: ReportScope, g: Granularity): Promise<PerPeriod<HighWorkaroundPeriod>> {
    const goals = await this.goals(s);
    const days = wholeDays(s.from, s.to, this.zone);
    const rows = days ? await this.highWorkaroundFromDays(s, g, days) : await this.highWorkaroundFromTargets(s, g);
    const result = rows.map((r) => ({
      period: r.period as string,
      ...highWorkaroundRule(Number(r.completed), Number(r.within_budget), Number(r.within_hard), goals),
    }));
    return perPeriod(result, () => ({ period: '', ...highWorkaroundRule(0, 0, 0, goals) }));
  }

  private highWorkaroundFromDays(
    s: ReportScope,
    g: Granularity,
    days: { fromDay: string; toDay: string },
  ): Promise<Record<string, unknown>[]> {
    const w = new Where();
    w.and(`kind = 'WORKAROUND' AND priority = 'HIGH' AND type = 'INCIDENT' AND outcome IN ('MET', 'MISSED')`);
    w.and(`day >= ${w.param(days.fromDay)}::date AND day < ${w.param(days.toDay)}::date`);
    w.scope(s, { customer: 'customer_id', group: 'product_group_id', product: 'product_id' });
    return this.manager.query(
      `SELECT coalesce(${dayPeriodKey(g, 'day')}, '') AS period, coalesce(sum(targets), 0)::int AS completed,
         coalesce(sum(within_budget), 0)::int AS within_budget, coalesce(sum(within_hard), 0)::int AS within_hard
       FROM rp_sla_target_day WHERE ${w.conditions}
       GROUP BY GROUPING SETS ((${dayPeriodKey(g, 'day')}), ()) ORDER BY 1`,
      w.params,
    );
  }

  private highWorkaroundFromTargets(s: ReportScope, g: Granularity): Promise<Record<string, unknown>[]> {
    const w = new Where();
    const zone = w.param(this.zone);
    w.and(`kind = 'WORKAROUND' AND priority = 'HIGH' AND type = 'INCIDENT' AND outcome IN ('MET', 'MISSED')`);
    w.and(`completed_at >= ${w.param(s.from)} AND completed_at < ${w.param(s.to)}`);
    w.scope(s, { customer: 'customer_id', group: 'product_group_id', product: 'product_id' });
    return this.manager.query(
      `SELECT coalesce(${periodKey(g, 'completed_at', zone)}, '') AS period, count(*)::int AS completed,
         count(*) FILTER (WHERE elapsed_ms <= budget_ms)::int AS within_budget,
         count(*) FILTER (WHERE NOT hard_limit_exceeded)::int AS within_hard
       FROM rp_sla_target WHERE ${w.conditions}
       GROUP BY GROUPING SETS ((${periodKey(g, 'completed_at', zone)}), ()) ORDER BY 1`,
      w.params,
    );
  }

  /**
   * Incidents and information requests registered in the period (not closed as duplicate,
   * withdrawn or declined) whose first solution or workaround went out, or which closed as
   * SOLVED/WORKAROUND, on the calendar day of registration in the report time zone.
   */
  async sameDay(s: ReportScope, g: Granularity): Promise<PerPeriod<SameDayRow>> {
    const days = wholeDays(s.from, s.to, this.zone);
    const rows = days ? await this.sameDayFromDays(s, g, days) : await this.sameDayFromRequests(s, g);
    const result = rows.map((r) => {
      const rate = share(Number(r.same_day), Number(r.registered));
      return {
        period: r.period as string,
        registered: Number(r.registered),
        solvedSameDay: Number(r.same_day),
        rate,
        goalMet: rate === null ? null : rate >= SAME_DAY_GOAL,
      };
    });
    return perPeriod(result, () => ({ period: '', registered: 0, solvedSameDay: 0, rate: null, goalMet: null }));
  }

  /** Whole days: the request day counters (rp_request_day). */
  private sameDayFromDays(
    s: ReportScope,
    g: Granularity,
    days: { fromDay: string; toDay: string },
  ): Promise<Record<string, unknown>[]> {
    const w = new Where();
    w.and(`type IN ('INCIDENT', 'INFORMATION') AND completion_reason NOT IN ('DUPLICATE', 'WITHDRAWN', 'DECLINED')`);
    w.and(`day >= ${w.param(days.fromDay)}::date AND day < ${w.param(days.toDay)}::date`);
    w.scope(s, { customer: 'customer_id', group: 'product_group_id', product: 'product_id', priority: 'priority' });
    return this.manager.query(
      `SELECT coalesce(${dayPeriodKey(g, 'day')}, '') AS period, coalesce(sum(registered), 0)::int AS registered,
         coalesce(sum(solved_same_day), 0)::int AS same_day
       FROM rp_request_day WHERE ${w.conditions}
       GROUP BY GROUPING SETS ((${dayPeriodKey(g, 'day')}), ()) ORDER BY 1`,
      w.params,
    );
  }

  private sameDayFromRequests(s: ReportScope, g: Granularity): Promise<Record<string, unknown>[]> {
    const w = new Where();
    const zone = w.param(this.zone);
    w.and(
      `type IN ('INCIDENT', 'INFORMATION') AND coalesce(completion_reason, '') NOT IN ('DUPLICATE', 'WITHDRAWN', 'DECLINED')`,
    );
    w.and(`registered_at >= ${w.param(s.from)} AND registered_at < ${w.param(s.to)}`);
    w.scope(s, {
      customer: 'customer_id',
      group: 'product_group_id',
      product: 'product_id',
      priority: 'effective_priority',
    });
    const day = (c: string) => `(${c} AT TIME ZONE ${zone})::date`;
    return this.manager.query(
      `SELECT coalesce(${periodKey(g, 'registered_at', zone)}, '') AS period, count(*)::int AS registered,
         count(*) FILTER (WHERE ${day('first_solution_at')} = ${day('registered_at')}
           OR (status = 'CLOSED' AND completion_reason IN ('SOLVED', 'WORKAROUND') AND ${day('closed_at')} = ${day('registered_at')}))::int AS same_day
       FROM rp_request WHERE ${w.conditions}
       GROUP BY GROUPING SETS ((${periodKey(g, 'registered_at', zone)}), ()) ORDER BY 1`,
      w.params,
    );
  }
}
