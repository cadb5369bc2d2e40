import { randomUUID } from 'node:crypto';
import {
  CustomerSaved,
  DisruptionClosed,
  DisruptionPublished,
  DisruptionResolved,
  DisruptionUpdated,
  DisruptionUpdateOverdue,
  EscalationClosed,
  EscalationOpened,
  EscalationStepRecorded,
  PriorityChangeAsked,
  PriorityChangeRejected,
  RequestAssigned,
  RequestChangeLinked,
  RequestClosed,
  RequestHandedOver,
  RequestHandlingStarted,
  RequestPrioritised,
  RequestRegistered,
  RequestReopened,
  RequestReplied,
  RequestReturnedToCustomer,
  RequestSolutionProposed,
  RequestSurveyAnswered,
  RequestTimeBooked,
  SlaBreached,
  SlaTargetCompleted,
  SlaTargetResumed,
  StatusUpdateAnswered,
  StatusUpdateAsked,
  UrgentCallLogged,
  sourceOf,
  type RequestFacts,
  formatSequence,
  type EventContract,
  type EventEnvelope,
} from '@servicecenter/contracts';
import type { Caller } from '@servicecenter/platform-auth';
import type { ReportQueries } from '../domain/report-queries';

/**
 * A known sequence of events for the report specs, with the hand-computed figures next to
 * them in reports.spec.ts. "Now" is 2026-11-20T12:00:00Z; the quarter is 2026-Q4.
 */
export const NOW = '2026-11-20T12:00:00.000Z';

export interface ScenarioEvent {
  contract: EventContract;
  envelope: EventEnvelope;
}

const HOUR = 3_600_000;
const plus = (iso: string, hours: number) => new Date(new Date(iso).getTime() + hours * HOUR).toISOString();

