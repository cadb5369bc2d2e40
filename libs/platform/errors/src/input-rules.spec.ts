import fc from 'fast-check';
import { EARLIEST_YEAR, LATEST_YEAR, parseCalendarDate, parseInstant, textProblem } from './input-rules';

describe('input rules', () => {
  const earliest = Date.UTC(EARLIEST_YEAR, 0, 1);
  const latest = Date.UTC(LATEST_YEAR + 1, 0, 1) - 1;

  it('reads back every instant of 1900–2200 in UTC and with any offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: earliest + DAY, max: latest - DAY }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (ms, offset) => {
          const at = new Date(ms);
          expect(parseInstant(at.toISOString())).toEqual({ ok: true, value: at });
          const local = new Date(ms + offset * 60_000).toISOString().slice(0, 23);
          const sign = offset < 0 ? '-' : '+';
          const hhmm = `${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
          expect(parseInstant(`${local}${sign}${hhmm}`)).toEqual({ ok: true, value: at });
        },
      ),
    );
  });

  it('refuses instants without an offset, out of range or impossible', () => {
    for (const bad of [
      '2026-05-01T10:00:00',
      '2026-05-01 10:00:00Z',
      '2026-05-01T10:00Z',
      '2026-05-01T10:00:00+0100',
      '+275760-09-13T00:00:00.000Z',
      '1899-12-31T23:59:59Z',
      '2201-01-01T00:00:00Z',
      '2026-02-29T10:00:00Z',
      '2026-04-31T10:00:00Z',
      '2026-05-01T10:60:00Z',
      '2026-05-01T10:00:00+24:00',
      20260501,
    ])
      expect(parseInstant(bad)).toMatchObject({ ok: false });
    // The range is of the instant in UTC.
    expect(parseInstant('1900-01-01T00:30:00+01:00')).toMatchObject({ ok: false });
    expect(parseInstant('2200-12-31T23:30:00-01:00')).toMatchObject({ ok: false });
    expect(parseInstant('2024-02-29T10:00:00.123456789Z')).toEqual({
      ok: true,
      value: new Date('2024-02-29T10:00:00.123Z'),
    });
  });

  it('takes calendar days of 1900–2200 only', () => {
    expect(parseCalendarDate('2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    for (const bad of [
      '0000-01-01',
      '1899-12-31',
      '2201-01-01',
      '2026-02-29',
      '2026-13-01',
      '2026-5-1',
      '2026-05-01T00:00:00Z',
    ])
      expect(parseCalendarDate(bad)).toMatchObject({ ok: false });
  });

  it('refuses NUL and lone surrogates, and nothing else', () => {
    expect(textProblem('a\u0000b')).toMatch(/NUL/);
    expect(textProblem('ab\uD800cd')).toMatch(/surrogate/);
    expect(textProblem('\uDC00ab')).toMatch(/surrogate/);
    expect(textProblem('ab\uD800')).toMatch(/surrogate/);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) =>
        expect(textProblem(text.replaceAll('\u0000', ''))).toBeNull(),
      ),
    );
  });
});

const DAY = 86_400_000;
