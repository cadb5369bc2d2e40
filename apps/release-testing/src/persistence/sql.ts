import type { EntityManager } from 'typeorm';
import { conflict } from '@servicecenter/platform-errors';

export type Row = Record<string, unknown>;
export const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
export const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** Rows of a SELECT. */
export const select = (m: EntityManager, sql: string, params: unknown[] = []) => m.query(sql, params) as Promise<Row[]>;

/**
 * Runs an optimistic UPDATE … WHERE version = <read version> RETURNING 1; no row means another
 * transaction changed it first (CONFLICT).
 */
export async function updateOne(m: EntityManager, sql: string, params: unknown[], what: string): Promise<void> {
  const rows = (await m.query(sql, params)) as unknown;
  // node-postgres through TypeORM answers an UPDATE … RETURNING with [rows, count].
  const count =
    Array.isArray(rows) && Array.isArray(rows[0])
      ? (rows[0] as unknown[]).length
      : Array.isArray(rows)
        ? rows.length
        : 0;
  if (count !== 1) throw conflict(`${what} changed meanwhile; read it again`);
}

/** A unique-key violation becomes a CONFLICT the client can read. */
export async function insertUnique(m: EntityManager, sql: string, params: unknown[], what: string): Promise<void> {
  try {
    await m.query(sql, params);
  } catch (error) {
    if (
      (error as { code?: string }).code === '23505' ||
      (error as { driverError?: { code?: string } }).driverError?.code === '23505'
    )
      throw conflict(`${what} already exists`);
    throw error;
  }
}
