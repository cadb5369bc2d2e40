import type { EntityManager } from 'typeorm';
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
  REQUEST_EVENTS,
  RequestChangeLinked,
  RequestClosed,
  RequestHandedOver,
  RequestRegistered,
  RequestReplied,
  RequestSolutionProposed,
  RequestSurveyAnswered,
  RequestTimeBooked,
  SlaBreached,
  SlaTargetCompleted,
  SlaTargetResumed,
  SlaWarningReached,
  StatusUpdateAnswered,
  StatusUpdateAsked,
  UrgentCallLogged,
  type RequestFacts,
} from '@servicecenter/contracts';
import type { EventContract, EventEnvelope, PayloadOf } from '@servicecenter/events';

/**
 * The events the read models are built from. Every one is recorded in the journal; the
 * warnings change no projection but keep the SLA topic's freshness honest.
 */
export const REPORTING_CONTRACTS: readonly EventContract[] = [
  ...REQUEST_EVENTS,
  CustomerSaved,
  SlaWarningReached,
  SlaBreached,
  SlaTargetCompleted,
  SlaTargetResumed,
  EscalationOpened,
  EscalationStepRecorded,
  EscalationClosed,
  PriorityChangeAsked,
  PriorityChangeRejected,
  StatusUpdateAsked,
  StatusUpdateAnswered,
  UrgentCallLogged,
  DisruptionPublished,
  DisruptionUpdated,
  DisruptionUpdateOverdue,
  DisruptionResolved,
  DisruptionClosed,
];

const BY_TYPE = new Map(REPORTING_CONTRACTS.map((c) => [c.type, c]));
export const contractOf = (type: string) => BY_TYPE.get(type);

/** The projection tables a rebuild empties (the journal stays: it is the durable copy). */
export const PROJECTION_TABLES = [
  'rp_request',
  'rp_booking',
  'rp_survey',
  'rp_customer',
  'rp_sla_target',
  'rp_escalation',
  'rp_escalation_activity',
  'rp_disruption',
  'rp_disruption_promise',
  'rp_disruption_update',
  'rp_freshness',
] as const;

type Projector = (m: EntityManager, data: never, envelope: EventEnvelope) => Promise<void>;
const REQUEST_TYPES = new Set<string>(REQUEST_EVENTS.map((c) => c.type));

/**
 * Records one event in the journal and applies it to the projections, in the caller's
 * transaction. Live (`replay: false`) an event already in the journal was applied with it and
 * is skipped; a rebuild (`replay: true`) applies every event again into emptied projections.
 * Every projection is order-tolerant per aggregate (newest version, then sequence, wins;
 * first-time facts keep the earliest instant), so any replay order gives the same tables.
 */
