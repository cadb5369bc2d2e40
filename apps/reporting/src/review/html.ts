/** Escapes text for HTML element content and attribute values: no markup from titles or comments. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new Html(out);
}

function render(v: unknown): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(v);
}

export interface Bar {
  label: string;
  /** Segments stacked left to right. */
  segments: { value: number; className: string; title: string }[];
}

/**
 * A horizontal (stacked) bar chart as inline SVG: no chart library, prints as vectors.
 * `max` fixes the scale (e.g. 100 for percentages); `goal` draws a dashed line.
 */
export function barChart(
  title: string,
  bars: Bar[],
  options: { max?: number; goal?: number; unit?: string } = {},
): Html {
  const rowHeight = 26;
  const labelWidth = 150;
  const width = 560;
  const chartWidth = width - labelWidth - 70;
  const max = options.max ?? Math.max(1, ...bars.map((b) => b.segments.reduce((n, s) => n + Math.max(0, s.value), 0)));
  const height = bars.length * rowHeight + 24;
  const scale = (v: number) => (Math.max(0, v) / max) * chartWidth;
  const rows = bars.map((bar, i) => {
    let x = labelWidth;
    const y = 8 + i * rowHeight;
    const total = bar.segments.reduce((n, s) => n + s.value, 0);
    const rects = bar.segments.map((s) => {
      const w = scale(s.value);
      const rect = html`<rect class="${s.className}" x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowHeight - 8}"><title>${s.title}</title></rect>`;
      x += w;
      return rect;
    });
    return html`<text x="${labelWidth - 8}" y="${y + 13}" text-anchor="end">${bar.label}</text>${rects}<text x="${(x + 6).toFixed(1)}" y="${y + 13}">${formatNumber(total)}${options.unit ?? ''}</text>`;
  });
  const goal =
    options.goal !== undefined
      ? html`<line class="goal" x1="${(labelWidth + scale(options.goal)).toFixed(1)}" x2="${(labelWidth + scale(options.goal)).toFixed(1)}" y1="2" y2="${height - 14}"/><text class="goal-label" x="${(labelWidth + scale(options.goal)).toFixed(1)}" y="${height - 2}" text-anchor="middle">goal ${formatNumber(options.goal)}${options.unit ?? ''}</text>`
      : '';
  return html`<svg class="chart" role="img" aria-label="${title}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${title}</title>${rows}${goal}</svg>`;
}

export const formatNumber = (n: number | null | undefined, digits = 1): string => {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  return Number.isInteger(n) ? String(n) : n.toFixed(digits);
};

export const formatPercent = (fraction: number | null | undefined): string =>
  fraction === null || fraction === undefined ? '–' : `${formatNumber(Math.round(fraction * 1000) / 10)}%`;
