import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  SUPERGRAPH_CONFIG_FILE,
  SUPERGRAPH_FILE,
  composeSupergraph,
  readSupergraphConfig,
} from '@servicecenter/platform-graphql';
import { printApiSchema } from './api-schema';
import { generateClientTypes, generateServerTypes, type GeneratedFile } from './codegen';
import { API_SCHEMA_FILE, ROOT } from './paths';

/**
 * Everything `npm run compose` derives from the subgraph SDL: the supergraph the gateway
 * serves, the API schema clients build against, each subgraph's server types and the typed
 * documents of the e2e specs.
 */
export async function generateContract(): Promise<GeneratedFile[]> {
  const subgraphs = readSupergraphConfig(SUPERGRAPH_CONFIG_FILE);
  const supergraph = composeSupergraph(subgraphs);
  const apiSchema = printApiSchema(supergraph);
  return [
    { path: relative(ROOT, SUPERGRAPH_FILE), content: supergraph },
    { path: relative(ROOT, API_SCHEMA_FILE), content: apiSchema },
    ...(await generateServerTypes(subgraphs)),
    ...(await generateClientTypes(apiSchema)),
  ];
}

/** The generated files whose committed text differs from what `npm run compose` would write. */
export function staleFiles(files: GeneratedFile[]): string[] {
  return files
    .filter((f) => {
      try {
        return readFileSync(join(ROOT, f.path), 'utf8') !== f.content;
      } catch {
        return true;
      }
    })
    .map((f) => f.path);
}
