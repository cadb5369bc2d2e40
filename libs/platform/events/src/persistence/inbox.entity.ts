import { EntitySchema } from 'typeorm';

export interface InboxRow {
  consumer: string;
  eventId: string;
  eventType: string;
  source: string;
  processedAt: Date;
}

/** Event ids a consumer has applied; inserted in the same transaction as the effect. */
export const InboxEntity = new EntitySchema<InboxRow>({
  name: 'InboxEvent',
  tableName: 'inbox',
  columns: {
    consumer: { type: 'text', primary: true },
    eventId: { name: 'event_id', type: 'text', primary: true },
    eventType: { name: 'event_type', type: 'text' },
    source: { type: 'text' },
    processedAt: { name: 'processed_at', type: 'timestamptz', createDate: true },
  },
});
