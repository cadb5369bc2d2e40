import { SeedError, type SeedClient, type SeedLog } from './client';
import { customers, people, productGroups, products, teams } from '../../apps/requests/src/directory/testing/demo-data';

/** The directory admin of the demo data; her token carries the ADMIN role. */
export const ADMIN = 'p-wendy-kok';

export interface Tally {
  created: number;
  skipped: number;
}

/**
 * Loads apps/requests/src/directory/testing/demo-data.ts through the admin mutations, in the order the
 * references need: teams before their members, people before they lead a team or serve a
 * customer, customers before their users. A record that is already there (CONFLICT) is
 * skipped, so a second run changes nothing.
 */
export async function loadDirectory(client: SeedClient, log: SeedLog): Promise<Tally> {
  const tally: Tally = { created: 0, skipped: 0 };
  const lines: Record<string, { created: string[]; skipped: string[] }> = {};

  const create = async (mutation: string, input: Record<string, unknown>, label: string) => {
    const type = `${mutation[0].toUpperCase()}${mutation.slice(1)}Input`;
    const what = (lines[mutation] ??= { created: [], skipped: [] });
    try {
      await client.run(
        ADMIN,
        `mutation($input: ${type}!) { ${mutation}(input: $input) { __typename } }`,
        { input },
        `${mutation} ${label}`,
      );
      what.created.push(label);
      tally.created += 1;
    } catch (error) {
      if (!(error instanceof SeedError) || error.code !== 'CONFLICT') throw error;
      what.skipped.push(label);
      tally.skipped += 1;
    }
  };
  const report = (mutation: string, noun: string) => {
    const { created = [], skipped = [] } = lines[mutation] ?? {};
    const parts = [
      created.length && `created ${created.length} (${created.join(', ')})`,
      skipped.length && `skipped ${skipped.length} already there`,
    ].filter(Boolean);
    log(`  ${noun.padEnd(16)} ${parts.join('; ')}`);
    delete lines[mutation];
  };
  const personInput = (p: (typeof people)[number]) => ({
    id: p.id,
    name: p.name,
    email: p.email,
    roles: p.roles.map((r) => r.toUpperCase()),
    customerId: p.customerId,
    teamIds: p.teamIds,
  });

  log('Directory (as admin Wendy Kok):');
  for (const g of productGroups) await create('createProductGroup', { id: g.id, name: g.name }, g.id);
  report('createProductGroup', 'product groups');
  for (const t of teams) await create('createTeam', { id: t.id, name: t.name }, t.id);
  report('createTeam', 'teams');
  for (const p of people.filter((x) => !x.customerId)) await create('createPerson', personInput(p), p.id);
  report('createPerson', 'staff');

  const current = await client.run<{ teams: { id: string; lead: { id: string } | null }[] }>(
    ADMIN,
    '{ teams { id lead { id } } }',
    {},
    'teams',
  );
  const leadsSet: string[] = [];
  for (const t of teams) {
    if (!t.leadId || current.teams.find((c) => c.id === t.id)?.lead?.id === t.leadId) continue;
    await client.run(
      ADMIN,
      'mutation($input: UpdateTeamInput!) { updateTeam(input: $input) { __typename } }',
      { input: { id: t.id, leadId: t.leadId } },
      `updateTeam ${t.id}`,
    );
    leadsSet.push(`${t.id}: ${t.leadId}`);
  }
  log(`  ${'team leads'.padEnd(16)} ${leadsSet.length ? `set ${leadsSet.join(', ')}` : 'already set'}`);

  for (const p of products)
    await create('createProduct', { id: p.id, name: p.name, productGroupId: p.productGroupId, teamId: p.teamId }, p.id);
  report('createProduct', 'products');
  for (const c of customers) await create('createCustomer', { ...c }, c.id);
  report('createCustomer', 'customers');
  for (const p of people.filter((x) => x.customerId)) await create('createPerson', personInput(p), p.id);
  report('createPerson', 'customer users');
  return tally;
}
