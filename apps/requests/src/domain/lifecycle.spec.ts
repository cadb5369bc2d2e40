import { DomainError } from '@servicecenter/platform-errors';
import {
  ACTION_TARGET,
  allowedActions,
  assertAllowed,
  LIFECYCLES,
  REQUEST_ACTIONS,
  type RequestAction,
} from './lifecycle';
import { REQUEST_STATUSES, REQUEST_TYPES, type RequestStatus, type RequestType } from './request';

/** Applies actions in order, checking each is allowed, and returns the statuses passed. */
function walk(type: RequestType, actions: RequestAction[]): RequestStatus[] {
  let status: RequestStatus = 'REGISTERED';
  let resume: RequestStatus | null = null;
  const path: RequestStatus[] = [status];
  for (const action of actions) {
    expect({ status, action, allowed: allowedActions(type, status).includes(action) }).toEqual({
      status,
      action,
      allowed: true,
    });
    const target = ACTION_TARGET[action];
    if (!target) continue;
    const next: RequestStatus = target === 'PREVIOUS' ? (resume ?? 'REGISTERED') : target;
    if (next === 'WAITING_FOR_CUSTOMER') resume = status;
    status = next;
    path.push(status);
  }
  return path;
}

describe('the request lifecycle per type', () => {
  it('walks an incident from registration through waiting, hand-over and solution to closed, reopened and continued as new', () => {
    expect(
      walk('INCIDENT', [
        'REQUEST_INFORMATION',
        'RESUME',
        'ASSIGN',
        'PRIORITISE',
        'SEND_IN_HANDLING_NOTICE',
        'ACCEPT',
        'START_HANDLING',
        'HAND_OVER',
        'LINK_CHANGE',
        'PROPOSE_SOLUTION',
        'ACCEPT_SOLUTION',
        'REOPEN',
        'TREAT_AS_NEW',
      ]),
    ).toEqual([
      'REGISTERED',
      'WAITING_FOR_CUSTOMER',
      'REGISTERED',
      'ACCEPTED',
      'IN_HANDLING',
      'HANDED_OVER',
      'SOLUTION_PROPOSED',
      'CLOSED',
      'REOPENED',
      'CLOSED',
    ]);
  });

  it('walks a change request through information asked in handling, back to handling, hand-over and a rejected then accepted solution', () => {
    expect(
      walk('CHANGE', [
        'ACCEPT',
        'START_HANDLING',
        'REQUEST_INFORMATION',
        'RESUME',
        'HAND_OVER',
        'START_HANDLING',
        'PROPOSE_SOLUTION',
        'REJECT_SOLUTION',
        'PROPOSE_SOLUTION',
        'ACCEPT_SOLUTION',
      ]),
    ).toEqual([
      'REGISTERED',
      'ACCEPTED',
      'IN_HANDLING',
      'WAITING_FOR_CUSTOMER',
      'IN_HANDLING',
      'HANDED_OVER',
      'IN_HANDLING',
      'SOLUTION_PROPOSED',
      'IN_HANDLING',
      'SOLUTION_PROPOSED',
      'CLOSED',
    ]);
  });

  it('walks an information request to an answer and a reopen that is handled again', () => {
    expect(
      walk('INFORMATION', [
        'ACCEPT',
        'START_HANDLING',
        'PROPOSE_SOLUTION',
        'ACCEPT_SOLUTION',
        'REOPEN',
        'START_HANDLING',
        'PROPOSE_SOLUTION',
        'CLOSE',
      ]),
    ).toEqual([
      'REGISTERED',
      'ACCEPTED',
      'IN_HANDLING',
      'SOLUTION_PROPOSED',
      'CLOSED',
      'REOPENED',
      'IN_HANDLING',
      'SOLUTION_PROPOSED',
      'CLOSED',
    ]);
  });

  it('walks an application service executed by the Service Center, and one forwarded to Consulting', () => {
    expect(walk('APPLICATION_SERVICE', ['ACCEPT', 'START_HANDLING', 'EXECUTE_MUTATION', 'ACCEPT_SOLUTION'])).toEqual([
      'REGISTERED',
      'ACCEPTED',
      'IN_HANDLING',
      'SOLUTION_PROPOSED',
      'CLOSED',
    ]);
    expect(walk('APPLICATION_SERVICE', ['HAND_OVER', 'EXECUTE_MUTATION', 'CLOSE'])).toEqual([
      'REGISTERED',
      'HANDED_OVER',
      'SOLUTION_PROPOSED',
      'CLOSED',
    ]);
  });

  it('keeps what the process does not allow out: no hand-over of a question, no free solution for an application service, nothing but reopen once closed', () => {
    expect(allowedActions('INFORMATION', 'IN_HANDLING')).not.toContain('HAND_OVER');
    expect(allowedActions('APPLICATION_SERVICE', 'IN_HANDLING')).not.toContain('PROPOSE_SOLUTION');
    expect(allowedActions('INCIDENT', 'IN_HANDLING')).not.toContain('EXECUTE_MUTATION');
    for (const type of REQUEST_TYPES)
      expect(allowedActions(type, 'CLOSED').filter((a) => a !== 'LINK_CHANGE')).toEqual(['REOPEN']);
  });

  it.each(REQUEST_TYPES)(
    'refuses every forbidden action of a %s with INVALID_TRANSITION naming the allowed ones',
    (type) => {
      let refused = 0;
      for (const status of REQUEST_STATUSES) {
        const allowed = LIFECYCLES[type][status];
        for (const action of REQUEST_ACTIONS.filter((a) => !allowed.includes(a))) {
          let error: unknown;
          try {
            assertAllowed({ type, status }, action);
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe('INVALID_TRANSITION');
          expect((error as DomainError).details).toEqual({ from: status, to: action, allowedTransitions: allowed });
          refused += 1;
        }
      }
      expect(refused).toBeGreaterThan(60);
    },
  );

  it('reaches every status of a type from registration (no dead entries in the table)', () => {
    for (const type of REQUEST_TYPES) {
      const seen = new Set<RequestStatus>(['REGISTERED']);
      const queue: RequestStatus[] = ['REGISTERED'];
      while (queue.length) {
        const status = queue.shift() as RequestStatus;
        for (const action of allowedActions(type, status)) {
          const target = ACTION_TARGET[action];
          const next = target === 'PREVIOUS' ? 'REGISTERED' : target;
          if (next && !seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
      const expected = REQUEST_STATUSES.filter((s) => type !== 'INFORMATION' || s !== 'HANDED_OVER');
      expect([...seen].sort()).toEqual([...expected].sort());
    }
  });
});
