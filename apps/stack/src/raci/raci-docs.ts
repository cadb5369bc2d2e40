import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { RaciRole, RaciRow, RaciRowRights } from '@servicecenter/platform-auth';

/** The repository root (apps/stack/src/raci → ../../../..). */
export const ROOT = join(__dirname, '..', '..', '..', '..');
/** The in-repo copy of the product's RACI matrix, and the file generated from it. */
export const RACI_CSV = join(ROOT, 'libs/platform/auth/src/raci/raci.csv');
export const MATRIX_FILE = join(ROOT, 'libs/platform/auth/src/raci/matrix.generated.ts');
/** The product documents' original, beside the worktree (absent in a plain clone). */
export const SHARED_RACI_CSV = join(ROOT, '..', 'shared', 'raci.csv');
export const RACI_DOC = join(ROOT, 'docs/raci.md');

/** The RACI columns of raci.csv in file order. */
const RACI_COLUMNS_START = 3;

/** Reads raci.csv into rows numbered from 1 in file order, with the non-empty cells as written (trimmed). */
export function readRaciCsv(csv: string): RaciRow[] {
  const records: string[][] = parse(csv, { skip_empty_lines: true });
  const [header, ...rows] = records;
  if (!header || header.slice(0, RACI_COLUMNS_START).join(',') !== 'process,phase,step')
    throw new Error('raci.csv must start with the columns process,phase,step');
  const roles = header.slice(RACI_COLUMNS_START) as RaciRole[];
  return rows.map((cells, i) => {
    const letters: Partial<Record<RaciRole, string>> = {};
    roles.forEach((role, j) => {
      const cell = (cells[RACI_COLUMNS_START + j] ?? '').trim();
      if (cell) letters[role] = cell;
    });
    return { row: i + 1, process: cells[0].trim(), phase: cells[1].trim(), step: cells[2].trim(), letters };
  });
}

/** A string literal as Prettier writes it here: single quotes, unless the text holds one and no double quote. */
const quote = (s: string) => {
  const escaped = s.replace(/\\/g, '\\\\');
  return s.includes("'") && !s.includes('"') ? `"${escaped}"` : `'${escaped.replace(/'/g, "\\'")}'`;
};

const PRINT_WIDTH = 120;

/**
 * libs/platform/auth/src/raci/matrix.generated.ts for these rows, laid out as Prettier lays it
 * out (printWidth 120): so `npm run lint` accepts the file as written.
 */
export function matrixSource(rows: readonly RaciRow[]): string {
  const body = rows.map((r) => {
    const cells = Object.entries(r.letters).map(([role, cell]) => `${role}: ${quote(cell as string)}`);
    const oneLine = `    letters: { ${cells.join(', ')} },`;
    const letters =
      oneLine.length <= PRINT_WIDTH
        ? oneLine
        : ['    letters: {', ...cells.map((c) => `      ${c},`), '    },'].join('\n');
    return [
      '  {',
      `    row: ${r.row},`,
      `    process: ${quote(r.process)},`,
      `    phase: ${quote(r.phase)},`,
      `    step: ${quote(r.step)},`,
      letters,
      '  },',
    ].join('\n');
  });
  return [
    '// Generated from raci.csv (a copy of ../shared/raci.csv) by `npm run raci`; do not edit by hand.',
    "import type { RaciRow } from './types';",
    '',
    'export const RACI_MATRIX: readonly RaciRow[] = [',
    ...body,
    '];',
    '',
  ].join('\n');
}

/** One service's declaration of the rows it carries. */
export interface ServiceRows {
  service: string;
  file: string;
  rows: readonly RaciRowRights[];
}

/** Every `apps/<service>/src/domain/raci-rows.ts` there is, with its RACI_ROWS. */
export async function collectDeclarations(root = ROOT): Promise<ServiceRows[]> {
  const apps = join(root, 'apps');
  const found: ServiceRows[] = [];
  for (const service of readdirSync(apps).sort()) {
    const file = join(apps, service, 'src', 'domain', 'raci-rows.ts');
    if (!existsSync(file)) continue;
    const module = (await import(file)) as { RACI_ROWS?: readonly RaciRowRights[] };
    if (!Array.isArray(module.RACI_ROWS)) throw new Error(`${relative(root, file)} does not export RACI_ROWS`);
    found.push({ service, file: relative(root, file), rows: module.RACI_ROWS });
  }
  return found;
}

/** A declaration that contradicts the matrix or another service's: a row that does not exist, or one declared twice. */
export function declarationProblems(matrix: readonly RaciRow[], declarations: readonly ServiceRows[]): string[] {
  const problems: string[] = [];
  const seen = new Map<number, string>();
  for (const { service, rows } of declarations)
    for (const r of rows) {
      if (!matrix.some((m) => m.row === r.row))
        problems.push(`${service} declares row ${r.row}, which raci.csv does not have`);
      const earlier = seen.get(r.row);
      if (earlier) problems.push(`row ${r.row} is declared by ${earlier} and by ${service}: one service carries a row`);
      else seen.set(r.row, service);
      if (r.operations.length === 0 && !r.automatic && !r.notCarried)
        problems.push(`${service} row ${r.row}: no operations, not automatic and no notCarried reason`);
    }
  return problems;
}

