import { z } from 'zod';
import { DEAD_LETTER_HEADERS, deadLetterTopicFor } from './dead-letter';
import type { EventContract } from './event-contract';
import { TOPIC_LAYOUT, Topics } from './topics';

/** One event as it travelled in a recorded run: Kafka key, `ce_*` headers and JSON body. */
export interface RecordedExample {
  topic: string;
  key: string;
  headers: Record<string, string>;
  payload: unknown;
}

/**
 * What an in-process end-to-end run of the whole graph saw (docs/events.recorded.json): the
 * consumer groups with the event types each applies, and one published event per type.
 */
export interface RecordedEvents {
  consumerGroups: Record<string, string[]>;
  examples: Record<string, RecordedExample>;
  /** Per consumer group, an event it dead-lettered: the `ce_*` and `dlq_*` headers as sent. */
  deadLetters: Record<string, RecordedExample>;
}

export const CLOUDEVENT_HEADERS = {
  type: 'object',
  description: 'CloudEvents 1.0 attributes in Kafka binary content mode; the body is the payload as JSON.',
  required: ['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time', 'ce_subject', 'ce_sequence'],
  properties: {
    ce_specversion: { type: 'string', const: '1.0' },
    ce_id: { type: 'string', description: 'Unique event id; consumers deduplicate on it.' },
    ce_source: { type: 'string', description: 'Producing service, e.g. /servicecenter/requests' },
    ce_type: { type: 'string', description: 'Versioned event type' },
    ce_time: { type: 'string', format: 'date-time', description: 'When it happened (ISO 8601, the producer clock)' },
    ce_subject: { type: 'string', description: 'Aggregate id (also the Kafka key)' },
    ce_sequence: {
      type: 'string',
      description: "Position in the producer's outbox, zero-padded; orders one producer's events.",
    },
    ce_correlationid: {
      type: 'string',
      description:
        "The operation that started the chain: the GraphQL request's x-request-id (or a fresh id per request), or the timer's id; a consumer's follow-up events keep it (or take the causing event's ce_id when it has none).",
    },
    ce_causationid: { type: 'string', description: 'The id (ce_id) of the event that caused this one' },
    ce_actor: { type: 'string', description: 'Person id, or system:<service> for automatic steps' },
    ce_traceparent: {
      type: 'string',
      pattern: '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
      description:
        'CloudEvents distributed-tracing extension: W3C traceparent of the operation that wrote the event (absent when the producer does not trace; docs/tracing.md)',
    },
    ce_tracestate: { type: 'string', description: 'CloudEvents distributed-tracing extension: W3C tracestate' },
    traceparent: {
      type: 'string',
      pattern: '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
      description:
        "W3C traceparent of the producer's publish span (same trace as ce_traceparent), as OpenTelemetry's Kafka instrumentations read it",
    },
    tracestate: { type: 'string', description: "W3C tracestate of the producer's publish span" },
    'content-type': { type: 'string', const: 'application/json' },
  },
} as const;

const DEAD_LETTER_MESSAGE = 'DeadLetter';
const KAFKA_BINDING_VERSION = '0.5.0';

