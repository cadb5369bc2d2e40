import { BusinessCalendar, DEFAULT_WORKING_HOURS } from '@servicecenter/platform-calendar';
import { GENERIC_AGREEMENT, type Agreement, type TargetKind } from './agreement';
import { applyRequestEvent, type RequestSlaState } from './request-clocks';
import { evaluate, nextThresholdAt } from './sla-clock';
import { requestEvents as request } from './request-events.testing';

const calendar = new BusinessCalendar(GENERIC_AGREEMENT.calendar);
const H = 3_600_000;
const at = (iso: string) => new Date(iso);

function run(
  events: ReturnType<ReturnType<typeof request>>[],
  agreement: Agreement = GENERIC_AGREEMENT,
  cal = calendar,
): RequestSlaState {
  const state = events.reduce<RequestSlaState | null>((s, e) => applyRequestEvent(s, e, agreement, cal), null);
  if (!state) throw new Error('not registered');
  return state;
}
function clock(state: RequestSlaState, kind: TargetKind) {
  const found = state.clocks.find((c) => c.kind === kind);
  if (!found) throw new Error(`no ${kind} clock`);
  return found;
}
const view = (state: RequestSlaState, kind: TargetKind, now: string, cal = calendar) =>
  evaluate(clock(state, kind), at(now), cal);

describe('a High incident on the Friday afternoon before Whit Monday (25 May 2026)', () => {
  // Fri 22 May 2026 15:00 in Amsterdam (CEST) = 13:00Z.
  const state = run([request()('registered', '2026-05-22T13:00:00Z')]);

  it('runs working-day targets over the weekend and the holiday: 2 h on Friday, 6.5 h from Tuesday 08:30', () => {
    expect(view(state, 'FIRST_RESPONSE', '2026-05-22T13:00:00Z').dueAt).toEqual(at('2026-05-26T13:00:00Z'));
    expect(view(state, 'ASSIGNMENT', '2026-05-22T13:00:00Z').dueAt).toEqual(at('2026-05-26T13:00:00Z'));
    // 3 × 8.5 h: Fri 2 h, Tue 8.5, Wed 8.5, Thu 6.5 → Thu 15:00.
    expect(view(state, 'ACCEPTANCE', '2026-05-22T13:00:00Z').dueAt).toEqual(at('2026-05-28T13:00:00Z'));
  });

  it('runs the workaround and the resolution on calendar time, through the weekend', () => {
    expect(view(state, 'WORKAROUND', '2026-05-22T13:00:00Z')).toMatchObject({
      state: 'RUNNING',
      dueAt: at('2026-05-23T13:00:00Z'),
    });
    expect(view(state, 'RESOLUTION', '2026-05-22T13:00:00Z').dueAt).toEqual(at('2026-06-21T13:00:00Z'));
  });

  it('on Monday (holiday) the workaround is breached, the first response still has 6.5 h', () => {
    const monday = '2026-05-25T10:00:00Z';
    expect(view(state, 'WORKAROUND', monday)).toMatchObject({
      state: 'BREACHED',
      breachedAt: at('2026-05-23T13:00:00Z'),
      hardLimitExceeded: true,
    });
    expect(view(state, 'FIRST_RESPONSE', monday)).toMatchObject({
      state: 'RUNNING',
      elapsedMs: 2 * H,
      remainingMs: 6.5 * H,
    });
  });
});