const ROLE_LABELS: Record<string, string> = {
  customer: 'customer',
  support_consultant: 'support consultant',
  team_lead: 'team lead',
  manager_service_center: 'manager Service Center',
  service_manager: 'service manager',
  manager_service_management: 'manager Service Management',
  customer_success_manager: 'customer success manager',
  csm_director: 'CSM director',
  customer_success_director: 'customer success director',
  pd_change_coordinator: 'PD change coordinator',
  pd_product_owner: 'PD product owner',
  product_manager: 'product manager',
  productline_manager: 'productline manager',
  development_manager: 'development manager',
  labs_director: 'labs director',
  uat_coordinator: 'UAT coordinator',
  admin: 'admin',
};
const label = (role: string) => ROLE_LABELS[role] ?? role;
const cellText = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const withLetter = (row: RaciRow, letter: string) =>
  Object.entries(row.letters)
    .filter(([, cell]) => (cell as string).split('/').some((l) => l.trim() === letter))
    .map(([role]) => label(role))
    .join(', ');

/** docs/raci.md: every row of the matrix with who does it and how the software carries it. */
export function raciDoc(matrix: readonly RaciRow[], declarations: readonly ServiceRows[]): string {
  const carried = new Map<number, { service: string; rights: RaciRowRights }>();
  for (const { service, rows } of declarations)
    for (const r of rows) if (!carried.has(r.row)) carried.set(r.row, { service, rights: r });
  const out: string[] = [
    '# The RACI matrix and the software',
    '',
    '<!-- Generated by `npm run raci` from libs/platform/auth/src/raci/raci.csv and every apps/<service>/src/domain/raci-rows.ts; do not edit by hand. -->',
    '',
    'Every row of `raci.csv` (numbered from 1 in file order), its Responsible, Accountable,',
    'Consulted and Informed, and how the software carries it: the GraphQL operations that do the',
    'step, what the system does by itself (automatic), how the Informed hear of it, the',
    'exceptions each service names, and rows no software can carry. The rule in every service:',
    'R and A act, C contribute where the step takes their input, I are notified or can read,',
    'everyone else is refused (`FORBIDDEN`); visibility (docs/visibility.md) narrows it further.',
    '',
    `Declared by: ${declarations.map((d) => `\`${d.file}\``).join(', ') || 'no service yet'}.`,
    '',
  ];
  const processes = [...new Set(matrix.map((r) => r.process))];
  for (const process of processes) {
    out.push(`## ${process}`, '');
    out.push('| row | phase | step | R | A | C | I | service | operations | informed by |');
    out.push('|---|---|---|---|---|---|---|---|---|---|');
    for (const row of matrix.filter((r) => r.process === process)) {
      const c = carried.get(row.row);
      const ops = c
        ? [
            ...c.rights.operations.map((o) => `\`${o}\``),
            ...(c.rights.automatic ? [`automatic: ${c.rights.automatic}`] : []),
            ...(c.rights.notCarried ? [`not carried: ${c.rights.notCarried}`] : []),
          ].join(', ')
        : '**not declared**';
      out.push(
        `| ${row.row} | ${row.phase} | ${cellText(row.step)} | ${withLetter(row, 'R')} | ${withLetter(row, 'A')} | ${withLetter(row, 'C')} | ${withLetter(row, 'I')} | ${c?.service ?? ''} | ${cellText(ops)} | ${cellText(c?.rights.informedBy ?? '')} |`,
      );
    }
    out.push('');
  }
  const exceptions = [...carried.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([row, c]) => (c.rights.exceptions ?? []).map((e) => ({ row, service: c.service, ...e })));
  out.push('## Exceptions', '', 'Departures from the letters of the matrix, each with its reason.', '');
  out.push('| row | service | role | as | reason |', '|---|---|---|---|---|');
  for (const e of exceptions)
    out.push(`| ${e.row} | ${e.service} | ${label(e.role)} | ${e.as} | ${cellText(e.reason)} |`);
  out.push('');
  const notCarried = [...carried.entries()].filter(([, c]) => c.rights.notCarried).sort(([a], [b]) => a - b);
  out.push('## Not carried by the software', '');
  if (notCarried.length === 0) out.push('None.');
  for (const [row, c] of notCarried) out.push(`- Row ${row} (${c.service}): ${c.rights.notCarried}`);
  out.push('');
  const undeclared = matrix.filter((r) => !carried.has(r.row));
  out.push('## Not declared', '');
  out.push(
    undeclared.length === 0
      ? 'Every row is declared by a service.'
      : `No service declares rows ${undeclared.map((r) => r.row).join(', ')} yet.`,
  );
  out.push('');
  return out.join('\n');
}

/** What `npm run raci` writes: the generated matrix and docs/raci.md, from the files as they are now. */
export async function generateRaci(): Promise<{ matrix: string; doc: string; problems: string[] }> {
  const rows = readRaciCsv(readFileSync(RACI_CSV, 'utf8'));
  const declarations = await collectDeclarations();
  return {
    matrix: matrixSource(rows),
    doc: raciDoc(rows, declarations),
    problems: declarationProblems(rows, declarations),
  };
}
