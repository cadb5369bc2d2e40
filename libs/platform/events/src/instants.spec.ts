import { compareInstants, earlierInstant, laterInstant } from './instants';

describe('instants ordered as PostgreSQL orders timestamptz', () => {
  it('orders toISOString() forms and any other form by their instant', () => {
    const ordered = [
      '2026-03-26T06:00:00.000Z',
      '2026-03-26T08:22:59.999+02:00', // 06:22:59.999Z
      '2026-03-26T06:23:00Z',
      '2026-03-26T06:23:00.000001Z',
      '2026-03-26T06:23:00.001Z',
      '2026-03-26T08:23:00.0015+02:00', // 06:23:00.0015Z
      '2026-03-26T06:23:00.002Z',
      '2026-12-31T23:59:59.999Z',
      '2027-01-01T00:00:00.000Z',
    ];
    for (let i = 0; i < ordered.length; i++)
      for (let j = 0; j < ordered.length; j++)
        expect(Math.sign(compareInstants(ordered[i], ordered[j]))).toBe(Math.sign(i - j));
  });

  it('takes two spellings of one instant (also beyond microseconds, as PostgreSQL rounds) as equal', () => {
    expect(compareInstants('2026-03-26T06:23:00.000Z', '2026-03-26T08:23:00+02:00')).toBe(0);
    expect(compareInstants('2026-03-26T06:23:00.1234564Z', '2026-03-26T06:23:00.123456Z')).toBe(0);
  });

  it('keeps the earlier or later one, ignoring a missing one as LEAST and GREATEST do, the first of equal ones', () => {
    expect(earlierInstant('2026-03-26T06:23:00.002Z', '2026-03-26T08:23:00.0015+02:00')).toBe(
      '2026-03-26T08:23:00.0015+02:00',
    );
    expect(laterInstant('2026-03-26T06:23:00.002Z', '2026-03-26T08:23:00.0015+02:00')).toBe('2026-03-26T06:23:00.002Z');
    expect(earlierInstant(null, '2026-03-26T06:23:00.002Z')).toBe('2026-03-26T06:23:00.002Z');
    expect(laterInstant('2026-03-26T06:23:00.002Z', null)).toBe('2026-03-26T06:23:00.002Z');
    expect(earlierInstant('2026-03-26T06:23:00.000Z', '2026-03-26T08:23:00+02:00')).toBe('2026-03-26T06:23:00.000Z');
    expect(earlierInstant(null, null)).toBeNull();
  });
});
