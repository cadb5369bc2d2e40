import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { SUPERGRAPH_CONFIG_FILE, composeSupergraph, readSupergraphConfig } from '@servicecenter/platform-graphql';

const ROOT = join(__dirname, '../../..');

describe('the supergraph', () => {
  it('composes from the subgraph SDL files', () => {
    // Throws CompositionError listing every problem when the subgraphs do not compose.
    expect(composeSupergraph(readSupergraphConfig(SUPERGRAPH_CONFIG_FILE))).toContain('@join__graph');
  });

  it('every file npm run compose writes is committed and not stale, and no breaking change is unnamed', () => {
    // The supergraph, the API schema, each subgraph's server types and the e2e typed documents
    // (graphql-codegen's CLI is ESM-only in parts, so the check runs as the tool itself).
    const run = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), ['tools/compose.ts', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`npm run compose -- --check failed:\n${run.stderr}${run.stdout}`);
    expect(run.stdout).toMatch(/generated files are up to date/);
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
