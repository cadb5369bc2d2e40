import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';

/** Reads a service's SDL file (the source of truth for its part of the graph). */
export function loadSchemaFile(path: string): DocumentNode {
  return parse(readFileSync(path, 'utf8'));
}
