import { hasRole, type Caller } from '../caller';
import type { Role } from '../roles';
import { actorsOf, raciRow, rolesWith } from './matrix';
import type { RaciRowRights } from './types';

/**
 * Rights derived from RACI_MATRIX and a service's row declarations, keyed by the row (process, step):
 * R and A act, plus the exceptions declared as `act`; every letter reads, plus the `read` exceptions.
 * Pure: the services' authorisation (which turns a "no" into FORBIDDEN) and the row-walk tests ask it.
 */
export function rowRights(declared: readonly RaciRowRights[]) {
  const byRow = new Map(declared.map((d) => [d.row, d]));
  const exceptions = (row: number, as: 'act' | 'read') =>
    (byRow.get(row)?.exceptions ?? []).filter((e) => e.as === as).map((e) => e.role);
  /** The rows whose declaration names the operation. */
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
  /** The rows in the words of the RACI, for error messages and descriptions. */
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
    describe,
    mayAct: (caller: Caller, rows: readonly number[]) => hasRole(caller, ...actors(rows)),
    mayRead: (caller: Caller, rows: readonly number[]) => hasRole(caller, ...readers(rows)),
  };
}
