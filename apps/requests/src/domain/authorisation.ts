import {
  PRODUCT_DEVELOPMENT,
  actorsOf,
  customerScope,
  raciRow,
  rolesWith,
  type Caller,
  type CustomerScope,
  type RaciRole,
  type Role,
} from '@servicecenter/platform-auth';
import { forbidden } from '@servicecenter/platform-errors';
import type { Person } from '../directory/domain/directory';
import { CONSULTED_ONLY, CONTRIBUTIONS, type RequestPermission } from './permissions';
import { RACI_ROWS } from './raci-rows';
import type { Request, RequestType } from './request';

/** Everything an authorisation decision needs about the caller. */
export interface Actor {
  caller: Caller;
  /** The caller's directory record (teams); null when the directory does not know them. */
  person: Person | null;
  /**
   * Customers the caller sees through a relation of the visibility rule (@servicecenter/platform-auth
   * `customerScope`): service manager of, customer success manager of.
   */
  relationCustomerIds: readonly string[];
}

/** What a caller may read (the visibility rule resolved for this service), as a filter the repository turns into SQL. */
export interface ReadScope {
  all: boolean;
  customerIds: readonly string[];
  /** Product development reads the requests handed over to it (not those at Consulting). */
  handedOver: boolean;
}

export type { RequestPermission } from './permissions';

const PD = PRODUCT_DEVELOPMENT;

/** The request type a process of raci.csv is about: its rows grant rights on requests of that type. */
export const TYPE_OF_PROCESS: Readonly<Record<string, RequestType>> = {
  incident: 'INCIDENT',
  change: 'CHANGE',
  information: 'INFORMATION',
  application_service: 'APPLICATION_SERVICE',
};

/** One role's right to a permission on a request type: the rows it comes from, and whether only by exception. */
export interface Right {
  role: Role;
  rows: number[];
  /** The row exceptions (raci-rows.ts) that grant it, when no letter of the matrix does. */
  byException: string[];
}

const key = (type: RequestType, permission: RequestPermission) => `${type}/${permission}`;

/**
 * The rights table, derived from RACI_MATRIX and the rows this service carries (RACI_ROWS): on
 * a request of type T, a permission belongs to the R and A of every row of T's process that
 * grants it, to its C where the permission is input to the step (CONTRIBUTIONS; the Consulted
 * party's own answer is theirs only, CONSULTED_ONLY), and to the roles a row names as an
 * exception to act. Everyone else is refused.
 */
function deriveRights(): Map<string, Right[]> {
  const table = new Map<string, Map<Role, Right>>();
  for (const declared of RACI_ROWS) {
    const row = raciRow(declared.row);
    const type = TYPE_OF_PROCESS[row.process];
    if (!type) throw new Error(`raci-rows.ts: row ${row.row} is of process ${row.process}, not a request type`);
    for (const permission of declared.permissions) {
      const byLetter: Role[] = CONSULTED_ONLY.includes(permission)
        ? rolesWith(row, ['C'])
        : [...actorsOf(row), ...(CONTRIBUTIONS.includes(permission) ? rolesWith(row, ['C']) : [])];
      const byException = (declared.exceptions ?? []).filter((e) => e.as === 'act');
      const rights = table.get(key(type, permission)) ?? new Map<Role, Right>();
      table.set(key(type, permission), rights);
      for (const role of [...byLetter, ...byException.map((e) => e.role)]) {
        const right = rights.get(role) ?? { role, rows: [], byException: [] };
        if (!right.rows.includes(row.row)) right.rows.push(row.row);
        rights.set(role, right);
      }
      for (const e of byException)
        if (!byLetter.includes(e.role as RaciRole)) rights.get(e.role)?.byException.push(e.reason);
    }
  }
  return new Map([...table].map(([k, rights]) => [k, [...rights.values()]]));
}

const RIGHTS = deriveRights();

/** Who may do `permission` on a request of `type`, with the rows of raci.csv it comes from. */
export function rightsFor(type: RequestType, permission: RequestPermission): readonly Right[] {
  return RIGHTS.get(key(type, permission)) ?? [];
}

/** The roles that may do `permission` on a request of `type` (before the context narrows it). */
export const rolesFor = (type: RequestType, permission: RequestPermission): Role[] =>
  rightsFor(type, permission).map((r) => r.role);

const hasRelation = (scope: Extract<CustomerScope, { all: false }>) =>
  scope.serviceManagerOf !== null || scope.customerSuccessManagerOf !== null;