export function scenario(): { events: ScenarioEvent[]; ids: Record<string, string> } {
  const events: ScenarioEvent[] = [];
  const seq: Record<string, number> = {};
  const ids: Record<string, string> = {};
  const id = (name: string) => (ids[name] ??= randomUUID());
  const emit = (contract: EventContract, subject: string, data: Record<string, unknown>, sequence?: number) => {
    const service =
      contract.topic.split('.')[1].replace(/s$/, '') === 'request' ? 'requests' : contract.topic.split('.')[1];
    const n = sequence ?? (seq[service] = (seq[service] ?? 0) + 1);
    const parsed = contract.schema.safeParse(data);
    if (!parsed.success) throw new Error(`${contract.type}: ${parsed.error.message}`);
    events.push({
      contract,
      envelope: {
        specversion: '1.0',
        id: randomUUID(),
        source: sourceOf(service),
        type: contract.type,
        time: (data.occurredAt ?? data.savedAt ?? data.answeredAt ?? NOW) as string,
        subject,
        datacontenttype: 'application/json',
        sequence: formatSequence(n),
        data,
      },
    });
  };

  // Customers (directory saves; an older save arriving later changes nothing).
  const customer = (customerId: string, name: string, sm: string, base: number, credit: number, savedAt: string) =>
    emit(CustomerSaved, customerId, {
      customerId,
      name,
      serviceManagerId: sm,
      customerSuccessManagerId: 'p-csm',
      applicationServicesContract: true,
      baseBundleHours: base,
      creditBundleHours: credit,
      language: 'EN',
      savedAt,
    });
  customer('cust-acme', 'Acme <Logistiek>', 'p-sm', 40, 20, '2026-01-02T09:00:00.000Z');
  customer('cust-globex', 'Globex Zorg', 'p-other', 20, 0, '2026-01-02T09:00:00.000Z');
  customer('cust-acme', 'Acme (old name)', 'p-nobody', 1, 1, '2025-06-01T09:00:00.000Z');

  // Requests.
  const facts = (name: string, v: number, at: string, over: Partial<RequestFacts> = {}): RequestFacts => ({
    requestId: id(name),
    number: `SC-2026-${name}`,
    type: 'INCIDENT',
    customerId: 'cust-acme',
    productId: 'prod-payroll',
    productGroupId: 'grp-payroll',
    teamId: 'team-payroll',
    assigneeId: null,
    requestedPriority: 'MEDIUM',
    priority: null,
    status: 'REGISTERED',
    previousStatus: null,
    occurredAt: at,
    version: v,
    ...over,
  });
  const registered = (name: string, at: string, over: Partial<RequestFacts> = {}, title = `Request ${name}`) =>
    emit(RequestRegistered, id(name), {
      ...facts(name, 1, at, over),
      title,
      requesterId: 'u-acme',
      registeredAt: at,
      followUpOf: null,
    });
  const reply = (
    name: string,
    v: number,
    at: string,
    over: Partial<RequestFacts>,
    firstResponse = true,
    sequence?: number,
  ) =>
    emit(
      RequestReplied,
      id(name),
      {
        ...facts(name, v, at, over),
        replyId: randomUUID(),
        authorId: 'p-anna',
        side: 'SERVICE_CENTER',
        visibility: 'PUBLIC',
        kind: 'MESSAGE',
        firstResponse,
      },
      sequence,
    );
  const closed = (
    name: string,
    v: number,
    at: string,
    registeredAt: string,
    reason: string,
    over: Partial<RequestFacts> = {},
  ) =>
    emit(RequestClosed, id(name), {
      ...facts(name, v, at, { status: 'CLOSED', ...over }),
      completionReason: reason,
      automatic: false,
      closedAt: at,
      registeredAt,
      continuedAs: null,
    });
  const proposed = (name: string, v: number, at: string, over: Partial<RequestFacts> = {}) =>
    emit(RequestSolutionProposed, id(name), {
      ...facts(name, v, at, { status: 'SOLUTION_PROPOSED', ...over }),
      solutionKind: 'SOLUTION',
      articleId: null,
      mutationExecutedBy: null,
    });

  // R1: payroll HIGH, 6 h old, no response yet.
  registered('R1', '2026-11-20T06:00:00.000Z', { requestedPriority: 'HIGH' });
  // R2: payroll HIGH, 2 days old, first response after 2 h; version 4 arrives before version 2.
  registered('R2', '2026-11-18T12:00:00.000Z');
  reply('R2', 3, '2026-11-18T14:00:00.000Z', { priority: 'HIGH', status: 'ACCEPTED' });
  emit(RequestAssigned, id('R2'), {
    ...facts('R2', 4, '2026-11-18T15:00:00.000Z', { priority: 'HIGH', status: 'IN_HANDLING', assigneeId: 'p-anna' }),
    previousTeamId: null,
    previousAssigneeId: null,
  });
  emit(RequestPrioritised, id('R2'), {
    ...facts('R2', 2, '2026-11-18T13:00:00.000Z', { priority: 'HIGH' }),
    previousPriority: null,
    justification: null,
    category: null,
  });
  // R3: payroll MEDIUM, 5 days old, response after 4 h, linked to CHG-2; two events share version 4: the sequence orders them.
  registered('R3', '2026-11-15T12:00:00.000Z');
  reply('R3', 2, '2026-11-15T16:00:00.000Z', { priority: 'MEDIUM', status: 'ACCEPTED' });
  emit(RequestChangeLinked, id('R3'), {
    ...facts('R3', 3, '2026-11-16T09:00:00.000Z', { priority: 'MEDIUM', status: 'ACCEPTED' }),
    changeRef: 'CHG-2',
    customerCount: 1,
  });
  emit(
    RequestReturnedToCustomer,
    id('R3'),
    {
      ...facts('R3', 4, '2026-11-16T10:00:00.000Z', { priority: 'MEDIUM', status: 'WAITING_FOR_CUSTOMER' }),
      reason: 'INFORMATION_REQUESTED',
      missing: ['logs'],
    },
    1002,
  );
  emit(
    RequestHandlingStarted,
    id('R3'),
    facts('R3', 4, '2026-11-16T10:00:00.000Z', { priority: 'MEDIUM', status: 'IN_HANDLING' }),
    1001,
  );
  // R4: HR, requested LOW, never prioritised, 10 days old, no response.
  registered('R4', '2026-11-10T12:00:00.000Z', {
    requestedPriority: 'LOW',
    productId: 'prod-hr',
    productGroupId: 'grp-hr',
    teamId: 'team-hr',
  });
  // R5: an HR change handed over to Consulting, 80 days old, response after 1 h.
  const r5 = {
    type: 'CHANGE' as const,
    productId: 'prod-hr',
    productGroupId: 'grp-hr',
    teamId: 'team-hr',
    priority: 'MEDIUM' as const,
  };
  registered(
    'R5',
    '2026-09-01T12:00:00.000Z',
    { type: 'CHANGE', productId: 'prod-hr', productGroupId: 'grp-hr', teamId: 'team-hr' },
    'Wire up <b>payslips</b>',
  );
  reply('R5', 2, '2026-09-01T13:00:00.000Z', { ...r5, status: 'ACCEPTED' });
  emit(RequestHandedOver, id('R5'), {
    ...facts('R5', 3, '2026-09-02T09:00:00.000Z', { ...r5, status: 'HANDED_OVER' }),
    target: 'CONSULTING',
  });
  // R6: exactly 1 day old; closed SOLVED on its registration day, then reopened; linked to CHG-1.
  registered('R6', '2026-11-19T12:00:00.000Z');
  reply('R6', 2, '2026-11-19T18:00:00.000Z', { priority: 'MEDIUM', status: 'ACCEPTED' });
  closed('R6', 3, '2026-11-19T20:00:00.000Z', '2026-11-19T12:00:00.000Z', 'SOLVED', { priority: 'MEDIUM' });
  emit(
    RequestReopened,
    id('R6'),
    facts('R6', 4, '2026-11-20T08:00:00.000Z', { priority: 'MEDIUM', status: 'REOPENED' }),
  );
  emit(RequestChangeLinked, id('R6'), {
    ...facts('R6', 5, '2026-11-20T09:00:00.000Z', { priority: 'MEDIUM', status: 'REOPENED' }),
    changeRef: 'CHG-1',
    customerCount: 3,
  });
  // G1: Globex, payroll HIGH, 2 h old.
  registered('G1', '2026-11-20T10:00:00.000Z', { customerId: 'cust-globex', requestedPriority: 'HIGH' });

  // Closed requests for same-day resolution (Amsterdam days).
  registered('C1', '2026-10-05T08:00:00.000Z');
  proposed('C1', 2, '2026-10-05T14:00:00.000Z');
  emit(RequestChangeLinked, id('C1'), {
    ...facts('C1', 3, '2026-10-06T09:00:00.000Z', { status: 'SOLUTION_PROPOSED' }),
    changeRef: 'CHG-3',
    customerCount: 1,
  });
  closed('C1', 4, '2026-10-07T09:00:00.000Z', '2026-10-05T08:00:00.000Z', 'SOLVED');
  // Registered 23:30 and solved 00:30 Amsterdam time: the same UTC day, not the same day at the desk.
  registered('C2', '2026-10-06T21:30:00.000Z');
  proposed('C2', 2, '2026-10-06T22:30:00.000Z');
  closed('C2', 3, '2026-10-08T09:00:00.000Z', '2026-10-06T21:30:00.000Z', 'SOLVED');
  registered('C3', '2026-11-02T09:00:00.000Z', { type: 'INFORMATION' });
  closed('C3', 2, '2026-11-02T15:00:00.000Z', '2026-11-02T09:00:00.000Z', 'SOLVED', { type: 'INFORMATION' });
  registered('C4', '2026-11-03T09:00:00.000Z');
  closed('C4', 2, '2026-11-03T10:00:00.000Z', '2026-11-03T09:00:00.000Z', 'DUPLICATE');
  registered('C5', '2026-11-03T09:00:00.000Z', { type: 'CHANGE' });
  closed('C5', 2, '2026-11-03T11:00:00.000Z', '2026-11-03T09:00:00.000Z', 'SOLVED', { type: 'CHANGE' });

  // Surveys: 5 promoters, 3 passives, 2 detractors (tNPS 30, mean 7.8), on closed application-service requests.
  const scores = [10, 9, 9, 10, 9, 7, 8, 7, 3, 6];
  scores.forEach((score, i) => {
    const name = `S${i}`;
    const at = plus('2026-11-10T09:00:00.000Z', i);
    const comment =
      i === 8 ? '=HYPERLINK("http://evil.example") <script>alert(1)</script>' : i === 0 ? 'Quick & friendly' : null;
    emit(RequestSurveyAnswered, id(name), {
      ...facts(name, 9, at, { type: 'APPLICATION_SERVICE', status: 'CLOSED', priority: 'LOW' }),
      score,
      comment,
      category: score >= 9 ? 'PROMOTER' : score >= 7 ? 'PASSIVE' : 'DETRACTOR',
      answeredBy: 'u-acme',
      answeredAt: at,
    });
  });

  // Time bookings: Acme 30 + 25 + 10 = 65 h in 2026 (one redelivered under a new event id), 8 h in 2025; Globex 4 h.
  const booking = (name: string, bookingId: string, hours: number, workDate: string, customerId = 'cust-acme') =>
    emit(RequestTimeBooked, id(name), {
      ...facts(name, 20, `${workDate}T16:00:00.000Z`, { customerId, status: 'CLOSED', type: 'APPLICATION_SERVICE' }),
      bookingId,
      hours,
      workDate,
      bookedBy: 'p-anna',
      description: null,
    });
  const b2 = randomUUID();
  booking('B1', randomUUID(), 30, '2026-03-10');
  booking('B2', b2, 25, '2026-11-02');
  booking('B2', b2, 25, '2026-11-02');
  booking('B3', randomUUID(), 10, '2026-11-19');
  booking('B4', randomUUID(), 8, '2025-12-31');
  booking('B5', randomUUID(), 4, '2026-05-05', 'cust-globex');

  // SLA targets.
  const target = (
    name: string,
    kind: string,
    outcome: 'MET' | 'MISSED' | 'NOT_APPLICABLE',
    completedAt: string,
    o: {
      customerId?: string;
      priority?: string;
      elapsedH?: number;
      budgetH?: number;
      hard?: boolean;
      requestVersion?: number;
    } = {},
  ) =>
    emit(SlaTargetCompleted, id(name), {
      requestId: id(name),
      customerId: o.customerId ?? 'cust-acme',
      productId: 'prod-payroll',
      productGroupId: 'grp-payroll',
      teamId: 'team-payroll',
      type: 'INCIDENT',
      priority: o.priority ?? 'HIGH',
      kind,
      unit: 'CALENDAR_TIME',
      budgetMs: (o.budgetH ?? 24) * HOUR,
      requestVersion: o.requestVersion ?? 5,
      outcome,
      startedAt: plus(completedAt, -(o.elapsedH ?? 1)),
      completedAt,
      dueAt: plus(completedAt, (o.budgetH ?? 24) - (o.elapsedH ?? 1)),
      elapsedMs: (o.elapsedH ?? 1) * HOUR,
      pausedMs: 0,
      hardLimitMs: kind === 'WORKAROUND' ? 48 * HOUR : null,
      hardLimitExceeded: o.hard ?? false,
    });
  const breach = (name: string, kind: string, breachedAt: string) =>
    emit(SlaBreached, id(name), {
      requestId: id(name),
      customerId: 'cust-acme',
      productId: 'prod-payroll',
      productGroupId: 'grp-payroll',
      teamId: 'team-payroll',
      type: 'INCIDENT',
      priority: 'HIGH',
      kind,
      unit: 'CALENDAR_TIME',
      budgetMs: 8 * HOUR,
      dueAt: breachedAt,
      breachedAt,
    });
  // High workarounds. Acme October: 9 of 10 within 24 h, all within 48 h -> MET (exactly 90%).
  for (let i = 0; i < 10; i++)
    target(`HWa-oct-${i}`, 'WORKAROUND', i < 9 ? 'MET' : 'MISSED', plus('2026-10-14T10:00:00.000Z', i), {
      elapsedH: i < 9 ? 20 : 30,
    });
  // Acme November: 8 of 10 within 24 h -> MISSED.
  for (let i = 0; i < 10; i++)
    target(`HWa-nov-${i}`, 'WORKAROUND', i < 8 ? 'MET' : 'MISSED', plus('2026-11-11T10:00:00.000Z', i), {
      elapsedH: i < 8 ? 24 : 30,
    });
  // Globex November: 9 of 10 within 24 h but one over 48 h -> MISSED.
  for (let i = 0; i < 10; i++)
    target(`HWg-nov-${i}`, 'WORKAROUND', i < 9 ? 'MET' : 'MISSED', plus('2026-11-12T10:00:00.000Z', i), {
      customerId: 'cust-globex',
      elapsedH: i < 9 ? 10 : 50,
      hard: i === 9,
    });
  // First response targets (Acme).
  target('t1', 'FIRST_RESPONSE', 'MET', '2026-09-30T22:30:00.000Z', { budgetH: 8 }); // 00:30 on 1 October in Amsterdam: October
  target('t8', 'FIRST_RESPONSE', 'MET', '2026-09-30T21:30:00.000Z', { budgetH: 8 }); // 23:30 on 30 September: not in Q4
  target('t2', 'FIRST_RESPONSE', 'MISSED', '2026-11-03T10:00:00.000Z', { budgetH: 8, elapsedH: 9 });
  breach('t3', 'FIRST_RESPONSE', '2026-11-04T10:00:00.000Z'); // breached, still running: missed in November
  target('t4', 'FIRST_RESPONSE', 'NOT_APPLICABLE', '2026-11-04T10:00:00.000Z', { budgetH: 8 });
  target('t5', 'FIRST_RESPONSE', 'MET', '2026-10-20T10:00:00.000Z', { budgetH: 8, requestVersion: 3 });
  emit(SlaTargetResumed, id('t5'), {
    requestId: id('t5'),
    customerId: 'cust-acme',
    productId: 'prod-payroll',
    productGroupId: 'grp-payroll',
    teamId: 'team-payroll',
    type: 'INCIDENT',
    priority: 'HIGH',
    kind: 'FIRST_RESPONSE',
    unit: 'CALENDAR_TIME',
    budgetMs: 8 * HOUR,
    requestVersion: 4,
    resumedAt: '2026-10-21T10:00:00.000Z',
  });
  breach('t6', 'FIRST_RESPONSE', '2026-10-30T10:00:00.000Z');
  target('t6', 'FIRST_RESPONSE', 'MISSED', '2026-11-02T10:00:00.000Z', { budgetH: 8, elapsedH: 70 });
  target('t7', 'FIRST_RESPONSE', 'MET', '2026-11-05T10:00:00.000Z', { budgetH: 8, requestVersion: 5 });
  target('t7', 'FIRST_RESPONSE', 'MISSED', '2026-11-05T09:00:00.000Z', { budgetH: 8, elapsedH: 9, requestVersion: 3 }); // older, late

  // Escalations (Acme): 48 h and 12 h closed, one open; E2's close arrives before its step.
  const esc = (name: string, v: number, status: 'OPEN' | 'CLOSED', at: string) => ({
    escalationId: id(name),
    number: `ESC-2026-${name}`,
    customerId: 'cust-acme',
    requestIds: [id('R2')],
    status,
    occurredAt: at,
    version: v,
  });
  emit(EscalationOpened, id('E1'), {
    ...esc('E1', 1, 'OPEN', '2026-10-10T10:00:00.000Z'),
    reason: 'r',
    businessImpact: 'b',
    desiredOutcome: 'd',
    openedBy: 'p-sm',
  });
  emit(EscalationClosed, id('E1'), {
    ...esc('E1', 2, 'CLOSED', '2026-10-12T10:00:00.000Z'),
    outcome: 'o',
    closedBy: 'p-sm',
  });
  emit(EscalationOpened, id('E2'), {
    ...esc('E2', 1, 'OPEN', '2026-11-01T10:00:00.000Z'),
    reason: 'r',
    businessImpact: 'b',
    desiredOutcome: 'd',
    openedBy: 'p-sm',
  });
  emit(EscalationClosed, id('E2'), {
    ...esc('E2', 3, 'CLOSED', '2026-11-01T22:00:00.000Z'),
    outcome: 'o',
    closedBy: 'p-sm',
  });
  emit(EscalationStepRecorded, id('E2'), {
    ...esc('E2', 2, 'OPEN', '2026-11-01T12:00:00.000Z'),
    step: 'FACT_FINDING',
    by: 'p-sm',
    note: 'n',
  });
  emit(EscalationOpened, id('E3'), {
    ...esc('E3', 1, 'OPEN', '2026-11-15T10:00:00.000Z'),
    reason: 'r',
    businessImpact: 'b',
    desiredOutcome: 'd',
    openedBy: 'p-sm',
  });
  const ask = (customerId: string, at: string) => ({
    askId: randomUUID(),
    requestId: id('R2'),
    requestNumber: 'SC-2026-R2',
    customerId,
    teamId: 'team-payroll',
    escalationId: null,
    askedBy: 'p-sm',
    occurredAt: at,
  });
  emit(PriorityChangeAsked, id('R2'), {
    ...ask('cust-acme', '2026-11-02T10:00:00.000Z'),
    priority: 'HIGH',
    currentPriority: 'MEDIUM',
    reason: 'r',
  });
  emit(PriorityChangeAsked, id('R2'), {
    ...ask('cust-acme', '2026-11-03T10:00:00.000Z'),
    priority: 'HIGH',
    currentPriority: 'MEDIUM',
    reason: 'r',
  });
  emit(PriorityChangeRejected, id('R2'), {
    ...ask('cust-acme', '2026-11-03T12:00:00.000Z'),
    priority: 'HIGH',
    reason: 'r',
    decidedBy: 'p-lead',
  });
  emit(StatusUpdateAsked, id('R2'), { ...ask('cust-acme', '2026-11-04T10:00:00.000Z'), question: 'q' });
  emit(StatusUpdateAnswered, id('R2'), {
    ...ask('cust-acme', '2026-11-04T12:00:00.000Z'),
    question: 'q',
    answer: 'a',
    answeredBy: 'p-lead',
  });
  const call = (customerId: string, at: string) =>
    emit(UrgentCallLogged, id('R2'), {
      callId: randomUUID(),
      requestId: id('R2'),
      requestNumber: 'SC-2026-R2',
      customerId,
      escalationId: null,
      assessedImpact: 'HIGH',
      priorityAtCall: 'MEDIUM',
      impactHigherThanPriority: true,
      loggedBy: 'p-sm',
      occurredAt: at,
    });
  call('cust-acme', '2026-11-05T10:00:00.000Z');
  call('cust-globex', '2026-11-05T11:00:00.000Z');

  // Disruptions. D1 (Acme and Globex): updates due 11:00 (given 10:30, on time), 14:00 (overdue, given 15:00: late), next day 09:00 (resolved 08:00: on time).
  const notice = (
    name: string,
    v: number,
    status: string,
    at: string,
    due: string | null,
    customers: string[],
    startedAt: string | null,
    productId = 'prod-payroll',
  ) => ({
    noticeId: id(name),
    number: `DN-2026-${name}`,
    productId,
    title: `Disruption ${name}`,
    status,
    startedAt,
    userExperience: 'slow',
    affectedCustomerIds: customers,
    nextUpdateDueAt: due,
    occurredAt: at,
    version: v,
  });
  const both = ['cust-acme', 'cust-globex'];
  emit(DisruptionPublished, id('D1'), {
    ...notice(
      'D1',
      2,
      'PUBLISHED',
      '2026-11-05T09:00:00.000Z',
      '2026-11-05T11:00:00.000Z',
      both,
      '2026-11-05T08:00:00.000Z',
    ),
    source: 'MONITORING',
    publishedBy: 'p-lead',
  });
  emit(DisruptionUpdated, id('D1'), {
    ...notice(
      'D1',
      3,
      'PUBLISHED',
      '2026-11-05T10:30:00.000Z',
      '2026-11-05T14:00:00.000Z',
      both,
      '2026-11-05T08:00:00.000Z',
    ),
    message: 'm',
    by: 'p-lead',
  });
  emit(DisruptionUpdateOverdue, id('D1'), {
    ...notice(
      'D1',
      4,
      'PUBLISHED',
      '2026-11-05T14:00:00.000Z',
      '2026-11-05T14:00:00.000Z',
      both,
      '2026-11-05T08:00:00.000Z',
    ),
    dueAt: '2026-11-05T14:00:00.000Z',
  });
  emit(DisruptionUpdated, id('D1'), {
    ...notice(
      'D1',
      5,
      'PUBLISHED',
      '2026-11-05T15:00:00.000Z',
      '2026-11-06T09:00:00.000Z',
      both,
      '2026-11-05T08:00:00.000Z',
    ),
    message: 'm',
    by: 'p-lead',
  });
  emit(DisruptionResolved, id('D1'), {
    noticeId: id('D1'),
    number: 'DN-2026-D1',
    productId: 'prod-payroll',
    cause: 'c',
    solution: 's',
    linkedRequestIds: [],
    resolvedAt: '2026-11-06T08:00:00.000Z',
    resolvedBy: 'p-lead',
  });
  emit(DisruptionClosed, id('D1'), {
    ...notice('D1', 7, 'CLOSED', '2026-11-06T12:00:00.000Z', null, both, '2026-11-05T08:00:00.000Z'),
    resolvedAt: '2026-11-06T08:00:00.000Z',
  });
  // D2 (Globex): due 12:00 yesterday, no update since: late. D3 (Globex): due in an hour: not counted yet.
  emit(DisruptionPublished, id('D2'), {
    ...notice(
      'D2',
      2,
      'PUBLISHED',
      '2026-11-19T10:00:00.000Z',
      '2026-11-19T12:00:00.000Z',
      ['cust-globex'],
      null,
      'prod-hr',
    ),
    source: 'CUSTOMER_REPORT',
    publishedBy: 'p-lead',
  });
  emit(DisruptionPublished, id('D3'), {
    ...notice(
      'D3',
      2,
      'PUBLISHED',
      '2026-11-20T11:00:00.000Z',
      '2026-11-20T13:00:00.000Z',
      ['cust-globex'],
      null,
      'prod-hr',
    ),
    source: 'CUSTOMER_REPORT',
    publishedBy: 'p-lead',
  });

  return { events, ids };
}

