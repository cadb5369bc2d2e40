import type { EntityManager } from 'typeorm';
import type { PerPeriod, ReportScope, SatisfactionFigures, SatisfactionRow, SurveyComment } from '../domain/reports';
import { tnps } from '../domain/rules';
import { dayPeriodKey, wholeDays } from './rollups';
import { Where, keyText, num, perPeriod, periodKey, type Granularity, type Keyed, type Keyset } from './sql';

/** What customers say and use: survey answers and tNPS, comments, bundle hours booked. */
export class SatisfactionBundleReader {
  constructor(
    private readonly manager: EntityManager,
    private readonly zone: string,
  ) {}

  async satisfaction(s: ReportScope, g: Granularity): Promise<PerPeriod<SatisfactionRow>> {
    const days = wholeDays(s.from, s.to, this.zone);
    const rows = days ? await this.satisfactionFromDays(s, g, days) : await this.satisfactionFromSurveys(s, g);
    const result = rows.map((r) =>
      satisfactionRow(
        r.period as string,
        Number(r.promoters),
        Number(r.passives),
        Number(r.detractors),
        num(r.average),
      ),
    );
    return perPeriod(result, () => satisfactionRow('', 0, 0, 0, null));
  }

  /** Whole days: answers per day and score (rp_survey_day); the average as avg() computes it (numeric). */
  private satisfactionFromDays(
    s: ReportScope,
    g: Granularity,
    days: { fromDay: string; toDay: string },
  ): Promise<Record<string, unknown>[]> {
    const w = new Where();
    w.and(`day >= ${w.param(days.fromDay)}::date AND day < ${w.param(days.toDay)}::date`);
    w.scope(s, { customer: 'customer_id', group: 'product_group_id', product: 'product_id', priority: 'priority' });
    return this.manager.query(
      `SELECT coalesce(${dayPeriodKey(g, 'day')}, '') AS period, coalesce(sum(answers), 0)::int AS responses,
         coalesce(sum(answers) FILTER (WHERE score >= 9), 0)::int AS promoters,
         coalesce(sum(answers) FILTER (WHERE score BETWEEN 7 AND 8), 0)::int AS passives,
         coalesce(sum(answers) FILTER (WHERE score <= 6), 0)::int AS detractors,
         (sum(score::numeric * answers) / nullif(sum(answers), 0)::numeric)::float8 AS average
       FROM rp_survey_day WHERE ${w.conditions}
       GROUP BY GROUPING SETS ((${dayPeriodKey(g, 'day')}), ()) ORDER BY 1`,
      w.params,
    );
  }

  private satisfactionFromSurveys(s: ReportScope, g: Granularity): Promise<Record<string, unknown>[]> {
    const w = new Where();
    const zone = w.param(this.zone);
    w.and(`answered_at >= ${w.param(s.from)} AND answered_at < ${w.param(s.to)}`);
    w.scope(s, { customer: 'customer_id', group: 'product_group_id', product: 'product_id', priority: 'priority' });
    return this.manager.query(
      `SELECT coalesce(${periodKey(g, 'answered_at', zone)}, '') AS period, count(*)::int AS responses,
         count(*) FILTER (WHERE score >= 9)::int AS promoters, count(*) FILTER (WHERE score BETWEEN 7 AND 8)::int AS passives,
         count(*) FILTER (WHERE score <= 6)::int AS detractors, avg(score)::float8 AS average
       FROM rp_survey WHERE ${w.conditions}
       GROUP BY GROUPING SETS ((${periodKey(g, 'answered_at', zone)}), ()) ORDER BY 1`,
      w.params,
    );
  }

  /**
   * One page of the comments answered in the period, latest first: keyset on (answered_at,
   * request_id) descending over the partial index rp_survey_comment; `limit` is first + 1.
   */
  async surveyComments(s: ReportScope, limit: number, after?: Keyset): Promise<Keyed<SurveyComment>[]> {
    const w = this.commentsWhere(s).afterKey('s.answered_at', 's.request_id', after, 'DESC');
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT s.request_id, r.number, s.score, s.comment, s.answered_at, ${keyText('s.answered_at')} AS k_at
       FROM rp_survey s LEFT JOIN rp_request r USING (request_id)
       WHERE ${w.conditions} ORDER BY s.answered_at DESC, s.request_id DESC LIMIT ${w.param(limit)}`,
      w.params,
    );
    return rows.map((r) => ({
      node: {
        requestId: r.request_id as string,
        number: (r.number as string | null) ?? null,
        score: Number(r.score),
        comment: r.comment as string,
        answeredAt: new Date(r.answered_at as string),
      },
      key: [r.k_at as string, r.request_id as string],
    }));
  }

  async surveyCommentCount(s: ReportScope): Promise<number> {
    const days = wholeDays(s.from, s.to, this.zone);
    if (days) {
      const d = new Where();
      d.and(`day >= ${d.param(days.fromDay)}::date AND day < ${d.param(days.toDay)}::date`);
      d.scope(s, { customer: 'customer_id', group: 'product_group_id', product: 'product_id', priority: 'priority' });
      const [r]: { n: number }[] = await this.manager.query(
        `SELECT coalesce(sum(commented), 0)::int AS n FROM rp_survey_day WHERE ${d.conditions}`,
        d.params,
      );
      return Number(r.n);
    }
    const w = this.commentsWhere(s);
    const [r]: { n: number }[] = await this.manager.query(
      `SELECT count(*)::int AS n FROM rp_survey s WHERE ${w.conditions}`,
      w.params,
    );
    return Number(r.n);
  }

  /**
   * Hours booked per customer with work dates in [yearStart, upTo), with the customer's
   * bundles: from the hours per customer and work date (rp_booking_day), at most a year of rows.
   */
  async bookedHours(
    customerIds: string[] | null,
    yearStart: string,
    upTo: string,
  ): Promise<{ customerId: string; name: string; base: number; credit: number; booked: number }[]> {
    const w = new Where();
    const from = w.param(yearStart);
    const to = w.param(upTo);
    if (customerIds) w.and(`c.customer_id = ANY(${w.param(customerIds)}::text[])`);
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT c.customer_id, c.name, c.base_bundle_hours AS base, c.credit_bundle_hours AS credit,
         coalesce((SELECT sum(b.hours) FROM rp_booking_day b WHERE b.customer_id = c.customer_id AND b.work_date >= ${from}::date AND b.work_date < ${to}::date), 0) AS booked
       FROM rp_customer c WHERE ${w.conditions} ORDER BY c.name, c.customer_id`,
      w.params,
    );
    return rows.map((r) => ({
      customerId: r.customer_id as string,
      name: r.name as string,
      base: Number(r.base),
      credit: Number(r.credit),
      booked: Number(r.booked),
    }));
  }

  private commentsWhere(s: ReportScope): Where {
    const w = new Where();
    w.and(
      `s.answered_at >= ${w.param(s.from)} AND s.answered_at < ${w.param(s.to)} AND s.comment IS NOT NULL AND s.comment <> ''`,
    );
    return w.scope(s, {
      customer: 's.customer_id',
      group: 's.product_group_id',
      product: 's.product_id',
      priority: 's.priority',
    });
  }
}

function satisfactionRow(
  period: string,
  promoters: number,
  passives: number,
  detractors: number,
  average: number | null,
): SatisfactionRow & SatisfactionFigures {
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
