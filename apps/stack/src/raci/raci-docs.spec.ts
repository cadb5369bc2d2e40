import { existsSync, readFileSync } from 'node:fs';
import { Kind, parse, type ObjectTypeDefinitionNode } from 'graphql';
import { RACI_MATRIX } from '@servicecenter/platform-auth';
import { SUPERGRAPH_FILE } from '@servicecenter/platform-graphql';
import {
  MATRIX_FILE,
  RACI_CSV,
  RACI_DOC,
  SHARED_RACI_CSV,
  collectDeclarations,
  declarationProblems,
  generateRaci,
  readRaciCsv,
} from './raci-docs';

describe('npm run raci', () => {
  let generated: Awaited<ReturnType<typeof generateRaci>>;
  beforeAll(async () => {
    generated = await generateRaci();
  });

  it('finds no row declared twice, unknown to the matrix, or declared without a way it is carried', () => {
    expect(generated.problems).toEqual([]);
  });

  it('has committed matrix.generated.ts and docs/raci.md as it generates them (not stale)', () => {
    if (readFileSync(MATRIX_FILE, 'utf8') !== generated.matrix)
      throw new Error('libs/platform/auth/src/raci/matrix.generated.ts is stale: run `npm run raci` and commit it');
    if (!existsSync(RACI_DOC) || readFileSync(RACI_DOC, 'utf8') !== generated.doc)
      throw new Error('docs/raci.md is stale: run `npm run raci` and commit it');
  });

  it('reads raci.csv into the rows RACI_MATRIX holds, numbered 1..131 in file order', () => {
    const rows = readRaciCsv(readFileSync(RACI_CSV, 'utf8'));
    expect(rows).toEqual(RACI_MATRIX);
    expect(rows.map((r) => r.row)).toEqual(Array.from({ length: 131 }, (_, i) => i + 1));
  });

  (existsSync(SHARED_RACI_CSV) ? it : it.skip)('keeps the in-repo raci.csv equal to ../shared/raci.csv', () => {
    expect(readFileSync(RACI_CSV, 'utf8')).toBe(readFileSync(SHARED_RACI_CSV, 'utf8'));
  });

  it('names only operations the supergraph has', async () => {
    const fields = new Set(
      parse(readFileSync(SUPERGRAPH_FILE, 'utf8'))
        .definitions.filter(
          (d): d is ObjectTypeDefinitionNode =>
            d.kind === Kind.OBJECT_TYPE_DEFINITION && (d.name.value === 'Query' || d.name.value === 'Mutation'),
        )
        .flatMap((d) => (d.fields ?? []).map((f) => f.name.value)),
    );
    for (const { service, rows } of await collectDeclarations())
      for (const r of rows)
        for (const operation of r.operations)
          expect({ service, row: r.row, operation, exists: fields.has(operation) }).toEqual({
            service,
            row: r.row,
            operation,
            exists: true,
          });
  });

  it('refuses a row declared by two services, or one the matrix does not have', () => {
    const row = { row: 14, operations: ['acceptRequest'] };
    expect(
      declarationProblems(RACI_MATRIX, [
        { service: 'a', file: 'a', rows: [row, { row: 999, operations: ['x'] }] },
        { service: 'b', file: 'b', rows: [row, { row: 15, operations: [] }] },
      ]),
    ).toEqual([
      'a declares row 999, which raci.csv does not have',
      'row 14 is declared by a and by b: one service carries a row',
      'b row 15: no operations, not automatic and no notCarried reason',
    ]);
  });
});
