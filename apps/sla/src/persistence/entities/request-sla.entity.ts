import { EntitySchema } from 'typeorm';

export interface RequestSlaRow {
  requestId: string;
  customerId: string;
  requestType: string;
  priority: string;
  trackedSince: Date;
}

export const RequestSlaEntity = new EntitySchema<RequestSlaRow>({
  name: 'RequestSla',
  tableName: 'request_sla',
  columns: {
    requestId: { name: 'request_id', type: 'uuid', primary: true },
    customerId: { name: 'customer_id', type: 'text' },
    requestType: { name: 'request_type', type: 'text' },
    priority: { type: 'text' },
    trackedSince: { name: 'tracked_since', type: 'timestamptz' },
  },
});

export interface SlaTimelineRow {
  id: string;
  requestId: string;
  at: Date;
  kind: string;
  note: string | null;
}

export const SlaTimelineEntity = new EntitySchema<SlaTimelineRow>({
  name: 'SlaTimelineEntry',
  tableName: 'sla_timeline_entry',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    requestId: { name: 'request_id', type: 'uuid' },
    at: { type: 'timestamptz' },
    kind: { type: 'text' },
    note: { type: 'text', nullable: true },
  },
});
