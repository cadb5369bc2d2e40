import { z } from 'zod';

/**
 * Breaking changes of the published contracts (the API schema, the event payloads) must be
 * named in CHANGELOG.md: under `## Unreleased`, a `### Breaking` section (any `###` heading
 * with the word "breaking") lists each change with its coordinate in backticks, e.g.
 * `RequestSla.priority` or `servicecenter.request.registered.v1/priority`.
 */
export function namedBreakingChanges(changelog: string): Set<string> {
  const unreleased = /^## Unreleased[^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(changelog)?.[1] ?? '';
  const names = new Set<string>();
  const sections = unreleased.split(/^(?=### )/m).filter((s) => /^### [^\n]*breaking/i.test(s));
  for (const section of sections) for (const match of section.matchAll(/`([^`\n]+)`/g)) names.add(match[1]);
  return names;
}

export interface BreakingChange {
  /** What to name in CHANGELOG.md, e.g. `Request.title` or `servicecenter.request.registered.v1/number`. */
  coordinate: string;
  message: string;
}

/** The message a check prints for a breaking change the CHANGELOG does not name. */
export const unnamedMessage = (change: BreakingChange) =>
  `${change.message} — breaking; name \`${change.coordinate}\` under ### Breaking in CHANGELOG.md`;

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  [key: string]: unknown;
};

/** The payload JSON schema of every event type, the form released copies are kept in. */
export function eventPayloadSchemas(
  catalogue: readonly { type: string; schema: z.ZodType }[],
): Record<string, JsonSchema> {
  return Object.fromEntries(
    [...catalogue]
      .sort((a, b) => a.type.localeCompare(b.type))
      .map((c) => [c.type, z.toJSONSchema(c.schema, { target: 'draft-7' }) as JsonSchema]),
  );
}

const variants = (s: JsonSchema): JsonSchema[] | undefined => s.anyOf ?? s.oneOf;
const kind = (s: JsonSchema): string => {
  if (s.properties) return 'object';
  if (s.items) return 'array';
  if (variants(s)) return 'union';
  return JSON.stringify({ type: s.type, const: s.const, format: s.format });
};
const describe = (s: JsonSchema): string => {
  const v = variants(s);
  if (v) return v.map(describe).join(' | ');
  if (s.enum) return s.enum.map((e) => JSON.stringify(e)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.items) return `${describe(s.items)}[]`;
  return [s.type ?? 'any', s.format].filter(Boolean).join(':');
};

/**
 * What a consumer built on the released payload schema would trip over. Consumers parse with
 * the contract and replays read old events with the current one, so a removed or retyped
 * field, a field that became required or optional, a new required field and a changed set of
 * enum values all break; a new optional field does not. Lengths and patterns are not compared.
 */
export function eventBreakingChanges(
  released: Record<string, JsonSchema>,
  current: Record<string, JsonSchema>,
): BreakingChange[] {
  const changes: BreakingChange[] = [];
  const walk = (type: string, path: string, before: JsonSchema, after: JsonSchema) => {
    const at = path ? `${type}/${path}` : type;
    const where = path ? `Field '${path}' of event '${type}'` : `The payload of event '${type}'`;
    if (kind(before) !== kind(after)) {
      changes.push({ coordinate: at, message: `${where} changed type from ${describe(before)} to ${describe(after)}` });
      return;
    }
    if (before.properties && after.properties) {
      const wasRequired = new Set(before.required ?? []);
      const isRequired = new Set(after.required ?? []);
      for (const [name, schema] of Object.entries(before.properties)) {
        const field = path ? `${path}.${name}` : name;
        const next = after.properties[name];
        if (!next) {
          changes.push({
            coordinate: `${type}/${field}`,
            message: `Field '${field}' was removed from event '${type}'`,
          });
          continue;
        }
        if (wasRequired.has(name) !== isRequired.has(name))
          changes.push({
            coordinate: `${type}/${field}`,
            message: `Field '${field}' of event '${type}' became ${isRequired.has(name) ? 'required' : 'optional'}`,
          });
        walk(type, field, schema, next);
      }
      for (const name of Object.keys(after.properties))
        if (!before.properties[name] && isRequired.has(name)) {
          const field = path ? `${path}.${name}` : name;
          changes.push({
            coordinate: `${type}/${field}`,
            message: `Required field '${field}' was added to event '${type}' (events already published lack it)`,
          });
        }
      return;
    }
    if (before.items && after.items) return walk(type, `${path}[]`, before.items, after.items);
    const old = variants(before);
    const now = variants(after);
    if (old && now) {
      if (old.length !== now.length || old.some((v, i) => kind(v) !== kind(now[i])))
        changes.push({
          coordinate: at,
          message: `${where} changed type from ${describe(before)} to ${describe(after)}`,
        });
      else old.forEach((v, i) => walk(type, path, v, now[i]));
      return;
    }
    const values = (s: JsonSchema) => JSON.stringify([...(s.enum ?? [])].map(String).sort());
    if (values(before) !== values(after))
      changes.push({
        coordinate: at,
        message: `${where} changed its values from ${describe(before)} to ${describe(after)}`,
      });
  };
  for (const [type, schema] of Object.entries(released)) {
    const now = current[type];
    if (!now) changes.push({ coordinate: type, message: `Event type '${type}' was removed` });
    else walk(type, '', schema, now);
  }
  return changes;
}
