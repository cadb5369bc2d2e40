import { RACI_MATRIX } from './matrix.generated';
import { ROLES } from '../roles';
import type { RaciLetter, RaciRole, RaciRow } from './types';

export { RACI_MATRIX };

/** The RACI columns of raci.csv, in its order: every role a row can give a letter to. */
export const RACI_ROLES: readonly RaciRole[] = ROLES.filter(
  (role): role is RaciRole => role !== 'uat_coordinator' && role !== 'admin',
);

/** The row with that number (1-based, file order of raci.csv); throws for a row that does not exist. */
export function raciRow(row: number): RaciRow {
  const found = RACI_MATRIX[row - 1];
  if (!found || found.row !== row) throw new Error(`raci.csv has no row ${row}`);
  return found;
}

/** The roles whose cell in the row holds one of the letters (a cell "R/A" holds both R and A). */
export function rolesWith(row: number | RaciRow, letters: readonly RaciLetter[]): RaciRole[] {
  const r = typeof row === 'number' ? raciRow(row) : row;
  return (Object.entries(r.letters) as [RaciRole, string][])
    .filter(([, cell]) => cell.split('/').some((l) => letters.includes(l.trim() as RaciLetter)))
    .map(([role]) => role);
}

/** R and A: the roles that act on the step. */
export const actorsOf = (row: number | RaciRow): RaciRole[] => rolesWith(row, ['R', 'A']);
