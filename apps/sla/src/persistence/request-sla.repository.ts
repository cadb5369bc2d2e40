import { In, type EntityManager } from 'typeorm';
import type {
  RequestSla,
  RequestSlaReader,
  RequestSlaStore,
  SlaTimelineEntry,
  SlaTimelineKind,
} from '../domain/request-sla';
import { RequestSlaEntity, SlaTimelineEntity } from './entities/request-sla.entity';

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

  async findByRequestIds(ids: readonly string[]): Promise<RequestSla[]> {
    if (ids.length === 0) return [];
    return this.manager.find(RequestSlaEntity, { where: { requestId: In([...ids]) } });
  }

  async timelinesFor(ids: readonly string[]): Promise<SlaTimelineEntry[]> {
    if (ids.length === 0) return [];
    const rows = await this.manager.find(SlaTimelineEntity, {
      where: { requestId: In([...ids]) },
      order: { at: 'ASC', id: 'ASC' },
    });
    return rows.map((r) => ({ requestId: r.requestId, at: r.at, kind: r.kind as SlaTimelineKind, note: r.note }));
  }
}
