import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import {
  CompositionError,
  SUPERGRAPH_CONFIG_FILE,
  SUPERGRAPH_FILE,
  composeSupergraph,
  readSupergraphConfig,
} from '@servicecenter/platform-graphql';

/** `npm run compose` writes infra/supergraph/supergraph.graphql; `--check` only compares. */
const check = process.argv.includes('--check');
try {
  const sdl = composeSupergraph(readSupergraphConfig(SUPERGRAPH_CONFIG_FILE));
  const target = relative(process.cwd(), SUPERGRAPH_FILE);
  if (check) {
    const current = readFileSync(SUPERGRAPH_FILE, 'utf8');
    if (current !== sdl) {
      console.error(`${target} is stale: run npm run compose and commit it`);
      process.exit(1);
    }
    console.log(`${target} is up to date`);
  } else {
    writeFileSync(SUPERGRAPH_FILE, sdl);
    console.log(`wrote ${target}`);
  }
} catch (error) {
  console.error(error instanceof CompositionError ? error.message : error);
  process.exit(1);
}
