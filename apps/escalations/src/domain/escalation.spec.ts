import { ROLES, type Caller, type Role } from '@servicecenter/platform-auth';
import { DomainError } from '@servicecenter/platform-errors';
import { answer, decide, priorityJustification, type Ask } from './ask';
import { RIGHTS, canReadEscalation } from './authorisation';
import {
  ESCALATION_STEPS,
  closeEscalation,
  escalationNumber,
  impactHigherThan,
  newEscalation,
  nextStep,
  recordStep,
  type Escalation,
  type RequestView,
} from './escalation';
import { newUrgentCall } from './urgent-call';

const at = new Date('2026-03-02T09:00:00Z');
const request = (over: Partial<RequestView> = {}): RequestView => ({
  requestId: '11111111-1111-4111-8111-111111111111',
  number: 'SC-2026-000001',
  type: 'INCIDENT',
  customerId: 'cust-acme',
  productId: 'prod-payroll',
  productGroupId: 'grp-payroll',
  teamId: 'team-payroll',
  requestedPriority: 'MEDIUM',
  priority: null,
  status: 'ACCEPTED',
  lastPublicUpdateAt: null,
  updatedAt: at,
  version: 3,
  ...over,
});
const open = (requests = [request()]) =>
  newEscalation({
    id: 'e1',
    number: escalationNumber(2026, 1),
    requests,
    reason: 'Payroll at risk',
    businessImpact: 'Salaries',
    desiredOutcome: 'Workaround',
    openedBy: 'p-sm',
    now: at,
  });
const caught = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected an error');
};
const caller = (roles: Role[], customerId?: string): Caller => ({ id: 'x', roles, customerId });

describe('customer escalation', () => {
  it('numbers escalations ESC-<year>-<4 digits>', () => {
    expect(escalationNumber(2026, 1)).toBe('ESC-2026-0001');
    expect(escalationNumber(2026, 12345)).toBe('ESC-2026-12345');
  });

  it('needs at least one request, all of one customer', () => {
    expect(caught(() => open([])).message).toMatch(/must register a request first/);
    const other = request({ requestId: '22222222-2222-4222-8222-222222222222', customerId: 'cust-globex' });
    expect(caught(() => open([request(), other])).code).toBe('BAD_USER_INPUT');
    expect(open()).toMatchObject({ status: 'OPEN', customerId: 'cust-acme', steps: [], version: 1 });
  });

  it('takes the five steps in order, each with who, when and a note', () => {
    let e: Escalation = open();
    for (const [i, step] of ESCALATION_STEPS.entries()) {
      expect(nextStep(e)).toBe(step);
      e = recordStep(e, step, `p-${i}`, `note ${i}`, new Date(at.getTime() + i * 1000));
    }
    expect(nextStep(e)).toBeNull();
    expect(e.steps.map((s) => s.step)).toEqual([...ESCALATION_STEPS]);
    expect(e.steps[3]).toEqual({
      step: 'ESCALATED_TO_MANAGER_SERVICE_CENTER',
      by: 'p-3',
      note: 'note 3',
      at: new Date(at.getTime() + 3000),
    });
    expect(e.version).toBe(6);
  });

  it('refuses a step out of order with INVALID_TRANSITION naming the allowed next step', () => {
    const e = recordStep(open(), 'FACT_FINDING', 'p-sm', 'why', at);
    const skipped = caught(() => recordStep(e, 'CUSTOMER_INFORMED', 'p-sm', 'early', at));
    expect(skipped.code).toBe('INVALID_TRANSITION');
    expect(skipped.details).toMatchObject({
      from: 'FACT_FINDING',
      to: 'CUSTOMER_INFORMED',
      allowedTransitions: ['ALIGNED_WITH_TEAM_LEAD'],
    });
    const repeated = caught(() => recordStep(e, 'FACT_FINDING', 'p-sm', 'again', at));
    expect(repeated.details).toMatchObject({
      allowedTransitions: ['ALIGNED_WITH_TEAM_LEAD'],
      reason: 'FACT_FINDING was already recorded',
    });
  });

  it('names the state in EscalationStatus terms before any step: OPEN, not OPENED', () => {
    const early = caught(() => recordStep(open(), 'CUSTOMER_INFORMED', 'p-sm', 'early', at));
    expect(early.details).toMatchObject({ from: 'OPEN', allowedTransitions: ['FACT_FINDING'] });
    expect(early.message).toBe(
      'CUSTOMER_INFORMED is not possible from OPEN (steps are taken in order; next is FACT_FINDING); allowed from OPEN: FACT_FINDING',
    );
  });

  it('closes once with an outcome; a closed escalation takes no steps', () => {
    const closed = closeEscalation(open(), 'Solved', 'p-sm', at);
    expect(closed).toMatchObject({ status: 'CLOSED', outcome: 'Solved', closedBy: 'p-sm', closedAt: at });
    expect(nextStep(closed)).toBeNull();
    expect(caught(() => recordStep(closed, 'FACT_FINDING', 'p-sm', 'x', at)).details).toMatchObject({
      from: 'CLOSED',
      allowedTransitions: [],
    });
    expect(caught(() => closeEscalation(closed, 'again', 'p-sm', at)).code).toBe('INVALID_TRANSITION');
  });
});

