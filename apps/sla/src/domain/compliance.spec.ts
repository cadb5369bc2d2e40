import { BusinessCalendar } from '@servicecenter/platform-calendar';
import type { RequestFacts } from '@servicecenter/contracts';
import {
  applyRequestEvent,
  GENERIC_AGREEMENT,
  type Priority,
  type RequestSlaState,
  type RequestType,
  type TargetKind,
} from './clocks';
import {
  complianceRequests,
  inPeriod,
  slaCompliance,
  type ComplianceReport,
  type TargetCompliance,
} from './compliance';

const calendar = new BusinessCalendar(GENERIC_AGREEMENT.calendar);
const H = 3_600_000;
// Monday 1 March 2027, 09:00 in Amsterdam (CET).
const T0 = new Date('2027-03-01T08:00:00Z');
const period = { from: new Date('2027-03-01T00:00:00Z'), to: new Date('2027-03-08T00:00:00Z') };
const plus = (hours: number, from = T0) => new Date(from.getTime() + hours * H);

let seq = 0;
/** A request driven through the real clock model: registered at `registeredAt`, then `steps`. */
function request(
  options: {
    type?: RequestType;
    priority?: Priority;
    registeredAt?: Date;
    steps?: [string, Date, Record<string, unknown>?][];
  } = {},
): RequestSlaState {
  const id = `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
  const registeredAt = options.registeredAt ?? T0;
  let version = 1;
  const facts = (at: Date, extra: Record<string, unknown> = {}): RequestFacts & Record<string, unknown> =>
    ({
      requestId: id,
      number: `SC-2027-${seq}`,
      type: options.type ?? 'INCIDENT',
      customerId: 'cust-acme',
      productId: null,
      productGroupId: null,
      teamId: null,
      assigneeId: null,
      requestedPriority: options.priority ?? 'HIGH',
      priority: options.priority ?? 'HIGH',
      status: 'REGISTERED',
      previousStatus: null,
      occurredAt: at.toISOString(),
      version,
      registeredAt: registeredAt.toISOString(),
      ...extra,
    }) as RequestFacts & Record<string, unknown>;
  let state = applyRequestEvent(null, { type: 'registered', data: facts(registeredAt) }, GENERIC_AGREEMENT, calendar);
  for (const [name, at, extra] of options.steps ?? []) {
    version += 1;
    state = applyRequestEvent(
      state,
      { type: name, data: facts(at, { status: 'IN_HANDLING', ...extra }) },
      GENERIC_AGREEMENT,
      calendar,
    );
  }
  if (!state) throw new Error('not registered');
  return state;
}

const workaroundAt = (hours: number, registeredAt = T0) =>
  request({
    registeredAt,
    steps: [
      ['solution-proposed', plus(hours, registeredAt), { solutionKind: 'WORKAROUND', status: 'SOLUTION_PROPOSED' }],
    ],
  });

const report = (states: RequestSlaState[], now: Date, p = period): ComplianceReport =>
  slaCompliance(complianceRequests(states, now, calendar), p, now);
const target = (r: ComplianceReport, kind: TargetKind): TargetCompliance => {
  const found = r.targets.find((t) => t.kind === kind);
  if (!found) throw new Error(kind);
  return found;
};
const times = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));

describe('the period', () => {
  it('is half-open on the registration time', () => {
    expect(inPeriod(period.from, period)).toBe(true);
    expect(inPeriod(new Date(period.to.getTime() - 1), period)).toBe(true);
    expect(inPeriod(period.to, period)).toBe(false);
  });

  it('ignores requests registered outside it, however their clocks ended', () => {
    const before = workaroundAt(1, new Date('2027-02-28T23:59:59Z'));
    const after = workaroundAt(1, period.to);
    const r = report([before, after, workaroundAt(2)], plus(72));
    expect(r.requests).toBe(1);
    expect(target(r, 'WORKAROUND')).toMatchObject({ counted: 1, met: 1 });
  });
});

describe('per target', () => {
  it('counts met and breached clocks, a running clock past its budget as breached, and leaves running ones out', () => {
    const now = plus(30); // Tuesday 15:00 in Amsterdam: 14.5 h of business time since registration
    const handled = request({
      steps: [
        ['replied', plus(1), { firstResponse: true }],
        ['assigned', plus(1), { assigneeId: 'p-anna' }],
        ['accepted', plus(2)],
      ],
    });
    const untouched = request({ priority: 'MEDIUM' });
    const info = request({ type: 'INFORMATION', priority: 'LOW' });
    const r = report([handled, untouched, info], now);
    expect(target(r, 'FIRST_RESPONSE')).toEqual({
      kind: 'FIRST_RESPONSE',
      counted: 3,
      met: 1,
      breached: 2,
      percentageMet: 100 / 3,
      stillRunning: 0,
      notApplicable: 0,
    });
    expect(target(r, 'ACCEPTANCE')).toEqual({
      kind: 'ACCEPTANCE',
      counted: 1,
      met: 1,
      breached: 0,
      percentageMet: 100,
      stillRunning: 2,
      notApplicable: 0,
    });
    // Only the High incident has a workaround target; it is running past 24 h: breached.
    expect(target(r, 'WORKAROUND')).toMatchObject({
      counted: 1,
      met: 0,
      breached: 1,
      percentageMet: 0,
      stillRunning: 0,
      notApplicable: 2,
    });
    expect(target(r, 'RESOLUTION')).toEqual({
      kind: 'RESOLUTION',
      counted: 0,
      met: 0,
      breached: 0,
      percentageMet: null,
      stillRunning: 2,
      notApplicable: 1,
    });
  });

  it('has a null percentage when nothing is counted', () => {
    const r = report([], T0);
    expect(r.requests).toBe(0);
    expect(r.targets.map((t) => t.percentageMet)).toEqual([null, null, null, null, null]);
    expect(r.highWorkaround.within24h).toMatchObject({ counted: 0, percentage: null, met: null });
    expect(r.highWorkaround.within48h).toMatchObject({ counted: 0, percentage: null, met: null });
  });
});

describe('the High-workaround rule: 90% within 24 h, 100% within 48 h', () => {
  it('is met at exactly 90% within 24 h (9 of 10), the tenth at 30 h still within 48 h', () => {
    const states = [...times(9, (i) => workaroundAt(2 + i)), workaroundAt(30)];
    const r = report(states, plus(31));
    expect(r.highWorkaround.requests).toBe(10);
    expect(r.highWorkaround.within24h).toEqual({
      withinMs: 24 * H,
      goalPercentage: 90,
      counted: 10,
      within: 9,
      missed: 1,
      pending: 0,
      percentage: 90,
      met: true,
    });
    expect(r.highWorkaround.within48h).toMatchObject({
      counted: 10,
      within: 10,
      missed: 0,
      percentage: 100,
      met: true,
    });
  });

  it('is met at exactly 90% also where floating point would round (27 of 30)', () => {
    const states = [...times(27, () => workaroundAt(5)), ...times(3, () => workaroundAt(25))];
    expect(report(states, plus(50)).highWorkaround.within24h).toMatchObject({ counted: 30, within: 27, met: true });
  });

  it('is missed at 89.x% (8 of 9 is 88.9%; 899 of 1000 is 89.9%)', () => {
    const eight = [...times(8, () => workaroundAt(3)), workaroundAt(30)];
    const r = report(eight, plus(31)).highWorkaround.within24h;
    expect(r).toMatchObject({ counted: 9, within: 8, met: false });
    expect(r.percentage).toBeCloseTo(88.89, 2);

    // 899 of 1000 without building 1000 requests: the decision is the same integer rule.
    const many = [...times(899, () => workaroundAt(3)), ...times(101, () => workaroundAt(30))];
    const big = report(many, plus(31)).highWorkaround.within24h;
    expect(big).toMatchObject({ counted: 1000, within: 899, percentage: 89.9, met: false });
  });

  it("uses the agreement's goals instead of 90 and 100: 80% / 95% agreed", () => {
    // 17 of 20 within 24 h (85%) and 19 of 20 within 48 h (95%): missed on the generic goals, met on 80 / 95.
    const states = [...times(17, () => workaroundAt(4)), ...times(2, () => workaroundAt(30)), workaroundAt(49)];
    const generic = report(states, plus(50)).highWorkaround;
    expect(generic.within24h).toMatchObject({ goalPercentage: 90, percentage: 85, met: false });
    expect(generic.within48h).toMatchObject({ goalPercentage: 100, percentage: 95, met: false });
    const agreed = slaCompliance(complianceRequests(states, plus(50), calendar), period, plus(50), {
      workaroundPercent: 80,
      hardLimitPercent: 95,
    }).highWorkaround;
    expect(agreed.within24h).toMatchObject({ goalPercentage: 80, percentage: 85, met: true });
    expect(agreed.within48h).toMatchObject({ goalPercentage: 95, percentage: 95, met: true });
    // A goal with a decimal is compared exactly too: 85.1% is not reached by 17 of 20.
    const strict = slaCompliance(complianceRequests(states, plus(50), calendar), period, plus(50), {
      workaroundPercent: 85.1,
      hardLimitPercent: 95,
    }).highWorkaround;
    expect(strict.within24h.met).toBe(false);
  });

  it('misses the 100% rule with one workaround at 49 h, also when the 90% holds', () => {
    const states = [...times(19, () => workaroundAt(4)), workaroundAt(49)];
    const r = report(states, plus(50)).highWorkaround;
    expect(r.within24h).toMatchObject({ counted: 20, within: 19, percentage: 95, met: true });
    expect(r.within48h).toMatchObject({ counted: 20, within: 19, missed: 1, percentage: 95, met: false });
  });

  it('counts a workaround at exactly 48 h as within; one still missing after 48 h as missed, before that as pending', () => {
    expect(report([workaroundAt(48)], plus(49)).highWorkaround.within48h).toMatchObject({
      counted: 1,
      within: 1,
      met: true,
    });
    const open = request();
    expect(report([open], plus(30)).highWorkaround).toMatchObject({
      within24h: { counted: 1, missed: 1, pending: 0, met: false },
      within48h: { counted: 0, pending: 1, met: null },
    });
    expect(report([open], plus(48)).highWorkaround.within48h).toMatchObject({ counted: 0, pending: 1 });
    expect(report([open], plus(48.5)).highWorkaround.within48h).toMatchObject({ counted: 1, missed: 1, met: false });
  });

  it('does not count time waiting for the customer', () => {
    // 20 h counted, 40 h waiting, then the workaround: within 24 h.
    const waited = request({
      steps: [
        ['information-requested', plus(10), { status: 'WAITING_FOR_CUSTOMER' }],
        ['replied', plus(50), { status: 'IN_HANDLING' }],
        ['solution-proposed', plus(60), { solutionKind: 'WORKAROUND', status: 'SOLUTION_PROPOSED' }],
      ],
    });
    expect(report([waited], plus(61)).highWorkaround.within24h).toMatchObject({ counted: 1, within: 1 });
  });

  it('leaves out Medium incidents and other types', () => {
    const r = report([request({ priority: 'MEDIUM' }), request({ type: 'CHANGE' }), workaroundAt(3)], plus(50));
    expect(r.highWorkaround.requests).toBe(1);
  });
});