describe('a pause of two working days waiting for the customer', () => {
  // Medium incident, Mon 2 Nov 2026 10:00 CET (09:00Z); waits Mon 12:00Z → Wed 4 Nov 12:00Z.
  const next = request({ requestedPriority: 'MEDIUM' });
  const events = [
    next('registered', '2026-11-02T09:00:00Z'),
    next('returned-to-customer', '2026-11-02T10:00:00Z', { status: 'WAITING_FOR_CUSTOMER' }),
    next('resumed', '2026-11-04T10:00:00Z', { status: 'REGISTERED' }),
  ];
  const state = run(events);

  it('is PAUSED while waiting, with no due time', () => {
    const waiting = run(events.slice(0, 2));
    expect(view(waiting, 'FIRST_RESPONSE', '2026-11-03T12:00:00Z')).toMatchObject({
      state: 'PAUSED',
      dueAt: null,
      elapsedMs: 1 * H,
      pausedMs: 10.5 * H,
    }); // Mon 11:00–17:00 + Tue 08:30–13:00 local
    expect(nextThresholdAt(clock(waiting, 'FIRST_RESPONSE'), [0.5], [], calendar)).toBeNull();
  });

  it('moves the working-day due time by exactly two working days and keeps the paused time', () => {
    // Without the pause: Tue 3 Nov 10:00 local. With it: Thu 5 Nov 10:00 local (09:00Z).
    expect(view(state, 'FIRST_RESPONSE', '2026-11-04T11:00:00Z')).toMatchObject({
      state: 'RUNNING',
      dueAt: at('2026-11-05T09:00:00Z'),
      elapsedMs: 2 * H,
      remainingMs: 6.5 * H,
      pausedMs: 17 * H,
    });
  });

  it('moves the 90-day resolution by the 48 calendar hours waited', () => {
    // 2 Nov 2026 10:00 + 90 days = 31 Jan 2027 10:00 local; + 48 h.
    expect(view(state, 'RESOLUTION', '2026-11-04T11:00:00Z')).toMatchObject({
      dueAt: at('2027-02-02T09:00:00Z'),
      pausedMs: 48 * H,
    });
    expect(clock(state, 'RESOLUTION').earliestExpectedMs).toBe(30 * 24 * H);
  });
});

describe('a priority change from Medium to High halfway', () => {
  const events = () => {
    const next = request({ requestedPriority: 'MEDIUM' });
    return [
      next('registered', '2026-11-02T09:00:00Z'),
      next('returned-to-customer', '2026-11-02T11:00:00Z', { status: 'WAITING_FOR_CUSTOMER' }),
      next('resumed', '2026-11-02T13:00:00Z', { status: 'REGISTERED' }),
      next('prioritised', '2026-11-02T21:00:00Z', { priority: 'HIGH' }),
    ];
  };

  it('starts the workaround from the registration and keeps the pause', () => {
    const state = run(events());
    // 24 h from Mon 09:00Z plus the 2 h waited.
    expect(view(state, 'WORKAROUND', '2026-11-02T21:00:00Z')).toMatchObject({
      state: 'RUNNING',
      dueAt: at('2026-11-03T11:00:00Z'),
      elapsedMs: 10 * H,
      pausedMs: 2 * H,
    });
    // 90 → 30 days from the start: 2 Dec 10:00 local + 2 h.
    expect(view(state, 'RESOLUTION', '2026-11-02T21:00:00Z').dueAt).toEqual(at('2026-12-02T11:00:00Z'));
  });

  it('a late raise can find the workaround already breached', () => {
    const late = events();
    late[3] = { ...late[3], data: { ...late[3].data, occurredAt: '2026-11-04T09:00:00Z' } };
    expect(view(run(late), 'WORKAROUND', '2026-11-04T09:00:00Z')).toMatchObject({
      state: 'BREACHED',
      breachedAt: at('2026-11-03T11:00:00Z'),
    });
  });

  it('High to Low makes the resolution NOT_APPLICABLE; a met clock keeps its target', () => {
    const next = request();
    const state = run([
      next('registered', '2026-11-02T09:00:00Z'),
      next('replied', '2026-11-02T10:00:00Z', { firstResponse: true }),
      next('prioritised', '2026-11-02T12:00:00Z', { priority: 'LOW' }),
    ]);
    expect(view(state, 'RESOLUTION', '2026-11-02T12:00:00Z').state).toBe('NOT_APPLICABLE');
    expect(view(state, 'WORKAROUND', '2026-11-02T12:00:00Z').state).toBe('NOT_APPLICABLE');
    expect(view(state, 'FIRST_RESPONSE', '2026-11-02T12:00:00Z')).toMatchObject({ state: 'MET', elapsedMs: 1 * H });
  });
});

