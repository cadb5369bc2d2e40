import { z } from 'zod';
import { ROLES, type Role } from '@servicecenter/platform-auth';
import { badInput } from '@servicecenter/platform-errors';
import { CONDITION_PRIORITIES, type Person } from './directory';

/**
 * Readable ids admins may choose (`cust-bakker-logistiek`). Lowercase and no leading dash
 * so they are safe in URLs, tokens (`sub`) and log lines; generated ids are UUIDs, which
 * also match.
 */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

const newId = z
  .string()
  .trim()
  .regex(ID_PATTERN, 'must be a lowercase slug: a-z, 0-9 and "-", 2 to 63 characters, not starting with "-"');
/** A reference to an existing record; whether it exists is checked against the directory. */
const ref = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const name = z.string().trim().min(2, 'must be at least 2 characters').max(120, 'must be at most 120 characters');
const hours = z
  .number()
  .int('must be whole hours')
  .min(0, 'must not be negative')
  .max(100_000, 'must be at most 100000');
const language = z.enum(['NL', 'EN']);
const unique = <T>(values: T[]) => [...new Set(values)];
const roles = z.array(z.enum(ROLES)).min(1, 'give at least one role').transform(unique);
const teamIds = z.array(ref).max(20, 'at most 20 teams').transform(unique);
// Mail addresses are compared case-insensitively everywhere, so they are stored lowercase.
const email = z.string().trim().toLowerCase().pipe(z.email('must be an e-mail address'));

/** A kind of mutation: a lowercase token, so conditions and registrations compare exactly. */
export const MUTATION_KIND_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const mutationKind = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    MUTATION_KIND_PATTERN,
    'must be a token: a-z, 0-9, "-" and "_", 1 to 63 characters, not starting with "-" or "_"',
  );
const applicationServicesConditions = z
  .array(z.object({ mutationKind, priority: z.enum(CONDITION_PRIORITIES) }))
  .max(50, 'at most 50 conditions')
  .refine((list) => new Set(list.map((c) => c.mutationKind)).size === list.length, {
    message: 'each mutationKind may appear once',
  });

export const CreateProductGroupInputSchema = z.object({ id: newId.nullish(), name });
export const UpdateProductGroupInputSchema = z.object({ id: ref, name: name.optional() });

export const CreateTeamInputSchema = z.object({ id: newId.nullish(), name, leadId: ref.nullish() });
/** `leadId: null` removes the lead; leaving a field out keeps it. */
export const UpdateTeamInputSchema = z.object({ id: ref, name: name.optional(), leadId: ref.nullish() });

export const CreateProductInputSchema = z.object({ id: newId.nullish(), name, productGroupId: ref, teamId: ref });
export const UpdateProductInputSchema = z.object({
  id: ref,
  name: name.optional(),
  productGroupId: ref.optional(),
  teamId: ref.optional(),
});

export const CreateCustomerInputSchema = z.object({
  id: newId.nullish(),
  name,
  applicationServicesContract: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  applicationServicesConditions: applicationServicesConditions.nullish().transform((v) => v ?? []),
  baseBundleHours: hours.nullish().transform((v) => v ?? 0),
  creditBundleHours: hours.nullish().transform((v) => v ?? 0),
  serviceManagerId: ref.nullish(),
  customerSuccessManagerId: ref.nullish(),
  // The customers are Dutch organisations (DOMAIN.md); English is the exception.
  language: language.nullish().transform((v) => v ?? 'NL'),
});
export const UpdateCustomerInputSchema = z.object({
  id: ref,
  name: name.optional(),
  applicationServicesContract: z.boolean().optional(),
  /** Replaces the whole list; leaving it out keeps it. */
  applicationServicesConditions: applicationServicesConditions.optional(),
  baseBundleHours: hours.optional(),
  creditBundleHours: hours.optional(),
  serviceManagerId: ref.nullish(),
  customerSuccessManagerId: ref.nullish(),
  language: language.optional(),
});

export const CreatePersonInputSchema = z.object({
  id: newId.nullish(),
  name,
  email,
  roles,
  customerId: ref.nullish(),
  teamIds: teamIds.nullish().transform((v) => v ?? []),
});
export const UpdatePersonInputSchema = z.object({
  id: ref,
  name: name.optional(),
  email: email.optional(),
  roles: roles.optional(),
  customerId: ref.nullish(),
  teamIds: teamIds.optional(),
});

/**
 * An update's changes over the current record: a field left out (undefined) keeps its value,
 * an explicit null clears a nullable field.
 */
export function withChanges<T extends object>(current: T, changes: Partial<Record<keyof T, unknown>>): T {
  const next = { ...current } as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) {
    if (value !== undefined) next[key] = value;
  }
  return next as T;
}

/**
 * A customer user belongs to exactly one organisation and holds no Service Center role:
 * the read rules treat anyone with the `customer` role as that organisation's user only,
 * so mixing roles would silently hide everything else from them.
 */
export function assertPersonRules(person: Pick<Person, 'roles' | 'customerId' | 'teamIds'>): void {
  const isCustomerUser = person.roles.includes('customer');
  if (isCustomerUser && !person.customerId) {
    throw badInput('input.customerId', 'A customer user needs the organisation they belong to (customerId)');
  }
  if (!isCustomerUser && person.customerId) {
    throw badInput(
      'input.roles',
      'Only customer users belong to a customer organisation: add the customer role or remove customerId',
    );
  }
  if (isCustomerUser && person.roles.length > 1) {
    throw badInput('input.roles', 'A customer user cannot also hold Service Center roles');
  }
  if (isCustomerUser && person.teamIds.length > 0) {
    throw badInput('input.teamIds', 'Customer users are not members of Service Center teams');
  }
}

/**
 * A team lead, service manager or customer success manager must be a person holding that
 * role, so the RACI rights and notifications reach the right people.
 */
export function assertHolds(person: Person | undefined, role: Role, field: string, id: string): Person {
  if (!person) throw badInput(field, `No person ${id} in the directory`);
  if (!person.roles.includes(role))
    throw badInput(field, `${person.name} (${person.id}) does not have the ${role} role`);
  return person;
}

/** Removing a role from someone still assigned in that capacity would leave a team or customer without a valid contact. */
export function assertKeepsAssignedRoles(
  roles: readonly Role[],
  assignments: {
    ledTeamIds: string[];
    serviceManagerOfCustomerIds: string[];
    customerSuccessManagerOfCustomerIds: string[];
  },
): void {
  const dropped: [Role, string[], string][] = [
    ['team_lead', assignments.ledTeamIds, 'leads team'],
    ['service_manager', assignments.serviceManagerOfCustomerIds, 'is service manager of'],
    ['customer_success_manager', assignments.customerSuccessManagerOfCustomerIds, 'is customer success manager of'],
  ];
  for (const [role, ids, what] of dropped) {
    if (ids.length > 0 && !roles.includes(role)) {
      throw badInput(
        'input.roles',
        `Cannot remove the ${role} role: this person ${what} ${ids.join(', ')}; assign someone else first`,
      );
    }
  }
}
