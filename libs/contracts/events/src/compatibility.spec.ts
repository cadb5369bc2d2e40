import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { EVENT_CATALOGUE } from './catalogue';
import {
  eventBreakingChanges,
  eventPayloadSchemas,
  namedBreakingChanges,
  unnamedMessage,
  type JsonSchema,
} from './compatibility';

const TYPE = 'servicecenter.test.happened.v1';
const payloads = (schema: z.ZodType) => eventPayloadSchemas([{ type: TYPE, schema }]);
const released = payloads(
  z.object({
    requestId: z.string(),
    priority: z.enum(['LOW', 'HIGH']),
    note: z.string().optional(),
    targets: z.array(z.object({ kind: z.string(), dueAt: z.string() })),
  }),
);
const coordinates = (schema: z.ZodType) => eventBreakingChanges(released, payloads(schema)).map((c) => c.coordinate);
const base = {
  requestId: z.string(),
  priority: z.enum(['LOW', 'HIGH']),
  note: z.string().optional(),
  targets: z.array(z.object({ kind: z.string(), dueAt: z.string() })),
};

describe('the breaking-change check of event payloads', () => {
  it('lets a new optional field through', () => {
    expect(coordinates(z.object({ ...base, reason: z.string().optional() }))).toEqual([]);
  });

  it('calls a removed field breaking, with the event type and field path', () => {
    const { note: _note, ...rest } = base;
    const changes = eventBreakingChanges(released, payloads(z.object(rest)));
    expect(changes.map(unnamedMessage)).toEqual([
      `Field 'note' was removed from event '${TYPE}' — breaking; name \`${TYPE}/note\` under ### Breaking in CHANGELOG.md`,
    ]);
  });

  it('calls a retyped field breaking, also inside a list', () => {
    expect(coordinates(z.object({ ...base, requestId: z.number() }))).toEqual([`${TYPE}/requestId`]);
    expect(
      coordinates(z.object({ ...base, targets: z.array(z.object({ kind: z.string(), dueAt: z.number() })) })),
    ).toEqual([`${TYPE}/targets[].dueAt`]);
  });

  it('calls a new required field, a field made optional and a changed enum breaking', () => {
    expect(coordinates(z.object({ ...base, reason: z.string() }))).toEqual([`${TYPE}/reason`]);
    expect(coordinates(z.object({ ...base, requestId: z.string().optional() }))).toEqual([`${TYPE}/requestId`]);
    expect(coordinates(z.object({ ...base, priority: z.enum(['LOW', 'HIGH', 'CRITICAL']) }))).toEqual([
      `${TYPE}/priority`,
    ]);
    expect(coordinates(z.object({ ...base, requestId: z.string().nullable() }))).toEqual([`${TYPE}/requestId`]);
  });

  it('calls a removed event type breaking', () => {
    expect(eventBreakingChanges(released, {}).map((c) => c.coordinate)).toEqual([TYPE]);
  });

  it('reads the names of breaking changes from ### Breaking under ## Unreleased only', () => {
    const changelog = [
      '# Changelog',
      '## Unreleased',
      '### Added',
      `- \`${TYPE}/added\``,
      '### Breaking',
      `- \`${TYPE}/note\` is gone: nobody read it.`,
      '## 0.1.0',
      '### Breaking',
      '- `Request.title`',
    ].join('\n');
    expect([...namedBreakingChanges(changelog)]).toEqual([`${TYPE}/note`]);
  });

  it('has a released copy of every payload schema that the current contracts do not break unnamed', () => {
    const file = join(__dirname, '../released/event-payloads.json');
    const releasedCopy = JSON.parse(readFileSync(file, 'utf8')) as Record<string, JsonSchema>;
    const named = namedBreakingChanges(readFileSync(join(__dirname, '../../../../CHANGELOG.md'), 'utf8'));
    const changes = eventBreakingChanges(releasedCopy, eventPayloadSchemas(EVENT_CATALOGUE));
    expect(changes.filter((c) => !named.has(c.coordinate)).map(unnamedMessage)).toEqual([]);
  });
});