describe('solution, closing and reopening', () => {
  const next = request();
  const events = [
    next('registered', '2026-11-02T09:00:00Z'),
    next('solution-proposed', '2026-11-03T09:00:00Z', { status: 'SOLUTION_PROPOSED', solutionKind: 'SOLUTION' }),
    next('closed', '2026-11-06T09:00:00Z', { status: 'CLOSED', completionReason: 'SOLVED' }),
    next('reopened', '2026-11-09T09:00:00Z', { status: 'REOPENED' }),
  ];

  it('a solution exactly at 24 h meets the workaround and the resolution', () => {
    const closed = run(events.slice(0, 3));
    expect(view(closed, 'WORKAROUND', '2026-11-07T00:00:00Z')).toMatchObject({ state: 'MET', elapsedMs: 24 * H });
    expect(view(closed, 'RESOLUTION', '2026-11-07T00:00:00Z')).toMatchObject({ state: 'MET', elapsedMs: 24 * H });
    // Never answered: met at the solution time, in time (8.5 h budget, 8.5 h elapsed by Tue 10:00 local).
    expect(view(closed, 'FIRST_RESPONSE', '2026-11-07T00:00:00Z')).toMatchObject({ state: 'MET', elapsedMs: 8.5 * H });
  });

  it('reopening resumes the resolution with the closed period as paused time', () => {
    const state = run(events);
    // 30 days → 2 Dec 09:00Z, plus 6 days waiting/closed (3 Nov → 9 Nov).
    expect(view(state, 'RESOLUTION', '2026-11-09T10:00:00Z')).toMatchObject({
      state: 'RUNNING',
      elapsedMs: 25 * H,
      pausedMs: 144 * H,
      dueAt: at('2026-12-08T09:00:00Z'),
    });
    expect(view(state, 'WORKAROUND', '2026-11-09T10:00:00Z').state).toBe('MET');
  });

  it('a rejected solution resumes workaround and resolution, the wait excluded', () => {
    const again = request();
    const state = run([
      again('registered', '2026-11-02T09:00:00Z'),
      again('solution-proposed', '2026-11-02T19:00:00Z', { status: 'SOLUTION_PROPOSED', solutionKind: 'WORKAROUND' }),
      again('solution-rejected', '2026-11-03T19:00:00Z', { status: 'IN_HANDLING' }),
    ]);
    expect(view(state, 'WORKAROUND', '2026-11-03T20:00:00Z')).toMatchObject({
      state: 'RUNNING',
      elapsedMs: 11 * H,
      dueAt: at('2026-11-04T09:00:00Z'),
    });
  });

  it('a withdrawn request makes open clocks NOT_APPLICABLE but keeps a breach', () => {
    const again = request();
    const state = run([
      again('registered', '2026-11-02T09:00:00Z'),
      again('closed', '2026-11-04T09:00:00Z', { status: 'CLOSED', completionReason: 'WITHDRAWN' }),
    ]);
    expect(view(state, 'ACCEPTANCE', '2026-11-05T09:00:00Z').state).toBe('NOT_APPLICABLE');
    expect(view(state, 'WORKAROUND', '2026-11-05T09:00:00Z')).toMatchObject({
      state: 'BREACHED',
      breachedAt: at('2026-11-03T09:00:00Z'),
    });
  });
});

