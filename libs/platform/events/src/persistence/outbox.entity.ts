import { EntitySchema } from 'typeorm';

export interface OutboxRow {
  seq: string;
  id: string;
  topic: string;
  messageKey: string;
  eventType: string;
  envelope: Record<string, unknown>;
  createdAt: Date;
  publishedAt: Date | null;
}

/** Events waiting to be published, written in the same transaction as the state change. */
export const OutboxEntity = new EntitySchema<OutboxRow>({
  name: 'OutboxEvent',
  tableName: 'outbox',
  columns: {
    seq: { type: 'bigint', primary: true, generated: 'increment' },
    id: { type: 'uuid' },
    topic: { type: 'text' },
    messageKey: { name: 'message_key', type: 'text' },
    eventType: { name: 'event_type', type: 'text' },
    envelope: { type: 'jsonb' },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
    publishedAt: { name: 'published_at', type: 'timestamptz', nullable: true },
  },
});
