import { ROLES, type Caller, type Role } from '@servicecenter/platform-auth';
import { DomainError } from '@servicecenter/platform-errors';
import {
  canReadNotice,
  closeDisruptionNotice,
  closesAt,
  disruptionNumber,
  linkRequest,
  markUpdateOverdue,
  openDisruptionNotice,
  postDisruptionUpdate,
  publishDisruptionNotice,
  resolveDisruptionNotice,
  type DisruptionNotice,
  type DisruptionSource,
} from './disruption';
import { RIGHTS } from './authorisation';

const at = new Date('2026-03-02T09:00:00Z');
const plus = (minutes: number, from = at) => new Date(from.getTime() + minutes * 60_000);
const draft = (over: Partial<Parameters<typeof openDisruptionNotice>[0]> = {}) =>
  openDisruptionNotice({
    id: 'n1',
    number: disruptionNumber(2026, 1),
    productId: 'prod-payroll',
    source: 'MONITORING',
    title: 'Payroll run fails',
    startedAt: plus(-30),
    userExperience: 'The payroll run stops at step 3',
    affectedCustomerIds: ['cust-acme'],
    openedBy: 'p-lead',
    now: at,
    ...over,
  });
/** The problem behind the notice: a linked request of priority High. */
const HIGH = [{ priority: 'HIGH' as const, requestedPriority: 'MEDIUM' as const }];
const published = () =>
  publishDisruptionNotice(draft(), { nextUpdateDueAt: plus(120), by: 'p-lead', now: at, linked: HIGH });
const caught = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected an error');
};
const caller = (roles: Role[], customerId?: string): Caller => ({ id: 'x', roles, customerId });

