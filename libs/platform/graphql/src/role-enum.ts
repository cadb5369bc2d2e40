import { ROLES, type Role } from '@servicecenter/platform-auth';

/**
 * The internal values of the schema's `Role` enum: GraphQL spells a role in upper case
 * (SUPPORT_CONSULTANT), resolvers and the domain use the RACI name (support_consultant). A subgraph
 * whose schema has the enum lists this under `Role` in its resolver map; codegen's `enumValues`
 * (tools/contract/codegen.ts) types the enum the same way.
 */
export const ROLE_ENUM_VALUES: Readonly<Record<string, Role>> = Object.fromEntries(
  ROLES.map((role) => [role.toUpperCase(), role]),
);
