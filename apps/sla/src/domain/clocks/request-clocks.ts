import type { BusinessCalendar } from '@servicecenter/platform-calendar';
import type { RequestFacts } from '@servicecenter/contracts';
import { resolveBudget, TARGET_KINDS, targetFor, type Agreement, type Priority, type TargetKind } from './agreement';
import { type ClockStop, type Pause, type SlaClock } from './sla-clock';

type RequestStatus = RequestFacts['status'];

/**
 * Statuses in which the desk waits for the customer: every clock that has not stopped pauses.
 * Pauses follow the status every event carries rather than particular event types, so the
 * state heals itself after a missed event (the next event's status is the truth).
 * SOLUTION_PROPOSED: "the time the solution waits for the customer does not count".
 * CLOSED: a reopened request resumes with the closed period as a pause.
 */
const WAITING: ReadonlySet<RequestStatus> = new Set<RequestStatus>([
  'WAITING_FOR_CUSTOMER',
  'SOLUTION_PROPOSED',
  'CLOSED',
]);

/** Everything the SLA service keeps per request; pure data (Dates), to be persisted as is. */
export interface RequestSlaState {
  requestId: string;
  type: RequestFacts['type'];
  /** priority ?? requestedPriority: the desk's priority once set, the customer's until then. */
  priority: Priority;
  registeredAt: Date;
  /** The request version of the last applied event; older versions are ignored. */
  version: number;
  /**
   * The producer's outbox position (`ce_sequence`) of the last applied event. One change of a
   * request can publish several events with the same version (a reply and the resume it
   * causes); the sequence orders those, so a repeat is still recognised.
   */
  sequence?: string | null;
  status: RequestStatus;
  /** Request-level waiting periods; copied into every clock that has not stopped. */
  pauses: readonly Pause[];
  /** When the last solution or workaround was proposed (undone by a rejection). */
  proposedAt: Date | null;
  /**
   * When the desk first acted on the request (see `DESK_ACTIONS`); null while nobody on the
   * desk has. Absent on states written before it was kept: derived from the clocks.
   */
  deskActedAt?: Date | null;
  clocks: readonly SlaClock[];
  /**
   * The agreement version the clocks were computed with, chosen at registration (the
   * customer's agreement then) and kept for every later event: a new agreement version
   * applies to new requests only, unless an admin asks to recalculate (`rebaseOnAgreement`).
   * Absent on states written before agreements existed: the generic agreement, version 1.
   */
  agreement?: AgreementRef;
}

export interface AgreementRef {
  id: string;
  version: number;
}

export const GENERIC_REF: AgreementRef = { id: 'generic', version: 1 };

/** The agreement version a state's clocks run on. */
export const agreementOf = (state: Pick<RequestSlaState, 'agreement'>): AgreementRef => state.agreement ?? GENERIC_REF;

/** The event as it comes off the bus: the facts plus the event's own fields. */
export interface RequestEventInput {
  type: string;
  /** ce_sequence: zero-padded, so string order is publication order. */
  sequence?: string;
  data: RequestFacts & Record<string, unknown>;
}

/**
 * The events by which the desk acts on a request (DOMAIN.md: the first communication that the
 * request is being handled, the assignment, acceptance, handling, a proposal, a question to
 * the customer). Until one of them, the SLA targets have not started for the desk in
 * substance: a request that ends without one (withdrawn, declined, duplicate, or closed
 * NO_REPLY while waiting for the customer since an incomplete registration) owes no target.
 * System replies (reminders, the completeness check's request for information) are not the desk.
 */
function isDeskAction(name: string, data: RequestEventInput['data']): boolean {
  switch (name) {
    case 'replied':
      return data['firstResponse'] === true;
    case 'assigned':
      return data.assigneeId !== null;
    case 'returned-to-customer':
      return data['reason'] === 'INFORMATION_REQUESTED';
    case 'accepted':
    case 'handling-started':
    case 'handed-over':
    case 'solution-proposed':
      return true;
    default:
      return false;
  }
}

/** Whether the desk acted on the request before now; old states without the field: a clock the desk stopped. */
export const deskActed = (state: Pick<RequestSlaState, 'deskActedAt' | 'clocks'>): boolean =>
  state.deskActedAt != null ||
  (state.deskActedAt === undefined &&
    state.clocks.some((clock) => clock.stop !== null && clock.stop.cause !== 'CLOSED'));

/** Old states: the earliest stop the desk caused. */
function firstDeskStop(state: Pick<RequestSlaState, 'clocks'>): Date | null {
  const stops = state.clocks.flatMap((c) => (c.stop && c.stop.cause !== 'CLOSED' ? [c.stop.at.getTime()] : []));
  return stops.length ? new Date(Math.min(...stops)) : null;
}

const effectivePriority = (facts: RequestFacts): Priority => facts.priority ?? facts.requestedPriority;

