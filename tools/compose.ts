import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { CompositionError } from '@servicecenter/platform-graphql';
import { generateContract, staleFiles } from './contract/contract';
import type { GeneratedFile } from './contract/codegen';
import { API_SCHEMA_FILE, ROOT } from './contract/paths';
// The check is in the contracts library (with its tests), outside its package index.
import {
  RELEASED_API_SCHEMA_FILE,
  RELEASED_EVENTS_FILE,
  schemaCheckReport,
} from '../libs/contracts/events/src/schema-check';
import { EVENT_CATALOGUE, eventPayloadSchemas } from '@servicecenter/contracts';

/**
 * `npm run compose` writes what is derived from the subgraph SDL: infra/supergraph/supergraph.graphql,
 * infra/supergraph/api-schema.graphql, apps/<service>/src/generated/graphql.ts and the e2e specs'
 * typed documents (apps/stack/src/e2e/generated/). `--check` only compares, and also runs the
 * breaking-change check of the API schema and the event payloads (npm run schema:check).
 * `--release` (at a release, after compose) copies the API schema and the event payload schemas
 * to the released baselines the breaking-change check compares with.
 */
async function main() {
  const check = process.argv.includes('--check');
  const files = await generateContract();
  if (check) {
    const stale = staleFiles(files);
    for (const path of stale) console.error(`${path} is stale: run npm run compose and commit it`);
    const problems = await schemaCheckReport(apiSchemaOf(files));
    for (const problem of problems) console.error(problem);
    if (stale.length > 0 || problems.length > 0) process.exit(1);
    console.log(`${files.length} generated files are up to date; no unnamed breaking change`);
    return;
  }
  if (process.argv.includes('--release')) {
    write(RELEASED_API_SCHEMA_FILE, apiSchemaOf(files));
    write(RELEASED_EVENTS_FILE, `${JSON.stringify(eventPayloadSchemas(EVENT_CATALOGUE), null, 2)}\n`);
    return;
  }
  for (const file of files) {
    write(join(ROOT, file.path), file.content);
  }
  // Written all the same; CI fails until the CHANGELOG names them (docs/clients.md).
  for (const problem of await schemaCheckReport(apiSchemaOf(files))) console.warn(`warning: ${problem}`);
}

function apiSchemaOf(files: GeneratedFile[]): string {
  const api = files.find((f) => join(ROOT, f.path) === API_SCHEMA_FILE);
  if (!api) throw new Error('npm run compose generated no API schema');
  return api.content;
}

function write(path: string, content: string) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  console.log(`wrote ${relative(ROOT, path)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof CompositionError ? error.message : error);
  process.exit(1);
});
