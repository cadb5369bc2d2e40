import { readFileSync } from 'node:fs';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import {
  EVENT_CATALOGUE,
  eventBreakingChanges,
  eventPayloadSchemas,
  namedBreakingChanges,
  unnamedMessage,
  type BreakingChange,
  type JsonSchema,
} from '@servicecenter/contracts';
import { API_SCHEMA_FILE, CHANGELOG_FILE, RELEASED_API_SCHEMA_FILE, RELEASED_EVENTS_FILE } from './paths';

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

/** The committed API schema and event catalogue against the released copies and the CHANGELOG. */
export async function schemaCheckReport(): Promise<string[]> {
  const read = (file: string) => readFileSync(file, 'utf8');
  const changelog = read(CHANGELOG_FILE);
  const schema = await schemaBreakingChanges(read(RELEASED_API_SCHEMA_FILE), read(API_SCHEMA_FILE));
  const events = eventBreakingChanges(
    JSON.parse(read(RELEASED_EVENTS_FILE)) as Record<string, JsonSchema>,
    eventPayloadSchemas(EVENT_CATALOGUE),
  );
  return unnamed([...schema, ...events], changelog);
}
