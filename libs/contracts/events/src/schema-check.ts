import { readFileSync } from 'node:fs';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { join } from 'node:path';
import { EVENT_CATALOGUE } from './catalogue';
import {
  eventBreakingChanges,
  eventPayloadSchemas,
  namedBreakingChanges,
  unnamedMessage,
  type BreakingChange,
  type JsonSchema,
} from './compatibility';

/*
 * The breaking-change check of the published contracts (npm run schema:check and the test
 * suite). Not exported from the package index: @graphql-inspector/core is a development
 * dependency, and the services load the index at run time.
 */

const ROOT = join(__dirname, '../../../..');
/** The client-facing API schema `npm run compose` writes. */
export const API_SCHEMA_FILE = join(ROOT, 'infra/supergraph/api-schema.graphql');
/** The released contracts: the API schema and the event payload schemas of the last release. */
export const RELEASED_API_SCHEMA_FILE = join(ROOT, 'infra/supergraph/released/api-schema.graphql');
export const RELEASED_EVENTS_FILE = join(ROOT, 'libs/contracts/events/released/event-payloads.json');
export const CHANGELOG_FILE = join(ROOT, 'CHANGELOG.md');

/** The changes of the API schema that can break a client built on the released one. */
export async function schemaBreakingChanges(releasedSdl: string, currentSdl: string): Promise<BreakingChange[]> {
  const changes = await diff(buildSchema(releasedSdl), buildSchema(currentSdl));
  return changes
    .filter((c) => c.criticality.level === CriticalityLevel.Breaking)
    .map((c) => ({ coordinate: c.path ?? c.message, message: c.message }));
}

/** Breaking changes the CHANGELOG does not name, as the messages a check prints. */
export function unnamed(changes: BreakingChange[], changelog: string): string[] {
  const named = namedBreakingChanges(changelog);
  return changes.filter((c) => !named.has(c.coordinate)).map(unnamedMessage);
}

/** The API schema (the committed one unless given) and the event catalogue against the released copies and the CHANGELOG. */
export async function schemaCheckReport(apiSchema?: string): Promise<string[]> {
  const read = (file: string) => readFileSync(file, 'utf8');
  const changelog = read(CHANGELOG_FILE);
  const schema = await schemaBreakingChanges(read(RELEASED_API_SCHEMA_FILE), apiSchema ?? read(API_SCHEMA_FILE));
  const events = eventBreakingChanges(
    JSON.parse(read(RELEASED_EVENTS_FILE)) as Record<string, JsonSchema>,
    eventPayloadSchemas(EVENT_CATALOGUE),
  );
  return unnamed([...schema, ...events], changelog);
}
