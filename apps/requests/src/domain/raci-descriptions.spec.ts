import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type ObjectTypeDefinitionNode } from 'graphql';
import { whoMayText } from './raci-descriptions';
import { RACI_ROWS } from './raci-rows';

const schemaDir = join(__dirname, '..', 'schema');
const sdl = readdirSync(schemaDir)
  .filter((f) => f.endsWith('.graphql'))
  .sort()
  .map((f) => readFileSync(join(schemaDir, f), 'utf8'))
  .join('\n');
const mutation = parse(sdl).definitions.find(
  (d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Mutation',
);
const operations = [...new Set(RACI_ROWS.flatMap((r) => r.operations))];

describe('the SDL says who may call each mutation in the words of raci.csv', () => {
  it.each(operations)('%s', (operation) => {
    const field = mutation?.fields?.find((f) => f.name.value === operation);
    expect(field).toBeDefined();
    // On failure the expected text is shown: paste it into apps/requests/src/schema/05-requests.graphql.
    expect(field?.description?.value).toContain(`Who may (raci.csv, see docs/raci.md):\n${whoMayText(operation)}`);
  });

  it('names the rows, the letters and the exceptions', () => {
    expect(whoMayText('acceptRequest')).toContain(
      'Incident (raci.csv row 14): Responsible: support consultant; Accountable: team lead.',
    );
    expect(whoMayText('answerProductDevelopmentQuestion')).toBe(
      'Information request (raci.csv row 71): Consulted: PD change coordinator.',
    );
    expect(whoMayText('closeRequest')).toContain('by exception: customer');
  });
});
