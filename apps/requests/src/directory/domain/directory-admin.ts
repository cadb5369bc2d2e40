import { randomUUID } from 'node:crypto';
import type { Caller } from '@servicecenter/platform-auth';
import { badInput, notFound, validate } from '@servicecenter/platform-errors';
import type { Customer, Person, Product, ProductGroup, Team } from './directory';
import { assertAdmin } from './directory-access';
import {
  assertHolds,
  assertKeepsAssignedRoles,
  assertPersonRules,
  CreateCustomerInputSchema,
  CreatePersonInputSchema,
  CreateProductGroupInputSchema,
  CreateProductInputSchema,
  CreateTeamInputSchema,
  UpdateCustomerInputSchema,
  UpdatePersonInputSchema,
  UpdateProductGroupInputSchema,
  UpdateProductInputSchema,
  UpdateTeamInputSchema,
  withChanges,
} from './directory-rules';
import type { DirectoryEvents, DirectoryStore, DirectoryUnitOfWork } from './ports';
import type {
  CreateCustomerInput,
  CreatePersonInput,
  CreateProductGroupInput,
  CreateProductInput,
  CreateTeamInput,
  UpdateCustomerInput,
  UpdatePersonInput,
  UpdateProductGroupInput,
  UpdateProductInput,
  UpdateTeamInput,
} from '../../generated/graphql';

/** Admin writes of the directory: create or update, one input each, all or nothing. */
export interface DirectoryAdmin {
  createProductGroup(caller: Caller, input: CreateProductGroupInput): Promise<ProductGroup>;
  updateProductGroup(caller: Caller, input: UpdateProductGroupInput): Promise<ProductGroup>;
  createTeam(caller: Caller, input: CreateTeamInput): Promise<Team>;
  updateTeam(caller: Caller, input: UpdateTeamInput): Promise<Team>;
  createProduct(caller: Caller, input: CreateProductInput): Promise<Product>;
  updateProduct(caller: Caller, input: UpdateProductInput): Promise<Product>;
  createCustomer(caller: Caller, input: CreateCustomerInput): Promise<Customer>;
  updateCustomer(caller: Caller, input: UpdateCustomerInput): Promise<Customer>;
  createPerson(caller: Caller, input: CreatePersonInput): Promise<Person>;
  updatePerson(caller: Caller, input: UpdatePersonInput): Promise<Person>;
}

async function existing<T>(found: Promise<T[]>, what: string, id: string): Promise<T> {
  const [row] = await found;
  if (!row) throw notFound(what, id);
  return row;
}

async function mustExist(found: Promise<{ id: string }[]>, field: string, what: string, id: string): Promise<void> {
  if ((await found).length === 0) throw badInput(field, `No ${what} ${id} in the directory`);
}

async function checkTeams(store: DirectoryStore, teamIds: string[]): Promise<void> {
  if (teamIds.length === 0) return;
  const found = new Set((await store.teamsByIds(teamIds)).map((t) => t.id));
  const missing = teamIds.filter((id) => !found.has(id));
  if (missing.length > 0) throw badInput('input.teamIds', `No team ${missing.join(', ')} in the directory`);
}

async function checkLead(store: DirectoryStore, leadId: string | null): Promise<void> {
  if (leadId) assertHolds((await store.peopleByIds([leadId]))[0], 'team_lead', 'input.leadId', leadId);
}

/**
 * Checks the contacts `changed` names (all of a new customer's; on an update only those the
 * input sets: the ones kept were checked when set, and their roles cannot be taken away).
 */
async function checkCustomerContacts(
  store: DirectoryStore,
  changed: Partial<Pick<Customer, 'serviceManagerId' | 'customerSuccessManagerId'>>,
): Promise<void> {
  const { serviceManagerId: sm, customerSuccessManagerId: csm } = changed;
  const people = new Map((await store.peopleByIds([sm, csm].filter((id): id is string => !!id))).map((p) => [p.id, p]));
  if (sm) assertHolds(people.get(sm), 'service_manager', 'input.serviceManagerId', sm);
  if (csm) assertHolds(people.get(csm), 'customer_success_manager', 'input.customerSuccessManagerId', csm);
}

/** The person rules on the whole record; references only where `changed` sets them (kept ones exist: foreign keys). */
async function checkPerson(
  store: DirectoryStore,
  person: Person,
  changed: Partial<Pick<Person, 'customerId' | 'teamIds'>> = person,
): Promise<void> {
  assertPersonRules(person);
  if (changed.customerId)
    await mustExist(store.customersByIds([changed.customerId]), 'input.customerId', 'customer', changed.customerId);
  if (changed.teamIds) await checkTeams(store, changed.teamIds);
}

/**
 * The admin use cases. Input is validated before the transaction starts; references are
 * checked inside it, so a failure leaves nothing half-written.
 */
