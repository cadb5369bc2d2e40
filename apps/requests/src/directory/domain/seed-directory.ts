import type { Caller } from '@servicecenter/platform-auth';
import type { Customer, Person, Product, ProductGroup, Team } from './directory';
import type { DirectoryAdmin } from './directory-admin';

export interface DirectoryDataSet {
  productGroups: readonly ProductGroup[];
  teams: readonly Team[];
  products: readonly Product[];
  customers: readonly Customer[];
  people: readonly Person[];
}

/** The actor of demo and test seeding: an admin that is nobody's token. */
export const SEED_ADMIN: Caller = Object.freeze({ id: 'system:seed', roles: ['admin'] }) as Caller;

/**
 * Loads a data set through the admin use cases, so it meets every rule an admin meets.
 * The order follows the references: teams before their members, people before they lead a
 * team or serve a customer, customers before their users. Each record is its own
 * transaction; meant for an empty directory (a second run stops at the first CONFLICT).
 */
export async function seedDirectory(
  admin: DirectoryAdmin,
  data: DirectoryDataSet,
  caller: Caller = SEED_ADMIN,
): Promise<void> {
  const staff = data.people.filter((p) => !p.customerId);
  const customerUsers = data.people.filter((p) => p.customerId);
  for (const group of data.productGroups) await admin.createProductGroup(caller, group);
  for (const team of data.teams) await admin.createTeam(caller, { id: team.id, name: team.name });
  for (const person of staff) await admin.createPerson(caller, person);
  for (const team of data.teams) if (team.leadId) await admin.updateTeam(caller, { id: team.id, leadId: team.leadId });
  for (const product of data.products) await admin.createProduct(caller, product);
  for (const customer of data.customers) await admin.createCustomer(caller, customer);
  for (const person of customerUsers) await admin.createPerson(caller, person);
}