/**
 * Every report and review of the scenario's desk in Q4 2026 as the manager Service Management
 * reads them (Accountable for the review, raci.csv rows 110–117): what the order-tolerance and rebuild specs compare (freshness left out: it
 * names the last event applied, which depends on the delivery order).
 */
export async function everyReport(reports: ReportQueries) {
  const msm: Caller = { id: 'p-msm', roles: ['manager_service_management'] };
  const q4 = { period: { quarter: '2026-Q4' } };
  const [consulting, satisfaction, escalations] = [
    await reports.consultingChanges(msm),
    await reports.satisfaction(msm, q4, 'MONTH'),
    await reports.escalations(msm, q4),
  ];
  return {
    open: await reports.openRequests(msm, null, 100),
    response: await reports.responseTimes(msm),
    consulting,
    consultingRequests: await reports.consultingRequests(consulting, { first: 100 }),
    compliance: await reports.compliance(msm, q4, 'MONTH'),
    quarterly: await reports.compliance(msm, q4, 'QUARTER'),
    sameDay: await reports.sameDay(msm, q4, 'MONTH'),
    satisfaction,
    comments: await reports.surveyComments(satisfaction, { first: 100 }),
    bundles: await reports.bundles(msm, { period: { year: 2026 } }),
    escalations,
    notices: await reports.notices(escalations, { first: 100 }),
    acme: await reports.review(msm, 'cust-acme', '2026-Q4'),
    globex: await reports.review(msm, 'cust-globex', '2026-Q4'),
  };
}