export function directoryAdmin(deps: { uow: DirectoryUnitOfWork; newId?: () => string }): DirectoryAdmin {
  const newId = deps.newId ?? randomUUID;
  // assertAdmin runs first in every use case, so a non-admin learns nothing from validation errors.
  const run = <T>(work: (store: DirectoryStore, events: DirectoryEvents) => Promise<T>, actor?: string) =>
    deps.uow.run(work, { actor });

  return {
    async createProductGroup(caller, raw) {
      assertAdmin(caller);
      const input = validate(CreateProductGroupInputSchema, raw);
      const group: ProductGroup = { id: input.id ?? newId(), name: input.name };
      return run(async (store) => {
        await store.insertProductGroup(group);
        return group;
      });
    },

    async updateProductGroup(caller, raw) {
      assertAdmin(caller);
      const input = validate(UpdateProductGroupInputSchema, raw);
      return run(async (store) => {
        const group = withChanges(
          await existing(store.productGroupsByIds([input.id]), 'Product group', input.id),
          input,
        );
        await store.updateProductGroup(group);
        return group;
      });
    },

    async createTeam(caller, raw) {
      assertAdmin(caller);
      const input = validate(CreateTeamInputSchema, raw);
      const team: Team = { id: input.id ?? newId(), name: input.name, leadId: input.leadId ?? null };
      return run(async (store) => {
        await checkLead(store, team.leadId);
        await store.insertTeam(team);
        return team;
      });
    },

    async updateTeam(caller, raw) {
      assertAdmin(caller);
      const input = validate(UpdateTeamInputSchema, raw);
      return run(async (store) => {
        const team = withChanges(await existing(store.teamsByIds([input.id]), 'Team', input.id), input);
        if (input.leadId !== undefined) await checkLead(store, team.leadId);
        await store.updateTeam(team);
        return team;
      });
    },

    async createProduct(caller, raw) {
      assertAdmin(caller);
      const input = validate(CreateProductInputSchema, raw);
      const product: Product = {
        id: input.id ?? newId(),
        name: input.name,
        productGroupId: input.productGroupId,
        teamId: input.teamId,
      };
      return run(async (store, events) => {
        await mustExist(
          store.productGroupsByIds([product.productGroupId]),
          'input.productGroupId',
          'product group',
          product.productGroupId,
        );
        await mustExist(store.teamsByIds([product.teamId]), 'input.teamId', 'team', product.teamId);
        await store.insertProduct(product);
        events.productSaved(product);
        return product;
      }, caller.id);
    },

    async updateProduct(caller, raw) {
      assertAdmin(caller);
      const input = validate(UpdateProductInputSchema, raw);
      return run(async (store, events) => {
        const product = withChanges(await existing(store.productsByIds([input.id]), 'Product', input.id), input);
        if (input.productGroupId)
          await mustExist(
            store.productGroupsByIds([input.productGroupId]),
            'input.productGroupId',
            'product group',
            input.productGroupId,
          );
        if (input.teamId) await mustExist(store.teamsByIds([input.teamId]), 'input.teamId', 'team', input.teamId);
        await store.updateProduct(product);
        events.productSaved(product);
        return product;
      }, caller.id);
    },

    async createCustomer(caller, raw) {
      assertAdmin(caller);
      const { id, ...fields } = validate(CreateCustomerInputSchema, raw);
      const customer: Customer = {
        id: id ?? newId(),
        ...fields,
        serviceManagerId: fields.serviceManagerId ?? null,
        customerSuccessManagerId: fields.customerSuccessManagerId ?? null,
      };
      return run(async (store, events) => {
        await checkCustomerContacts(store, customer);
        await store.insertCustomer(customer);
        events.customerSaved(customer);
        return customer;
      }, caller.id);
    },

    async updateCustomer(caller, raw) {
      assertAdmin(caller);
      const input = validate(UpdateCustomerInputSchema, raw);
      return run(async (store, events) => {
        const customer = withChanges(await existing(store.customersByIds([input.id]), 'Customer', input.id), input);
        await checkCustomerContacts(store, input);
        await store.updateCustomer(customer);
        events.customerSaved(customer);
        return customer;
      }, caller.id);
    },

    async createPerson(caller, raw) {
      assertAdmin(caller);
      const input = validate(CreatePersonInputSchema, raw);
      const person: Person = { ...input, id: input.id ?? newId(), customerId: input.customerId ?? null };
      return run(async (store, events) => {
        await checkPerson(store, person);
        await store.insertPerson(person);
        events.personSaved(person);
        return person;
      }, caller.id);
    },

    async updatePerson(caller, raw) {
      assertAdmin(caller);
      const input = validate(UpdatePersonInputSchema, raw);
      return run(async (store, events) => {
        const person = withChanges(await existing(store.peopleByIds([input.id]), 'Person', input.id), input);
        await checkPerson(store, person, input);
        if (input.roles) assertKeepsAssignedRoles(person.roles, await store.assignmentsOf(person.id));
        await store.updatePerson(person);
        events.personSaved(person);
        return person;
      }, caller.id);
    },
  };
}
