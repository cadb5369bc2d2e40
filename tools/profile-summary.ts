import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** The parts of a V8 .cpuprofile (node --cpu-prof, inspector Profiler.stop) this summary reads. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

const ROOT = process.cwd();

/** `function (file:line)`, node_modules paths shortened to the package. */
function frameName(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const fn = frame.functionName || '(anonymous)';
  if (!frame.url) return fn;
  const path = frame.url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('node_modules/');
  const where = inModules >= 0 ? path.slice(inModules + 'node_modules/'.length) : relative(ROOT, path);
  return `${fn} (${where}:${frame.lineNumber + 1})`;
}

/** The package (node_modules) or workspace folder a frame belongs to. */
function area(url: string): string {
  if (!url) return '(native/V8)';
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('node_modules/');
  if (inModules >= 0) {
    const rest = path.slice(inModules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (path.startsWith('node:')) return 'node:core';
  const rel = relative(ROOT, path).split('/');
  return rel[0] === 'apps' || rel[0] === 'libs' ? rel.slice(0, rel[0] === 'libs' ? 3 : 2).join('/') : rel[0];
}

/**
 * Self and total time per frame (total counted once per sample even when a function recurses),
 * and self time per package / workspace folder, as markdown tables.
 */
export function summariseProfile(profile: CpuProfile, top = 15): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const areas = new Map<string, number>();
  let all = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const name = frameName(node.callFrame);
    all += us;
    if (node.callFrame.functionName === '(idle)') idle += us;
    self.set(name, (self.get(name) ?? 0) + us);
    const where = node.callFrame.functionName === '(idle)' ? '(idle)' : area(node.callFrame.url);
    areas.set(where, (areas.get(where) ?? 0) + us);
    const seen = new Set<string>();
    for (let at = byId.get(id); at !== undefined; at = byId.get(parent.get(at.id) ?? -1)) {
      const frame = frameName(at.callFrame);
      if (seen.has(frame)) continue;
      seen.add(frame);
      total.set(frame, (total.get(frame) ?? 0) + us);
    }
  }
  const busy = all - idle;
  const pct = (us: number) => `${((us / busy) * 100).toFixed(1)} %`;
  const ms = (us: number) => (us / 1000).toFixed(0);
  const rows = [...self.entries()]
    .filter(([name]) => !name.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => `| ${name} | ${ms(us)} | ${pct(us)} | ${pct(total.get(name) ?? us)} |`);
  const areaRows = [...areas.entries()]
    .filter(([name]) => name !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => `| ${name} | ${ms(us)} | ${pct(us)} |`);
  return [
    `Busy ${ms(busy)} ms of ${ms(all)} ms sampled (idle excluded from the shares).`,
    '',
    '| Frame (self time) | self ms | self | total |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    '| Package / folder | self ms | self |',
    '| --- | --- | --- |',
    ...areaRows,
  ].join('\n');
}

if (process.argv[1]?.endsWith('profile-summary.ts')) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: tsx tools/profile-summary.ts <file.cpuprofile> [top]');
  console.log(summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(process.argv[3] ?? 15)));
}
