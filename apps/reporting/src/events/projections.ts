import { queryRows, rowSet } from '@servicecenter/platform-database';
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
  SlaAgreementSaved,
  SlaBreached,
  SlaTargetCompleted,
  SlaTargetResumed,
  SlaWarningReached,
  StatusUpdateAnswered,
  StatusUpdateAsked,
  UrgentCallLogged,
  type RequestFacts,
  type EventContract,
  type EventEnvelope,
  type PayloadOf,
} from '@servicecenter/contracts';
import { earlierInstant, inWaves } from '@servicecenter/platform-events';

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
  SlaAgreementSaved,
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
  'rp_sla_goals',
  'rp_escalation',
  'rp_escalation_activity',
  'rp_disruption',
  'rp_disruption_promise',
  'rp_disruption_update',
  'rp_freshness',
  // Rollups kept by triggers on the tables above (TRUNCATE fires no row trigger).
  'rp_sla_target_day',
  'rp_request_day',
  'rp_survey_day',
  'rp_booking_day',
  'rp_open_request',
  'rp_open_day',
  'rp_open_response',
  'rp_open_response_bucket',
] as const;

type Projector = (m: EntityManager, data: never, envelope: EventEnvelope) => Promise<void>;
/**
 * Applies several events of one type at once: in a wave (SET_PROJECTORS) each row appears at
 * most once among them; COMPACTING_PROJECTORS take any number per row.
 */
type SetProjector = (m: EntityManager, items: JournalItem[]) => Promise<void>;
const REQUEST_TYPES = new Set<string>(REQUEST_EVENTS.map((c) => c.type));
/** Events that write one SLA target (a request's target of one kind). */
const SLA_TARGET_TYPES = new Set<string>([SlaTargetCompleted.type, SlaTargetResumed.type, SlaBreached.type]);

/** An event as the reporting service records it: the envelope, its logical topic and the validated payload. */
export interface JournalItem {
  envelope: EventEnvelope;
  topic: string;
  data: unknown;
}

/**
 * Records events in the journal and applies them to the projections, in the caller's
 * transaction, with a few multi-row statements per call rather than a few per event. Live
 * (`replay: false`) an event already in the journal was applied with it and is skipped; a
 * rebuild (`replay: true`) applies every event again into emptied projections.
 *
 * Every projection row belongs to the aggregate the event's subject names (a request, an
 * escalation, a notice, a customer), and every projection is order-tolerant per aggregate
 * (newest version, then sequence, wins; first-time facts keep the earliest instant). So a set
 * is compacted per row before it is written:
 *
 * - everything request events set on rp_request: one upsert for the whole set (one statement
 *   however many events a request has in the set, one row version per request): the facts of
 *   each request's newest event with the title of its last registration event, and the columns
 *   only some events set (first response, first solution, hand-over, change link, closing),
 *   each request's events reduced to the one that stands (the earliest instant, the newest
 *   version);
 * - the bookings: one statement for the whole set, the first booking of an id;
 * - the rest (surveys, SLA targets, customers, escalations, notices) in waves: the n-th event
 *   of each row's key goes into wave n, so within a wave no two events touch the same row and
 *   one statement per event type applies them all, while each row still sees its events in
 *   delivery order.
 *
 * These write disjoint columns or tables, so their order between them does not matter; the
 * result equals applying the events one by one, and the rollup triggers (per statement) see a
 * few statements per set. Returns how many events were applied.
 */
