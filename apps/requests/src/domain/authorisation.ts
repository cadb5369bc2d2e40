import {
  PRODUCT_DEVELOPMENT,
  customerScope,
  type Caller,
  type CustomerScope,
  type Role,
} from '@servicecenter/platform-auth';
import { forbidden } from '@servicecenter/platform-errors';
import type { Person } from '../directory/domain/directory';
import type { RequestAction } from './lifecycle';
import type { Request } from './request';

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

export type RequestPermission = RequestAction | 'REGISTER' | 'REPLY' | 'ADD_NOTE' | 'BOOK_TIME';

/** The desk roles that handle requests: Responsible or Accountable in the RACI intake, handling and closing rows. */
export const HANDLERS: readonly Role[] = ['support_consultant', 'team_lead', 'manager_service_center'];
const CUSTOMER: readonly Role[] = ['customer'];
const PD = PRODUCT_DEVELOPMENT;

/**
 * Who may do what, derived from raci.csv (R and A may act; see RACI_STEPS for the rows each
 * permission comes from, and authorisation.spec.ts which checks this table against the CSV).
 * Context narrows it further in `authorise`: customers only for their own organisation,
 * consultants and team leads only for their team's products, product development only
 * on handed-over requests.
 */
export const PERMISSIONS: Record<RequestPermission, readonly Role[]> = {
  REGISTER: [...CUSTOMER, ...HANDLERS],
  UPDATE: [...CUSTOMER, ...HANDLERS],
  REPLY: [...CUSTOMER, ...HANDLERS],
  ADD_NOTE: [...HANDLERS, 'service_manager', 'manager_service_management'],
  REQUEST_INFORMATION: HANDLERS,
  RESUME: [...CUSTOMER, ...HANDLERS],
  ASSIGN: HANDLERS,
  PRIORITISE: HANDLERS,
  SEND_IN_HANDLING_NOTICE: HANDLERS,
  ACCEPT: HANDLERS,
  START_HANDLING: HANDLERS,
  HAND_OVER: HANDLERS,
  LINK_CHANGE: ['pd_change_coordinator', ...HANDLERS],
  PROPOSE_SOLUTION: HANDLERS,
  EXECUTE_MUTATION: HANDLERS,
  ACCEPT_SOLUTION: [...CUSTOMER, ...HANDLERS],
  REJECT_SOLUTION: [...CUSTOMER, ...HANDLERS],
  CLOSE: [...CUSTOMER, ...HANDLERS],
  REOPEN: [...CUSTOMER, ...HANDLERS],
  TREAT_AS_NEW: HANDLERS,
  BOOK_TIME: HANDLERS,
};

/** The raci.csv rows (process/phase/step) each permission implements. */
export const RACI_STEPS: Record<RequestPermission, readonly string[]> = {
  REGISTER: [
    'incident/intake/Customer registers or updates the request',
    'application_service/intake/Customer registers the request',
  ],
  UPDATE: [
    'incident/intake/Customer registers or updates the request',
    'incident/intake/If still incorrect after completion: call the customer and update the ticket',
    'change/intake/Manual check of completeness and business impact',
  ],
  REPLY: [
    'incident/intake/Customer registers or updates the request',
    'incident/handling/Agent asks the customer for missing information',
    'information/handling/Agent asks the customer for missing information',
  ],
  ADD_NOTE: [
    'incident/handling/Help within the own team',
    'information/handling/Help within the own team',
    'feedback_on_requests/handling/Judge the request on priority and registration date',
  ],
  REQUEST_INFORMATION: [
    'incident/intake/Registration incomplete: return to the customer as waiting for customer',
    'incident/handling/Agent sets the request to waiting for customer',
  ],
  RESUME: [
    'incident/intake/Waiting for customer with reminders',
    'change/intake/Waiting for customer with reminders',
    'incident/intake/If still incorrect after completion: call the customer and update the ticket',
  ],
  ASSIGN: ['incident/intake/Assign, classify and prioritise by business impact', 'information/intake/Assign'],
  PRIORITISE: [
    'incident/intake/Assign, classify and prioritise by business impact',
    'application_service/intake/Set the priority by the Application Services conditions',
  ],
  SEND_IN_HANDLING_NOTICE: [
    'incident/intake/Tell the customer the request is in handling (within 1 working day)',
    'change/intake/Tell the customer the request is in handling (within 1 working day)',
  ],
  ACCEPT: [
    'incident/intake/Accept the request when all quality criteria are met (3 working days)',
    'change/intake/Accept the request when all quality criteria are met (at most 3 working days)',
  ],
  START_HANDLING: [
    'incident/handling/Agent takes the request into handling',
    'information/handling/Agent takes the request into handling',
  ],
  HAND_OVER: [
    'incident/handling/Hand over to product development',
    'change/handling/Hand over to product development / DevOps or to Consulting',
    'application_service/intake/Forward the request to Consulting',
  ],
  LINK_CHANGE: [
    'incident/handling/Watch that product development links a change to the request; reply to the change coordinator in the request',
  ],
  PROPOSE_SOLUTION: [
    'incident/closing/Write and send the solution to the customer',
    'information/handling/Agent answers and writes a knowledge article',
  ],
  EXECUTE_MUTATION: ['application_service/handling/Execute the mutation by hand or by robot'],
  ACCEPT_SOLUTION: ['change/closing/Customer agrees', 'incident/closing/Customer agrees'],
  REJECT_SOLUTION: ['change/closing/Customer agrees', 'incident/closing/Customer agrees'],
  CLOSE: [
    'incident/closing/Close by hand with a standard text',
    'application_service/closing/Close the request with a text',
  ],
  REOPEN: [
    'incident/intake/Decide: new incident or reopened request',
    'change/intake/Decide: new change request or reopened request',
  ],
  TREAT_AS_NEW: [
    'incident/intake/If it is a new incident: close this request and create a new one',
    'change/intake/If it is a new change request: close this request and create a new one',
  ],
  // Hours are booked by whoever works on the request: the handling rows.
  BOOK_TIME: [
    'incident/handling/Agent takes the request into handling',
    'information/handling/Agent takes the request into handling',
  ],
};

