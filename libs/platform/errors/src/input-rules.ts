/**
 * The rules every text, instant and calendar date taken from a client must meet before it goes
 * near a database: PostgreSQL refuses NUL in text and jsonb, a lone UTF-16 surrogate cannot be
 * encoded as UTF-8 (jsonb refuses it, text columns would store garbage), and its timestamp and
 * date types end or misbehave far from our years. The GraphQL edge (libs/platform/graphql,
 * input-rules) applies them to every argument; domain schemas use them for values that arrive
 * inside JSON (imported histories). docs/input.md lists them with the maxima.
 */

/** The years an instant or a date may lie in (inclusive): wide enough for any desk, far from PostgreSQL's ends. */
export const EARLIEST_YEAR = 1900;
export const LATEST_YEAR = 2200;

// Without the `u` flag the pattern sees UTF-16 code units: a high surrogate not followed by a low
// one, or a low one not preceded by a high one (String.prototype.isWellFormed, not in our ES lib yet).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with a text for storage, or null: NUL (U+0000) or a lone surrogate. */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(value)) return 'must not contain a lone UTF-16 surrogate (invalid Unicode)';
  return null;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

const yearProblem = (year: number) =>
  year < EARLIEST_YEAR || year > LATEST_YEAR ? `the year must lie between ${EARLIEST_YEAR} and ${LATEST_YEAR}` : null;

const dayProblem = (year: number, month: number, day: number) =>
  month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) ? 'is not a day of the calendar' : null;

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * An instant as RFC 3339 with an offset (2026-11-23T09:30:00Z, 2026-11-23T10:30:00.5+01:00):
 * a time without an offset is ambiguous and refused, as are impossible days and times and
 * years outside EARLIEST_YEAR..LATEST_YEAR (of the UTC instant).
 */
export function parseInstant(value: unknown): Parsed<Date> {
  const expected =
    'must be an RFC 3339 date-time with an offset, e.g. 2026-11-23T09:30:00Z or 2026-11-23T10:30:00+01:00';
  if (typeof value !== 'string') return { ok: false, problem: expected };
  const m = RFC3339.exec(value);
  if (!m) return { ok: false, problem: expected };
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const bad =
    dayProblem(year, month, day) ??
    (hour > 23 || minute > 59 || second > 59 ? 'is not a time of the day' : null) ??
    (m[9] && (Number(m[10]) > 23 || Number(m[11]) > 59) ? 'has an impossible offset' : null);
  if (bad) return { ok: false, problem: `${bad} (${value})` };
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const offsetMinutes = m[9] ? (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) : 0;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, ms);
  const instant = new Date(utc.getTime() - offsetMinutes * 60_000);
  const range = yearProblem(instant.getUTCFullYear());
  return range ? { ok: false, problem: `${range} (${value})` } : { ok: true, value: instant };
}

/** A calendar date YYYY-MM-DD (a day of work, a closed day) in EARLIEST_YEAR..LATEST_YEAR. */
export function parseCalendarDate(value: unknown): Parsed<string> {
  const expected = 'must be a date YYYY-MM-DD, e.g. 2026-11-23';
  if (typeof value !== 'string') return { ok: false, problem: expected };
  const m = CALENDAR_DATE.exec(value);
  if (!m) return { ok: false, problem: expected };
  const [year, month, day] = m.slice(1).map(Number);
  const bad = dayProblem(year, month, day) ?? yearProblem(year);
  return bad ? { ok: false, problem: `${bad} (${value})` } : { ok: true, value };
}
