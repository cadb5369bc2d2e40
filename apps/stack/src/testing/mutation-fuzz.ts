import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Calls of every mutation of the composed schema with generated arguments: values that look
 * like a desk's own (real ids of the seeded desk and of what earlier calls created, texts, recent
 * instants) so that many calls reach the use cases, and in about half of them one position
 * replaced by garbage (NUL, lone surrogates, right-to-left overrides, 1 MB texts, huge and
 * negative numbers, instants without an offset or out of range, unknown enum values and ids,
 * oversized lists). Everything is derived from infra/supergraph/supergraph.graphql, so a new
 * mutation is fuzzed without a new test.
 */

export const supergraphSchema = (): GraphQLSchema =>
  buildSchema(readFileSync(join(__dirname, '../../../../infra/supergraph/supergraph.graphql'), 'utf8'));

export interface MutationCall {
  mutation: string;
  query: string;
  variables: Record<string, unknown>;
  /** Where garbage was put, and what (for the failure message); null for a call without garbage. */
  garbage: { path: string; value: string } | null;
}

/** Ids seen so far, by GraphQL type name (Request, Customer, ...), and request numbers. */
export class IdPool {
  private readonly byType = new Map<string, Set<string>>();
  readonly numbers = new Set<string>();

  add(typeName: string, id: string): void {
    let set = this.byType.get(typeName);
    if (!set) this.byType.set(typeName, (set = new Set()));
    set.add(id);
  }

  /** Harvests `{ id __typename number }` objects anywhere in a response's data. */
  harvest(value: unknown): void {
    if (Array.isArray(value)) return value.forEach((v) => this.harvest(v));
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (typeof record.id === 'string' && typeof record.__typename === 'string') this.add(record.__typename, record.id);
    if (record.__typename === 'Request' && typeof record.number === 'string') this.numbers.add(record.number);
    Object.values(record).forEach((v) => this.harvest(v));
  }

  /**
   * The ids fitting an argument (`requestId`, `caseIds`, `leadId`; `id` of `UpdateProductInput`
   * is a Product's), else every id known.
   */
  candidates(fieldName: string, inputType = ''): string[] {
    const base =
      fieldName === 'id'
        ? inputType.replace(/^(Create|Update)|Input$/g, '').toLowerCase()
        : fieldName.replace(/Ids?$/, '').toLowerCase();
    const typeName = ID_ALIASES[base];
    const fitting = [...this.byType.entries()]
      .filter(([type]) => (typeName ? type === typeName : base.length > 1 && type.toLowerCase().endsWith(base)))
      .flatMap(([, ids]) => [...ids]);
    return fitting.length > 0 ? fitting : [...this.byType.values()].flatMap((ids) => [...ids]);
  }
}

const ID_ALIASES: Record<string, string> = {
  lead: 'Person',
  assignee: 'Person',
  tester: 'Person',
  requester: 'Person',
  by: 'Person',
  registeredby: 'Person',
  servicemanager: 'Person',
  customersuccessmanager: 'Person',
  author: 'Person',
  notice: 'DisruptionNotice',
  plan: 'TestPlan',
  run: 'TestRun',
  testrun: 'TestRun',
  case: 'TestCase',
  article: 'KnowledgeArticle',
  productgroup: 'ProductGroup',
  team: 'Team',
  agreement: 'SlaAgreement',
};

const TEXTS = [
  'Starting the payroll run stops at step 3 with error PR-500.',
  'Salary slips show the wrong tax table since the last release',
  'مرحبا، التقرير لا يعمل',
  'שלום, הדוח לא נטען',
  'Größe ≠ taille 😀 — ok',
  'PD-4711',
  'ok',
];

/** A text that fits what the field holds (names and formats some use cases check). */
function textFor(field: string, pool: IdPool): fc.Arbitrary<string> {
  const f = field.toLowerCase();
  if (f.includes('email')) return fc.constantFrom('fuzz@example.com', 'anna@servicecenter.example');
  if (f === 'url') return fc.constantFrom('https://example.com/evidence.png', 'ftp://nope');
  if (f.includes('changeref')) return fc.integer({ min: 1, max: 9999 }).map((n) => `PD-${n}`);
  if (f === 'releaseversion') return fc.integer({ min: 1, max: 50 }).map((n) => `2026.${n}.0`);
  if (f === 'importkey') return fc.integer({ min: 1, max: 1_000_000 }).map((n) => `fuzz-${n}`);
  if (f === 'number' || f.endsWith('numbers'))
    return fc.constantFrom(...(pool.numbers.size > 0 ? [...pool.numbers] : ['SC-2026-000001']));
  if (f === 'start') return fc.constantFrom('08:30', '9:00', '25:00');
  if (f === 'end') return fc.constantFrom('17:00', '12:30');
  if (f === 'holidaycountry') return fc.constantFrom('NL', 'BE', 'XX');
  if (f === 'timezone') return fc.constantFrom('Europe/Amsterdam', 'Mars/Olympus');
  if (f === 'contenttype') return fc.constantFrom('image/png', 'text/plain');
  if (f === 'name' || f === 'title') return fc.constantFrom('Payroll month-end', 'Salary slips wrong', 'مرحبا بالعالم');
  return fc.constantFrom(...TEXTS);
}