/**
 * Roles that may act beyond the R and A cells of the RACI rows, each with the reason
 * (DOMAIN.md text, or a desk that must be able to stand in). The spec fails when the
 * table and the CSV drift apart.
 */
const STANDS_IN = 'Accountable for handling and closing (DOMAIN.md roles): may do what the consultants of the desk do';
const LEAD_STANDS_IN = 'A team lead is accountable for the team’s requests and stands in for its consultants';

export const RACI_ADDITIONS: Partial<Record<RequestPermission, Partial<Record<Role, string>>>> = {
  REGISTER: {
    support_consultant:
      'The desk takes phone registrations (DOMAIN.md intake step 1: online, or by phone through the desk)',
    manager_service_center:
      'The desk takes phone registrations (DOMAIN.md intake step 1: online, or by phone through the desk)',
  },
  ADD_NOTE: { manager_service_management: 'Prepares the Service Management Review from the customers’ open requests' },
  ASSIGN: { manager_service_center: STANDS_IN },
  PRIORITISE: { manager_service_center: STANDS_IN },
  EXECUTE_MUTATION: { manager_service_center: STANDS_IN },
  LINK_CHANGE: {
    pd_change_coordinator:
      'DOMAIN.md: the PD change coordinator links a change to the request (the RACI row only marks them informed)',
    team_lead: LEAD_STANDS_IN,
  },
  ACCEPT_SOLUTION: { team_lead: LEAD_STANDS_IN },
  REJECT_SOLUTION: { team_lead: LEAD_STANDS_IN },
  CLOSE: { customer: 'A customer may withdraw their own request (completion reason WITHDRAWN only)' },
  REOPEN: {
    customer: 'DOMAIN.md intake step 2: the customer brings a closed request back; the same question reopens it',
  },
};

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

type Subject = Pick<Request, 'customerId' | 'teamId' | 'handedOverAt' | 'handoverTarget'>;

/** Handed over to product development (now or earlier): what PD roles work on. */
const atProductDevelopment = (request: Pick<Request, 'handedOverAt' | 'handoverTarget'>) =>
  request.handedOverAt !== null && request.handoverTarget === 'PRODUCT_DEVELOPMENT';

export function canRead(
  actor: Actor,
  request: Pick<Request, 'customerId' | 'handedOverAt' | 'handoverTarget'>,
): boolean {
  const scope = readScope(actor);
  return (
    scope.all || scope.customerIds.includes(request.customerId) || (scope.handedOver && atProductDevelopment(request))
  );
}

/** Customers see public replies only; everyone internal sees the notes too. */
export const seesInternalNotes = (caller: Caller) => caller.roles.some((r) => r !== 'customer');

const inTeam = (actor: Actor, request: Pick<Request, 'teamId'>) =>
  request.teamId === null || (actor.person?.teamIds.includes(request.teamId) ?? false);

/**
 * Throws FORBIDDEN unless the caller may do `permission` on this request. Returns the role
 * the caller acts in, which decides the finer rules (a customer may only withdraw, a
 * consultant sets a first priority but only a team lead changes it).
 */
export function authorise(permission: RequestPermission, actor: Actor, request: Subject): Role {
  const { caller } = actor;
  for (const role of PERMISSIONS[permission]) {
    if (!caller.roles.includes(role)) continue;
    if (role === 'customer' && caller.customerId === request.customerId) return role;
    if ((role === 'support_consultant' || role === 'team_lead') && inTeam(actor, request)) return role;
    if (role === 'manager_service_center') return role;
    if (role === 'service_manager' || role === 'customer_success_manager') {
      if (actor.relationCustomerIds.includes(request.customerId)) return role;
    } else if (role === 'manager_service_management') return role;
    if (PD.includes(role) && atProductDevelopment(request)) return role;
  }
  const reasons: Record<string, string> = {
    customer: 'customers act on their own organisation’s requests only',
    support_consultant: 'consultants handle the requests of their own team’s products',
    team_lead: 'team leads act on their own team’s requests',
    pd_change_coordinator: 'product development acts on handed-over requests only',
  };
  const why = caller.roles.map((r) => reasons[r]).find(Boolean);
  throw forbidden(
    `You may not ${permission.toLowerCase().replace(/_/g, ' ')} this request${why ? `: ${why}` : `; this needs one of: ${PERMISSIONS[permission].join(', ')}`}`,
  );
}
