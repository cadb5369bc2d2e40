/**
 * Orders two RFC 3339 instants (as the event contracts validate them: any fraction of a second,
 * `Z` or an offset) as PostgreSQL's timestamptz does: the offset applied, microseconds compared
 * (PostgreSQL rounds the input to them). Negative: `a` is earlier. For consumers that compact a
 * set of events in memory before one statement writes it.
 *
 * The events' usual form, `toISOString()`'s (`2026-03-26T08:23:00.000Z`), is compared as text
 * (two such strings sort as their instants); any other pair is parsed.
 */
export function compareInstants(a: string, b: string): number {
  if (canonical(a) && canonical(b)) return a < b ? -1 : a > b ? 1 : 0;
  return compareInstantsOf(instantOf(a), instantOf(b));
}

/** `compareInstants` of two instants `instantOf` parsed (for a caller that parses each once). */
export const compareInstantsOf = ([ms1, us1]: [number, number], [ms2, us2]: [number, number]): number =>
  ms1 - ms2 || us1 - us2;

/** `YYYY-MM-DDTHH:MM:SS.sssZ` (the contract's schema has checked that the rest are digits). */
const canonical = (s: string) => s.length === 24 && s[23] === 'Z' && s[19] === '.' && s[10] === 'T';

/** Milliseconds since the epoch and the microseconds beyond them, rounded as PostgreSQL rounds. */
export function instantOf(iso: string): [ms: number, micros: number] {
  const fraction = /\.(\d+)/.exec(iso)?.[1] ?? '';
  const micros = fraction.length > 6 ? Math.round(Number(`0.${fraction}`) * 1e6) : Number(fraction.padEnd(6, '0'));
  return [Date.parse(iso.replace(/\.\d+/, '')) + Math.floor(micros / 1000), micros % 1000];
}

/** The earlier of two instants, a `null` ignored (as `LEAST` ignores it); the first of equal ones. */
export function earlierInstant(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareInstants(b, a) < 0 ? b : a;
}

/** The later of two instants, a `null` ignored (as `GREATEST` ignores it); the first of equal ones. */
export function laterInstant(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareInstants(b, a) > 0 ? b : a;
}
