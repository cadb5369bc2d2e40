import {
  actorsOf,
  hasRole,
  raciRow,
  rolesWith,
  type Caller,
  type RaciRowRights,
  type Role,
} from '@servicecenter/platform-auth';
import { forbidden } from '@servicecenter/platform-errors';

/**
 * Rights derived from RACI_MATRIX and a service's row declarations, keyed by the row (process, step):
 * R and A act, plus the exceptions declared as `act`; every letter reads, plus the `read` exceptions.
 * Pure: both the use cases and the row-walk tests ask it.
 */
export function rowRights(declared: readonly RaciRowRights[]) {
  const byRow = new Map(declared.map((d) => [d.row, d]));
  const exceptions = (row: number, as: 'act' | 'read') =>
    (byRow.get(row)?.exceptions ?? []).filter((e) => e.as === as).map((e) => e.role);
  const rowsOf = (operation: string) => declared.filter((d) => d.operations.includes(operation)).map((d) => d.row);

  /** The roles that may act on one of the rows. */
  const actors = (rows: readonly number[]): Role[] => [
    ...new Set(rows.flatMap((row) => [...actorsOf(row), ...exceptions(row, 'act')] as Role[])),
  ];
  /** The roles that may read one of the rows: any letter, and the exceptions. */
  const readers = (rows: readonly number[]): Role[] => [
    ...new Set(
      rows.flatMap(
        (row) =>
          [...rolesWith(row, ['R', 'A', 'C', 'I']), ...exceptions(row, 'act'), ...exceptions(row, 'read')] as Role[],
      ),
    ),
  ];

  const describe = (rows: readonly number[]) =>
    rows
      .map((row) => {
        const r = raciRow(row);
        const who = (l: 'R' | 'A') => rolesWith(r, [l]).join(', ') || 'nobody';
        return `row ${row} "${r.step}": Responsible ${who('R')}, Accountable ${who('A')}`;
      })
      .join('; ');

  return {
    rowsOf,
    actors,
    readers,
    /** The operation's rows (or the given ones, a step of it) let the caller act; otherwise FORBIDDEN naming the RACI. */
    mustAct(caller: Caller, operation: string, rows: readonly number[] = rowsOf(operation)): void {
      if (!rows.length) throw new Error(`${operation} carries no RACI row`);
      if (!hasRole(caller, ...actors(rows)))
        throw forbidden(`Only ${actors(rows).join(', ')} may do this (raci.csv ${describe(rows)})`);
    },
    mayRead(caller: Caller, rows: readonly number[]): boolean {
      return hasRole(caller, ...readers(rows));
    },
  };
}
