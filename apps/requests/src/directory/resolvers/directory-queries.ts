import type { Role } from '@servicecenter/platform-auth';
import { requireCaller } from '@servicecenter/platform-graphql';
import type { DirectoryResolverContext as Ctx } from '../context';
import {
  assertCanListTeams,
  canReadCustomer,
  canReadPerson,
  canReadTeams,
  customerFilterFor,
  peopleFilterFor,
  productFilterFor,
} from '../domain/directory-access';
import { nameOrderedConnection, type PageArgs } from './connections';

type IdArgs = { id: string };
// GraphQL hands absent optional arguments as undefined or null; filters want undefined.
const opt = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

/** Query fields of the directory: who asks decides what the filter is; the reader does the rest. */
export const directoryQueries = {
  me: (_: unknown, __: unknown, ctx: Ctx) => ctx.directory.loaders.personById.load(requireCaller(ctx).id),

  customer: (_: unknown, { id }: IdArgs, ctx: Ctx) =>
    canReadCustomer(requireCaller(ctx), id) ? ctx.directory.loaders.customerById.load(id) : null,

  customers: (_: unknown, args: PageArgs & { search?: string | null }, ctx: Ctx) => {
    const filter = customerFilterFor(requireCaller(ctx), args.search?.trim() || undefined);
    const { reader } = ctx.directory;
    return nameOrderedConnection(
      args,
      (page) => reader.customers(filter, page),
      () => reader.countCustomers(filter),
    );
  },

  product: (_: unknown, { id }: IdArgs, ctx: Ctx) => {
    requireCaller(ctx);
    return ctx.directory.loaders.productById.load(id);
  },

  products: (_: unknown, args: PageArgs & { productGroupId?: string | null; teamId?: string | null }, ctx: Ctx) => {
    const filter = productFilterFor(requireCaller(ctx), {
      productGroupId: opt(args.productGroupId),
      teamId: opt(args.teamId),
    });
    const { reader } = ctx.directory;
    return nameOrderedConnection(
      args,
      (page) => reader.products(filter, page),
      () => reader.countProducts(filter),
    );
  },

  productGroups: (_: unknown, __: unknown, ctx: Ctx) => {
    requireCaller(ctx);
    return ctx.directory.reader.productGroups();
  },

  team: (_: unknown, { id }: IdArgs, ctx: Ctx) =>
    canReadTeams(requireCaller(ctx)) ? ctx.directory.loaders.teamById.load(id) : null,

  teams: (_: unknown, __: unknown, ctx: Ctx) => {
    assertCanListTeams(requireCaller(ctx));
    return ctx.directory.reader.teams();
  },

  person: async (_: unknown, { id }: IdArgs, ctx: Ctx) => {
    const caller = requireCaller(ctx);
    const person = await ctx.directory.loaders.personById.load(id);
    return person && canReadPerson(caller, person) ? person : null;
  },

  people: (
    _: unknown,
    args: PageArgs & { role?: Role | null; teamId?: string | null; customerId?: string | null },
    ctx: Ctx,
  ) => {
    const filter = peopleFilterFor(requireCaller(ctx), {
      role: opt(args.role),
      teamId: opt(args.teamId),
      customerId: opt(args.customerId),
    });
    const { reader } = ctx.directory;
    return nameOrderedConnection(
      args,
      (page) => reader.people(filter, page),
      () => reader.countPeople(filter),
    );
  },
};
