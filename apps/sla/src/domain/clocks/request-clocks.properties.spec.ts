import { BusinessCalendar } from '@servicecenter/platform-calendar';
import type { RequestFacts } from '@servicecenter/contracts';
import fc from 'fast-check';
import { revive } from '../../persistence/sla-state.repository';
import { timelineChanges } from '../clock-timeline';
import { targetSettlements } from '../target-settlement';
import { GENERIC_AGREEMENT } from './agreement';
import { applyRequestEvent, type RequestSlaState } from './request-clocks';
import { evaluate } from './sla-clock';
import { requestEvents } from './request-events.testing';

fc.configureGlobal({ seed: 20_261_205, numRuns: 150 });

const calendar = new BusinessCalendar(GENERIC_AGREEMENT.calendar);
const MINUTE = 60_000;
const FROM = Date.parse('2026-01-01T00:00:00Z');

/** One step of a request's life as the requests service publishes it: the event and the facts it changes. */
const step = fc.oneof(
  fc.constant({ name: 'replied', extra: { firstResponse: true } }),
  fc.constant({ name: 'replied', extra: { firstResponse: false } }),
  fc.constantFrom(null, 'p-anna').map((assigneeId) => ({ name: 'assigned', extra: { assigneeId } })),
  fc.constant({ name: 'accepted', extra: { status: 'ACCEPTED' } }),
  fc.constant({ name: 'handling-started', extra: { status: 'IN_HANDLING' } }),
  fc.constantFrom('INFORMATION_REQUESTED', 'OTHER').map((reason) => ({
    name: 'returned-to-customer',
    extra: { status: 'WAITING_FOR_CUSTOMER', reason },
  })),
  fc.constant({ name: 'resumed', extra: { status: 'IN_HANDLING' } }),
  fc.constantFrom('LOW', 'MEDIUM', 'HIGH').map((priority) => ({ name: 'prioritised', extra: { priority } })),
  fc.constantFrom('SOLUTION', 'WORKAROUND').map((solutionKind) => ({
    name: 'solution-proposed',
    extra: { status: 'SOLUTION_PROPOSED', solutionKind },
  })),
  fc.constant({ name: 'solution-rejected', extra: { status: 'IN_HANDLING' } }),
  fc.constantFrom('SOLVED', 'WORKAROUND', 'NO_REPLY', 'DUPLICATE', 'WITHDRAWN', 'DECLINED').map((completionReason) => ({
    name: 'closed',
    extra: { status: 'CLOSED', completionReason },
  })),
  fc.constant({ name: 'reopened', extra: { status: 'REOPENED' } }),
);

const history = fc.record({
  type: fc.constantFrom<RequestFacts['type']>('INCIDENT', 'CHANGE', 'INFORMATION', 'APPLICATION_SERVICE'),
  requestedPriority: fc.constantFrom<RequestFacts['requestedPriority']>('LOW', 'MEDIUM', 'HIGH'),
  start: fc.integer({ min: 0, max: 2 * 365 * 24 * 60 }),
  steps: fc.array(fc.tuple(step, fc.integer({ min: 0, max: 6 * 24 * 60 })), { minLength: 1, maxLength: 14 }),
});

/** A state as the repository stores and reads it back: JSON and `revive`, fresh objects throughout. */
const readBack = (state: RequestSlaState): RequestSlaState => revive(JSON.parse(JSON.stringify(state)));
const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('request clocks applied in memory and read back between events', () => {
  it('give the same states, evaluations, settlements and timeline entries', () => {
    // The consumer keeps a request's state in memory across the events of a set: clocks an event
    // left alone stay the same objects, and a stopped clock's evaluation is remembered per
    // object. A state read back from the database between any two events has none of that; the
    // outcomes must not differ.
    fc.assert(
      fc.property(history, ({ type, requestedPriority, start, steps }) => {
        const event = requestEvents({ type, requestedPriority });
        let at = FROM + start * MINUTE;
        const events = [event('registered', new Date(at).toISOString())];
        for (const [{ name, extra }, minutes] of steps) {
          at += minutes * MINUTE;
          events.push(event(name, new Date(at).toISOString(), extra as never));
        }
        let kept: RequestSlaState | null = null;
        let stored: RequestSlaState | null = null;
        for (const e of events) {
          const beforeKept: RequestSlaState | null = kept;
          const beforeStored: RequestSlaState | null = stored ? readBack(stored) : null;
          kept = applyRequestEvent(beforeKept, e, GENERIC_AGREEMENT, calendar);
          stored = applyRequestEvent(beforeStored, e, GENERIC_AGREEMENT, calendar);
          expect(json(kept)).toEqual(json(stored));
          if (!kept || !stored) continue;
          expect(json(targetSettlements(beforeKept, kept, calendar))).toEqual(
            json(targetSettlements(beforeStored, stored, calendar)),
          );
          if (beforeKept && beforeStored)
            expect(timelineChanges(beforeKept, kept)).toEqual(timelineChanges(beforeStored, stored));
          for (const now of [new Date(e.data.occurredAt), new Date(at + 30 * 24 * 60 * MINUTE)])
            kept.clocks.forEach((clock, i) =>
              expect(evaluate(clock, now, calendar)).toEqual(evaluate(readBack(stored!).clocks[i], now, calendar)),
            );
        }
      }),
    );
  });
});