describe('who may do what', () => {
  it('derives who acts from the RACI rows: the customer opens an escalation (row 105), the manager Service Management asks for a status update (row 114)', () => {
    const can = (op: string, role: Role) => {
      try {
        RIGHTS.mustAct(caller([role], role === 'customer' ? 'cust-acme' : undefined), op);
        return true;
      } catch (e) {
        expect((e as { code: string }).code).toBe('FORBIDDEN');
        return false;
      }
    };
    const who = (op: string) => ROLES.filter((r) => can(op, r));
    expect(who('openEscalation')).toEqual(['customer', 'manager_service_center', 'service_manager']);
    expect(who('askStatusUpdate')).toEqual(['manager_service_center', 'service_manager', 'manager_service_management']);
    expect(who('askPriorityChange')).toEqual(['manager_service_center', 'service_manager']);
    expect(who('decidePriorityChange')).toEqual(['team_lead', 'manager_service_center']);
    expect(who('logUrgentCall')).toEqual(['manager_service_center', 'service_manager']);
  });

  it('lets whoever may see the customer read its escalations, and product development those escalated to it', () => {
    const e = open();
    const acme = { customerId: 'cust-acme', serviceManagerId: 'p-sm', customerSuccessManagerId: 'p-csm' };
    expect(canReadEscalation(caller(['customer'], 'cust-acme'), e, acme)).toBe(true);
    expect(canReadEscalation(caller(['customer'], 'cust-globex'), e, acme)).toBe(false);
    expect(canReadEscalation(caller(['customer']), e, acme)).toBe(false);
    expect(canReadEscalation(caller(['support_consultant']), e, acme)).toBe(true);
    expect(canReadEscalation({ id: 'p-sm', roles: ['service_manager'] }, e, acme)).toBe(true);
    expect(canReadEscalation({ id: 'p-csm', roles: ['customer_success_manager'] }, e, acme)).toBe(true);
    // Another customer's service manager: the escalation does not exist for them (the defect of issue 15).
    expect(canReadEscalation({ id: 'p-sm-b', roles: ['service_manager'] }, e, acme)).toBe(false);
    expect(canReadEscalation({ id: 'p-sm', roles: ['service_manager'] }, e, null)).toBe(false);
    expect(canReadEscalation(caller(['pd_product_owner']), e, acme)).toBe(false);
    const atProduct = ESCALATION_STEPS.reduce((x, step) => recordStep(x, step, 'p-sm', 'done', at), e);
    expect(canReadEscalation(caller(['pd_product_owner']), atProduct, acme)).toBe(true);
  });
});

describe('asks and urgent calls', () => {
  const ask = (kind: Ask['kind']): Ask => ({
    id: 'a1',
    kind,
    status: 'ASKED',
    requestId: 'r1',
    requestNumber: 'SC-2026-000001',
    escalationId: null,
    priority: kind === 'PRIORITY_CHANGE' ? 'HIGH' : null,
    reason: 'payroll run at risk',
    question: null,
    askedBy: 'p-sm',
    askedAt: at,
    decidedBy: null,
    decidedAt: null,
    decisionReason: null,
    answer: null,
    tookEffectAt: null,
  });

  it('decides a priority ask once; a status ask is answered, not decided', () => {
    const approved = decide(ask('PRIORITY_CHANGE'), true, 'ok', 'p-lead', at);
    expect(approved).toMatchObject({ status: 'APPROVED', decidedBy: 'p-lead', decisionReason: 'ok' });
    expect(decide(ask('PRIORITY_CHANGE'), false, 'no', 'p-lead', at).status).toBe('REJECTED');
    expect(caught(() => decide(approved, false, 'changed my mind', 'p-lead', at)).code).toBe('INVALID_TRANSITION');
    expect(caught(() => decide(ask('STATUS_UPDATE'), true, 'x', 'p-lead', at)).details).toMatchObject({
      allowedTransitions: ['ANSWER'],
    });
    expect(answer(ask('STATUS_UPDATE'), 'Fix on Thursday', 'p-lead', at)).toMatchObject({
      status: 'ANSWERED',
      answer: 'Fix on Thursday',
    });
    expect(caught(() => answer(ask('PRIORITY_CHANGE'), 'x', 'p-lead', at)).details).toMatchObject({
      allowedTransitions: ['APPROVE', 'REJECT'],
    });
  });

  it('justifies an approved change with the escalation, or with the team manager', () => {
    expect(priorityJustification('payroll run at risk', 'ESC-2026-0001')).toBe(
      'agreed in escalation ESC-2026-0001: payroll run at risk',
    );
    expect(priorityJustification('payroll run at risk', null)).toBe(
      'agreed with the team manager: payroll run at risk',
    );
  });

  it("compares the assessed impact with the request's priority (the requested one until set)", () => {
    expect(impactHigherThan('HIGH', 'MEDIUM')).toBe(true);
    expect(impactHigherThan('MEDIUM', 'MEDIUM')).toBe(false);
    expect(impactHigherThan('LOW', 'HIGH')).toBe(false);
    const base = { id: 'c1', escalationId: null, customerContact: 'Alice', summary: 'down', loggedBy: 'p-sm', now: at };
    expect(newUrgentCall({ ...base, request: request({ priority: 'HIGH' }), assessedImpact: 'HIGH' })).toMatchObject({
      priorityAtCall: 'HIGH',
      impactHigherThanPriority: false,
    });
    expect(newUrgentCall({ ...base, request: request(), assessedImpact: 'HIGH' })).toMatchObject({
      priorityAtCall: 'MEDIUM',
      impactHigherThanPriority: true,
    });
  });
});
