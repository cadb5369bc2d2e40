import type { EntityManager } from 'typeorm';
import type {
  RequestSla,
  RequestSlaReader,
  RequestSlaStore,
  SlaTimelineEntry,
  SlaTimelineKind,
  StartedTracking,
  TrackingStart,
} from '../domain/request-sla';
import type { RequestSlaState } from '../domain/clocks';
import { SlaTimelineEntity } from './entities/request-sla.entity';
import { revive } from './sla-state.repository';
import { inForceSql } from './agreement.repository';

export class RequestSlaRepository implements RequestSlaStore, RequestSlaReader {
  constructor(private readonly manager: EntityManager) {}

  /**
   * One statement for any number of requests: the SLA records not there yet, the first
   * timeline entry of each one inserted now (a request already tracked gets neither), and the
   * agreement in force for each started one at its registration (`inForceSql`), which its
   * clocks start on: a live registration's transaction needs no statement of its own for it.
   */
  async startTracking(starts: readonly TrackingStart[]): Promise<StartedTracking[]> {
    const once = [...new Map(starts.map((s) => [s.sla.requestId, s])).values()];
    if (once.length === 0) return [];
    const rows: { request_id: string; agreement_id: string | null; agreement_version: number | null }[] =
      await this.manager.query(
        `WITH started AS (
           INSERT INTO request_sla (request_id, customer_id, request_type, priority, tracked_since)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
           ON CONFLICT (request_id) DO NOTHING RETURNING request_id, customer_id, tracked_since
         ), entries AS (
           INSERT INTO sla_timeline_entry (request_id, at, kind, note)
           SELECT e.request_id, e.at, e.kind, e.note
             FROM unnest($1::uuid[], $6::timestamptz[], $7::text[], $8::text[]) WITH ORDINALITY AS e(request_id, at, kind, note, ord)
             JOIN started s ON s.request_id = e.request_id
            ORDER BY e.ord
         )
         SELECT s.request_id, a.id AS agreement_id, a.version AS agreement_version
           FROM started s
           LEFT JOIN LATERAL (${inForceSql('s.customer_id', 's.tracked_since')}) a ON true`,
        [
          once.map((s) => s.sla.requestId),
          once.map((s) => s.sla.customerId),
          once.map((s) => s.sla.requestType),
          once.map((s) => s.sla.priority),
          once.map((s) => s.sla.trackedSince),
          once.map((s) => s.first.at),
          once.map((s) => s.first.kind),
          once.map((s) => s.first.note),
        ],
      );
    return rows.map((r) => ({
      requestId: r.request_id,
      agreement: r.agreement_id === null ? null : { id: r.agreement_id, version: Number(r.agreement_version) },
    }));
  }

  async appendTimeline(entry: SlaTimelineEntry): Promise<void> {
    await this.manager.insert(SlaTimelineEntity, entry);
  }

  /**
   * Several entries in one statement, in the order given (the consumer's timeline changes of a
   * set): array parameters, not TypeORM's multi-row insert, whose parameter building was most
   * of this statement's Node CPU on an import backlog.
   */
  async appendTimelines(entries: readonly SlaTimelineEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.manager.query(
      `INSERT INTO sla_timeline_entry (request_id, at, kind, note)
       SELECT e.request_id, e.at, e.kind, e.note
         FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[]) WITH ORDINALITY AS e(request_id, at, kind, note, ord)
        ORDER BY e.ord`,
      [
        entries.map((e) => e.requestId),
        entries.map((e) => e.at),
        entries.map((e) => e.kind),
        entries.map((e) => e.note),
      ],
    );
  }

  /** One statement for a page of requests: the SLA record and the state its targets are read from. */
  async findWithStates(ids: readonly string[]): Promise<{ sla: RequestSla; state: RequestSlaState | null }[]> {
    if (ids.length === 0) return [];
    const rows: {
      request_id: string;
      customer_id: string;
      request_type: string;
      priority: string;
      tracked_since: Date;
      state: Record<string, unknown> | null;
    }[] = await this.manager.query(
      `SELECT s.request_id, s.customer_id, s.request_type, s.priority, s.tracked_since, st.state
         FROM request_sla s LEFT JOIN request_sla_state st ON st.request_id = s.request_id
        WHERE s.request_id = ANY($1::uuid[])`,
      [[...ids]],
    );
    return rows.map((r) => ({
      sla: {
        requestId: r.request_id,
        customerId: r.customer_id,
        requestType: r.request_type,
        priority: r.priority,
        trackedSince: r.tracked_since,
      },
      state: r.state ? revive(r.state) : null,
    }));
  }

  /** Plain rows in the domain's shape: a long timeline is not hydrated entity by entity. */
  async timelinesFor(ids: readonly string[]): Promise<SlaTimelineEntry[]> {
    if (ids.length === 0) return [];
    const rows: { requestId: string; at: Date; kind: string; note: string | null }[] = await this.manager.query(
      `SELECT request_id AS "requestId", at, kind, note
         FROM sla_timeline_entry
        WHERE request_id = ANY($1::uuid[])
        ORDER BY at, id`,
      [[...ids]],
    );
    return rows.map((r) => ({ ...r, kind: r.kind as SlaTimelineKind }));
  }
}