describe('closed NO_REPLY: did the desk act?', () => {
  // Medium incident registered incomplete Mon 2 Nov 2026 10:00 CET: the completeness check
  // returns it at once (a system step); nobody on the desk does anything; the reminders go
  // unanswered and it closes NO_REPLY on 17 Nov.
  const untouched = () => {
    const next = request({ requestedPriority: 'MEDIUM' });
    return [
      next('registered', '2026-11-02T09:00:00Z', { status: 'WAITING_FOR_CUSTOMER' }),
      next('replied', '2026-11-05T09:00:00Z', { side: 'SYSTEM', kind: 'REMINDER', firstResponse: false }),
      next('closed', '2026-11-17T09:00:00Z', { status: 'CLOSED', completionReason: 'NO_REPLY' }),
    ];
  };

  it('before the desk acted: every target is NOT_APPLICABLE, none MET with 0 elapsed', () => {
    const state = run(untouched());
    for (const kind of ['FIRST_RESPONSE', 'ASSIGNMENT', 'ACCEPTANCE', 'RESOLUTION'] as const)
      expect(view(state, kind, '2026-11-18T09:00:00Z')).toMatchObject({ state: 'NOT_APPLICABLE', dueAt: null });
  });

  it('after the desk asked for information: the targets it owed are settled as usual (MET at the wait start)', () => {
    const next = request({ requestedPriority: 'MEDIUM' });
    const state = run([
      next('registered', '2026-11-02T09:00:00Z'),
      next('replied', '2026-11-02T10:00:00Z', { side: 'SERVICE_CENTER', firstResponse: true }),
      next('returned-to-customer', '2026-11-02T10:00:00Z', {
        status: 'WAITING_FOR_CUSTOMER',
        reason: 'INFORMATION_REQUESTED',
      }),
      next('closed', '2026-11-17T09:00:00Z', { status: 'CLOSED', completionReason: 'NO_REPLY' }),
    ]);
    expect(view(state, 'FIRST_RESPONSE', '2026-11-18T09:00:00Z')).toMatchObject({ state: 'MET', elapsedMs: 1 * H });
    expect(view(state, 'ASSIGNMENT', '2026-11-18T09:00:00Z')).toMatchObject({ state: 'MET', elapsedMs: 1 * H });
  });

  it('an assignment alone is the desk acting', () => {
    const next = request({ requestedPriority: 'MEDIUM' });
    const state = run([
      next('registered', '2026-11-02T09:00:00Z', { status: 'WAITING_FOR_CUSTOMER' }),
      next('assigned', '2026-11-02T11:00:00Z', { assigneeId: 'p-consultant' }),
      next('closed', '2026-11-17T09:00:00Z', { status: 'CLOSED', completionReason: 'NO_REPLY' }),
    ]);
    expect(view(state, 'ASSIGNMENT', '2026-11-18T09:00:00Z').state).toBe('MET');
    expect(view(state, 'ACCEPTANCE', '2026-11-18T09:00:00Z').state).toBe('MET');
  });
});

describe('a met target keeps its due time', () => {
  it('met in time while running: the due time it was met against', () => {
    const next = request({ requestedPriority: 'MEDIUM' });
    const state = run([
      next('registered', '2026-11-02T09:00:00Z'),
      next('assigned', '2026-11-02T10:00:00Z', { assigneeId: 'p-consultant' }),
    ]);
    // 1 working day of 8.5 h from Mon 10:00 local → Tue 10:00 local (09:00Z).
    expect(view(state, 'ASSIGNMENT', '2026-11-20T09:00:00Z')).toMatchObject({
      state: 'MET',
      dueAt: at('2026-11-03T09:00:00Z'),
    });
  });

  it('met by a closing during a wait: the due time given the pauses up to the stop', () => {
    const next = request();
    const state = run([
      next('registered', '2026-11-02T09:00:00Z'),
      next('solution-proposed', '2026-11-02T19:00:00Z', { status: 'SOLUTION_PROPOSED', solutionKind: 'WORKAROUND' }),
      next('closed', '2026-11-09T09:00:00Z', { status: 'CLOSED', completionReason: 'NO_REPLY' }),
    ]);
    // The workaround was met at 19:00Z, due 24 h after registration.
    expect(view(state, 'WORKAROUND', '2026-11-10T09:00:00Z')).toMatchObject({
      state: 'MET',
      dueAt: at('2026-11-03T09:00:00Z'),
    });
    // The resolution was met at the start of the wait the closing ended (the proposal): due 30 days on.
    expect(view(state, 'RESOLUTION', '2026-11-10T09:00:00Z')).toMatchObject({
      state: 'MET',
      dueAt: at('2026-12-02T09:00:00Z'),
    });
  });
});

describe('an agreement with its own calendar', () => {
  const saturdays: Agreement = {
    ...GENERIC_AGREEMENT,
    id: 'acme-saturdays',
    calendar: { workingHours: { ...DEFAULT_WORKING_HOURS, '6': [{ start: '09:00', end: '13:00' }] } },
  };
  const own = new BusinessCalendar(saturdays.calendar);

  it('counts Saturday morning: due Tuesday 11:00 instead of 15:00', () => {
    const state = run([request()('registered', '2026-05-22T13:00:00Z')], saturdays, own);
    // Fri 2 h + Sat 4 h + Tue 08:30 + 2.5 h (a working day stays 8.5 h: most weekdays have 8.5 h).
    expect(view(state, 'FIRST_RESPONSE', '2026-05-22T13:00:00Z', own).dueAt).toEqual(at('2026-05-26T09:00:00Z'));
  });
});

