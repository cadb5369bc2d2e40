import type { Caller } from '@servicecenter/platform-auth';
import { ROLE_ENUM_VALUES, requireCaller } from '@servicecenter/platform-graphql';
import type { DirectoryResolverContext as Ctx } from '../context';
import type { Resolvers, RoleResolvers } from '../../generated/graphql';
import type { DirectoryAdmin } from '../domain/directory-admin';
import { directoryQueries } from './directory-queries';
import { directoryTypes } from './directory-types';

/** GraphQL shows roles as enum values (SUPPORT_CONSULTANT); inside they stay the RACI names. */
// why: built from ROLES, the list the generated RoleResolvers comes from (tools/contract/codegen.ts enumValues).
const roleEnumValues = ROLE_ENUM_VALUES as RoleResolvers;

type AdminInput<K extends keyof DirectoryAdmin> = Parameters<DirectoryAdmin[K]>[1];

/** Every directory mutation: one input in, the written record in its payload out; the use case checks the admin role. */
const adminMutation =
  <K extends keyof DirectoryAdmin, F extends string>(useCase: K, payloadField: F) =>
  async (_: unknown, args: { input: AdminInput<K> }, ctx: Ctx) => {
    // why: TypeScript cannot relate admin[useCase]'s parameter to K's input when K is generic.
    const run = ctx.directory.admin[useCase] as (caller: Caller, input: AdminInput<K>) => ReturnType<DirectoryAdmin[K]>;
    // why: a computed key widens to a string index; the payload has exactly the field F.
    return { [payloadField]: await run(requireCaller(ctx), args.input) } as Record<
      F,
      Awaited<ReturnType<DirectoryAdmin[K]>>
    >;
  };

/** Merge into the subgraph's resolver map type by type (Query and Mutation are shared). */
export const directoryResolvers = {
  Role: roleEnumValues,
  Query: directoryQueries,
  Mutation: {
    createProductGroup: adminMutation('createProductGroup', 'productGroup'),
    updateProductGroup: adminMutation('updateProductGroup', 'productGroup'),
    createTeam: adminMutation('createTeam', 'team'),
    updateTeam: adminMutation('updateTeam', 'team'),
    createProduct: adminMutation('createProduct', 'product'),
    updateProduct: adminMutation('updateProduct', 'product'),
    createCustomer: adminMutation('createCustomer', 'customer'),
    updateCustomer: adminMutation('updateCustomer', 'customer'),
    createPerson: adminMutation('createPerson', 'person'),
    updatePerson: adminMutation('updatePerson', 'person'),
  },
  ...directoryTypes,
} satisfies Resolvers<Ctx>;
