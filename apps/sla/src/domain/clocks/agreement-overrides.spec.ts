import { BusinessCalendar } from '@servicecenter/platform-calendar';
import { DomainError, validate } from '@servicecenter/platform-errors';
import type { RequestFacts } from '@servicecenter/contracts';
import { GENERIC_AGREEMENT, targetFor } from './agreement';
import { effectiveAgreement, targetOverrideSchema } from './agreement-overrides';
import { agreementOf, applyRequestEvent, rebaseOnAgreement, startClocks, type RequestSlaState } from './request-clocks';
import { requestFacts } from './request-events.testing';
import { evaluate } from './sla-clock';

const H = 3_600_000;
const office = new BusinessCalendar({});
const ALWAYS = {
  workingHours: Object.fromEntries(
    ['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [{ start: '00:00', end: '24:00' }]]),
  ),
};
const always = new BusinessCalendar(ALWAYS);

const acme = (
  version: number,
  overrides: Parameters<typeof effectiveAgreement>[1]['overrides'],
  thresholds: number[] | null = null,
) => effectiveAgreement(GENERIC_AGREEMENT, { id: 'acme', version, calendar: ALWAYS, overrides, thresholds });

const facts = (
  over: Partial<RequestFacts> & { registeredAt?: string } = {},
): RequestFacts & { registeredAt: string } => ({
  ...requestFacts({ customerId: 'cust-acme', occurredAt: '2026-05-23T10:00:00Z', version: 1 }), // Saturday 12:00 in Amsterdam
  registeredAt: '2026-05-23T10:00:00Z',
  ...over,
});
const kind = (state: RequestSlaState, k: string) => state.clocks.find((c) => c.kind === k)!;

describe('effectiveAgreement', () => {
  it('overrides only the targets a rule names and falls back to the generic agreement for the rest', () => {
    const a = acme(1, [{ kind: 'FIRST_RESPONSE', unit: 'WORKING_TIME', hours: 4 }]);
    expect(a).toMatchObject({ id: 'acme', version: 1, calendar: ALWAYS, thresholds: GENERIC_AGREEMENT.thresholds });
    for (const type of ['INCIDENT', 'CHANGE', 'INFORMATION', 'APPLICATION_SERVICE'] as const) {
      expect(targetFor(a, type, 'FIRST_RESPONSE', 'LOW')).toEqual({ budget: { unit: 'WORKING_TIME', ms: 4 * H } });
    }
    expect(targetFor(a, 'INCIDENT', 'WORKAROUND', 'HIGH')).toEqual(
      targetFor(GENERIC_AGREEMENT, 'INCIDENT', 'WORKAROUND', 'HIGH'),
    );
    expect(targetFor(a, 'INCIDENT', 'ACCEPTANCE', 'HIGH')).toEqual({
      budget: { unit: 'WORKING_TIME', workingDays: 3 },
    });
    // the generic agreement itself is untouched
    expect(targetFor(GENERIC_AGREEMENT, 'INCIDENT', 'FIRST_RESPONSE', 'HIGH')).toEqual({
      budget: { unit: 'WORKING_TIME', workingDays: 1 },
    });
  });

  it('applies rules in order (a later, narrower rule wins), supports calendar days, not-applicable and own thresholds', () => {
    const a = acme(
      2,
      [
        { kind: 'RESOLUTION', requestType: 'INCIDENT', unit: 'CALENDAR_TIME', calendarDays: 60 },
        { kind: 'RESOLUTION', requestType: 'INCIDENT', priority: 'HIGH', unit: 'CALENDAR_TIME', calendarDays: 10 },
        { kind: 'ACCEPTANCE', requestType: 'INFORMATION', notApplicable: true },
      ],
      [0.8],
    );
    expect(targetFor(a, 'INCIDENT', 'RESOLUTION', 'HIGH').budget).toEqual({ unit: 'CALENDAR_TIME', calendarDays: 10 });
    expect(targetFor(a, 'INCIDENT', 'RESOLUTION', 'LOW').budget).toEqual({ unit: 'CALENDAR_TIME', calendarDays: 60 });
    expect(targetFor(a, 'INCIDENT', 'RESOLUTION', 'MEDIUM').earliestExpected).toBeUndefined();
    expect(targetFor(a, 'INFORMATION', 'ACCEPTANCE', 'MEDIUM').budget).toBeNull();
    expect(a.thresholds).toEqual([0.8]);
  });

  it('rejects rules without exactly one time, or with a unit that does not fit, naming the field', () => {
    const bad = (rule: unknown) => {
      try {
        validate(targetOverrideSchema, rule, 'input.targets.0');
      } catch (error) {
        return (error as DomainError).details?.['field'];
      }
      return 'valid';
    };
    expect(bad({ kind: 'FIRST_RESPONSE', unit: 'WORKING_TIME', hours: 4 })).toBe('valid');
    expect(bad({ kind: 'FIRST_RESPONSE', unit: 'WORKING_TIME' })).toBe('input.targets.0.hours');
    expect(bad({ kind: 'FIRST_RESPONSE', hours: 4 })).toBe('input.targets.0.unit');
    expect(bad({ kind: 'RESOLUTION', unit: 'WORKING_TIME', calendarDays: 3 })).toBe('input.targets.0.unit');
    expect(bad({ kind: 'FIRST_RESPONSE', unit: 'WORKING_TIME', hours: -1 })).toBe('input.targets.0.hours');
    expect(bad({ kind: 'NOPE', unit: 'WORKING_TIME', hours: 1 })).toBe('input.targets.0.kind');
    expect(bad({ kind: 'FIRST_RESPONSE', notApplicable: true, hours: 2 })).toBe('input.targets.0.hours');
  });
});

describe('the agreement a request runs on', () => {
  it('records the agreement version at registration; states from before agreements read as generic v1', () => {
    const a = acme(3, [{ kind: 'FIRST_RESPONSE', unit: 'WORKING_TIME', hours: 4 }]);
    const state = startClocks(facts(), a, always);
    expect(state.agreement).toEqual({ id: 'acme', version: 3 });
    // Saturday 12:00 on a 24/7 calendar: 4 working hours later is Saturday 16:00.
    expect(evaluate(kind(state, 'FIRST_RESPONSE'), new Date('2026-05-23T11:00:00Z'), always).dueAt).toEqual(
      new Date('2026-05-23T14:00:00Z'),
    );
    expect(agreementOf({ ...state, agreement: undefined })).toEqual({ id: 'generic', version: 1 });
  });
});

describe('rebaseOnAgreement', () => {
  const registered = {
    type: 'servicecenter.request.registered.v1',
    data: facts({
      occurredAt: '2026-05-26T07:00:00Z',
      registeredAt: '2026-05-26T07:00:00Z',
      requestedPriority: 'MEDIUM',
    }),
  }; // Tue 09:00
  const generic = applyRequestEvent(null, registered, GENERIC_AGREEMENT, office)!;

  it('recomputes running clocks from their start on the new agreement and calendar, keeping pauses and met clocks', () => {
    let state = applyRequestEvent(
      generic,
      {
        type: 'servicecenter.request.assigned.v1',
        data: {
          ...facts({ occurredAt: '2026-05-26T08:00:00Z', version: 2, assigneeId: 'p-anna', status: 'ACCEPTED' }),
        },
      },
      GENERIC_AGREEMENT,
      office,
    )!;
    state = applyRequestEvent(
      state,
      {
        type: 'servicecenter.request.information-requested.v1',
        data: facts({ occurredAt: '2026-05-26T09:00:00Z', version: 3, status: 'WAITING_FOR_CUSTOMER' }),
      },
      GENERIC_AGREEMENT,
      office,
    )!;
    state = applyRequestEvent(
      state,
      {
        type: 'servicecenter.request.replied.v1',
        data: facts({ occurredAt: '2026-05-26T11:00:00Z', version: 4, status: 'ACCEPTED' }),
      },
      GENERIC_AGREEMENT,
      office,
    )!;
    expect(kind(state, 'ASSIGNMENT').stop?.outcome).toBe('MET');
    const a = acme(1, [
      { kind: 'FIRST_RESPONSE', unit: 'WORKING_TIME', hours: 4 },
      { kind: 'ASSIGNMENT', unit: 'WORKING_TIME', hours: 1 },
      { kind: 'WORKAROUND', priority: 'MEDIUM', unit: 'CALENDAR_TIME', hours: 12 },
    ]);
    const rebased = rebaseOnAgreement(state, a, always);
    expect(rebased.agreement).toEqual({ id: 'acme', version: 1 });
    expect(kind(rebased, 'ASSIGNMENT')).toBe(kind(state, 'ASSIGNMENT')); // met: untouched
    const first = kind(rebased, 'FIRST_RESPONSE');
    expect(first.budget).toEqual({ unit: 'WORKING_TIME', ms: 4 * H });
    expect(first.startedAt).toEqual(new Date('2026-05-26T07:00:00Z'));
    expect(first.pauses).toEqual(state.pauses);
    // 4 h from 07:00Z plus the 2 h pause (24/7: every hour is business time) = 13:00Z
    expect(evaluate(first, new Date('2026-05-26T12:00:00Z'), always)).toMatchObject({
      state: 'RUNNING',
      dueAt: new Date('2026-05-26T13:00:00Z'),
      pausedMs: 2 * H,
    });
    // a NOT_APPLICABLE clock gets a budget when the new agreement has a target
    expect(kind(state, 'WORKAROUND').budget).toBeNull();
    expect(kind(rebased, 'WORKAROUND').budget).toEqual({ unit: 'CALENDAR_TIME', ms: 12 * H });
    expect(rebaseOnAgreement(rebased, a, always)).toBe(rebased);
  });

  it('keeps the recorded version for later events, so a priority change uses the agreement it was rebased on', () => {
    const a = acme(1, [
      { kind: 'RESOLUTION', requestType: 'INCIDENT', priority: 'HIGH', unit: 'CALENDAR_TIME', calendarDays: 5 },
    ]);
    const rebased = rebaseOnAgreement(generic, a, always);
    const raised = applyRequestEvent(
      rebased,
      {
        type: 'servicecenter.request.prioritised.v1',
        data: facts({ occurredAt: '2026-05-26T12:00:00Z', version: 2, priority: 'HIGH' }),
      },
      a,
      always,
    )!;
    expect(raised.agreement).toEqual({ id: 'acme', version: 1 });
    expect(kind(raised, 'RESOLUTION').budget).toEqual({ unit: 'CALENDAR_TIME', ms: 5 * 24 * H });
  });
});