/** The clock of the fuzzed desk (TestClock): instants and dates around it. */
export const FUZZ_NOW = new Date('2026-05-04T08:00:00Z');
const DAY = 86_400_000;

function scalarFor(type: string, field: string, parent: string, pool: IdPool): fc.Arbitrary<unknown> {
  switch (type) {
    case 'ID': {
      const ids = pool.candidates(field, parent);
      return ids.length > 0 ? fc.constantFrom(...ids) : fc.constant('no-id-yet');
    }
    case 'String':
      return textFor(field, pool);
    case 'Int':
      if (field === 'version') return fc.integer({ min: 1, max: 3 });
      if (field === 'first') return fc.integer({ min: 1, max: 20 });
      if (field === 'score') return fc.integer({ min: 0, max: 10 });
      if (field === 'weekday') return fc.integer({ min: 1, max: 7 });
      return fc.integer({ min: 0, max: 40 });
    case 'Float':
      return field.toLowerCase().includes('threshold')
        ? fc.constantFrom(0.5, 0.75, 0.9)
        : fc.integer({ min: 1, max: 32 }).map((q) => q / 4);
    case 'Boolean':
      return fc.boolean();
    case 'DateTime':
      return fc
        .integer({ min: -60, max: 30 })
        .map((d) => new Date(FUZZ_NOW.getTime() + d * DAY).toISOString().replace('.000Z', 'Z'));
    case 'Date':
      return fc
        .integer({ min: -60, max: 2 })
        .map((d) => new Date(FUZZ_NOW.getTime() + d * DAY).toISOString().slice(0, 10));
    case 'JSONObject':
      return fc.record(
        {
          teamId: fc.constantFrom(...pool.candidates('teamId')),
          priority: fc.constantFrom('HIGH', 'MEDIUM'),
          message: fc.constantFrom(...TEXTS),
          hours: fc.constantFrom(0.5, 1),
        },
        { requiredKeys: [] },
      );
    default:
      return fc.constant(null);
  }
}

/** A valid-looking value of an input type (required fields always, optional ones often). */
function valueFor(
  type: GraphQLInputType,
  field: string,
  parent: string,
  pool: IdPool,
  depth: number,
): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return valueFor(type.ofType, field, parent, pool, depth);
  if (isListType(type))
    return fc.array(valueFor(type.ofType, field, parent, pool, depth + 1), {
      minLength: 1,
      maxLength: depth > 2 ? 1 : 3,
    });
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name));
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const f of fields) {
      if (!isNonNullType(f.type) && depth > 3) continue;
      // An optional version mostly left out: the change then applies to the current state.
      const value = valueFor(f.type, f.name, type.name, pool, depth + 1);
      record[f.name] =
        f.name === 'version' && !isNonNullType(f.type)
          ? fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: value, weight: 1 })
          : value;
    }
    const required = fields.filter((f) => isNonNullType(f.type)).map((f) => f.name);
    return fc.record(record, { requiredKeys: required });
  }
  if (isScalarType(type)) return scalarFor(type.name, field, parent, pool);
  return fc.constant(null);
}

// ------------------------------------------------------------------------------------------
// Garbage, by the kind of position it replaces.
const MEGABYTE_TEXT = 'x'.repeat(1_000_000);
const deepJson = (levels: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { leaf: 'x' };
  for (let i = 0; i < levels; i++) value = { d: value };
  return value;
};
const TEXT_GARBAGE: unknown[] = [
  'a\u0000b',
  'ab\uD800cd',
  '\uDC00',
  '\u202Eevil\u202C \u200F',
  MEGABYTE_TEXT,
  '',
  '   ',
  "'; DROP TABLE request; --",
  12345,
];
const GARBAGE: Record<string, unknown[]> = {
  String: TEXT_GARBAGE,
  ID: ['00000000-0000-4000-8000-000000000000', 'no-such-id', '', 'id\u0000', 'i'.repeat(300), '\uD800', -1],
  Int: [2 ** 31, -(2 ** 31) - 1, -1, 0, 2 ** 31 - 1, -(2 ** 31), 1.5, '7'],
  Float: [1e308, -1e308, -1, 0, 1e-9, 2 ** 53, 'x'],
  Boolean: ['true', 0],
  DateTime: [
    '2026-05-01T10:00:00',
    '0000-01-01T00:00:00Z',
    '+275760-09-13T00:00:00.000Z',
    '1899-12-31T23:59:59Z',
    '2201-01-01T00:00:00Z',
    '2026-02-30T10:00:00Z',
    'yesterday',
    1714557600000,
  ],
  Date: ['0000-01-01', '275760-09-13', '2026-13-01', '2026-02-29', '1899-12-31', '2201-01-01', '2026-05-01T00:00:00Z'],
  JSONObject: [{ a: 'x\u0000' }, { a: '\uD800' }, [1, 2], 'text', deepJson(60), { list: Array(1000).fill(1) }, {}],
  enum: ['NOT_A_VALUE', '', 'low', 1],
};