describe('disruption notice', () => {
  it('numbers notices DN-<year>-<4 digits> and starts as a draft', () => {
    expect(disruptionNumber(2026, 7)).toBe('DN-2026-0007');
    expect(draft()).toMatchObject({ status: 'DRAFT', version: 1, updateOverdue: false, linkedRequestIds: [] });
  });

  it('publishes the first notice with product, start time and user experience, the next update within 2 hours', () => {
    const n = published();
    expect(n).toMatchObject({
      status: 'PUBLISHED',
      publishedBy: 'p-lead',
      publishedAt: at,
      nextUpdateDueAt: plus(120),
      version: 2,
    });
    const late = caught(() =>
      publishDisruptionNotice(draft(), { nextUpdateDueAt: plus(121), by: 'p-lead', now: at, linked: HIGH }),
    );
    expect(late.code).toBe('BAD_USER_INPUT');
    expect(late.message).toMatch(/2 hours/);
    expect(
      caught(() => publishDisruptionNotice(draft(), { nextUpdateDueAt: plus(-1), by: 'p-lead', now: at, linked: HIGH }))
        .code,
    ).toBe('BAD_USER_INPUT');
  });

  it('publishes only for a problem of priority High: a linked request with priority HIGH (raci.csv row 119)', () => {
    type Linked = { priority: 'HIGH' | 'MEDIUM' | null; requestedPriority: 'HIGH' | 'MEDIUM' | null }[];
    const publish = (linked: Linked, source: DisruptionSource = 'CUSTOMER_REPORT') =>
      publishDisruptionNotice(draft({ source }), { nextUpdateDueAt: plus(60), by: 'p-sm', now: at, linked });
    // A customer's report: its request is linked first.
    expect(caught(() => publish([])).code).toBe('INVALID_TRANSITION');
    expect(caught(() => publish([])).details).toMatchObject({ missing: ['linkedRequest.priority=HIGH'] });
    // The Service Center's priority counts, not the customer's wish.
    expect(caught(() => publish([{ priority: 'MEDIUM', requestedPriority: 'HIGH' }])).details?.reason).toMatch(
      /none of the linked requests/,
    );
    // Until the Service Center set one, the requested priority is the request's priority.
    const high: Linked = [
      { priority: 'MEDIUM', requestedPriority: null },
      { priority: null, requestedPriority: 'HIGH' },
    ];
    expect(publish(high).status).toBe('PUBLISHED');
    // Monitoring may report before any customer did; once requests are linked, one of them is High.
    expect(publish([], 'MONITORING').status).toBe('PUBLISHED');
    expect(caught(() => publish([{ priority: 'LOW', requestedPriority: 'LOW' }] as never, 'MONITORING')).code).toBe(
      'INVALID_TRANSITION',
    );
  });

  it('refuses the first notice without start time or user experience, unless publishing fills them in', () => {
    const bare = draft({ startedAt: null, userExperience: null });
    const missing = caught(() =>
      publishDisruptionNotice(bare, { nextUpdateDueAt: plus(60), by: 'p-lead', now: at, linked: HIGH }),
    );
    expect(missing.code).toBe('BAD_USER_INPUT');
    expect(missing.message).toMatch(/startedAt, userExperience/);
    const filled = publishDisruptionNotice(bare, {
      nextUpdateDueAt: plus(60),
      by: 'p-lead',
      now: at,
      linked: HIGH,
      startedAt: plus(-10),
      userExperience: 'Slow screens',
    });
    expect(filled).toMatchObject({ status: 'PUBLISHED', startedAt: plus(-10), userExperience: 'Slow screens' });
  });

  it('posts updates with the next one at most 24 hours later, clearing the overdue flag', () => {
    const overdue = markUpdateOverdue(published(), plus(120)) as DisruptionNotice;
    expect(overdue.updateOverdue).toBe(true);
    const now = plus(130);
    const updated = postDisruptionUpdate(overdue, {
      message: 'PD found the cause',
      nextUpdateDueAt: plus(24 * 60, now),
      by: 'p-lead',
      now,
    });
    expect(updated).toMatchObject({
      updateOverdue: false,
      nextUpdateDueAt: plus(24 * 60, now),
      updates: [{ message: 'PD found the cause', by: 'p-lead', at: now }],
    });
    const tooLate = caught(() =>
      postDisruptionUpdate(overdue, { message: 'x', nextUpdateDueAt: plus(24 * 60 + 1, now), by: 'p-lead', now }),
    );
    expect(tooLate.code).toBe('BAD_USER_INPUT');
    expect(tooLate.message).toMatch(/once a day/);
  });

  it('flags an overdue update once per due time, and not after an update moved it', () => {
    const n = published();
    expect(markUpdateOverdue(n, plus(60))).toBeNull();
    const flagged = markUpdateOverdue(n, plus(120)) as DisruptionNotice;
    expect(markUpdateOverdue(flagged, plus(120))).toBeNull();
    const moved = postDisruptionUpdate(n, {
      message: 'still working',
      nextUpdateDueAt: plus(300),
      by: 'p-lead',
      now: plus(60),
    });
    expect(markUpdateOverdue(moved, plus(120))).toBeNull();
  });

  it('links requests on its product only', () => {
    const n = published();
    const linked = linkRequest(n, { requestId: 'r1', number: 'SC-1', productId: 'prod-payroll' });
    expect(linked.linkedRequestIds).toEqual(['r1']);
    expect(linkRequest(linked, { requestId: 'r1', number: 'SC-1', productId: 'prod-payroll' })).toBe(linked);
    expect(caught(() => linkRequest(n, { requestId: 'r2', number: 'SC-2', productId: 'prod-hr' })).code).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('resolves only with a cause and a solution, and closes 4 hours later', () => {
    const n = published();
    const noCause = caught(() =>
      resolveDisruptionNotice(n, { cause: ' ', solution: 'Restarted', by: 'p-lead', now: plus(200) }),
    );
    expect(noCause.code).toBe('BAD_USER_INPUT');
    expect(noCause.details).toMatchObject({ missing: ['cause'] });
    expect(
      caught(() =>
        resolveDisruptionNotice(n, { cause: 'A server was full', solution: '', by: 'p-lead', now: plus(200) }),
      ).code,
    ).toBe('BAD_USER_INPUT');
    const resolved = resolveDisruptionNotice(n, {
      cause: 'A server was full',
      solution: 'More room was made',
      by: 'p-lead',
      now: plus(200),
    });
    expect(resolved).toMatchObject({
      status: 'RESOLVED',
      cause: 'A server was full',
      solution: 'More room was made',
      resolvedAt: plus(200),
    });
    expect(closesAt(resolved)).toEqual(plus(440));
    expect(closeDisruptionNotice(resolved, plus(440))).toMatchObject({ status: 'CLOSED', closedAt: plus(440) });
  });

  it('moves DRAFT → PUBLISHED → RESOLVED → CLOSED only (INVALID_TRANSITION otherwise)', () => {
    const resolve = (n: DisruptionNotice) =>
      resolveDisruptionNotice(n, { cause: 'c', solution: 's', by: 'p-lead', now: plus(10) });
    expect(caught(() => resolve(draft())).code).toBe('INVALID_TRANSITION');
    expect(caught(() => closeDisruptionNotice(draft(), at)).code).toBe('INVALID_TRANSITION');
    expect(
      caught(() => postDisruptionUpdate(draft(), { message: 'x', nextUpdateDueAt: plus(60), by: 'p-lead', now: at }))
        .code,
    ).toBe('INVALID_TRANSITION');
    const n = published();
    expect(
      caught(() => publishDisruptionNotice(n, { nextUpdateDueAt: plus(60), by: 'p-lead', now: at, linked: HIGH })).code,
    ).toBe('INVALID_TRANSITION');
    expect(caught(() => closeDisruptionNotice(n, at)).code).toBe('INVALID_TRANSITION');
    const resolved = resolve(n);
    expect(caught(() => resolve(resolved)).code).toBe('INVALID_TRANSITION');
    expect(
      caught(() => linkRequest(resolved, { requestId: 'r1', number: 'SC-1', productId: 'prod-payroll' })).code,
    ).toBe('INVALID_TRANSITION');
    const closed = closeDisruptionNotice(resolved, plus(300));
    expect(caught(() => closeDisruptionNotice(closed, plus(301))).code).toBe('INVALID_TRANSITION');
    expect(
      caught(() =>
        postDisruptionUpdate(closed, { message: 'x', nextUpdateDueAt: plus(400), by: 'p-lead', now: plus(301) }),
      ).code,
    ).toBe('INVALID_TRANSITION');
  });

  it('derives who runs notices from the RACI rows, and lets customers read public notices of their products', () => {
    const who = (op: string) =>
      ROLES.filter((role) => {
        try {
          RIGHTS.mustAct(caller([role]), op);
          return true;
        } catch (e) {
          expect((e as { code: string }).code).toBe('FORBIDDEN');
          return false;
        }
      });
    // Row 119: the service manager (R) and the manager Service Management (A); the team lead by DOMAIN.md's prose.
    expect(who('publishDisruptionNotice')).toEqual([
      'team_lead',
      'manager_service_center',
      'service_manager',
      'manager_service_management',
    ]);
    // Row 126: product development decides the disruption is solved; the team lead is only Informed.
    expect(who('resolveDisruptionNotice')).toEqual(['manager_service_center', 'pd_product_owner']);
    expect(who('postDisruptionUpdate')).toEqual(['team_lead', 'manager_service_center', 'pd_product_owner']);
    expect(who('linkRequestToDisruption')).toEqual(['support_consultant', 'team_lead', 'manager_service_center']);
    const customer = caller(['customer'], 'cust-globex');
    expect(canReadNotice(customer, draft(), true)).toBe(false);
    expect(canReadNotice(customer, published(), true)).toBe(true);
    expect(canReadNotice(customer, published(), false)).toBe(false);
    expect(canReadNotice(caller(['customer'], 'cust-acme'), published(), false)).toBe(true);
    expect(canReadNotice(caller(['support_consultant']), draft(), false)).toBe(true);
  });
});
