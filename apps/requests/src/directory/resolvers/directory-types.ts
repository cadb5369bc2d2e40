import { referenced } from '@servicecenter/platform-graphql';
import type { DirectoryResolverContext as Ctx } from '../context';
import type { Customer, Person, Product, Team } from '../domain/directory';
import { canReadCatalogue, canReadCustomer, canReadPerson, canReadTeams } from '../domain/directory-access';
import type { PeopleParent } from '../domain/ports';
import { nameOrderedConnection, type PageArgs } from './connections';

type Ref = { id: string };

/** Customer.users and Team.members: every parent's page in one batched query. */
const peopleConnection = (ctx: Ctx, parent: PeopleParent, parentId: string, args: PageArgs) =>
  nameOrderedConnection(
    args,
    (page) => ctx.directory.loaders.peopleOf.load({ parent, parentId, page }),
    () => ctx.directory.loaders.peopleCountOf.load({ parent, parentId }),
  );

/**
 * Entity and relation fields. A relation is reached through a parent the caller was allowed
 * to read, so only what the parent does not already imply is checked again here.
 */
export const directoryTypes = {
  ProductGroup: {
    __resolveReference: (ref: Ref, ctx: Ctx) =>
      canReadCatalogue(ctx.caller) ? ctx.directory.loaders.productGroupById.load(ref.id) : null,
  },

  Product: {
    __resolveReference: (ref: Ref, ctx: Ctx) =>
      canReadCatalogue(ctx.caller) ? ctx.directory.loaders.productById.load(ref.id) : null,
    productGroup: (product: Product, _: unknown, ctx: Ctx) =>
      referenced(ctx.directory.loaders.productGroupById.load(product.productGroupId), 'product group'),
    team: (product: Product, _: unknown, ctx: Ctx) =>
      canReadTeams(ctx.caller) ? ctx.directory.loaders.teamById.load(product.teamId) : null,
  },

  Team: {
    __resolveReference: (ref: Ref, ctx: Ctx) =>
      canReadTeams(ctx.caller) ? ctx.directory.loaders.teamById.load(ref.id) : null,
    lead: (team: Team, _: unknown, ctx: Ctx) =>
      team.leadId ? ctx.directory.loaders.personById.load(team.leadId) : null,
    members: (team: Team, args: PageArgs, ctx: Ctx) => peopleConnection(ctx, 'team', team.id, args),
  },

  Customer: {
    __resolveReference: (ref: Ref, ctx: Ctx) =>
      canReadCustomer(ctx.caller, ref.id) ? ctx.directory.loaders.customerById.load(ref.id) : null,
    // The organisation's contacts at the vendor: DOMAIN.md has the customer call their service
    // manager in urgent cases, so the organisation's users see who that is.
    serviceManager: (customer: Customer, _: unknown, ctx: Ctx) =>
      customer.serviceManagerId ? ctx.directory.loaders.personById.load(customer.serviceManagerId) : null,
    customerSuccessManager: (customer: Customer, _: unknown, ctx: Ctx) =>
      customer.customerSuccessManagerId
        ? ctx.directory.loaders.personById.load(customer.customerSuccessManagerId)
        : null,
    users: (customer: Customer, args: PageArgs, ctx: Ctx) => peopleConnection(ctx, 'customer', customer.id, args),
  },

  Person: {
    __resolveReference: async (ref: Ref, ctx: Ctx) => {
      const person = await ctx.directory.loaders.personById.load(ref.id);
      return person && canReadPerson(ctx.caller, person) ? person : null;
    },
    customer: (person: Person, _: unknown, ctx: Ctx) =>
      person.customerId && canReadCustomer(ctx.caller, person.customerId)
        ? ctx.directory.loaders.customerById.load(person.customerId)
        : null,
    teams: async (person: Person, _: unknown, ctx: Ctx): Promise<Team[]> => {
      if (!canReadTeams(ctx.caller)) return [];
      const teams = await ctx.directory.loaders.teamById.loadMany(person.teamIds);
      return teams.filter((t): t is Team => !!t && !(t instanceof Error));
    },
  },
};
