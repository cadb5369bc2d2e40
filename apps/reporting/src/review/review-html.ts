import { DateTime } from 'luxon';
import type { ServiceManagementReview } from '../domain/review';
import { AGE_BUCKETS, SAME_DAY_GOAL } from '../domain/rules';
import { Html, barChart, formatNumber, formatPercent, html } from './html';

const TARGET_NAMES: Record<string, string> = {
  FIRST_RESPONSE: 'First response',
  ASSIGNMENT: 'Assignment',
  ACCEPTANCE: 'Acceptance',
  WORKAROUND: 'Workaround',
  RESOLUTION: 'Resolution',
};

const STYLE = `
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2733; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
  h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; border-bottom: 2px solid #2f6f9f; padding-bottom: .2rem; margin-top: 2rem; }
  .meta { color: #5b6b7a; margin-top: 0; }
  table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; } th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #dde3e8; }
  td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
  .met { color: #1b7d3a; font-weight: 600; } .missed { color: #b3261e; font-weight: 600; } .none { color: #5b6b7a; }
  .kpis { display: flex; gap: 1rem; flex-wrap: wrap; } .kpi { border: 1px solid #dde3e8; border-radius: 6px; padding: .5rem .8rem; min-width: 9rem; }
  .kpi b { display: block; font-size: 1.4rem; }
  svg.chart { max-width: 100%; height: auto; font-size: 12px; } svg.chart text { fill: #1d2733; }
  rect.met, rect.base { fill: #2f6f9f; } rect.missed, rect.overrun, rect.detractor { fill: #c8553d; } rect.credit, rect.passive { fill: #f2a541; } rect.left { fill: #cfd8df; } rect.promoter { fill: #3a9b5c; }
  rect.age0 { fill: #9ecae1; } rect.age1 { fill: #6baed6; } rect.age2 { fill: #4292c6; } rect.age3 { fill: #2171b5; } rect.age4 { fill: #08306b; }
  line.goal { stroke: #1d2733; stroke-dasharray: 4 3; } text.goal-label { font-size: 10px; }
  .legend span { display: inline-block; margin-right: 1rem; } .legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; }
  blockquote { margin: .4rem 0; padding: .3rem .8rem; border-left: 3px solid #cfd8df; }
  footer { margin-top: 2rem; color: #5b6b7a; font-size: 12px; }
  @media print { body { margin: 0; max-width: none; font-size: 11pt; } section { break-inside: avoid; } h2 { break-after: avoid; } a { color: inherit; text-decoration: none; } .no-print { display: none; } }
`;

const verdict = (met: boolean | null) =>
  met === null
    ? html`<span class="none">nothing to judge</span>`
    : met
      ? html`<span class="met">MET</span>`
      : html`<span class="missed">MISSED</span>`;

