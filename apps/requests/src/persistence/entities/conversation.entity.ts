import { EntitySchema } from 'typeorm';
import type { HistoryEntry, ProductChange, Reply } from '../../domain/conversation';

export const ReplyEntity = new EntitySchema<Reply & { seq?: string }>({
  name: 'RequestReply',
  tableName: 'request_reply',
  columns: {
    id: { type: 'uuid', primary: true },
    // Insertion order: several entries of one transaction share their timestamp.
    seq: { type: 'bigint', insert: false, update: false, select: false },
    requestId: { name: 'request_id', type: 'uuid' },
    authorId: { name: 'author_id', type: 'text' },
    side: { type: 'text' },
    visibility: { type: 'text' },
    kind: { type: 'text' },
    body: { type: 'text' },
    createdAt: { name: 'created_at', type: 'timestamptz' },
  },
});

export const HistoryEntity = new EntitySchema<HistoryEntry & { seq?: string }>({
  name: 'RequestHistory',
  tableName: 'request_history',
  columns: {
    id: { type: 'uuid', primary: true },
    // Insertion order: several entries of one transaction share their timestamp.
    seq: { type: 'bigint', insert: false, update: false, select: false },
    requestId: { name: 'request_id', type: 'uuid' },
    action: { type: 'text' },
    fromStatus: { name: 'from_status', type: 'text', nullable: true },
    toStatus: { name: 'to_status', type: 'text' },
    actorId: { name: 'actor_id', type: 'text' },
    at: { type: 'timestamptz' },
    details: { type: 'jsonb' },
  },
});

export const ProductChangeEntity = new EntitySchema<ProductChange>({
  name: 'ProductChange',
  tableName: 'product_change',
  columns: {
    ref: { type: 'text', primary: true },
    title: { type: 'text', nullable: true },
    kind: { type: 'text' },
    linkedBy: { name: 'linked_by', type: 'text' },
    createdAt: { name: 'created_at', type: 'timestamptz' },
  },
});
