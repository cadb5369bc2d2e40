import { existsSync, readFileSync } from 'node:fs';
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

/**
 * The root of this checkout (or image): `SERVICECENTER_ROOT` when set, otherwise the nearest
 * directory above `from` whose package.json declares the npm workspaces. Independent of where
 * this file sits in the tree and of the process's working directory.
 */
export function findWorkspaceRoot(from: string = __dirname, env: NodeJS.ProcessEnv = process.env): string {
  const override = env['SERVICECENTER_ROOT'];
  if (override) return resolve(override);
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const manifest = resolve(dir, 'package.json');
    if (existsSync(manifest) && 'workspaces' in (JSON.parse(readFileSync(manifest, 'utf8')) as object)) return dir;
    if (dirname(dir) === dir) {
      throw new Error(`no package.json with "workspaces" above ${from}; set SERVICECENTER_ROOT to the repository root`);
    }
  }
}

/** infra/supergraph/ of this checkout. */
export const SUPERGRAPH_DIR = resolve(findWorkspaceRoot(), 'infra/supergraph');
export const SUPERGRAPH_CONFIG_FILE = resolve(SUPERGRAPH_DIR, 'supergraph.yaml');
export const SUPERGRAPH_FILE = resolve(SUPERGRAPH_DIR, 'supergraph.graphql');