export async function projectEvent(manager: EntityManager, envelope: EventEnvelope, topic: string, data: unknown, options: { replay: boolean }): Promise<boolean> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO event_journal (event_id, type, source, subject, sequence, time, topic, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_id) DO NOTHING RETURNING position`,
    [envelope.id, envelope.type, envelope.source, envelope.subject, envelope.sequence, envelope.time, topic, JSON.stringify(data)],
  );
  if (inserted.length === 0 && !options.replay) return false;
  if (REQUEST_TYPES.has(envelope.type)) await applyRequestFacts(manager, data as RequestFacts, envelope.sequence);
  await PROJECTORS[envelope.type]?.(manager, data as never, envelope);
  await manager.query(
    `INSERT INTO rp_freshness (topic, last_event_id, last_event_type, last_event_time, last_sequence, events_applied, applied_at)
     VALUES ($1, $2, $3, $4, $5, 1, now())
     ON CONFLICT (topic) DO UPDATE SET last_event_id = EXCLUDED.last_event_id, last_event_type = EXCLUDED.last_event_type,
       last_event_time = EXCLUDED.last_event_time, last_sequence = EXCLUDED.last_sequence,
       events_applied = rp_freshness.events_applied + 1, applied_at = EXCLUDED.applied_at`,
    [topic, envelope.id, envelope.type, envelope.time, envelope.sequence],
  );
  return true;
}

async function applyRequestFacts(m: EntityManager, f: RequestFacts & { registeredAt?: string }, sequence: string): Promise<void> {
  await m.query(
    `INSERT INTO rp_request (request_id, number, type, customer_id, product_id, product_group_id, team_id, requested_priority, priority, effective_priority, status, registered_at, version, sequence)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($9, $8), $10, $11, $12, $13)
     ON CONFLICT (request_id) DO UPDATE SET number = EXCLUDED.number, type = EXCLUDED.type, customer_id = EXCLUDED.customer_id,
       product_id = EXCLUDED.product_id, product_group_id = EXCLUDED.product_group_id, team_id = EXCLUDED.team_id,
       requested_priority = EXCLUDED.requested_priority, priority = EXCLUDED.priority, effective_priority = EXCLUDED.effective_priority,
       status = EXCLUDED.status, version = EXCLUDED.version, sequence = EXCLUDED.sequence
     WHERE (rp_request.version, rp_request.sequence) < (EXCLUDED.version, EXCLUDED.sequence)`,
    [f.requestId, f.number, f.type, f.customerId, f.productId, f.productGroupId, f.teamId, f.requestedPriority, f.priority, f.status, f.registeredAt ?? f.occurredAt, f.version, sequence],
  );
  // The registration instant is the earliest one seen (events may arrive out of order).
  await m.query(`UPDATE rp_request SET registered_at = $2 WHERE request_id = $1 AND registered_at > $2`, [f.requestId, f.registeredAt ?? f.occurredAt]);
}

const earliest = (column: string) => `UPDATE rp_request SET ${column} = $2 WHERE request_id = $1 AND (${column} IS NULL OR ${column} > $2)`;

async function applyEscalation(m: EntityManager, d: PayloadOf<typeof EscalationOpened> | PayloadOf<typeof EscalationClosed> | PayloadOf<typeof EscalationStepRecorded>): Promise<void> {
  await m.query(
    `INSERT INTO rp_escalation (escalation_id, number, customer_id, request_ids, status, version) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (escalation_id) DO UPDATE SET number = EXCLUDED.number, customer_id = EXCLUDED.customer_id, request_ids = EXCLUDED.request_ids,
       status = EXCLUDED.status, version = EXCLUDED.version
     WHERE rp_escalation.version < EXCLUDED.version`,
    [d.escalationId, d.number, d.customerId, d.requestIds, d.status, d.version],
  );
}

async function activity(m: EntityManager, envelope: EventEnvelope, kind: string, customerId: string, requestId: string | null, at: string): Promise<void> {
  await m.query(`INSERT INTO rp_escalation_activity (event_id, kind, customer_id, request_id, occurred_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [
    envelope.id,
    kind,
    customerId,
    requestId,
    at,
  ]);
}

type Notice = PayloadOf<typeof DisruptionPublished> | PayloadOf<typeof DisruptionUpdated> | PayloadOf<typeof DisruptionUpdateOverdue> | PayloadOf<typeof DisruptionClosed>;

async function applyNotice(m: EntityManager, d: Notice): Promise<void> {
  await m.query(
    `INSERT INTO rp_disruption (notice_id, number, product_id, title, status, started_at, affected_customer_ids, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (notice_id) DO UPDATE SET number = EXCLUDED.number, product_id = EXCLUDED.product_id, title = EXCLUDED.title, status = EXCLUDED.status,
       started_at = EXCLUDED.started_at, affected_customer_ids = EXCLUDED.affected_customer_ids, version = EXCLUDED.version
     WHERE rp_disruption.version < EXCLUDED.version`,
    [d.noticeId, d.number, d.productId, d.title, d.status, d.startedAt, d.affectedCustomerIds, d.version],
  );
  if (d.nextUpdateDueAt && d.status === 'PUBLISHED') await promise(m, d.noticeId, d.nextUpdateDueAt, d.occurredAt, false);
}

