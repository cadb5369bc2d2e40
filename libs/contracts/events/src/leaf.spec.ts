import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { preProcessFile } from 'typescript';

/**
 * A product-development team depends on @servicecenter/contracts for the schemas, types and
 * topic names of our events without pulling in Kafka clients, TypeORM or any platform package.
 * This walks the import graph from the package's entry point: every module it reaches may
 * import zod and the package's own files, nothing else.
 */
const packageRoot = join(__dirname, '..');

function importsOf(file: string): string[] {
  const { importedFiles } = preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles.map((i) => i.fileName);
}

function resolveRelative(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  const candidate = [`${base}.ts`, join(base, 'index.ts')].find((f) => existsSync(f));
  if (!candidate) throw new Error(`${relative(packageRoot, from)} imports ${specifier}, which does not resolve`);
  return candidate;
}

function walk(entry: string): { files: string[]; external: Map<string, string> } {
  const seen = new Set<string>();
  const external = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith('.')) queue.push(resolveRelative(file, specifier));
      else external.set(`${specifier} (from ${relative(packageRoot, file)})`, specifier);
    }
  }
  return { files: [...seen], external };
}

describe('the contracts package is a leaf', () => {
  const { files, external } = walk(join(packageRoot, 'src/index.ts'));

  it('reaches its contracts, envelope and topics from the entry point', () => {
    const reached = files.map((f) => relative(packageRoot, f));
    expect(reached).toEqual(
      expect.arrayContaining(['src/event-contract.ts', 'src/envelope.ts', 'src/topics.ts', 'src/catalogue.ts']),
    );
  });

  it('imports nothing but zod and its own files', () => {
    const foreign = [...external].filter(([, specifier]) => specifier !== 'zod').map(([where]) => where);
    expect(foreign).toEqual([]);
  });

  it('declares zod as its only dependency, so installing it brings no Kafka client or ORM', () => {
    const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(['zod']);
    expect(pkg.peerDependencies).toBeUndefined();
  });
});
