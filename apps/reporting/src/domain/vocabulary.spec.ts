import { join } from 'node:path';
import { Kind } from 'graphql';
import { loadSchemaFile } from '@servicecenter/platform-graphql';
import { oneOf } from '../persistence/sql';
import { DISRUPTION_STATUSES, PRIORITIES, REQUEST_STATUSES, REQUEST_TYPES, TARGET_KINDS } from './reports';

const enumValues = (name: string): string[] => {
  const sdl = loadSchemaFile(join(__dirname, '..', 'schema'));
  for (const def of sdl.definitions)
    if (def.kind === Kind.ENUM_TYPE_DEFINITION && def.name.value === name)
      return (def.values ?? []).map((v) => v.name.value);
  throw new Error(`no enum ${name} in the reporting schema`);
};

describe('the read models’ vocabularies', () => {
  // The readers accept exactly these names: a value the schema's enum gained and the list lacks would fail the report.
  it.each([
    ['Priority', PRIORITIES],
    ['RequestType', REQUEST_TYPES],
    ['RequestStatus', REQUEST_STATUSES],
    ['DisruptionStatus', DISRUPTION_STATUSES],
    ['SlaTargetKind', TARGET_KINDS],
  ])('are the schema’s %s values', (name, names) => {
    expect([...names].sort()).toEqual(enumValues(name).sort());
  });

  it('a read-model value outside the vocabulary is an error, not a value the schema cannot show', () => {
    expect(oneOf(PRIORITIES, 'HIGH', 'effective_priority')).toBe('HIGH');
    expect(() => oneOf(PRIORITIES, 'URGENT', 'effective_priority')).toThrow(/effective_priority holds URGENT/);
    expect(() => oneOf(PRIORITIES, null, 'effective_priority')).toThrow(/effective_priority/);
  });
});
