import { RACI_MATRIX, actorsOf } from '@servicecenter/platform-auth';
import { INFORMED, NOTIFICATION_KINDS } from './notifications';
import { RACI_ROWS } from './raci-rows';

/** The processes this service carries (raci.csv rows 94–109, 119–131 and the review's write side 111, 114, 115, 117, 118). */
const PROCESSES = ['feedback_on_requests', 'urgent_disruption_call', 'customer_escalation', 'disruption_communication'];
const ours = [
  ...RACI_MATRIX.filter((r) => PROCESSES.includes(r.process)).map((r) => r.row),
  111,
  114,
  115,
  117,
  118,
].sort((a, b) => a - b);

describe('the RACI rows of escalations', () => {
  const declared = RACI_ROWS;

  it('declares each row of its processes exactly once, and no other row', () => {
    expect(ours[0]).toBe(94);
    expect(ours[ours.length - 1]).toBe(131);
    const counts = new Map<number, number>();
    for (const d of declared) counts.set(d.row, (counts.get(d.row) ?? 0) + 1);
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(declared.map((d) => d.row)).toEqual(ours);
  });

  it('gives every row operations, an automatic step or the reason no software can carry it', () => {
    for (const d of declared)
      expect({ row: d.row, carried: d.operations.length > 0 || !!d.automatic || !!d.notCarried }).toEqual({
        row: d.row,
        carried: true,
      });
    expect(declared.filter((d) => d.notCarried).map((d) => d.row)).toEqual([100]);
  });

  it('names a reason for every exception, and no exception for a role the row already lets act', () => {
    for (const d of declared)
      for (const e of d.exceptions ?? []) {
        expect(e.reason.length).toBeGreaterThan(20);
        if (e.as === 'act')
          expect({ row: d.row, role: e.role, inMatrix: actorsOf(d.row).includes(e.role as never) }).toEqual({
            row: d.row,
            role: e.role,
            inMatrix: false,
          });
      }
  });

  it('informs through a notification whose kind lists the row when the row names a notification kind', () => {
    const kinds = new Set<string>(NOTIFICATION_KINDS);
    for (const d of RACI_ROWS.filter((r) => r.informedBy && kinds.has(r.informedBy))) {
      const kind = d.informedBy as keyof typeof INFORMED;
      const step = RACI_MATRIX[d.row - 1];
      expect({
        row: d.row,
        kind,
        listed: (INFORMED[kind].rows as readonly string[]).includes(`${step.process}/${step.phase}/${step.step}`),
      }).toEqual({ row: d.row, kind, listed: true });
    }
  });
});
