import { readFileSync } from 'node:fs';
import {
  SUPERGRAPH_CONFIG_FILE,
  SUPERGRAPH_FILE,
  composeSupergraph,
  readSupergraphConfig,
} from '@servicecenter/platform-graphql';

describe('the supergraph', () => {
  it('composes from the subgraph SDL files, and the committed supergraph.graphql is not stale', () => {
    // Throws CompositionError listing every problem when the subgraphs do not compose.
    const composed = composeSupergraph(readSupergraphConfig(SUPERGRAPH_CONFIG_FILE));
    const committed = readFileSync(SUPERGRAPH_FILE, 'utf8');
    if (composed !== committed) {
      throw new Error('infra/supergraph/supergraph.graphql is stale: run `npm run compose` and commit the result');
    }
  });

  it('lists every subgraph of the product', () => {
    expect(readSupergraphConfig(SUPERGRAPH_CONFIG_FILE).map((s) => s.name)).toEqual([
      'requests',
      'sla',
      'escalations',
      'reporting',
      'release-testing',
    ]);
  });
});