async function promise(m: EntityManager, noticeId: string, dueAt: string, promisedAt: string, overdue: boolean): Promise<void> {
  await m.query(
    `INSERT INTO rp_disruption_promise (notice_id, due_at, promised_at, overdue) VALUES ($1, $2, $3, $4)
     ON CONFLICT (notice_id, due_at) DO UPDATE SET promised_at = LEAST(rp_disruption_promise.promised_at, EXCLUDED.promised_at),
       overdue = rp_disruption_promise.overdue OR EXCLUDED.overdue`,
    [noticeId, dueAt, promisedAt, overdue],
  );
}

async function updateGiven(m: EntityManager, noticeId: string, at: string): Promise<void> {
  await m.query(`INSERT INTO rp_disruption_update (notice_id, given_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [noticeId, at]);
}

async function slaTarget(m: EntityManager, d: PayloadOf<typeof SlaTargetCompleted>, sequence: string, completed: boolean): Promise<void> {
  await m.query(
    `INSERT INTO rp_sla_target (request_id, kind, customer_id, product_id, product_group_id, type, priority, outcome, started_at, completed_at, due_at,
       elapsed_ms, paused_ms, budget_ms, hard_limit_ms, hard_limit_exceeded, request_version, sequence)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
     ON CONFLICT (request_id, kind) DO UPDATE SET customer_id = EXCLUDED.customer_id, product_id = EXCLUDED.product_id, product_group_id = EXCLUDED.product_group_id,
       type = EXCLUDED.type, priority = EXCLUDED.priority, outcome = EXCLUDED.outcome, started_at = coalesce(EXCLUDED.started_at, rp_sla_target.started_at),
       completed_at = EXCLUDED.completed_at, due_at = coalesce(EXCLUDED.due_at, rp_sla_target.due_at), elapsed_ms = EXCLUDED.elapsed_ms, paused_ms = EXCLUDED.paused_ms,
       budget_ms = EXCLUDED.budget_ms, hard_limit_ms = EXCLUDED.hard_limit_ms, hard_limit_exceeded = EXCLUDED.hard_limit_exceeded,
       request_version = EXCLUDED.request_version, sequence = EXCLUDED.sequence
     WHERE (rp_sla_target.request_version, rp_sla_target.sequence) < (EXCLUDED.request_version, EXCLUDED.sequence)`,
    [
      d.requestId,
      d.kind,
      d.customerId,
      d.productId,
      d.productGroupId,
      d.type,
      d.priority,
      completed ? d.outcome : null,
      completed ? d.startedAt : null,
      completed ? d.completedAt : null,
      completed ? d.dueAt : null,
      completed ? d.elapsedMs : null,
      completed ? d.pausedMs : null,
      d.budgetMs,
      completed ? d.hardLimitMs : null,
      completed ? d.hardLimitExceeded : false,
      d.requestVersion,
      sequence,
    ],
  );
}

const PROJECTORS: Record<string, Projector> = {
  [RequestRegistered.type]: async (m, d: PayloadOf<typeof RequestRegistered>) => {
    await m.query(`UPDATE rp_request SET title = $2 WHERE request_id = $1`, [d.requestId, d.title]);
  },
  [RequestReplied.type]: async (m, d: PayloadOf<typeof RequestReplied>) => {
    if (d.firstResponse) await m.query(earliest('first_response_at'), [d.requestId, d.occurredAt]);
  },
  [RequestSolutionProposed.type]: async (m, d: PayloadOf<typeof RequestSolutionProposed>) => {
    await m.query(earliest('first_solution_at'), [d.requestId, d.occurredAt]);
  },
  [RequestHandedOver.type]: async (m, d: PayloadOf<typeof RequestHandedOver>) => {
    await m.query(`UPDATE rp_request SET handed_over_to = $2, handed_over_version = $3 WHERE request_id = $1 AND coalesce(handed_over_version, -1) < $3`, [d.requestId, d.target, d.version]);
  },
  [RequestChangeLinked.type]: async (m, d: PayloadOf<typeof RequestChangeLinked>) => {
    await m.query(`UPDATE rp_request SET change_ref = $2, change_customer_count = $3, change_version = $4 WHERE request_id = $1 AND coalesce(change_version, -1) < $4`, [
      d.requestId,
      d.changeRef,
      d.customerCount,
      d.version,
    ]);
  },
  [RequestClosed.type]: async (m, d: PayloadOf<typeof RequestClosed>) => {
    await m.query(`UPDATE rp_request SET closed_at = $2, completion_reason = $3, closed_version = $4 WHERE request_id = $1 AND coalesce(closed_version, -1) < $4`, [
      d.requestId,
      d.closedAt,
      d.completionReason,
      d.version,
    ]);
  },
  [RequestTimeBooked.type]: async (m, d: PayloadOf<typeof RequestTimeBooked>) => {
    await m.query(
      `INSERT INTO rp_booking (booking_id, request_id, customer_id, product_group_id, product_id, hours, work_date, booked_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [d.bookingId, d.requestId, d.customerId, d.productGroupId, d.productId, d.hours, d.workDate, d.bookedBy],
    );
  },
  [RequestSurveyAnswered.type]: async (m, d: PayloadOf<typeof RequestSurveyAnswered>) => {
    // Once per request: the first answer stands.
    await m.query(
      `INSERT INTO rp_survey (request_id, customer_id, product_group_id, product_id, priority, score, comment, answered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (request_id) DO UPDATE SET score = EXCLUDED.score, comment = EXCLUDED.comment, answered_at = EXCLUDED.answered_at WHERE rp_survey.answered_at > EXCLUDED.answered_at`,
      [d.requestId, d.customerId, d.productGroupId, d.productId, d.priority ?? d.requestedPriority, d.score, d.comment, d.answeredAt],
    );
  },
  [CustomerSaved.type]: async (m, d: PayloadOf<typeof CustomerSaved>) => {
    await m.query(
      `INSERT INTO rp_customer (customer_id, name, service_manager_id, customer_success_manager_id, base_bundle_hours, credit_bundle_hours, language, saved_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (customer_id) DO UPDATE SET name = EXCLUDED.name, service_manager_id = EXCLUDED.service_manager_id,
         customer_success_manager_id = EXCLUDED.customer_success_manager_id, base_bundle_hours = EXCLUDED.base_bundle_hours,
         credit_bundle_hours = EXCLUDED.credit_bundle_hours, language = EXCLUDED.language, saved_at = EXCLUDED.saved_at
       WHERE rp_customer.saved_at <= EXCLUDED.saved_at`,
      [d.customerId, d.name, d.serviceManagerId, d.customerSuccessManagerId, d.baseBundleHours, d.creditBundleHours, d.language, d.savedAt],
    );
  },
  [SlaTargetCompleted.type]: (m, d: PayloadOf<typeof SlaTargetCompleted>, e) => slaTarget(m, d, e.sequence, true),
  [SlaTargetResumed.type]: (m, d: PayloadOf<typeof SlaTargetResumed>, e) => slaTarget(m, d as unknown as PayloadOf<typeof SlaTargetCompleted>, e.sequence, false),
  [SlaBreached.type]: async (m, d: PayloadOf<typeof SlaBreached>) => {
    await m.query(
      `INSERT INTO rp_sla_target (request_id, kind, customer_id, product_id, product_group_id, type, priority, due_at, budget_ms, breached_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (request_id, kind) DO UPDATE SET breached_at = LEAST(coalesce(rp_sla_target.breached_at, EXCLUDED.breached_at), EXCLUDED.breached_at)`,
      [d.requestId, d.kind, d.customerId, d.productId, d.productGroupId, d.type, d.priority, d.dueAt, d.budgetMs, d.breachedAt],
    );
  },
  [EscalationOpened.type]: async (m, d: PayloadOf<typeof EscalationOpened>) => {
    await applyEscalation(m, d);
    await m.query(`UPDATE rp_escalation SET opened_at = $2 WHERE escalation_id = $1 AND (opened_at IS NULL OR opened_at > $2)`, [d.escalationId, d.occurredAt]);
  },
  [EscalationStepRecorded.type]: (m, d: PayloadOf<typeof EscalationStepRecorded>) => applyEscalation(m, d),
  [EscalationClosed.type]: async (m, d: PayloadOf<typeof EscalationClosed>) => {
    await applyEscalation(m, d);
    await m.query(`UPDATE rp_escalation SET closed_at = $2 WHERE escalation_id = $1`, [d.escalationId, d.occurredAt]);
  },
  [PriorityChangeAsked.type]: (m, d: PayloadOf<typeof PriorityChangeAsked>, e) => activity(m, e, 'PRIORITY_CHANGE_ASKED', d.customerId, d.requestId, d.occurredAt),
  [PriorityChangeRejected.type]: (m, d: PayloadOf<typeof PriorityChangeRejected>, e) => activity(m, e, 'PRIORITY_CHANGE_REJECTED', d.customerId, d.requestId, d.occurredAt),
  [StatusUpdateAsked.type]: (m, d: PayloadOf<typeof StatusUpdateAsked>, e) => activity(m, e, 'STATUS_UPDATE_ASKED', d.customerId, d.requestId, d.occurredAt),
  [StatusUpdateAnswered.type]: (m, d: PayloadOf<typeof StatusUpdateAnswered>, e) => activity(m, e, 'STATUS_UPDATE_ANSWERED', d.customerId, d.requestId, d.occurredAt),
  [UrgentCallLogged.type]: (m, d: PayloadOf<typeof UrgentCallLogged>, e) => activity(m, e, 'URGENT_CALL', d.customerId, d.requestId, d.occurredAt),
  [DisruptionPublished.type]: async (m, d: PayloadOf<typeof DisruptionPublished>) => {
    await applyNotice(m, d);
    await m.query(`UPDATE rp_disruption SET published_at = $2 WHERE notice_id = $1 AND (published_at IS NULL OR published_at > $2)`, [d.noticeId, d.occurredAt]);
  },
  [DisruptionUpdated.type]: async (m, d: PayloadOf<typeof DisruptionUpdated>) => {
    await applyNotice(m, d);
    await updateGiven(m, d.noticeId, d.occurredAt);
  },
  [DisruptionUpdateOverdue.type]: async (m, d: PayloadOf<typeof DisruptionUpdateOverdue>) => {
    await applyNotice(m, d);
    await promise(m, d.noticeId, d.dueAt, d.dueAt, true);
  },
  [DisruptionResolved.type]: async (m, d: PayloadOf<typeof DisruptionResolved>) => {
    // Not versioned: it only adds the resolution instant; the resolution is also the last update given.
    await m.query(
      `INSERT INTO rp_disruption (notice_id, number, product_id, title, status, resolved_at, version) VALUES ($1, $2, $3, '', 'RESOLVED', $4, 0)
       ON CONFLICT (notice_id) DO UPDATE SET resolved_at = LEAST(coalesce(rp_disruption.resolved_at, EXCLUDED.resolved_at), EXCLUDED.resolved_at)`,
      [d.noticeId, d.number, d.productId, d.resolvedAt],
    );
    await updateGiven(m, d.noticeId, d.resolvedAt);
  },
  [DisruptionClosed.type]: async (m, d: PayloadOf<typeof DisruptionClosed>) => {
    await applyNotice(m, d);
    await m.query(`UPDATE rp_disruption SET resolved_at = $2 WHERE notice_id = $1 AND (resolved_at IS NULL OR resolved_at > $2)`, [d.noticeId, d.resolvedAt]);
  },
};
