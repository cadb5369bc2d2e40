import type { Role } from '../roles';

/** The RACI columns of raci.csv: every role but the UAT coordinator and the admin. */
export type RaciRole = Exclude<Role, 'uat_coordinator' | 'admin'>;

/** A letter of the matrix: Responsible, Accountable, Consulted, Informed (a cell may hold several, e.g. "R/A"). */
export type RaciLetter = 'R' | 'A' | 'C' | 'I';

/** One row of raci.csv, numbered from 1 in file order (the numbering the issues and docs/raci.md use). */
export interface RaciRow {
  row: number;
  process: string;
  phase: string;
  step: string;
  /** The non-empty cells of the row, exactly as written in the CSV (e.g. "R", "A", "R/A", "I"). */
  letters: Partial<Record<RaciRole, string>>;
}

/**
 * A named departure from the matrix for one row: a stand-in DOMAIN.md allows (the desk registering a
 * phoned-in request, a team lead covering an absent consultant), a difference between DOMAIN.md's prose
 * and the matrix, or a read the software needs. Listed in docs/raci.md with its reason.
 */
export interface RaciException {
  role: Role;
  /** What the exception allows: act on the step as if R, or read/be informed as if I. */
  as: 'act' | 'read';
  reason: string;
}

/**
 * How one row of the matrix is carried by the software: the GraphQL operations (or automatic behaviour)
 * that implement the step, and its exceptions. Each service declares its rows in
 * `apps/<service>/src/domain/raci-rows.ts`; the row-walk tests hold them against RACI_MATRIX.
 */
export interface RaciRowRights {
  row: number;
  /** GraphQL operations (Mutation/Query field names) that carry the step; empty for an automatic step. */
  operations: readonly string[];
  /** For a step the system performs itself (timers, automatic checks): what does it. */
  automatic?: string;
  /** How Informed roles hear of it: the notification kind or event type; or the query they read it with. */
  informedBy?: string;
  exceptions?: readonly RaciException[];
  /** Set only for a row no software can carry (a phone call, a meeting): why. Listed in docs/raci.md. */
  notCarried?: string;
}
