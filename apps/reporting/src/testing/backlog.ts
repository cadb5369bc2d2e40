import { randomUUID } from 'node:crypto';
import {
  RequestAssigned,
  RequestClosed,
  RequestHandedOver,
  RequestHandlingStarted,
  RequestPrioritised,
  RequestRegistered,
  RequestReplied,
  RequestReturnedToCustomer,
  RequestSolutionProposed,
  RequestSurveyAnswered,
  RequestTimeBooked,
  SlaBreached,
  SlaTargetCompleted,
  SlaWarningReached,
  formatSequence,
  sourceOf,
  type EventContract,
  type RequestFacts,
} from '@servicecenter/contracts';
import { seededRandom } from '@servicecenter/testing';
import type { ScenarioEvent } from './scenario';

const HOUR = 3_600_000;
const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH'] as const;

/**
 * The events of an import of `requests` requests, as the reporting consumer receives them: each
 * request's history (registration to survey, with time bookings and SLA targets, ~18 events)
 * in order, the histories of `concurrent` requests interleaved (the import works on several at
 * once), over `customers`, `groups`, three priorities and `days` days of registration, so the
 * counter rows are shared (one customer, group and day: every request on the same few). For the
 * replay measurement and the specs that apply many events to the same counters.
 */
export function importBacklog(
  requests: number,
  options: { concurrent?: number; seed?: number; customers?: number; groups?: number; days?: number } = {},
): ScenarioEvent[] {
  const rnd = seededRandom(options.seed ?? 1);
  const concurrent = Math.max(1, options.concurrent ?? 16);
  const { customers = 20, groups = 4, days = 300 } = options;
  let sequence = 0;
  const histories: ScenarioEvent[][] = [];
  for (let r = 0; r < requests; r++) {
    const events: ScenarioEvent[] = [];
    const requestId = randomUUID();
    const customerId = `cust-${r % customers}`;
    const group = `grp-${Math.floor(rnd() * groups)}`;
    const priority = PRIORITIES[Math.floor(rnd() * PRIORITIES.length)];
    const registeredAt = Date.parse('2026-01-01T00:00:00.000Z') + Math.floor(rnd() * days * 24) * HOUR;
    let version = 0;
    let at = registeredAt;
    const emit = (contract: EventContract, subject: string, data: Record<string, unknown>) => {
      const service = contract.topic.includes('.sla.') ? 'sla' : 'requests';
      events.push({
        contract,
        envelope: {
          specversion: '1.0',
          id: randomUUID(),
          source: sourceOf(service),
          type: contract.type,
          time: new Date(at).toISOString(),
          subject,
          datacontenttype: 'application/json',
          sequence: formatSequence(++sequence),
          data,
        },
      });
    };
    const facts = (status: RequestFacts['status'], over: Partial<RequestFacts> = {}): RequestFacts => ({
      requestId,
      number: `SC-2026-${r}`,
      type: 'INCIDENT',
      customerId,
      productId: `${group}-prod`,
      productGroupId: group,
      teamId: `team-${group}`,
      assigneeId: null,
      requestedPriority: priority,
      priority: version >= 2 ? priority : null,
      status,
      previousStatus: null,
      occurredAt: new Date(at).toISOString(),
      version: ++version,
      ...over,
    });
    const later = (hours: number) => (at += Math.max(1, Math.floor(hours * HOUR * (0.5 + rnd()))));
    const request = (contract: EventContract, status: RequestFacts['status'], extra: Record<string, unknown>) =>
      emit(contract, requestId, { ...facts(status), ...extra });
    const slaEvent = (contract: EventContract, kind: string, budgetH: number, extra: Record<string, unknown>) =>
      emit(contract, requestId, {
        requestId,
        customerId,
        productId: `${group}-prod`,
        productGroupId: group,
        teamId: `team-${group}`,
        type: 'INCIDENT',
        priority,
        kind,
        unit: 'CALENDAR_TIME',
        budgetMs: budgetH * HOUR,
        dueAt: new Date(registeredAt + budgetH * HOUR).toISOString(),
        ...extra,
      });
    const target = (kind: string, budgetH: number) => {
      const elapsedMs = at - registeredAt;
      slaEvent(SlaTargetCompleted, kind, budgetH, {
        requestVersion: version,
        outcome: elapsedMs <= budgetH * HOUR ? 'MET' : 'MISSED',
        startedAt: new Date(registeredAt).toISOString(),
        completedAt: new Date(at).toISOString(),
        elapsedMs,
        pausedMs: 0,
        hardLimitMs: kind === 'WORKAROUND' ? 2 * budgetH * HOUR : null,
        hardLimitExceeded: elapsedMs > 2 * budgetH * HOUR,
      });
    };

    request(RequestRegistered, 'REGISTERED', {
      title: `Imported request ${r}`,
      requesterId: `u-${customerId}`,
      registeredAt: new Date(registeredAt).toISOString(),
      followUpOf: null,
    });
    later(0.5);
    request(RequestPrioritised, 'REGISTERED', { previousPriority: null, justification: null, category: null });
    later(1);
    request(RequestAssigned, 'ACCEPTED', { previousTeamId: null, previousAssigneeId: null, assigneeId: 'p-anna' });
    later(1);
    const reply = (firstResponse: boolean, status: RequestFacts['status']) =>
      request(RequestReplied, status, {
        replyId: randomUUID(),
        authorId: 'p-anna',
        side: 'SERVICE_CENTER',
        visibility: 'PUBLIC',
        kind: 'MESSAGE',
        firstResponse,
      });
    reply(true, 'ACCEPTED');
    target('FIRST_RESPONSE', 4);
    later(2);
    request(RequestHandlingStarted, 'IN_HANDLING', {});
    slaEvent(SlaWarningReached, 'RESOLUTION', 40, { threshold: 0.5, reachedAt: new Date(at).toISOString() });
    later(4);
    request(RequestHandedOver, 'HANDED_OVER', { target: rnd() < 0.5 ? 'CONSULTING' : 'PRODUCT_DEVELOPMENT' });
    if (rnd() < 0.3)
      slaEvent(SlaBreached, 'RESOLUTION', 40, { breachedAt: new Date(registeredAt + 40 * HOUR).toISOString() });
    later(8);
    request(RequestReturnedToCustomer, 'WAITING_FOR_CUSTOMER', { reason: 'INFORMATION_REQUESTED', missing: [] });
    later(4);
    reply(false, 'IN_HANDLING');
    later(4);
    request(RequestSolutionProposed, 'SOLUTION_PROPOSED', {
      solutionKind: 'SOLUTION',
      articleId: null,
      mutationExecutedBy: null,
    });
    target('WORKAROUND', 24);
    for (let b = 0; b < 2; b++)
      request(RequestTimeBooked, 'SOLUTION_PROPOSED', {
        bookingId: randomUUID(),
        hours: 1 + b,
        workDate: new Date(at).toISOString().slice(0, 10),
        bookedBy: 'p-anna',
        description: null,
      });
    later(12);
    // Most close; a few stay open (the as-of-now counters keep them).
    if (rnd() < 0.85) {
      request(RequestClosed, 'CLOSED', {
        completionReason: 'SOLVED',
        automatic: false,
        closedAt: new Date(at).toISOString(),
        registeredAt: new Date(registeredAt).toISOString(),
        continuedAs: null,
      });
      target('RESOLUTION', 40);
      later(24);
      const score = Math.floor(rnd() * 11);
      request(RequestSurveyAnswered, 'CLOSED', {
        score,
        comment: rnd() < 0.3 ? 'fine' : null,
        category: score >= 9 ? 'PROMOTER' : score >= 7 ? 'PASSIVE' : 'DETRACTOR',
        answeredBy: `u-${customerId}`,
        answeredAt: new Date(at).toISOString(),
      });
    }
    for (const e of events) {
      const parsed = e.contract.schema.safeParse(e.envelope.data);
      if (!parsed.success) throw new Error(`${e.contract.type}: ${parsed.error.message}`);
    }
    histories.push(events);
  }
  // `concurrent` histories at a time, their events interleaved at random.
  const out: ScenarioEvent[] = [];
  const active: ScenarioEvent[][] = [];
  let next = 0;
  while (next < histories.length || active.length > 0) {
    while (active.length < concurrent && next < histories.length) active.push([...histories[next++]]);
    const i = Math.floor(rnd() * active.length);
    out.push(active[i].shift()!);
    if (active[i].length === 0) active.splice(i, 1);
  }
  return out;
}
