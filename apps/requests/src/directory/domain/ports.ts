import type { Role } from '@servicecenter/platform-auth';
import type { Customer, DirectoryLookup, Person, Product, ProductGroup, Team } from './directory';

/** Keyset position in a name-ordered list: the last row's name, then id as tie-breaker. */
export interface NameKey {
  name: string;
  id: string;
}

/** Ask for `limit` rows after `after`; callers ask one row more than they show to learn if there is a next page. */
export interface Page {
  limit: number;
  after?: NameKey;
}

export interface CustomerFilter {
  /** Case-insensitive part of the name. */
  search?: string;
  /** Restricts the list to one organisation (a customer user sees only their own). */
  onlyId?: string;
}

export interface ProductFilter {
  productGroupId?: string;
  teamId?: string;
}

export interface PersonFilter {
  role?: Role;
  teamId?: string;
  customerId?: string;
}

/** Whose people a child list shows: a customer's users or a team's members. */
export type PeopleParent = 'customer' | 'team';

/** Directory reads for the graph: lists in name order, batched child lists. */
export interface DirectoryReader extends DirectoryLookup {
  customers(filter: CustomerFilter, page: Page): Promise<Customer[]>;
  countCustomers(filter: CustomerFilter): Promise<number>;
  products(filter: ProductFilter, page: Page): Promise<Product[]>;
  countProducts(filter: ProductFilter): Promise<number>;
  productGroups(): Promise<ProductGroup[]>;
  teams(): Promise<Team[]>;
  people(filter: PersonFilter, page: Page): Promise<Person[]>;
  countPeople(filter: PersonFilter): Promise<number>;
  /** The same page of people for many parents in one query (Customer.users, Team.members). */
  peopleOf(parent: PeopleParent, parentIds: readonly string[], page: Page): Promise<Map<string, Person[]>>;
  countPeopleOf(parent: PeopleParent, parentIds: readonly string[]): Promise<Map<string, number>>;
}

/** Where a person is referenced in a capacity that needs one of their roles. */
export interface PersonAssignments {
  ledTeamIds: string[];
  serviceManagerOfCustomerIds: string[];
  customerSuccessManagerOfCustomerIds: string[];
}

/**
 * Directory writes inside one transaction. Unique violations (duplicate id or name) come
 * back as CONFLICT naming the input field.
 */
export interface DirectoryStore extends DirectoryLookup {
  insertProductGroup(group: ProductGroup): Promise<void>;
  updateProductGroup(group: ProductGroup): Promise<void>;
  insertTeam(team: Team): Promise<void>;
  updateTeam(team: Team): Promise<void>;
  insertProduct(product: Product): Promise<void>;
  updateProduct(product: Product): Promise<void>;
  insertCustomer(customer: Customer): Promise<void>;
  updateCustomer(customer: Customer): Promise<void>;
  insertPerson(person: Person): Promise<void>;
  /** Replaces the person's fields and team memberships. */
  updatePerson(person: Person): Promise<void>;
  assignmentsOf(personId: string): Promise<PersonAssignments>;
}

/** Events staged by admin work; they are written with the transaction (or not at all). */
export interface DirectoryEvents {
  /** The customer after a create or update (servicecenter.customer.saved.v1). */
  customerSaved(customer: Customer): void;
  /** The product after a create or update (servicecenter.directory.product-saved.v1). */
  productSaved(product: Product): void;
  /** The person after a create or update (servicecenter.directory.person-saved.v1). */
  personSaved(person: Person): void;
}

/** Runs admin work in one transaction: either everything is written (with its events) or nothing. */
export interface DirectoryUnitOfWork {
  run<T>(work: (store: DirectoryStore, events: DirectoryEvents) => Promise<T>, meta?: { actor?: string }): Promise<T>;
}
