import type { NameKey } from '../domain/ports';

/** Keyset paging in (name, id) order, the order of every directory list. */
export const nameKey = (alias: string, key: NameKey | undefined) =>
  [[`${alias}.name`, `${alias}.id`], key && [key.name, key.id], ['text', 'text']] as const;

/** `search` as a case-insensitive substring: LIKE wildcards typed by the user match themselves. */
export const containsPattern = (search: string) => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
