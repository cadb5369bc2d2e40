import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type DocumentNode } from 'graphql';

/**
 * The SDL text of a subgraph: one `.graphql` file, or a folder of them (read in name
 * order and joined), so a large subgraph keeps one file per area of its domain.
 */
export function readSchemaSource(path: string): string {
  if (!statSync(path).isDirectory()) return readFileSync(path, 'utf8');
  return readdirSync(path)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(join(path, f), 'utf8'))
    .join('\n');
}

/** Reads a service's SDL (the source of truth for its part of the graph). */
export function loadSchemaFile(path: string): DocumentNode {
  return parse(readSchemaSource(path));
}