export async function projectEvents(
  manager: EntityManager,
  items: readonly JournalItem[],
  options: { replay: boolean },
): Promise<number> {
  if (items.length === 0) return 0;
  // One statement: the journal (live, its RETURNING names the events new to it, each once) and
  // the freshness of every topic from the events applied. The set's payloads (its jsonb column)
  // travel as one JSON array beside the column arrays, `ord` the delivery order.
  const set = rowSet(
    'event_id text, type text, source text, subject text, sequence text, time timestamptz, topic text, data jsonb',
    items.map((item) => ({
      event_id: item.envelope.id,
      type: item.envelope.type,
      source: item.envelope.source,
      subject: item.envelope.subject,
      sequence: item.envelope.sequence,
      time: item.envelope.time,
      topic: item.topic,
      data: item.data,
    })),
    { ordinality: 'ord' },
  );
  // Freshness per topic: the last event applied (in delivery order) and how many were applied.
  // Live, those are the rows the journal took (RETURNING): each new event once, its position
  // drawn in delivery order. (Joining the set's rows to the RETURNING list instead planned as a
  // nested loop, the set's size squared: 40,000 comparisons for a set of 200.) A rebuild applies
  // every event of the set, in the journal before or not, duplicates too (the same set, whose
  // payloads it does not read: they are not extracted).
  const appliedRows = options.replay ? `${set.sql} ORDER BY topic, ord DESC` : 'recorded ORDER BY topic, position DESC';
  const recorded: { event_id: string }[] = await manager.query(
    // The payloads go to the journal only: the freshness reads the small columns.
    `WITH recorded AS (
       INSERT INTO event_journal (event_id, type, source, subject, sequence, time, topic, data)
       SELECT u.event_id, u.type, u.source, u.subject, u.sequence, u.time, u.topic, u.data FROM ${set.sql} ORDER BY u.ord
       ON CONFLICT (event_id) DO NOTHING RETURNING position, event_id, type, time, sequence, topic
     ), topics AS (
       SELECT DISTINCT ON (topic) topic, event_id, type, time, sequence, count(*) OVER (PARTITION BY topic) AS events_applied
         FROM ${appliedRows}
     ), freshness AS (
       INSERT INTO rp_freshness (topic, last_event_id, last_event_type, last_event_time, last_sequence, events_applied, applied_at)
       SELECT topic, event_id, type, time, sequence, events_applied, now() FROM topics
       ON CONFLICT (topic) DO UPDATE SET last_event_id = EXCLUDED.last_event_id, last_event_type = EXCLUDED.last_event_type,
         last_event_time = EXCLUDED.last_event_time, last_sequence = EXCLUDED.last_sequence,
         events_applied = rp_freshness.events_applied + EXCLUDED.events_applied, applied_at = EXCLUDED.applied_at
     )
     SELECT event_id FROM recorded`,
    set.params,
  );
  const fresh = new Set(recorded.map((r) => r.event_id));
  // Live: only events new to the journal, each once even if it came twice in this set.
  const applied = options.replay ? [...items] : items.filter((item) => fresh.delete(item.envelope.id));
  const requestEvents = applied.filter((item) => REQUEST_TYPES.has(item.envelope.type));
  if (requestEvents.length > 0) await applyRequestFacts(manager, requestEvents);
  const inWavesOnly: JournalItem[] = [];
  for (const [type, ofType] of groupBy(applied, (item) => item.envelope.type)) {
    const compacting = COMPACTING_PROJECTORS[type];
    if (compacting) await compacting(manager, ofType);
    else if (SET_PROJECTORS[type] || PROJECTORS[type]) inWavesOnly.push(...ofType);
  }
  // groupBy took them apart by type: back to delivery order, which the waves keep per row.
  const order = new Map(applied.map((item, i) => [item, i]));
  inWavesOnly.sort((a, b) => order.get(a)! - order.get(b)!);
  for (const wave of inWaves(inWavesOnly, rowKey)) {
    for (const [type, ofType] of groupBy(wave, (item) => item.envelope.type)) {
      const setProjector = SET_PROJECTORS[type];
      if (setProjector) await setProjector(manager, ofType);
      // why: the projector of this event type takes the payload its contract parsed; TypeScript cannot relate PROJECTORS[type] to item.data.
      else for (const item of ofType) await PROJECTORS[type]?.(manager, item.data as never, item.envelope);
    }
  }
  return applied.length;
}

