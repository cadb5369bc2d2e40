import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { readSchemaSource } from './schema-file';

export interface SubgraphEntry {
  name: string;
  routingUrl: string;
  /** Absolute path of the subgraph's SDL file, or of a folder of `.graphql` files. */
  schemaFile: string;
}

/** infra/supergraph/supergraph.yaml: the list of subgraphs (rover's format). */
export function readSupergraphConfig(configFile: string): SubgraphEntry[] {
  const doc = parseYaml(readFileSync(configFile, 'utf8')) as {
    subgraphs: Record<string, { routing_url: string; schema: { file: string } }>;
  };
  const base = dirname(configFile);
  return Object.entries(doc.subgraphs).map(([name, entry]) => ({
    name,
    routingUrl: entry.routing_url,
    schemaFile: resolve(base, entry.schema.file),
  }));
}

export class CompositionError extends Error {
  constructor(readonly errors: string[]) {
    super(`Supergraph composition failed:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'CompositionError';
  }
}

/** Composes the subgraph SDL files into the supergraph SDL the gateway serves. */
export function composeSupergraph(subgraphs: SubgraphEntry[]): string {
  const result = composeServices(
    subgraphs.map((s) => ({ name: s.name, url: s.routingUrl, typeDefs: parse(readSchemaSource(s.schemaFile)) })),
  );
  if (result.errors && result.errors.length > 0) throw new CompositionError(result.errors.map((e) => e.message));
  if (!result.supergraphSdl) throw new CompositionError(['composition produced no supergraph']);
  return result.supergraphSdl;
}

/** infra/supergraph/ of this checkout. */
export const SUPERGRAPH_DIR = resolve(__dirname, '../../../../infra/supergraph');
export const SUPERGRAPH_CONFIG_FILE = resolve(SUPERGRAPH_DIR, 'supergraph.yaml');
export const SUPERGRAPH_FILE = resolve(SUPERGRAPH_DIR, 'supergraph.graphql');
