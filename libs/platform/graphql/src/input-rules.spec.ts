import gql from 'graphql-tag';
import { silentLogger } from '@servicecenter/platform-logging';
import { DateScalar, DateTimeScalar, JSONObjectScalar } from './scalars';
import { DEFAULT_INPUT_LIMITS } from './input-rules';
import { startSubgraphServer, type RunningSubgraph } from './subgraph-server';

/**
 * The input rules as a client meets them: a real subgraph server over HTTP, each rule tried with
 * a literal and with a variable, and the resolver must not have run when the answer is a refusal.
 */
const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  directive @limit(maxLength: Int, maxItems: Int) on ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION
  scalar DateTime
  scalar Date
  scalar JSONObject
  input NoteInput {
    title: String
    body: String @limit(maxLength: 50000)
    ids: [ID!]
    refs: [ID!] @limit(maxItems: 500)
    at: DateTime
    day: Date
    data: JSONObject
    children: [NoteInput!]
  }
  type Query {
    hello: String!
  }
  type Mutation {
    saveNote(input: NoteInput!): Boolean!
    find(ids: [ID!], text: String): Boolean!
  }
`;

interface Answer {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string; field?: string; problems?: unknown[] } }[];
}

describe('input rules at the edge of a subgraph', () => {
  let server: RunningSubgraph;
  const received: unknown[] = [];

  beforeAll(async () => {
    server = await startSubgraphServer({
      name: 'test',
      typeDefs,
      resolvers: {
        DateTime: DateTimeScalar as never,
        Date: DateScalar as never,
        JSONObject: JSONObjectScalar as never,
        Query: { hello: () => 'hi' },
        Mutation: {
          saveNote: (_: unknown, args: { input: unknown }) => received.push(args.input) > 0,
          find: (_: unknown, args: unknown) => received.push(args) > 0,
        },
      },
      port: 0,
      host: '127.0.0.1',
      production: true,
      logger: silentLogger,
      readiness: { database: async () => true, events: async () => true },
      createContext: (base) => base,
    });
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    received.length = 0;
  });

  async function post(query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
  }

  /** saveNote with the input as a variable and, built from the same value, as a literal. */
  async function bothWays(input: Record<string, unknown>, literalToo = true): Promise<Answer[]> {
    const asVariable = await post('mutation($input: NoteInput!) { saveNote(input: $input) }', { input });
    if (!literalToo) return [asVariable];
    const asLiteral = await post(`mutation { saveNote(input: ${literal(input)}) }`);
    return [asVariable, asLiteral];
  }

  /** `literalToo: false` where GraphQL's own syntax cannot carry the value (lone surrogates, odd keys). */
  async function expectRefused(input: Record<string, unknown>, field: string, message: RegExp, literalToo = true) {
    for (const answer of await bothWays(input, literalToo)) {
      expect(answer.errors).toHaveLength(1);
      expect(answer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(answer.errors?.[0].message).toMatch(message);
      expect(answer.data).toBeNull();
    }
    expect(received).toEqual([]);
  }

  it('lets good input through (texts in any script, offsets, dates, JSON)', async () => {
    const input = {
      title: 'مرحبا ‮abc‬ 😀 ok',
      body: 'x'.repeat(50_000),
      refs: Array.from({ length: 500 }, (_, i) => `r${i}`),
      at: '2026-05-01T10:00:00.123+02:00',
      day: '2026-02-28',
      data: { note: 'fine', list: [1, 'two', { three: null }] },
    };
    for (const answer of await bothWays(input)) expect(answer).toEqual({ status: 200, data: { saveNote: true } });
    expect(received[0]).toMatchObject({
      title: input.title,
      at: new Date('2026-05-01T08:00:00.123Z'),
      day: '2026-02-28',
    });
  });

  it('refuses NUL in any text, naming the field', async () => {
    await expectRefused({ title: 'a\u0000b' }, 'input.title', /NUL/);
    await expectRefused({ children: [{}, { ids: ['ok', 'x\u0000'] }] }, 'input.children.1.ids.1', /NUL/);
  });

  it('refuses a lone surrogate, also inside a JSONObject, keys included', async () => {
    await expectRefused({ title: 'ab\uD800cd' }, 'input.title', /surrogate/, false);
    await expectRefused({ title: 'ab\uDC00' }, 'input.title', /surrogate/, false);
    await expectRefused({ data: { steps: [{ text: 'x\uDBFF' }] } }, 'input.data.steps.0.text', /surrogate/, false);
    await expectRefused({ data: { ['k\u0000']: 1 } }, 'input.data', /key: .*NUL/, false);
    // In a literal, GraphQL's lexer already refuses the escape \uD800 on its own.
    const literalSurrogate = await post('mutation { saveNote(input: { title: "ab\\uD800cd" }) }');
    expect(literalSurrogate.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('holds texts to the default maximum, or to the position’s own @limit', async () => {
    const max = DEFAULT_INPUT_LIMITS.maxLength;
    await expectRefused({ title: 'x'.repeat(max + 1) }, 'input.title', new RegExp(`at most ${max} characters`));
    await expectRefused({ body: 'x'.repeat(50_001) }, 'input.body', /at most 50000 characters/);
    await expectRefused({ ids: ['i'.repeat(DEFAULT_INPUT_LIMITS.idMaxLength + 1)] }, 'input.ids.0', /at most 200/);
  });

  it('holds lists to the default maximum, or to the position’s own @limit', async () => {
    const max = DEFAULT_INPUT_LIMITS.maxItems;
    await expectRefused({ ids: Array.from({ length: max + 1 }, (_, i) => `i${i}`) }, 'input.ids', /at most 100 items/);
    await expectRefused({ refs: Array.from({ length: 501 }, (_, i) => `r${i}`) }, 'input.refs', /at most 500 items/);
    const many = Array.from({ length: 70_000 }, (_, i) => `c${i}`);
    const answer = await post('mutation($ids: [ID!]) { find(ids: $ids) }', { ids: many });
    expect(answer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });
    await expectRefused({ data: { list: Array.from({ length: max + 1 }, () => 1) } }, 'input.data.list', /at most 100/);
  });

  it('refuses JSON nested deeper than the limit', async () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < DEFAULT_INPUT_LIMITS.jsonMaxDepth; i++) deep = { d: deep };
    await expectRefused({ data: deep }, expect.stringMatching(/^input\.data(\.d)+$/) as never, /too deeply/);
  });

  it('refuses a DateTime without an offset, out of range or impossible, naming the field', async () => {
    await expectRefused({ at: '2026-05-01T10:00:00' }, 'input.at', /RFC 3339 .*offset/);
    await expectRefused({ at: '+275760-09-13T00:00:00Z' }, 'input.at', /RFC 3339/);
    await expectRefused({ at: '2201-01-01T00:00:00Z' }, 'input.at', /between 1900 and 2200/);
    await expectRefused({ at: '1899-12-31T23:59:59+00:00' }, 'input.at', /between 1900 and 2200/);
    await expectRefused({ at: '2026-02-30T10:00:00Z' }, 'input.at', /not a day/);
    await expectRefused({ at: '2026-05-01T24:00:00Z' }, 'input.at', /not a time/);
    await expectRefused({ children: [{ at: 'yesterday' }] }, 'input.children.0.at', /RFC 3339/);
  });

  it('refuses a Date outside 1900–2200 or not a day', async () => {
    await expectRefused({ day: '0000-01-01' }, 'input.day', /between 1900 and 2200/);
    await expectRefused({ day: '2026-13-01' }, 'input.day', /not a day/);
    await expectRefused({ day: '2026-05-01T00:00:00Z' }, 'input.day', /YYYY-MM-DD/);
  });

  it('checks the arguments of every field, not only inputs', async () => {
    const answer = await post('mutation { find(text: "a\\u0000b") }');
    expect(answer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text' });
    expect(received).toEqual([]);
  });
});

/** A GraphQL literal of a JSON value (strings escaped as JSON, which GraphQL strings accept). */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${literal(v)}`)
      .join(', ')}}`;
  return JSON.stringify(value) ?? 'null';
}