/** The projection row an event of the waves writes: an SLA target is its request's target of one kind. */
function rowKey({ envelope, data }: JournalItem): string {
  if (SLA_TARGET_TYPES.has(envelope.type)) {
    const d = data as { requestId: string; kind: string };
    return `${d.requestId}:${d.kind}`;
  }
  return envelope.subject;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Everything a set of request events changes on rp_request, in one upsert (one row version per
 * request and one run of the rollup triggers per set, where a statement per column group wrote
 * a request up to five times):
 *
 * - the facts every request event carries: each request's newest `(version, sequence)` event
 *   (the first of equal ones) replaces the stored facts only if it is newer; the registration
 *   instant is the earliest one seen (events may arrive out of order), the title that of the
 *   request's last registration event in the set;
 * - first-time facts (first response, first solution): the earliest instant of the set's and
 *   the stored one;
 * - the facts only a newer request version replaces, each with its own version (hand-over,
 *   change link, closing): the newest of the set (the first of equal ones) if newer than the
 *   stored one.
 *
 * A request whose columns would not change is not written.
 */
async function applyRequestFacts(m: EntityManager, items: readonly JournalItem[]): Promise<void> {
  // The title of each request's last registration event in the set, whatever its version.
  const titles = new Map<string, string>();
  for (const { data, envelope } of items)
    if (envelope.type === RequestRegistered.type) {
      const d = data as PayloadOf<typeof RequestRegistered>;
      titles.set(d.requestId, d.title);
    }
  const ofType = <C extends EventContract>(contract: C) =>
    items.filter((item) => item.envelope.type === contract.type).map((item) => item.data as Data<C>);
  /** Per request the newest version of the set (the first of equal ones). */
  const newest = <T extends { requestId: string; version: number }>(events: T[]) =>
    new Map(
      onePer(
        events,
        (d) => d.requestId,
        (d, kept) => d.version > kept.version,
      ).map((d) => [d.requestId, d]),
    );
  const handedOver = newest(ofType(RequestHandedOver));
  const linked = newest(ofType(RequestChangeLinked));
  const closed = newest(ofType(RequestClosed));
  // One row per request (the rowset's arrays are parsed per element: 200 events' rows cost
  // PostgreSQL several times what the 15 or so requests of a set do): its newest event's facts
  // (the highest `(version, sequence)`, the first of equal ones, as ORDER BY version DESC,
  // sequence DESC, ord picked them; the sequences are zero padded, so they compare as text in
  // either place) and the earliest registration, first response and first solution of its events.
  const perRequest = new Map<
    string,
    { newest: JournalItem; registered: string | null; firstResponse: string | null; firstSolution: string | null }
  >();
  for (const item of items) {
    const { data, envelope } = item;
    const f = data as RequestFacts & { registeredAt?: string };
    const registered = f.registeredAt ?? f.occurredAt;
    const firstResponse =
      envelope.type === RequestReplied.type && (data as Data<typeof RequestReplied>).firstResponse
        ? f.occurredAt
        : null;
    const firstSolution = envelope.type === RequestSolutionProposed.type ? f.occurredAt : null;
    // uuid equality as PostgreSQL's (the contract takes either case).
    const key = f.requestId.toLowerCase();
    const kept = perRequest.get(key);
    if (!kept) {
      perRequest.set(key, { newest: item, registered, firstResponse, firstSolution });
      continue;
    }
    const k = kept.newest.data as RequestFacts;
    if (f.version > k.version || (f.version === k.version && envelope.sequence > kept.newest.envelope.sequence))
      kept.newest = item;
    kept.registered = earlierInstant(kept.registered, registered);
    kept.firstResponse = earlierInstant(kept.firstResponse, firstResponse);
    kept.firstSolution = earlierInstant(kept.firstSolution, firstSolution);
  }
  const rows = [...perRequest.values()].map(
    ({ newest: { data, envelope }, registered, firstResponse, firstSolution }) => {
      const f = data as RequestFacts;
      const h = handedOver.get(f.requestId);
      const l = linked.get(f.requestId);
      const c = closed.get(f.requestId);
      return {
        title: titles.get(f.requestId) ?? null,
        request_id: f.requestId,
        number: f.number,
        type: f.type,
        customer_id: f.customerId,
        product_id: f.productId,
        product_group_id: f.productGroupId,
        team_id: f.teamId,
        requested_priority: f.requestedPriority,
        priority: f.priority,
        status: f.status,
        registered_at: registered,
        version: f.version,
        sequence: envelope.sequence,
        first_response_at: firstResponse,
        first_solution_at: firstSolution,
        handed_over_to: h?.target ?? null,
        handed_over_version: h?.version ?? null,
        change_ref: l?.changeRef ?? null,
        change_customer_count: l?.customerCount ?? null,
        change_version: l?.version ?? null,
        closed_at: c?.closedAt ?? null,
        completion_reason: c?.completionReason ?? null,
        closed_version: c?.version ?? null,
      };
    },
  );
  const stored = (c: string) => `rp_request.${c}`;
  const newer = '(rp_request.version, rp_request.sequence) < (EXCLUDED.version, EXCLUDED.sequence)';
  const facts = [
    'number',
    'type',
    'customer_id',
    'product_id',
    'product_group_id',
    'team_id',
    'requested_priority',
    'priority',
    'effective_priority',
    'status',
    'version',
    'sequence',
  ];
  /** A versioned group: its columns replaced (with its version) by a newer version of the set's. */
  const versioned = (version: string, columns: string[]) => {
    const wins = `coalesce(${stored(version)}, -1) < EXCLUDED.${version}`;
    return [...columns, version].map((c) => [c, `CASE WHEN ${wins} THEN EXCLUDED.${c} ELSE ${stored(c)} END`] as const);
  };
  const set: (readonly [column: string, value: string])[] = [
    ...facts.map((c) => [c, `CASE WHEN ${newer} THEN EXCLUDED.${c} ELSE ${stored(c)} END`] as const),
    ['registered_at', `LEAST(${stored('registered_at')}, EXCLUDED.registered_at)`],
    ['title', `coalesce(EXCLUDED.title, ${stored('title')})`],
    ['first_response_at', `LEAST(${stored('first_response_at')}, EXCLUDED.first_response_at)`],
    ['first_solution_at', `LEAST(${stored('first_solution_at')}, EXCLUDED.first_solution_at)`],
    ...versioned('handed_over_version', ['handed_over_to']),
    ...versioned('change_version', ['change_ref', 'change_customer_count']),
    ...versioned('closed_version', ['closed_at', 'completion_reason']),
  ];
  const columns = set.map(([c]) => c);
  await queryRows(
    m,
    'title text, request_id uuid, number text, type text, customer_id text, product_id text, product_group_id text, team_id text, requested_priority text, priority text, status text, registered_at timestamptz, version integer, sequence text, first_response_at timestamptz, first_solution_at timestamptz, handed_over_to text, handed_over_version integer, change_ref text, change_customer_count integer, change_version integer, closed_at timestamptz, completion_reason text, closed_version integer',
    rows,
    (from) => `INSERT INTO rp_request (request_id, ${columns.join(', ')})
     SELECT request_id, ${columns.map((c) => (c === 'effective_priority' ? 'coalesce(priority, requested_priority)' : c)).join(', ')}
     FROM ${from}
     ORDER BY request_id
     ON CONFLICT (request_id) DO UPDATE SET ${set.map(([c, v]) => `${c} = ${v}`).join(', ')}
     WHERE (${columns.map(stored).join(', ')}) IS DISTINCT FROM (${set.map(([, v]) => v).join(', ')})`,
  );
}

async function applyEscalation(
  m: EntityManager,
  d: PayloadOf<typeof EscalationOpened> | PayloadOf<typeof EscalationClosed> | PayloadOf<typeof EscalationStepRecorded>,
): Promise<void> {
  await m.query(
    `INSERT INTO rp_escalation (escalation_id, number, customer_id, request_ids, status, version) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (escalation_id) DO UPDATE SET number = EXCLUDED.number, customer_id = EXCLUDED.customer_id, request_ids = EXCLUDED.request_ids,
       status = EXCLUDED.status, version = EXCLUDED.version
     WHERE rp_escalation.version < EXCLUDED.version`,
    [d.escalationId, d.number, d.customerId, d.requestIds, d.status, d.version],
  );
}

async function activity(
  m: EntityManager,
  envelope: EventEnvelope,
  kind: string,
  customerId: string,
  requestId: string | null,
  at: string,
): Promise<void> {
  await m.query(
    `INSERT INTO rp_escalation_activity (event_id, kind, customer_id, request_id, occurred_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [envelope.id, kind, customerId, requestId, at],
  );
}

type Notice =
  | PayloadOf<typeof DisruptionPublished>
  | PayloadOf<typeof DisruptionUpdated>
  | PayloadOf<typeof DisruptionUpdateOverdue>
  | PayloadOf<typeof DisruptionClosed>;

async function applyNotice(m: EntityManager, d: Notice): Promise<void> {
  await m.query(
    `INSERT INTO rp_disruption (notice_id, number, product_id, title, status, started_at, affected_customer_ids, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (notice_id) DO UPDATE SET number = EXCLUDED.number, product_id = EXCLUDED.product_id, title = EXCLUDED.title, status = EXCLUDED.status,
       started_at = EXCLUDED.started_at, affected_customer_ids = EXCLUDED.affected_customer_ids, version = EXCLUDED.version
     WHERE rp_disruption.version < EXCLUDED.version`,
    [d.noticeId, d.number, d.productId, d.title, d.status, d.startedAt, d.affectedCustomerIds, d.version],
  );
  if (d.nextUpdateDueAt && d.status === 'PUBLISHED')
    await promise(m, d.noticeId, d.nextUpdateDueAt, d.occurredAt, false);
}

async function promise(
  m: EntityManager,
  noticeId: string,
  dueAt: string,
  promisedAt: string,
  overdue: boolean,
): Promise<void> {
  await m.query(
    `INSERT INTO rp_disruption_promise (notice_id, due_at, promised_at, overdue) VALUES ($1, $2, $3, $4)
     ON CONFLICT (notice_id, due_at) DO UPDATE SET promised_at = LEAST(rp_disruption_promise.promised_at, EXCLUDED.promised_at),
       overdue = rp_disruption_promise.overdue OR EXCLUDED.overdue`,
    [noticeId, dueAt, promisedAt, overdue],
  );
}

async function updateGiven(m: EntityManager, noticeId: string, at: string): Promise<void> {
  await m.query(`INSERT INTO rp_disruption_update (notice_id, given_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
    noticeId,
    at,
  ]);
}

/** Per event, for the rarer events (customers, escalations, disruptions). */
const PROJECTORS: Record<string, Projector> = {
  // The goals the customer agreed judge the High-workaround rule of their reports (docs/sla.md).
  [SlaAgreementSaved.type]: async (m, d: PayloadOf<typeof SlaAgreementSaved>) => {
    await m.query(
      `INSERT INTO rp_sla_goals (customer_id, agreement_id, version, workaround_goal_percent, hard_limit_goal_percent)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (customer_id) DO UPDATE SET agreement_id = EXCLUDED.agreement_id, version = EXCLUDED.version,
         workaround_goal_percent = EXCLUDED.workaround_goal_percent, hard_limit_goal_percent = EXCLUDED.hard_limit_goal_percent
       WHERE rp_sla_goals.agreement_id <> EXCLUDED.agreement_id OR rp_sla_goals.version < EXCLUDED.version`,
      [d.customerId ?? '', d.agreementId, d.version, d.workaroundGoalPercent, d.hardLimitGoalPercent],
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
      [
        d.customerId,
        d.name,
        d.serviceManagerId,
        d.customerSuccessManagerId,
        d.baseBundleHours,
        d.creditBundleHours,
        d.language,
        d.savedAt,
      ],
    );
  },
  [EscalationOpened.type]: async (m, d: PayloadOf<typeof EscalationOpened>) => {
    await applyEscalation(m, d);
    await m.query(
      `UPDATE rp_escalation SET opened_at = $2 WHERE escalation_id = $1 AND (opened_at IS NULL OR opened_at > $2)`,
      [d.escalationId, d.occurredAt],
    );
  },
  [EscalationStepRecorded.type]: (m, d: PayloadOf<typeof EscalationStepRecorded>) => applyEscalation(m, d),
  [EscalationClosed.type]: async (m, d: PayloadOf<typeof EscalationClosed>) => {
    await applyEscalation(m, d);
    await m.query(`UPDATE rp_escalation SET closed_at = $2 WHERE escalation_id = $1`, [d.escalationId, d.occurredAt]);
  },
  [PriorityChangeAsked.type]: (m, d: PayloadOf<typeof PriorityChangeAsked>, e) =>
    activity(m, e, 'PRIORITY_CHANGE_ASKED', d.customerId, d.requestId, d.occurredAt),
  [PriorityChangeRejected.type]: (m, d: PayloadOf<typeof PriorityChangeRejected>, e) =>
    activity(m, e, 'PRIORITY_CHANGE_REJECTED', d.customerId, d.requestId, d.occurredAt),
  [StatusUpdateAsked.type]: (m, d: PayloadOf<typeof StatusUpdateAsked>, e) =>
    activity(m, e, 'STATUS_UPDATE_ASKED', d.customerId, d.requestId, d.occurredAt),
  [StatusUpdateAnswered.type]: (m, d: PayloadOf<typeof StatusUpdateAnswered>, e) =>
    activity(m, e, 'STATUS_UPDATE_ANSWERED', d.customerId, d.requestId, d.occurredAt),
  [UrgentCallLogged.type]: (m, d: PayloadOf<typeof UrgentCallLogged>, e) =>
    activity(m, e, 'URGENT_CALL', d.customerId, d.requestId, d.occurredAt),
  [DisruptionPublished.type]: async (m, d: PayloadOf<typeof DisruptionPublished>) => {
    await applyNotice(m, d);
    await m.query(
      `UPDATE rp_disruption SET published_at = $2 WHERE notice_id = $1 AND (published_at IS NULL OR published_at > $2)`,
      [d.noticeId, d.occurredAt],
    );
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
    await m.query(
      `UPDATE rp_disruption SET resolved_at = $2 WHERE notice_id = $1 AND (resolved_at IS NULL OR resolved_at > $2)`,
      [d.noticeId, d.resolvedAt],
    );
  },
};

type Data<C extends EventContract> = PayloadOf<C>;
const payloads = <C extends EventContract>(items: readonly JournalItem[]) => items.map((item) => item.data as Data<C>);

/** One row per key: the one `wins` prefers over the kept one (else the first stays). */
function onePer<T>(rows: readonly T[], key: (row: T) => string, wins: (row: T, kept: T) => boolean): T[] {
  const kept = new Map<string, T>();
  for (const row of rows) {
    const k = key(row);
    const current = kept.get(k);
    if (current === undefined || wins(row, current)) kept.set(k, row);
  }
  return [...kept.values()];
}

async function slaTargets(m: EntityManager, items: readonly JournalItem[], completed: boolean): Promise<void> {
  const rows = items.map(({ data, envelope }) => {
    const d = data as Data<typeof SlaTargetCompleted>;
    return {
      request_id: d.requestId,
      kind: d.kind,
      customer_id: d.customerId,
      product_id: d.productId,
      product_group_id: d.productGroupId,
      type: d.type,
      priority: d.priority,
      outcome: completed ? d.outcome : null,
      started_at: completed ? d.startedAt : null,
      completed_at: completed ? d.completedAt : null,
      due_at: completed ? d.dueAt : null,
      elapsed_ms: completed ? d.elapsedMs : null,
      paused_ms: completed ? d.pausedMs : null,
      budget_ms: d.budgetMs,
      hard_limit_ms: completed ? d.hardLimitMs : null,
      hard_limit_exceeded: completed ? d.hardLimitExceeded : false,
      request_version: d.requestVersion,
      sequence: envelope.sequence,
    };
  });
  await queryRows(
    m,
    'request_id uuid, kind text, customer_id text, product_id text, product_group_id text, type text, priority text, outcome text, started_at timestamptz, completed_at timestamptz, due_at timestamptz, elapsed_ms double precision, paused_ms double precision, budget_ms double precision, hard_limit_ms double precision, hard_limit_exceeded boolean, request_version integer, sequence text',
    rows,
    (
      from,
    ) => `INSERT INTO rp_sla_target (request_id, kind, customer_id, product_id, product_group_id, type, priority, outcome, started_at, completed_at, due_at,
       elapsed_ms, paused_ms, budget_ms, hard_limit_ms, hard_limit_exceeded, request_version, sequence)
     SELECT request_id, kind, customer_id, product_id, product_group_id, type, priority, outcome, started_at, completed_at, due_at,
       elapsed_ms, paused_ms, budget_ms, hard_limit_ms, hard_limit_exceeded, request_version, sequence
     FROM ${from}
     ON CONFLICT (request_id, kind) DO UPDATE SET customer_id = EXCLUDED.customer_id, product_id = EXCLUDED.product_id, product_group_id = EXCLUDED.product_group_id,
       type = EXCLUDED.type, priority = EXCLUDED.priority, outcome = EXCLUDED.outcome, started_at = coalesce(EXCLUDED.started_at, rp_sla_target.started_at),
       completed_at = EXCLUDED.completed_at, due_at = coalesce(EXCLUDED.due_at, rp_sla_target.due_at), elapsed_ms = EXCLUDED.elapsed_ms, paused_ms = EXCLUDED.paused_ms,
       budget_ms = EXCLUDED.budget_ms, hard_limit_ms = EXCLUDED.hard_limit_ms, hard_limit_exceeded = EXCLUDED.hard_limit_exceeded,
       request_version = EXCLUDED.request_version, sequence = EXCLUDED.sequence
     WHERE (rp_sla_target.request_version, rp_sla_target.sequence) < (EXCLUDED.request_version, EXCLUDED.sequence)`,
  );
}

/**
 * The frequent request events that set columns of their request or add bookings: one statement
 * per type for a whole set, several events of a request reduced to the one that stands.
 */
const COMPACTING_PROJECTORS: Record<string, SetProjector> = {
  [RequestTimeBooked.type]: async (m, items) => {
    const rows = payloads<typeof RequestTimeBooked>(items).map((d) => ({
      booking_id: d.bookingId,
      request_id: d.requestId,
      customer_id: d.customerId,
      product_group_id: d.productGroupId,
      product_id: d.productId,
      hours: d.hours,
      work_date: d.workDate,
      booked_by: d.bookedBy,
    }));
    await queryRows(
      m,
      'booking_id uuid, request_id uuid, customer_id text, product_group_id text, product_id text, hours numeric, work_date date, booked_by text',
      // The first of a booking id stands.
      onePer(
        rows,
        (r) => r.booking_id,
        () => false,
      ),
      (
        from,
      ) => `INSERT INTO rp_booking (booking_id, request_id, customer_id, product_group_id, product_id, hours, work_date, booked_by)
       SELECT booking_id, request_id, customer_id, product_group_id, product_id, hours, work_date, booked_by
       FROM ${from}
       ON CONFLICT DO NOTHING`,
    );
  },
};

/** The other frequent events (surveys, SLA targets): one statement per type and wave. */
const SET_PROJECTORS: Record<string, SetProjector> = {
  [RequestSurveyAnswered.type]: async (m, items) => {
    const rows = payloads<typeof RequestSurveyAnswered>(items).map((d) => ({
      request_id: d.requestId,
      customer_id: d.customerId,
      product_group_id: d.productGroupId,
      product_id: d.productId,
      priority: d.priority ?? d.requestedPriority,
      score: d.score,
      comment: d.comment,
      answered_at: d.answeredAt,
    }));
    // Once per request: the first answer stands.
    await queryRows(
      m,
      'request_id uuid, customer_id text, product_group_id text, product_id text, priority text, score integer, comment text, answered_at timestamptz',
      rows,
      (
        from,
      ) => `INSERT INTO rp_survey (request_id, customer_id, product_group_id, product_id, priority, score, comment, answered_at)
       SELECT request_id, customer_id, product_group_id, product_id, priority, score, comment, answered_at
       FROM ${from}
       ON CONFLICT (request_id) DO UPDATE SET score = EXCLUDED.score, comment = EXCLUDED.comment, answered_at = EXCLUDED.answered_at WHERE rp_survey.answered_at > EXCLUDED.answered_at`,
    );
  },
  [SlaTargetCompleted.type]: (m, items) => slaTargets(m, items, true),
  [SlaTargetResumed.type]: (m, items) => slaTargets(m, items, false),
  [SlaBreached.type]: async (m, items) => {
    const rows = payloads<typeof SlaBreached>(items).map((d) => ({
      request_id: d.requestId,
      kind: d.kind,
      customer_id: d.customerId,
      product_id: d.productId,
      product_group_id: d.productGroupId,
      type: d.type,
      priority: d.priority,
      due_at: d.dueAt,
      budget_ms: d.budgetMs,
      breached_at: d.breachedAt,
    }));
    await queryRows(
      m,
      'request_id uuid, kind text, customer_id text, product_id text, product_group_id text, type text, priority text, due_at timestamptz, budget_ms double precision, breached_at timestamptz',
      rows,
      (
        from,
      ) => `INSERT INTO rp_sla_target (request_id, kind, customer_id, product_id, product_group_id, type, priority, due_at, budget_ms, breached_at)
       SELECT request_id, kind, customer_id, product_id, product_group_id, type, priority, due_at, budget_ms, breached_at
       FROM ${from}
       ON CONFLICT (request_id, kind) DO UPDATE SET breached_at = LEAST(coalesce(rp_sla_target.breached_at, EXCLUDED.breached_at), EXCLUDED.breached_at)`,
    );
  },
};
