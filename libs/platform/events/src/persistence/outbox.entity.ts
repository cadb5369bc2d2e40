import { EntitySchema } from 'typeorm';

export interface OutboxRow {
  seq: string;
  id: string;
  topic: string;
  messageKey: string;
  eventType: string;
  /** A row written before migration 1764000000006; null since (`attributes` and `data`). */
  envelope: Record<string, unknown> | null;
  /** The envelope's attributes as the JSON text its writer made. */
  attributes: string | null;
  /** The envelope's data as the JSON text its writer made: the Kafka message's body. */
  data: string | null;
  createdAt: Date;
  /**
   * When a row was published before migration 1764000000005; no longer written (a row is
   * unpublished while it has an `outbox_pending` entry).
   */
  publishedAt: Date | null;
}

/**
 * Events written in the same transaction as the state change; the unpublished ones are listed
 * in `outbox_pending` (filled by a trigger on insert, emptied by the relay once published).
 */
export const OutboxEntity = new EntitySchema<OutboxRow>({
  name: 'OutboxEvent',
  tableName: 'outbox',
  columns: {
    seq: { type: 'bigint', primary: true, generated: 'increment' },
    id: { type: 'uuid' },
    topic: { type: 'text' },
    messageKey: { name: 'message_key', type: 'text' },
    eventType: { name: 'event_type', type: 'text' },
    envelope: { type: 'jsonb', nullable: true },
    attributes: { type: 'text', nullable: true },
    data: { type: 'text', nullable: true },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
    publishedAt: { name: 'published_at', type: 'timestamptz', nullable: true },
  },
});