/** The graph's one visibility rule (`customerScope`), resolved with the caller's relation customers. */
export function readScope(actor: Actor): ReadScope {
  const scope = customerScope(actor.caller);
  if (scope.all) return { all: true, customerIds: [], handedOver: false };
  return {
    all: false,
    customerIds: [...new Set([...scope.customerIds, ...(hasRelation(scope) ? actor.relationCustomerIds : [])])],
    handedOver: scope.handedToProductDevelopment,
  };
}

type Subject = Pick<
  Request,
  'type' | 'customerId' | 'teamId' | 'handedOverAt' | 'handoverTarget' | 'productDevelopmentAskedAt'
>;
type Visible = Pick<Request, 'customerId' | 'handedOverAt' | 'handoverTarget' | 'productDevelopmentAskedAt'>;

/**
 * Work given to product development (now or earlier): a request handed over to it, or an
 * information request on which it was asked a question (raci.csv row 71). Not Consulting's.
 */
const atProductDevelopment = (
  request: Pick<Visible, 'handedOverAt' | 'handoverTarget' | 'productDevelopmentAskedAt'>,
) =>
  (request.handedOverAt !== null && request.handoverTarget === 'PRODUCT_DEVELOPMENT') ||
  request.productDevelopmentAskedAt !== null;

export function canRead(actor: Actor, request: Visible): boolean {
  const scope = readScope(actor);
  return (
    scope.all || scope.customerIds.includes(request.customerId) || (scope.handedOver && atProductDevelopment(request))
  );
}

/** Customers see public replies only; everyone internal sees the notes too. */
export const seesInternalNotes = (caller: Caller) => caller.roles.some((r) => r !== 'customer');

const inTeam = (actor: Actor, request: Pick<Request, 'teamId'>) =>
  request.teamId === null || (actor.person?.teamIds.includes(request.teamId) ?? false);

/** Whether the role, which the rights table gives the permission, may use it on this request (the context). */
function inContext(role: Role, actor: Actor, request: Subject): boolean {
  const { caller } = actor;
  if (role === 'customer') return caller.customerId === request.customerId;
  if (role === 'support_consultant' || role === 'team_lead') return inTeam(actor, request);
  if (role === 'service_manager' || role === 'customer_success_manager')
    return actor.relationCustomerIds.includes(request.customerId);
  if (PD.includes(role)) return atProductDevelopment(request);
  return true;
}

const CONTEXT_REASONS: Partial<Record<Role, string>> = {
  customer: 'customers act on their own organisation’s requests only',
  support_consultant: 'consultants handle the requests of their own team’s products',
  team_lead: 'team leads act on their own team’s requests',
  pd_change_coordinator: 'product development acts on requests handed over to it or asked of it only',
};

const TYPE_NAMES: Record<RequestType, string> = {
  INCIDENT: 'an incident',
  CHANGE: 'a change request',
  INFORMATION: 'an information request',
  APPLICATION_SERVICE: 'an application service',
};

/**
 * Throws FORBIDDEN unless the caller may do `permission` on this request: the rights table of
 * the request's type (raci.csv through RACI_ROWS), narrowed by context (customers their own
 * organisation, consultants and team leads their team's products, product development work
 * given to it). Returns the role the caller acts in, which decides the finer rules (a customer
 * may only withdraw, a consultant sets a first priority but only a team lead changes it).
 */
export function authorise(permission: RequestPermission, actor: Actor, request: Subject): Role {
  const { caller } = actor;
  const rights = rightsFor(request.type, permission);
  for (const { role } of rights) {
    if (caller.roles.includes(role) && inContext(role, actor, request)) return role;
  }
  const action = `${permission.toLowerCase().replace(/_/g, ' ')} on ${TYPE_NAMES[request.type]}`;
  const granted = rights.filter((r) => caller.roles.includes(r.role)).map((r) => CONTEXT_REASONS[r.role]);
  const why = granted.find(Boolean);
  const rows = [...new Set(rights.flatMap((r) => r.rows))].sort((a, b) => a - b);
  throw forbidden(
    why
      ? `You may not ${action}: ${why}`
      : rights.length === 0
        ? `Nobody may ${action} (no row of raci.csv grants it)`
        : `You may not ${action}; raci.csv row${rows.length > 1 ? 's' : ''} ${rows.join(', ')} give${rows.length > 1 ? '' : 's'} it to: ${rights.map((r) => r.role).join(', ')}`,
  );
}
