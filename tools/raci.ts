import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { MATRIX_FILE, RACI_DOC, generateRaci } from '../apps/stack/src/raci/raci-docs';

/**
 * `npm run raci` regenerates libs/platform/auth/src/raci/matrix.generated.ts from the in-repo
 * raci.csv and writes docs/raci.md from it and every service's raci-rows.ts; `--check` only
 * compares (exit 1 when stale). A row declared twice or not in the matrix fails either way.
 */
async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const { matrix, doc, problems } = await generateRaci();
  if (problems.length > 0) {
    console.error(`RACI declarations do not fit the matrix:\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
  let stale = false;
  for (const [file, content] of [
    [MATRIX_FILE, matrix],
    [RACI_DOC, doc],
  ] as const) {
    const name = relative(process.cwd(), file);
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      // written below
    }
    if (current === content) console.log(`${name} is up to date`);
    else if (check) {
      console.error(`${name} is stale: run npm run raci and commit it`);
      stale = true;
    } else {
      writeFileSync(file, content);
      console.log(`wrote ${name}`);
    }
  }
  if (stale) process.exit(1);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