describe('idempotence and order', () => {
  const next = request();
  const registered = next('registered', '2026-11-02T09:00:00Z');
  const replied = next('replied', '2026-11-02T10:00:00Z', { firstResponse: true });
  const accepted = next('accepted', '2026-11-02T11:00:00Z', { status: 'ACCEPTED' });

  it('ignores the same event twice and an older version after a newer one', () => {
    const once = run([registered, replied, accepted]);
    expect(applyRequestEvent(once, accepted, GENERIC_AGREEMENT, calendar)).toBe(once);
    expect(applyRequestEvent(once, replied, GENERIC_AGREEMENT, calendar)).toBe(once);
    expect(applyRequestEvent(once, registered, GENERIC_AGREEMENT, calendar)).toBe(once);
    expect(once.version).toBe(3);
  });

  it('applies two events of one change (same version) in publication order, and each only once', () => {
    const base = run([registered]);
    const seq = (n: number) => String(n).padStart(20, '0');
    const waiting = applyRequestEvent(
      { ...base, sequence: seq(1) },
      { ...next('returned-to-customer', '2026-11-02T10:00:00Z', { status: 'WAITING_FOR_CUSTOMER' }), sequence: seq(2) },
      GENERIC_AGREEMENT,
      calendar,
    );
    const v = waiting?.version ?? 0;
    const reply = {
      type: 'servicecenter.request.replied.v1',
      sequence: seq(3),
      data: {
        ...registered.data,
        status: 'WAITING_FOR_CUSTOMER' as const,
        version: v + 1,
        occurredAt: '2026-11-03T10:00:00Z',
      },
    };
    const resumed = {
      type: 'servicecenter.request.resumed.v1',
      sequence: seq(4),
      data: { ...reply.data, status: 'REGISTERED' as const },
    };
    const afterReply = applyRequestEvent(waiting, reply, GENERIC_AGREEMENT, calendar);
    const afterResume = applyRequestEvent(afterReply, resumed, GENERIC_AGREEMENT, calendar);
    expect(afterResume?.pauses).toEqual([{ from: at('2026-11-02T10:00:00Z'), to: at('2026-11-03T10:00:00Z') }]);
    expect(applyRequestEvent(afterResume, resumed, GENERIC_AGREEMENT, calendar)).toBe(afterResume);
    expect(applyRequestEvent(afterResume, reply, GENERIC_AGREEMENT, calendar)).toBe(afterResume);
  });

  it('cannot measure before registration', () => {
    expect(applyRequestEvent(null, replied, GENERIC_AGREEMENT, calendar)).toBeNull();
  });
});

describe('thresholds', () => {
  // First response from Mon 2 Nov 2026 10:00 local, budget 8.5 h.
  const state = run([request()('registered', '2026-11-02T09:00:00Z')]);
  const first = clock(state, 'FIRST_RESPONSE');

  it('gives 50/75/90/100 % in business time, lowest unpublished first', () => {
    const t = (published: number[]) => nextThresholdAt(first, GENERIC_AGREEMENT.thresholds, published, calendar);
    expect(t([])).toEqual({ threshold: 0.5, at: at('2026-11-02T13:15:00Z') });
    expect(t([0.5])).toEqual({ threshold: 0.75, at: at('2026-11-02T15:22:30Z') });
    expect(t([0.5, 0.75])).toEqual({ threshold: 0.9, at: at('2026-11-03T08:09:00Z') });
    expect(t([0.5, 0.75, 0.9])).toEqual({ threshold: 1, at: at('2026-11-03T09:00:00Z') });
    expect(t([0.5, 0.75, 0.9, 1])).toBeNull();
  });

  it('has nothing to announce for a paused or met clock', () => {
    expect(
      nextThresholdAt({ ...first, pauses: [{ from: at('2026-11-02T10:00:00Z'), to: null }] }, [0.5], [], calendar),
    ).toBeNull();
    expect(
      nextThresholdAt(
        { ...first, stop: { at: at('2026-11-02T10:00:00Z'), outcome: 'MET', cause: 'FULFILLED' } },
        [0.5],
        [],
        calendar,
      ),
    ).toBeNull();
  });
});
