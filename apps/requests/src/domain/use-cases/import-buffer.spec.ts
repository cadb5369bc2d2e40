import type { Customer, DirectoryLookup, Person, Product } from '../../directory/domain/directory';
import type { ProductChange } from '../conversation';
import type { RequestStore } from '../ports';
import { newRequest } from '../request';
import { cachedDirectory, ImportBuffer, readAhead } from './import-buffer';

const person = (id: string, customerId: string | null): Person =>
  ({ id, name: id, email: null, roles: [customerId ? 'customer' : 'consultant'], customerId, teamIds: [] }) as never;
const customer = (id: string): Customer => ({ id, name: id }) as never;
const product = (id: string): Product => ({ id, name: id, productGroupId: `g-${id}`, teamId: `t-${id}` }) as never;

/** A directory of 40 customer users (2 per customer), 30 consultants and 20 products that counts its reads. */
function countingDirectory() {
  const people = new Map<string, Person>();
  for (let c = 0; c < 20; c++) for (const u of [1, 2]) people.set(`u-${c}-${u}`, person(`u-${c}-${u}`, `c-${c}`));
  for (let p = 0; p < 30; p++) people.set(`p-${p}`, person(`p-${p}`, null));
  const reads: string[] = [];
  const from =
    <T>(kind: string, make: (id: string) => T | undefined) =>
    async (ids: readonly string[]) => {
      reads.push(kind);
      return ids.flatMap((id) => make(id) ?? []);
    };
  const directory: DirectoryLookup = {
    peopleByIds: from('people', (id) => people.get(id)),
    customersByIds: from('customers', (id) => (/^c-\d+$/.test(id) ? customer(id) : undefined)),
    productsByIds: from('products', (id) => (/^prod-\d+$/.test(id) ? product(id) : undefined)),
    teamsByIds: from('teams', (id) => ({ id, name: id, leadId: null }) as never),
    productGroupsByIds: from('groups', (id) => ({ id, name: id }) as never),
  };
  return { directory, reads };
}

describe("an import's directory", () => {
  it('answers every record the histories name from what it read ahead, in six reads however many they name', async () => {
    const { directory, reads } = countingDirectory();
    const cached = cachedDirectory(directory);
    const users = Array.from({ length: 40 }, (_, i) => `u-${i % 20}-${1 + (i % 2)}`);
    const consultants = Array.from({ length: 30 }, (_, i) => `p-${i}`);
    await readAhead(cached, {
      people: [...users, ...consultants, 'p-gone', null, 42],
      customers: ['c-3', { id: 'c-25' }],
      products: Array.from({ length: 20 }, (_, i) => `prod-${i}`),
      teams: ['team-a', undefined],
    });
    expect([...reads].sort()).toEqual(['customers', 'customers', 'groups', 'people', 'products', 'teams']);

    // The replay's reads, one record at a time as the steps ask: none reaches the directory.
    for (const id of [...users, ...consultants]) expect(await cached.peopleByIds([id])).toHaveLength(1);
    expect(await cached.peopleByIds(['p-gone'])).toEqual([]);
    for (let c = 0; c < 20; c++) expect(await cached.customersByIds([`c-${c}`])).toEqual([customer(`c-${c}`)]);
    expect(await cached.productsByIds(['prod-7'])).toEqual([product('prod-7')]);
    expect(await cached.productGroupsByIds(['g-prod-7'])).toHaveLength(1);
    expect(await cached.teamsByIds(['team-a'])).toHaveLength(1);
    expect(reads).toHaveLength(6);

    // What it did not read ahead is still read (once).
    expect(await cached.customersByIds(['c-25'])).toEqual([customer('c-25')]);
    expect(await cached.customersByIds(['c-25'])).toEqual([customer('c-25')]);
    expect(reads).toHaveLength(7);
  });
});

describe("an import's product changes", () => {
  it('reads a stored change and its customers once per call and counts the customers of the requests it imports', async () => {
    const reads: string[] = [];
    const stored: ProductChange = { ref: 'PD-1', title: null, kind: 'BUG', linkedBy: 'p-pd', createdAt: new Date(0) };
    const store = {
      findChange: async (ref: string) => (reads.push(`change ${ref}`), ref === 'PD-1' ? stored : undefined),
      customerIdsOfChange: async (ref: string) => (reads.push(`customers ${ref}`), ref === 'PD-1' ? ['c-old'] : []),
    } as unknown as RequestStore;
    const buffer = new ImportBuffer(store);
    const imported = (id: string, customerId: string) => ({
      ...newRequest({
        id,
        number: id,
        input: { type: 'INCIDENT', title: 'Title', description: 'D', requestedPriority: 'LOW', customerId } as never,
        customerId,
        requesterId: 'u',
        teamId: null,
        now: new Date(0),
      }),
      changeRef: 'PD-1',
    });

    expect(await buffer.findChange('PD-1')).toEqual(stored);
    await buffer.insert(imported('r-1', 'c-new'));
    expect(await buffer.customerIdsOfChange('PD-1')).toEqual(['c-old', 'c-new']);
    expect(await buffer.findChange('PD-1')).toEqual(stored);
    await buffer.insert(imported('r-2', 'c-other'));
    expect(await buffer.customerCountOfChange('PD-1')).toBe(3);
    expect(reads).toEqual(['change PD-1', 'customers PD-1']);

    // A change nobody made yet is looked for until the import creates it, then it is the import's.
    expect(await buffer.findChange('PD-2')).toBeUndefined();
    await buffer.insertChange({ ...stored, ref: 'PD-2' });
    expect(await buffer.findChange('PD-2')).toMatchObject({ ref: 'PD-2' });
    expect(reads).toEqual(['change PD-1', 'customers PD-1', 'change PD-2']);
    expect(buffer.records().changes.map((c) => c.ref)).toEqual(['PD-2']);
  });
});
