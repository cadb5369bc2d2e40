// The generator's histories are data the graph must accept; these checks need no graph.
// eslint-disable-next-line @nx/enforce-module-boundaries, no-restricted-imports -- tools/seed is a script, not a library
import { FILTER_CUSTOMERS, customerFilters, generateDirectory } from '../../../tools/seed/generator/directory';
// eslint-disable-next-line @nx/enforce-module-boundaries, no-restricted-imports -- as above
import { makePlan, requestTrack } from '../../../tools/seed/generator/stories';

describe('the seed generator’s request histories', () => {
  const requests = 10_000;
  const plan = makePlan(20261123, requests, generateDirectory(20261123, requests), Date.parse('2026-11-23T16:00:00Z'));
  const tracks = Array.from({ length: requests }, (_, i) => requestTrack(plan, i));
  const mutations = (type: string) =>
    new Set(
      tracks
        .filter((t) => t.type === type)
        .flatMap((t) => t.steps.map((s) => (s.op.kind === 'request' ? s.op.mutation : s.op.kind))),
    );

  it('never reopen an application service, which no row of raci.csv allows', () => {
    expect(mutations('APPLICATION_SERVICE')).not.toContain('reopenRequest');
  });

  it('still reopen the other types, and leave one request open in the REOPENED status', () => {
    for (const type of ['INCIDENT', 'CHANGE', 'INFORMATION']) expect(mutations(type)).toContain('reopenRequest');
    expect(tracks.filter((t) => t.expect === 'REOPENED').length).toBeGreaterThan(0);
  });
});

describe('the seed generator’s directory at 1,000,000 requests', () => {
  it('reads its requests with customer filters the schema accepts, which name every customer once', () => {
    const directory = generateDirectory(20261123, 1_000_000);
    const filters = customerFilters(directory);
    expect(directory.customers.length).toBeGreaterThan(FILTER_CUSTOMERS);
    for (const { customer } of filters) expect(customer.length).toBeLessThanOrEqual(FILTER_CUSTOMERS);
    expect(filters.flatMap((f) => f.customer).sort()).toEqual(directory.customers.map((c) => c.id).sort());
  });
});