interface Slot {
  path: (string | number)[];
  type: GraphQLInputType;
}

/** Every position of a generated value garbage can go: present leaves, lists, absent optional fields. */
function slots(value: unknown, type: GraphQLInputType, path: (string | number)[], out: Slot[]): void {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    out.push({ path, type: inner });
    if (Array.isArray(value)) value.forEach((v, i) => slots(v, inner.ofType, [...path, i], out));
    return;
  }
  if (isInputObjectType(inner)) {
    for (const f of Object.values(inner.getFields())) {
      const present = value && typeof value === 'object' && f.name in value;
      if (present) slots((value as Record<string, unknown>)[f.name], f.type, [...path, f.name], out);
      else out.push({ path: [...path, f.name], type: f.type });
    }
    return;
  }
  out.push({ path, type: inner });
}

function garbageFor(slot: Slot, pick: number, sample: unknown): unknown {
  const type = isNonNullType(slot.type) ? slot.type.ofType : slot.type;
  if (isListType(type)) {
    const item = Array.isArray(sample) && sample.length > 0 ? sample[0] : 'x';
    // As many items as fit in the gateway's 1 MB body (70,000 short ids), and just over a list maximum.
    const many = Math.min(70_000, Math.floor(900_000 / (JSON.stringify(item) ?? 'null').length));
    const choices = [Array(many).fill(item), Array(600).fill(item), [], [null]];
    return choices[pick % choices.length];
  }
  const named = getNamedType(type);
  const list = isEnumType(named) ? GARBAGE.enum : (GARBAGE[named.name] ?? TEXT_GARBAGE);
  return list[pick % list.length];
}

const getAt = (root: unknown, path: (string | number)[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined),
    root,
  );

function setAt(root: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
}

const preview = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 60)}… (${text.length} characters)` : text;
};

/** The selection of a payload: every object with an id (to harvest it), else __typename. */
function selection(field: GraphQLField<unknown, unknown>): string {
  const type = getNamedType(field.type);
  if (!isObjectType(type)) return '';
  const parts = ['__typename'];
  for (const f of Object.values(type.getFields())) {
    if (f.args.some((a) => isNonNullType(a.type))) continue;
    const inner = getNamedType(f.type);
    if (isObjectType(inner) && inner.getFields().id) {
      parts.push(`${f.name} { id __typename${inner.name === 'Request' ? ' number' : ''} }`);
    } else if (f.name === 'id') parts.push('id');
  }
  return `{ ${parts.join(' ')} }`;
}

/** The arbitrary of one mutation's calls: valid-looking arguments, half of them with one garbage position. */
export function callsOf(schema: GraphQLSchema, name: string, pool: IdPool): fc.Arbitrary<MutationCall> {
  const field = schema.getMutationType()!.getFields()[name];
  const variables = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const query = `mutation${variables ? `(${variables})` : ''} { ${name}${args ? `(${args})` : ''} ${selection(field)} }`;
  const values = fc.record(
    Object.fromEntries(field.args.map((a) => [a.name, valueFor(a.type, a.name, name, pool, 0)])),
  );
  return fc.tuple(values, fc.boolean(), fc.nat(), fc.nat()).map(([generated, withGarbage, where, which]) => {
    const vars = structuredClone(generated) as Record<string, unknown>;
    if (!withGarbage) return { mutation: name, query, variables: vars, garbage: null };
    const all: Slot[] = [];
    for (const a of field.args) slots(vars[a.name], a.type, [a.name], all);
    const slot = all[where % all.length];
    const value = garbageFor(slot, which, getAt(vars, slot.path));
    setAt(vars, slot.path, value);
    return { mutation: name, query, variables: vars, garbage: { path: slot.path.join('.'), value: preview(value) } };
  });
}

/** Mutations that create things first, so the later ones find more real ids. */
export function mutationOrder(schema: GraphQLSchema): string[] {
  const creates = /^(create|register|open|plan|start|report|log|import|save|ask|add|book)/;
  const names = Object.keys(schema.getMutationType()!.getFields());
  return [...names.filter((n) => creates.test(n)), ...names.filter((n) => !creates.test(n))];
}
