import type { EntityManager } from 'typeorm';
import type {
  RequestSla,
  RequestSlaReader,
  RequestSlaStore,
  SlaTimelineEntry,
  SlaTimelineKind,
} from '../domain/request-sla';
import type { RequestSlaState } from '../domain/clocks';
import { SlaTimelineEntity } from './entities/request-sla.entity';
import { revive } from './sla-state.repository';

export class RequestSlaRepository implements RequestSlaStore, RequestSlaReader {
  constructor(private readonly manager: EntityManager) {}

  async startTracking(sla: RequestSla): Promise<boolean> {
    const inserted: unknown[] = await this.manager.query(
      `INSERT INTO request_sla (request_id, customer_id, request_type, priority, tracked_since)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (request_id) DO NOTHING RETURNING request_id`,
      [sla.requestId, sla.customerId, sla.requestType, sla.priority, sla.trackedSince],
    );
    return inserted.length > 0;
  }

  async appendTimeline(entry: SlaTimelineEntry): Promise<void> {
    await this.manager.insert(SlaTimelineEntity, entry);
  }

  /** Several entries in one statement (the scanner's warnings and breaches of one request). */
  async appendTimelines(entries: readonly SlaTimelineEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.manager.insert(SlaTimelineEntity, [...entries]);
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