function clockFor(
  kind: TargetKind,
  startedAt: Date,
  state: Pick<RequestSlaState, 'type' | 'priority' | 'pauses'>,
  agreement: Agreement,
  calendar: BusinessCalendar,
): SlaClock {
  const target = targetFor(agreement, state.type, kind, state.priority);
  const budget = target.budget ? resolveBudget(target.budget, startedAt, calendar) : null;
  return {
    kind,
    startedAt,
    budget,
    hardLimitMs: budget ? (target.hardLimitMs ?? null) : null,
    earliestExpectedMs:
      budget && target.earliestExpected ? resolveBudget(target.earliestExpected, startedAt, calendar).ms : null,
    pauses: state.pauses,
    stop: null,
  };
}

/**
 * All five clocks of a newly registered request, from its registration time (not the time the
 * event arrives). Kinds without a target get a NOT_APPLICABLE clock: it stays visible, and a
 * later priority change can give it a budget counted from the registration.
 */
export function startClocks(
  facts: RequestFacts & { registeredAt?: string },
  agreement: Agreement,
  calendar: BusinessCalendar,
): RequestSlaState {
  const registeredAt = new Date(facts.registeredAt ?? facts.occurredAt);
  const pauses: Pause[] = WAITING.has(facts.status) ? [{ from: registeredAt, to: null }] : [];
  const base = { type: facts.type, priority: effectivePriority(facts), pauses };
  return {
    requestId: facts.requestId,
    ...base,
    registeredAt,
    version: facts.version,
    status: facts.status,
    proposedAt: null,
    deskActedAt: null,
    clocks: TARGET_KINDS.map((kind) => clockFor(kind, registeredAt, base, agreement, calendar)),
    agreement: { id: agreement.id, version: agreement.version },
  };
}

/**
 * Moves a request onto another agreement version (an admin saved a new version and asked to
 * recalculate running clocks). Like a priority change: every clock that has not stopped gets
 * the new agreement's target counted from its own start with the request's pauses; stopped
 * clocks (met, closed, abandoned) keep the target they stopped against. Records the new
 * version so later events use it. Pure; returns the same object when already on it.
 */
export function rebaseOnAgreement(
  state: RequestSlaState,
  agreement: Agreement,
  calendar: BusinessCalendar,
): RequestSlaState {
  const current = agreementOf(state);
  if (current.id === agreement.id && current.version === agreement.version) return state;
  const context = { type: state.type, priority: state.priority, pauses: state.pauses };
  return {
    ...state,
    agreement: { id: agreement.id, version: agreement.version },
    clocks: state.clocks.map((clock) =>
      clock.stop ? clock : clockFor(clock.kind, clock.startedAt, context, agreement, calendar),
    ),
  };
}

const stopped = (clock: SlaClock, stop: ClockStop): SlaClock => (clock.stop ? clock : { ...clock, stop });
const resumed = (clock: SlaClock): SlaClock => ({ ...clock, stop: null });
/**
 * The clocks of these kinds met at `at` (one that stopped already stays as it stopped). At
 * module level rather than a closure of `applyRequestEvent`: the services run under tsx, whose
 * esbuild keeps function names by defining `name` on every closure it creates, per event.
 */
const met = (clocks: readonly SlaClock[], kinds: readonly TargetKind[], at: Date, cause: ClockStop['cause']) =>
  clocks.map((clock) => (kinds.includes(clock.kind) ? stopped(clock, { at, outcome: 'MET', cause }) : clock));

const eventNames = new Map<string, string>();

/** 'servicecenter.request.solution-proposed.v1' → 'solution-proposed' (a bare name is accepted too). */
export function eventName(type: string): string {
  let name = eventNames.get(type);
  if (name === undefined) {
    name = type.replace(/^servicecenter\.request\./, '').replace(/\.v\d+$/, '');
    // The event types are a handful; a caller passing arbitrary strings only skips the map.
    if (eventNames.size < 256) eventNames.set(type, name);
  }
  return name;
}

/**
 * Applies one request event. Idempotent and order-safe: an event whose version is not newer
 * than the last applied one returns the same state object. Before registration nothing can
 * be measured (the start is unknown), so any other event on a null state returns null.
 *
 * Choices:
 * - replied with firstResponse, assigned with an assignee, accepted: their clock is met.
 * - solution-proposed: WORKAROUND met (a SOLUTION works around too); RESOLUTION met when the
 *   kind is SOLUTION. Met at the proposal time; the wait for the customer pauses the rest.
 * - solution-rejected: every clock met by that proposal resumes, the WORKAROUND included: a
 *   workaround the customer rejects does not work around. The wait counts as paused.
 * - closed SOLVED / WORKAROUND / NO_REPLY: clocks still open are met at the solution time (the
 *   start of the wait the closing ends, else the closing time); `evaluate` says BREACHED when
 *   that was late. DUPLICATE / WITHDRAWN / DECLINED, and NO_REPLY before the desk acted
 *   (`isDeskAction`): open clocks are ABANDONED (not applicable: the target never started for
 *   the desk) unless already breached. Without this a request closed NO_REPLY after an
 *   incomplete registration showed every target MET with 0 elapsed.
 * - reopened: RESOLUTION resumes (however it stopped) and so does every clock the closing
 *   stopped; the time closed counts as paused. Met internal targets stay met.
 * - prioritised: every clock that has not stopped gets the new priority's target, counted from
 *   its start with its pauses; met clocks keep the target they were met against.
 */
