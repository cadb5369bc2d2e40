import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EVENT_CATALOGUE,
  Topics,
  deadLetterTopicFor,
  toBinaryMode,
  type RecordedEvents,
} from '@servicecenter/contracts';
import { SUBGRAPHS } from '@servicecenter/platform-config';
import { InProcessTransport } from '@servicecenter/platform-events';
import { findWorkspaceRoot } from '@servicecenter/platform-graphql';
import type { RunningStack } from '../stack';

/**
 * docs/events.recorded.json: what in-process end-to-end runs of the whole graph saw, the
 * input of `npm run asyncapi` for the examples and the `receive` operations. Recorded with
 * `RECORD_EVENTS=1` on stack specs (see docs/events.md); a type seen before keeps its example.
 */
export const RECORDED_EVENTS_FILE = join(findWorkspaceRoot(), 'docs/events.recorded.json');

const CATALOGUE_ORDER = EVENT_CATALOGUE.map((c) => c.type);
const inCatalogueOrder = (types: Iterable<string>) =>
  [...types].sort((a, b) => CATALOGUE_ORDER.indexOf(a) - CATALOGUE_ORDER.indexOf(b));

export function readRecordedEvents(file = RECORDED_EVENTS_FILE): RecordedEvents {
  if (!existsSync(file)) return { consumerGroups: {}, examples: {}, deadLetters: {} };
  return { deadLetters: {}, ...(JSON.parse(readFileSync(file, 'utf8')) as Partial<RecordedEvents>) } as RecordedEvents;
}

/** The consumer groups of the running services and the event types each applies. */
export function consumerGroupsOf(stack: RunningStack): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const name of SUBGRAPHS) {
    for (const { groupId, eventTypes } of stack.services[name].runtime().consumerGroups()) {
      groups[groupId] = inCatalogueOrder(new Set([...(groups[groupId] ?? []), ...eventTypes]));
    }
  }
  return Object.fromEntries(Object.entries(groups).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Adds to the file the first event of every catalogue type the stack's in-process transport
 * carried that the file has no example of yet, the first dead letter of every consumer group
 * it has none of yet, and the stack's consumer groups.
 */
export function recordEvents(stack: RunningStack, file = RECORDED_EVENTS_FILE): void {
  if (!(stack.transport instanceof InProcessTransport)) return;
  const recorded = readRecordedEvents(file);
  const examples = { ...recorded.examples };
  for (const topic of Object.values(Topics)) {
    for (const { envelope } of stack.transport.messages(topic)) {
      if (!CATALOGUE_ORDER.includes(envelope.type) || examples[envelope.type]) continue;
      const { headers, body } = toBinaryMode(envelope);
      examples[envelope.type] = { topic, key: envelope.subject, headers, payload: JSON.parse(body) };
    }
  }
  const consumerGroups = consumerGroupsOf(stack);
  const deadLetters = { ...recorded.deadLetters };
  for (const group of Object.keys(consumerGroups)) {
    const [first] = stack.transport.messages(deadLetterTopicFor(group));
    if (!first || deadLetters[group]) continue;
    const { headers, body } = toBinaryMode(first.envelope);
    deadLetters[group] = {
      topic: first.topic,
      key: first.envelope.subject,
      headers: { ...headers, ...first.headers },
      payload: JSON.parse(body),
    };
  }
  const next: RecordedEvents = {
    consumerGroups,
    examples: Object.fromEntries(inCatalogueOrder(Object.keys(examples)).map((type) => [type, examples[type]])),
    deadLetters: Object.fromEntries(
      Object.keys(deadLetters)
        .sort()
        .map((group) => [group, deadLetters[group]]),
    ),
  };
  writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`);
}
