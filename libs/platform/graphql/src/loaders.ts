import DataLoader from 'dataloader';

/**
 * A DataLoader over one batched fetch (one SQL query per batch), matching rows to keys by
 * `keyOf`; a key without a row loads as null. Create loaders per GraphQL operation: batching
 * within it, never a cache shared between callers.
 */
export function loaderByKey<T>(
  fetch: (keys: readonly string[]) => Promise<T[]>,
  keyOf: (row: T) => string,
): DataLoader<string, T | null> {
  return new DataLoader(async (keys) => {
    const found = new Map((await fetch(keys)).map((row) => [keyOf(row), row]));
    return keys.map((key) => found.get(key) ?? null);
  });
}

/** `loaderByKey` for rows with an `id`. */
export const byId = <T extends { id: string }>(
  fetch: (ids: readonly string[]) => Promise<T[]>,
): DataLoader<string, T | null> => loaderByKey(fetch, (row) => row.id);

/** The children of each parent key from one batched fetch, in the order fetched; [] for none. */
export function childrenLoader<T>(
  fetch: (keys: readonly string[]) => Promise<T[]>,
  parentOf: (row: T) => string,
): DataLoader<string, T[]> {
  return new DataLoader(async (keys) => {
    const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
    for (const row of await fetch(keys)) groups.get(parentOf(row))?.push(row);
    return keys.map((key) => groups.get(key) ?? []);
  });
}
