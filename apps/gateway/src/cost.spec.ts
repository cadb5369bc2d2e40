import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { SUPERGRAPH_FILE } from '@servicecenter/platform-graphql';
import { parse } from 'graphql';
import { operationCost, readCostDirectives } from './cost';

describe('operation cost from the supergraph', () => {
  const sdl = readFileSync(SUPERGRAPH_FILE, 'utf8');
  const table = readCostDirectives(sdl);
  const schema = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
  const cost = (query: string, variables: Record<string, unknown> = {}) =>
    operationCost(table, { schema, document: parse(query), variables });

  it('reads the weights and page sizes the subgraphs declare', () => {
    expect(table.get('Query.slaCompliance')).toEqual({ weight: 200 });
    expect(table.get('Query.requestQueue')).toEqual({ weight: 10, slicingArguments: ['first'], assumedSize: 20 });
    expect(table.get('Request.sla')).toEqual({ weight: 5 });
  });

  it('reads the directives under the names the supergraph gives them', () => {
    const renamed = `
      schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/cost/v0.1", as: "demand") { query: Query }
      type Query { a(first: Int): [A] @demand(weight: 7) @demand__listSize(slicingArguments: ["first"]) }
      type A { b: Int }`;
    expect(readCostDirectives(renamed).get('Query.a')).toEqual({ weight: 7, slicingArguments: ['first'] });
  });

  it('counts every alias and multiplies a page by first, from a literal or a variable', () => {
    const compliance = `slaCompliance(input: { period: { from: "2026-01-01T00:00:00Z", to: "2026-04-01T00:00:00Z" } }) { requests targets { kind } }`;
    expect(cost(`{ ${compliance} }`)).toBe(201);
    expect(cost(`{ a: ${compliance} b: ${compliance} }`)).toBe(402);
    const queue = 'requestQueue(first: $n) { edges { node { number sla { trackedSince } } } }';
    // 10 + n × (edges 1 + node 1 + sla 5)
    expect(cost(`query($n: Int) { ${queue} }`, { n: 100 })).toBe(710);
    expect(cost(`query($n: Int) { ${queue} }`)).toBe(150);
    expect(cost(`query($n: Int) { ${queue} }`, { n: 1 })).toBe(17);
  });

  it('answers a variable that does not fit its type as the client’s error', () => {
    expect(() => cost('query($n: Int) { requestQueue(first: $n) { totalCount } }', { n: 'many' })).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
  });
});
