import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { preProcessFile } from 'typescript';
import { findWorkspaceRoot } from '@servicecenter/platform-graphql';

/**
 * Every workspace package declares what it imports: its production files from `dependencies`
 * (also checked by lint, @nx/dependency-checks), its specs and test helpers from
 * `dependencies` or `devDependencies`, so a package's manifest tells the whole story.
 */
const root = findWorkspaceRoot();
const manifest = (dir: string) =>
  JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
    name: string;
    workspaces?: string[];
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };

function workspacePackages(): string[] {
  return (manifest('.').workspaces ?? []).flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(join(root, pattern.slice(0, -2)))
          .map((name) => join(pattern.slice(0, -2), name))
          .filter((dir) => statSync(join(root, dir)).isDirectory())
      : [pattern],
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(name) ? [path] : [];
  });
}

// The contracts' breaking-change check runs in the tests and `npm run schema:check` only, never in a
// consumer of the contracts: its graphql-inspector and graphql are development dependencies (as in lint).
const DEVELOPMENT_ONLY = /^src\/schema-check\.ts$/;
const isTestFile = (path: string) =>
  /\.spec\.ts$|\.testing\.ts$|\.fixture\.ts$|(^|\/)testing\/|jest\.config\.js$/.test(path) ||
  DEVELOPMENT_ONLY.test(path);
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const isBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]);

/** `file: package` for every bare import of the package's files its manifest does not declare. */
function undeclaredImports(dir: string): string[] {
  const { dependencies = {}, devDependencies = {} } = manifest(dir);
  const found: string[] = [];
  for (const file of sourceFiles(join(root, dir))) {
    const path = relative(join(root, dir), file);
    const allowed = isTestFile(path) ? { ...dependencies, ...devDependencies } : dependencies;
    for (const { fileName } of preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (fileName.startsWith('.') || isBuiltin(fileName)) continue;
      if (!(packageOf(fileName) in allowed)) found.push(`${path}: ${packageOf(fileName)}`);
    }
  }
  return found;
}

describe('the workspace packages', () => {
  const packages = workspacePackages();

  it('are the apps and libraries of the workspace', () => {
    expect(packages).toEqual(expect.arrayContaining(['apps/stack', 'libs/contracts/events', 'libs/testing']));
  });

  it.each(packages)('%s declares every package its files import', (dir) => {
    expect(undeclaredImports(dir)).toEqual([]);
  });

  it.each(packages)('%s declares the workspace packages as "*" and external ones with the root versions', (dir) => {
    const rootVersions = { ...manifest('.').dependencies, ...manifest('.').devDependencies };
    const workspaceNames = new Set(packages.map((p) => manifest(p).name));
    const { dependencies = {}, devDependencies = {} } = manifest(dir);
    const mismatched = Object.entries({ ...dependencies, ...devDependencies })
      .filter(([name, version]) => version !== (workspaceNames.has(name) ? '*' : rootVersions[name]))
      .map(([name, version]) => `${name}@${version}`);
    expect(mismatched).toEqual([]);
  });
});
