import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUPERGRAPH_CONFIG_FILE, findWorkspaceRoot, readSupergraphConfig } from './supergraph';

describe('the workspace root the supergraph files are found under', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'workspace-root-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is the nearest directory whose package.json declares workspaces, skipping package manifests below it', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'root', workspaces: ['libs/*'] }));
    const lib = join(dir, 'libs/graphql/src');
    mkdirSync(lib, { recursive: true });
    writeFileSync(join(dir, 'libs/graphql/package.json'), JSON.stringify({ name: 'graphql' }));
    expect(findWorkspaceRoot(lib, {})).toBe(dir);
  });

  it('is SERVICECENTER_ROOT when set', () => {
    expect(findWorkspaceRoot('/nowhere', { SERVICECENTER_ROOT: dir })).toBe(dir);
  });

  it('is reported as missing when no package.json above declares workspaces', () => {
    expect(() => findWorkspaceRoot(dir, {})).toThrow(/SERVICECENTER_ROOT/);
  });

  it('holds the supergraph config of this checkout', () => {
    expect(readSupergraphConfig(SUPERGRAPH_CONFIG_FILE).map((s) => s.name)).toContain('requests');
  });
});
