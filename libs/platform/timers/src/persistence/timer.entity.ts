import { EntitySchema } from 'typeorm';
import type { TimerRecord } from '../timer-store';

/**
 * Durable timers (reminders, auto-close, SLA warnings). Migrations own the table; this schema
 * mirrors it so services can list it among their entities and read it with TypeORM.
 */
export const TimerEntity = new EntitySchema<TimerRecord>({
  name: 'DurableTimer',
  tableName: 'timer',
  columns: {
    id: { type: 'uuid', primary: true },
    kind: { type: 'text' },
    key: { type: 'text' },
    dueAt: { name: 'due_at', type: 'timestamptz' },
    payload: { type: 'jsonb' },
    generation: { type: 'int' },
    attempts: { type: 'int' },
    lastError: { name: 'last_error', type: 'text', nullable: true },
    deadAt: { name: 'dead_at', type: 'timestamptz', nullable: true },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
  },
  uniques: [{ name: 'timer_kind_key', columns: ['kind', 'key'] }],
  indices: [{ name: 'timer_live_due', columns: ['dueAt'], where: 'dead_at IS NULL' }],
});
