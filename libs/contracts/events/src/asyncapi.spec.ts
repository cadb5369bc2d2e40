import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import { parse } from 'yaml';
import { EVENT_CATALOGUE } from './catalogue';
import { buildAsyncApi, messageName, type RecordedEvents } from './asyncapi';
import { buildEventCatalogue } from './catalogue-markdown';
import { DEAD_LETTER_HEADERS } from './dead-letter';
import { fromBinaryMode } from './envelope';

const docs = join(__dirname, '../../../../docs');
const read = (name: string) => readFileSync(join(docs, name), 'utf8');
const recorded = JSON.parse(read('events.recorded.json')) as RecordedEvents;

interface Message {
  name: string;
  payload: { properties?: object };
  headers: { required: string[] };
  examples?: { headers: Record<string, string>; payload: unknown }[];
}
interface Doc {
  info: { version: string };
  channels: Record<string, { address: string }>;
  operations: Record<string, { action: string; channel: { $ref: string }; bindings?: { kafka: { groupId: object } } }>;
  components: { messages: Record<string, Message> };
}

describe('the event catalogue', () => {
  it('is published as docs/asyncapi.yaml and docs/events.md, regenerated from the contracts (npm run asyncapi)', () => {
    const committed = parse(read('asyncapi.yaml')) as Doc;
    expect(committed).toEqual(buildAsyncApi(EVENT_CATALOGUE, committed.info.version, recorded));
    expect(read('events.md')).toBe(buildEventCatalogue(EVENT_CATALOGUE, recorded));
  });

  it('documents every event type once, with its payload schema and CloudEvents headers', () => {
    const doc = buildAsyncApi(EVENT_CATALOGUE, '0.0.0', recorded) as unknown as Doc;
    const names = EVENT_CATALOGUE.map((c) => doc.components.messages[messageName(c.type)]?.name);
    expect(names).toEqual(EVENT_CATALOGUE.map((c) => c.type));
    const registered = doc.components.messages[messageName('servicecenter.request.registered.v1')];
    expect(Object.keys(registered.payload.properties ?? {})).toEqual(
      expect.arrayContaining(['requestId', 'number', 'customerId', 'registeredAt']),
    );
    expect(registered.headers.required).toEqual(expect.arrayContaining(['ce_id', 'ce_type', 'ce_subject']));
  });

  it('gives every message an example', () => {
    const doc = buildAsyncApi(EVENT_CATALOGUE, '0.0.0', recorded) as unknown as Doc;
    const without = Object.entries(doc.components.messages)
      .filter(([, m]) => (m.examples ?? []).length === 0)
      .map(([name]) => name);
    expect(without).toEqual([]);
  });

  it('has a receive operation per consumer group and topic it reads, and a dead-letter channel per group', () => {
    const doc = buildAsyncApi(EVENT_CATALOGUE, '0.0.0', recorded) as unknown as Doc;
    const sla = Object.entries(doc.operations).filter(
      ([, op]) => op.action === 'receive' && JSON.stringify(op.bindings?.kafka.groupId).includes('"servicecenter.sla"'),
    );
    expect(sla.map(([, op]) => doc.channels[op.channel.$ref.replace('#/channels/', '')].address)).toContain(
      'servicecenter.requests.v1',
    );
    expect(Object.values(doc.channels).map((c) => c.address)).toEqual(
      expect.arrayContaining(Object.keys(recorded.consumerGroups).map((g) => `${g}.dlq`)),
    );
  });

  it('passes @asyncapi/parser without errors or warnings', async () => {
    const { diagnostics } = await new Parser().parse(read('asyncapi.yaml'));
    // Severity: 0 error, 1 warning, 2 information, 3 hint.
    const findings = diagnostics
      .filter((d) => d.severity <= 1)
      .map((d) => `${d.severity === 0 ? 'error' : 'warning'} ${d.code} at ${d.path.join('.')}: ${d.message}`);
    expect(findings).toEqual([]);
  });
});

describe('the recorded run (docs/events.recorded.json)', () => {
  const byType = new Map(EVENT_CATALOGUE.map((c) => [c.type, c]));

  it('has an example of every event type and of no type the catalogue lost', () => {
    expect(EVENT_CATALOGUE.map((c) => c.type).filter((type) => !recorded.examples[type])).toEqual([]);
    expect(Object.keys(recorded.examples).filter((type) => !byType.has(type))).toEqual([]);
  });

  it.each(EVENT_CATALOGUE.map((c) => [c.type, c] as const))(
    '%s: the example still matches its contract',
    (type, contract) => {
      const example = recorded.examples[type];
      const envelope = fromBinaryMode(example.headers, JSON.stringify(example.payload));
      expect({ type: envelope.type, topic: example.topic, key: example.key }).toEqual({
        type,
        topic: contract.topic,
        key: envelope.subject,
      });
      const parsed = contract.schema.safeParse(example.payload);
      expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    },
  );

  it('has, per consumer group, an event it dead-lettered with every dlq_* header', () => {
    const incomplete = Object.keys(recorded.consumerGroups).filter((group) => {
      const dead = recorded.deadLetters[group];
      return (
        !dead ||
        dead.headers['dlq_consumer'] !== group ||
        Object.keys(DEAD_LETTER_HEADERS).some((header) => dead.headers[header] === undefined)
      );
    });
    expect(incomplete).toEqual([]);
  });

  it('names consumer groups that apply only catalogue types', () => {
    const unknown = Object.entries(recorded.consumerGroups).flatMap(([group, types]) =>
      types.filter((t) => !byType.has(t)).map((t) => `${group}: ${t}`),
    );
    expect(unknown).toEqual([]);
    expect(Object.keys(recorded.consumerGroups).length).toBeGreaterThan(0);
  });
});