export const messageName = (type: string) =>
  type
    .replace(/^servicecenter\./, '')
    .split(/[.-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

const channelKey = (topic: string) =>
  topic
    .replace(/^servicecenter\./, '')
    .replace(/\.v\d+$/, '')
    .replace(/[^a-z0-9]+/gi, '-');

const groupKey = (groupId: string) => groupId.replace(/^servicecenter\./, '').replace(/[^a-z0-9]+/gi, '-');

/** The topics in use (Topics order) with their contracts; a topic without contracts is left out. */
function topicsOf(catalogue: readonly EventContract[]) {
  return Object.values(Topics)
    .map((topic) => ({ topic, contracts: catalogue.filter((c) => c.topic === topic) }))
    .filter((t) => t.contracts.length > 0);
}

/** The consumer groups (by name) with the contracts each applies, in catalogue order. */
function groupsOf(catalogue: readonly EventContract[], recorded: RecordedEvents) {
  return Object.keys(recorded.consumerGroups)
    .sort()
    .map((groupId) => ({
      groupId,
      contracts: catalogue.filter((c) => recorded.consumerGroups[groupId].includes(c.type)),
    }));
}

function exampleOf(recorded: RecordedEvents, type: string): RecordedExample {
  const example = recorded.examples[type];
  if (!example) throw new Error(`no recorded example of ${type}: run the recording (docs/events.md, "Examples")`);
  return example;
}

/** The AsyncAPI 3.1 document of every event we publish and consume, generated from the contracts. */
export function buildAsyncApi(
  catalogue: readonly EventContract[],
  version: string,
  recorded: RecordedEvents,
): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const topics = topicsOf(catalogue);
  const groups = groupsOf(catalogue, recorded);

  for (const { topic, contracts } of topics) {
    const key = channelKey(topic);
    channels[key] = {
      address: topic,
      title: topic,
      description: `Events on ${topic}, keyed by aggregate id so one aggregate's events stay in order (one partition).`,
      messages: Object.fromEntries(
        contracts.map((c) => [messageName(c.type), { $ref: `#/components/messages/${messageName(c.type)}` }]),
      ),
      bindings: {
        kafka: {
          topic,
          partitions: TOPIC_LAYOUT.partitions,
          replicas: TOPIC_LAYOUT.replicationFactor,
          topicConfiguration: { 'cleanup.policy': ['delete'] },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    };
    operations[`send-${key}`] = {
      action: 'send',
      title: `Publish on ${topic}`,
      summary: `The producing service's outbox relay publishes these events on ${topic}.`,
      channel: { $ref: `#/channels/${key}` },
      messages: contracts.map((c) => ({ $ref: `#/channels/${key}/messages/${messageName(c.type)}` })),
    };
  }

  for (const { groupId, contracts } of groups) {
    const group = groupKey(groupId);
    const groupBinding = {
      kafka: { groupId: { type: 'string', enum: [groupId] }, bindingVersion: KAFKA_BINDING_VERSION },
    };
    for (const { topic } of topics) {
      const received = contracts.filter((c) => c.topic === topic);
      if (received.length === 0) continue;
      const key = channelKey(topic);
      operations[`receive-${group}-${key}`] = {
        action: 'receive',
        title: `${groupId} reads ${topic}`,
        summary: `Consumer group ${groupId} applies these events exactly once (inbox); other types on the topic are skipped.`,
        channel: { $ref: `#/channels/${key}` },
        messages: received.map((c) => ({ $ref: `#/channels/${key}/messages/${messageName(c.type)}` })),
        bindings: groupBinding,
      };
    }
    if (contracts.length === 0) continue;
    const dlqKey = `dead-letters-${group}`;
    channels[dlqKey] = {
      address: deadLetterTopicFor(groupId),
      title: deadLetterTopicFor(groupId),
      description: `Events ${groupId} could not apply after its attempts, unchanged (key, ce_* headers, body) with the dlq_* headers added. Nothing consumes them automatically: inspect, fix and republish.`,
      messages: { [DEAD_LETTER_MESSAGE]: { $ref: `#/components/messages/${DEAD_LETTER_MESSAGE}` } },
      bindings: {
        kafka: {
          topic: deadLetterTopicFor(groupId),
          partitions: TOPIC_LAYOUT.partitions,
          replicas: TOPIC_LAYOUT.replicationFactor,
          topicConfiguration: { 'cleanup.policy': ['delete'] },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    };
    operations[`dead-letter-${group}`] = {
      action: 'send',
      title: `${groupId} dead-letters`,
      summary: `Consumer group ${groupId} forwards an event it gave up on to ${deadLetterTopicFor(groupId)} and moves on.`,
      channel: { $ref: `#/channels/${dlqKey}` },
      messages: [{ $ref: `#/channels/${dlqKey}/messages/${DEAD_LETTER_MESSAGE}` }],
      bindings: groupBinding,
    };
  }

  for (const c of catalogue) {
    const example = exampleOf(recorded, c.type);
    messages[messageName(c.type)] = {
      name: c.type,
      title: c.type,
      summary: c.description,
      contentType: 'application/json',
      headers: CLOUDEVENT_HEADERS,
      payload: z.toJSONSchema(c.schema, { target: 'draft-7' }),
      correlationId: { $ref: '#/components/correlationIds/correlation' },
      bindings: {
        kafka: {
          key: { type: 'string', description: 'Aggregate id (ce_subject)' },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
      examples: [
        {
          name: 'recorded',
          summary: 'Published in an in-process end-to-end run of the whole graph.',
          headers: example.headers,
          payload: example.payload,
        },
      ],
    };
  }

  const deadLetterExamples = groups
    .filter((g) => g.contracts.length > 0)
    .map(({ groupId }) => {
      const example = recorded.deadLetters[groupId];
      if (!example)
        throw new Error(`no recorded dead letter of ${groupId}: run the recording (docs/events.md, "Examples")`);
      return {
        name: `${groupKey(groupId)}-dead-letter`,
        summary: `An event ${groupId} could not read, as it dead-lettered it in a recorded run.`,
        headers: example.headers,
        payload: example.payload,
      };
    });
  messages[DEAD_LETTER_MESSAGE] = {
    name: 'dead-letter',
    title: 'Dead-lettered event',
    summary: 'An event a consumer group gave up on: the original key, ce_* headers and body, plus the dlq_* headers.',
    contentType: 'application/json',
    headers: {
      type: 'object',
      description: 'The original CloudEvents headers and the dead-letter facts.',
      required: [...CLOUDEVENT_HEADERS.required, ...Object.keys(DEAD_LETTER_HEADERS)],
      properties: {
        ...CLOUDEVENT_HEADERS.properties,
        ...Object.fromEntries(
          Object.entries(DEAD_LETTER_HEADERS).map(([name, description]) => [name, { type: 'string', description }]),
        ),
      },
    },
    payload: { description: 'The original event body (the payload of its ce_type).' },
    correlationId: { $ref: '#/components/correlationIds/correlation' },
    bindings: {
      kafka: {
        key: { type: 'string', description: 'The original key (ce_subject)' },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    examples: deadLetterExamples,
  };

  return {
    asyncapi: '3.1.0',
    info: {
      title: 'Service Center events',
      version,
      description:
        'Domain events of the Service Center graph. Generated by `npm run asyncapi` from libs/contracts/events and the recorded run docs/events.recorded.json; do not edit by hand. ' +
        'Types are versioned (`.vN`): a breaking payload change gets a new type, old types keep flowing until consumers moved.',
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
      tags: [{ name: 'cloudevents' }, { name: 'kafka' }],
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: {
        host: 'localhost:9092',
        protocol: 'kafka',
        description: 'KAFKA_BROKERS of the deployment',
      },
    },
    channels,
    operations,
    components: {
      messages,
      correlationIds: {
        correlation: {
          description:
            "The operation that started the chain of events (the GraphQL request's x-request-id or the timer's id); consumers copy it to the events they publish in turn.",
          location: '$message.header#/ce_correlationid',
        },
      },
    },
  };
}