export function applyRequestEvent(
  state: RequestSlaState | null,
  event: RequestEventInput,
  agreement: Agreement,
  calendar: BusinessCalendar,
): RequestSlaState | null {
  const facts = event.data;
  const name = eventName(event.type);
  if (!state) {
    if (name !== 'registered') return null;
    const started = startClocks(facts as RequestFacts & { registeredAt?: string }, agreement, calendar);
    // Set on the new state rather than spread into a copy (a new key after a spread is V8's slow copy).
    started.sequence = event.sequence ?? null;
    return started;
  }
  if (facts.version < state.version) return state;
  const later = event.sequence !== undefined && state.sequence != null && event.sequence > state.sequence;
  if (facts.version === state.version && !later) return state;

  const at = new Date(facts.occurredAt);
  let clocks = [...state.clocks];
  let { priority, proposedAt } = state;
  const openPause = state.pauses.find((pause) => pause.to === null);

  switch (name) {
    case 'replied':
      if (facts['firstResponse'] === true) clocks = met(clocks, ['FIRST_RESPONSE'], at, 'FULFILLED');
      break;
    case 'assigned':
      if (facts.assigneeId !== null) clocks = met(clocks, ['ASSIGNMENT'], at, 'FULFILLED');
      break;
    case 'accepted':
      clocks = met(clocks, ['ACCEPTANCE'], at, 'FULFILLED');
      break;
    case 'solution-proposed':
      clocks = met(
        clocks,
        facts['solutionKind'] === 'SOLUTION' ? ['WORKAROUND', 'RESOLUTION'] : ['WORKAROUND'],
        at,
        'PROPOSAL',
      );
      proposedAt = at;
      break;
    case 'solution-rejected': {
      const proposal = proposedAt?.getTime();
      clocks = clocks.map((clock) =>
        clock.stop?.cause === 'PROPOSAL' && clock.stop.at.getTime() === proposal ? resumed(clock) : clock,
      );
      proposedAt = null;
      break;
    }
    case 'closed': {
      const reason = facts['completionReason'];
      const abandoned =
        reason === 'DUPLICATE' ||
        reason === 'WITHDRAWN' ||
        reason === 'DECLINED' ||
        (reason === 'NO_REPLY' && !deskActed(state));
      const stopAt = abandoned ? at : (openPause?.from ?? at);
      clocks = clocks.map((clock) =>
        stopped(clock, { at: stopAt, outcome: abandoned ? 'ABANDONED' : 'MET', cause: 'CLOSED' }),
      );
      break;
    }
    case 'reopened':
      clocks = clocks.map((clock) =>
        clock.stop && (clock.kind === 'RESOLUTION' || clock.stop.cause === 'CLOSED') ? resumed(clock) : clock,
      );
      proposedAt = null;
      break;
    case 'prioritised': {
      priority = effectivePriority(facts);
      const context = { type: state.type, priority, pauses: state.pauses };
      clocks = clocks.map((clock) =>
        clock.stop ? clock : clockFor(clock.kind, clock.startedAt, context, agreement, calendar),
      );
      break;
    }
    default:
      break;
  }

  // The status after the event decides whether the request waits; open or close the pause.
  let pauses = state.pauses;
  if (WAITING.has(facts.status) && !openPause) pauses = [...pauses, { from: at, to: null }];
  if (!WAITING.has(facts.status) && openPause)
    pauses = pauses.map((pause) => (pause === openPause ? { from: pause.from, to: at } : pause));
  // A clock that already has these pauses stays the same object (clocks are immutable).
  clocks = clocks.map((clock) => (clock.stop || clock.pauses === pauses ? clock : { ...clock, pauses }));

  const deskActedAt =
    state.deskActedAt ?? (deskActed(state) ? firstDeskStop(state) : isDeskAction(name, facts) ? at : null);
  // Every field named rather than `{ ...state, … }`: states come in several shapes (new, read
  // back, applied), and V8 copies a spread of a source whose shape varies on its slow path
  // (≈ 4 µs an event). An absent `agreement` (old states) stays undefined: read and stored alike.
  return {
    requestId: state.requestId,
    type: state.type,
    priority,
    registeredAt: state.registeredAt,
    version: facts.version,
    sequence: event.sequence ?? state.sequence ?? null,
    status: facts.status,
    pauses,
    proposedAt,
    deskActedAt,
    clocks,
    agreement: state.agreement,
  };
}