/** The review as one printable page: every section of the template, charts as inline SVG, all text escaped. */
export function renderReviewHtml(review: ServiceManagementReview, zone: string): string {
  const date = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd HH:mm') : '–');
  const day = (d: Date) => DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd');
  const lastDay = DateTime.fromJSDate(review.to, { zone }).minus({ days: 1 }).toJSDate();
  const { sla, openRequests: open, bundle, escalations: esc, disruptions: dis, satisfaction: sat } = review;
  const hw = sla.highWorkaround;

  const slaChart = barChart(
    'SLA compliance per target this quarter',
    sla.quarter.map((r) => ({
      label: TARGET_NAMES[r.target] ?? r.target,
      segments: [
        {
          value: r.rate === null ? 0 : Math.round(r.rate * 1000) / 10,
          className: 'met',
          title: `${r.met} of ${r.total} met`,
        },
      ],
    })),
    { max: 100, unit: '%' },
  );
  const openChart = barChart(
    'Open requests per priority by age',
    open.byPriority.map((p) => ({
      label: p.priority,
      segments: AGE_BUCKETS.map((b, i) => ({
        value: p.ages[b.key],
        className: `age${i}`,
        title: `${b.label}: ${p.ages[b.key]}`,
      })),
    })),
  );
  const bundleChart = barChart(
    'Bundle hours used this year',
    [
      {
        label: `Booked ${bundle.year}`,
        segments: [
          { value: bundle.baseUsed, className: 'base', title: `base bundle used: ${bundle.baseUsed} h` },
          { value: bundle.creditUsed, className: 'credit', title: `credit bundle used: ${bundle.creditUsed} h` },
          { value: bundle.overrun, className: 'overrun', title: `over the bundles: ${bundle.overrun} h` },
        ],
      },
      {
        label: 'Bundles',
        segments: [
          { value: bundle.baseHours, className: 'base', title: `base ${bundle.baseHours} h` },
          { value: bundle.creditHours, className: 'credit', title: `credit ${bundle.creditHours} h` },
        ],
      },
    ],
    { unit: ' h' },
  );
  const satChart = barChart('Survey answers by tNPS category', [
    {
      label: 'Promoters (9–10)',
      segments: [{ value: sat.promoters, className: 'promoter', title: `${sat.promoters} promoters` }],
    },
    {
      label: 'Passives (7–8)',
      segments: [{ value: sat.passives, className: 'passive', title: `${sat.passives} passives` }],
    },
    {
      label: 'Detractors (0–6)',
      segments: [{ value: sat.detractors, className: 'detractor', title: `${sat.detractors} detractors` }],
    },
  ]);

  const page: Html = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Service Management Review – ${review.customer.name} – ${review.quarter}</title>
<style>${new Html(STYLE)}</style></head>
<body>
<header>
<h1>Service Management Review</h1>
<p class="meta"><strong data-field="customer">${review.customer.name}</strong> · ${review.quarter} (${day(review.from)} – ${day(lastDay)}) · service manager ${review.customer.serviceManagerId ?? '–'} · generated ${date(review.generatedAt)}</p>
</header>

<section id="sla"><h2>1. SLA figures</h2>
<div class="kpis">
<div class="kpi">High workaround rule<b data-field="high-workaround">${verdict(hw.met)}</b>${hw.completed} completed · ${formatPercent(hw.withinBudgetRate)} within 24 h (goal ≥ ${hw.workaroundGoalPercent}%) · ${formatPercent(hw.withinHardLimitRate)} within 48 h (goal ≥ ${hw.hardLimitGoalPercent}%)</div>
<div class="kpi">Same-day resolution<b data-field="same-day">${formatPercent(sla.sameDay.rate)}</b>${sla.sameDay.solvedSameDay} of ${sla.sameDay.registered} · goal ${formatPercent(SAME_DAY_GOAL)} ${verdict(sla.sameDay.goalMet)}</div>
</div>
${slaChart}
<table><thead><tr><th>Target</th>${sla.months.length ? [...new Set(sla.months.map((m) => m.period))].map((p) => html`<th class="n">${p}</th>`) : ''}<th class="n">Quarter</th><th class="n">Met / total</th></tr></thead><tbody>
${sla.quarter.map(
  (q) =>
    html`<tr><td>${TARGET_NAMES[q.target] ?? q.target}</td>${[...new Set(sla.months.map((m) => m.period))].map((p) => {
      const m = sla.months.find((x) => x.period === p && x.target === q.target);
      return html`<td class="n">${m ? formatPercent(m.rate) : '–'}</td>`;
    })}<td class="n" data-target="${q.target}">${formatPercent(q.rate)}</td><td class="n">${q.met} / ${q.total}</td></tr>`,
)}
${sla.quarter.length === 0 ? html`<tr><td colspan="3" class="none">No SLA targets completed or breached this quarter.</td></tr>` : ''}
</tbody></table>
</section>

<section id="open-requests"><h2>2. Open requests</h2>
<p>${open.total} open request(s) today.</p>
${openChart}
<p class="legend">${AGE_BUCKETS.map((b, i) => html`<span><i class="age${i}" style="background:${['#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08306b'][i]}"></i>${b.label}</span>`)}</p>
<table><thead><tr><th>Status</th><th class="n">Count</th></tr></thead><tbody>${open.byStatus.map((s) => html`<tr><td>${s.status}</td><td class="n">${s.count}</td></tr>`)}</tbody></table>
<h3>Oldest open requests</h3>
<table><thead><tr><th>Number</th><th>Title</th><th>Priority</th><th>Status</th><th class="n">Age (days)</th></tr></thead><tbody>
${open.oldest.map((r) => html`<tr><td>${r.number}</td><td>${r.title ?? ''}</td><td>${r.priority}</td><td>${r.status}</td><td class="n">${formatNumber(r.ageDays)}</td></tr>`)}
</tbody></table>
</section>

<section id="bundle"><h2>3. Bundle use ${bundle.year}</h2>
${bundleChart}
<table><tbody>
<tr><td>Hours booked (year to ${bundle.upTo}, exclusive)</td><td class="n" data-field="booked">${formatNumber(bundle.bookedHours, 2)}</td></tr>
<tr><td>Base bundle: used / size / left</td><td class="n">${formatNumber(bundle.baseUsed, 2)} / ${formatNumber(bundle.baseHours, 2)} / ${formatNumber(bundle.baseLeft, 2)}</td></tr>
<tr><td>Credit bundle: used / size / left</td><td class="n">${formatNumber(bundle.creditUsed, 2)} / ${formatNumber(bundle.creditHours, 2)} / ${formatNumber(bundle.creditLeft, 2)}</td></tr>
<tr><td>Left in total (negative: overrun)</td><td class="n" data-field="left">${formatNumber(bundle.left, 2)}</td></tr>
</tbody></table>
</section>

<section id="escalations"><h2>4. Escalations</h2>
<table><tbody>
<tr><td>Opened this quarter</td><td class="n" data-field="escalations-opened">${esc.opened}</td></tr>
<tr><td>Closed this quarter</td><td class="n">${esc.closed}</td></tr>
<tr><td>Open today</td><td class="n">${esc.openNow}</td></tr>
<tr><td>Duration of closed escalations: mean / longest (hours)</td><td class="n">${formatNumber(esc.averageDurationHours)} / ${formatNumber(esc.longestDurationHours)}</td></tr>
<tr><td>Priority changes asked / rejected</td><td class="n">${esc.priorityChangesAsked} / ${esc.priorityChangesRejected}</td></tr>
<tr><td>Status updates asked / answered</td><td class="n">${esc.statusUpdatesAsked} / ${esc.statusUpdatesAnswered}</td></tr>
<tr><td>Urgent calls</td><td class="n">${esc.urgentCalls}</td></tr>
</tbody></table>
</section>

<section id="disruptions"><h2>5. Disruptions</h2>
<p>${dis.published} published, ${dis.resolved} resolved this quarter; mean / longest duration ${formatNumber(dis.averageDurationHours)} / ${formatNumber(dis.longestDurationHours)} h; updates on time <strong data-field="on-time">${formatPercent(dis.onTimeUpdateRate)}</strong> (${dis.updatesOnTime} of ${dis.updatesDue}).</p>
<table><thead><tr><th>Notice</th><th>Title</th><th>Product</th><th>Status</th><th>Started</th><th>Resolved</th><th class="n">Hours</th></tr></thead><tbody>
${dis.notices.map((d) => html`<tr><td>${d.number}</td><td>${d.title}</td><td>${d.productId}</td><td>${d.status}</td><td>${date(d.startedAt)}</td><td>${date(d.resolvedAt)}</td><td class="n">${formatNumber(d.durationHours)}</td></tr>`)}
</tbody></table>
</section>

<section id="satisfaction"><h2>6. Customer satisfaction</h2>
<div class="kpis"><div class="kpi">tNPS<b data-field="tnps">${formatNumber(sat.tnps)}</b>${sat.responses} response(s), mean score ${formatNumber(sat.averageScore)}</div></div>
${satChart}
${sat.comments.map((c) => html`<blockquote><strong>${c.score}</strong> · ${c.number ?? ''}: ${c.comment}</blockquote>`)}
</section>

<section id="changes"><h2>7. Product-development changes you wait for</h2>
<table><thead><tr><th>Change</th><th class="n">Customers waiting</th><th>Your requests</th></tr></thead><tbody>
${review.changes.map((c) => html`<tr><td>${c.changeRef}</td><td class="n">${c.customerCount ?? '–'}</td><td>${c.requests.map((r, i) => html`${i ? ', ' : ''}${r.number} (${r.title ?? ''})`)}</td></tr>`)}
${review.changes.length === 0 ? html`<tr><td colspan="3" class="none">No open requests wait for a product-development change.</td></tr>` : ''}
</tbody></table>
</section>
<footer>Figures from the reporting read models (events up to the time of generation). Time zone ${zone}.</footer>
</body></html>`;
  return page.value;
}
