import type { Role } from '@servicecenter/platform-auth';

/**
 * Directory data owned by the requests subgraph (DOMAIN.md "Products, customers,
 * contracts"): who the customers are and what their contract says, which products exist
 * and which Service Center team handles each, and the people with their RACI roles.
 * Ids are text: admins may choose readable ones (`acme`), otherwise a UUID is given.
 */
export interface ProductGroup {
  id: string;
  name: string;
}

export interface Team {
  id: string;
  name: string;
  /** The Service Center team lead / team manager (RACI `team_lead`) of this team. */
  leadId: string | null;
}

export interface Product {
  id: string;
  name: string;
  productGroupId: string;
  /** The Service Center team that handles this product's requests. */
  teamId: string;
}

export interface Customer {
  id: string;
  name: string;
  /** An Application Services contract allows APPLICATION_SERVICE requests. */
  applicationServicesContract: boolean;
  /**
   * The Application Services contract's conditions (raci.csv row 87): which kinds of mutation
   * the contract covers and the priority each gets. Empty: the desk sets the priority by hand.
   */
  applicationServicesConditions: ApplicationServicesCondition[];
  /** Service bundle in hours: base bundle plus credit bundle that requests consume. */
  baseBundleHours: number;
  creditBundleHours: number;
  /** The service manager who owns the relation on service (reads its requests). */
  serviceManagerId: string | null;
  customerSuccessManagerId: string | null;
  /** Preferred language for standard texts sent to this customer. */
  language: Language;
}

export type Language = 'NL' | 'EN';

/** The priorities a condition may give; the same codes as the request's priority. */
export const CONDITION_PRIORITIES = ['HIGH', 'MEDIUM', 'LOW'] as const;

export interface ApplicationServicesCondition {
  /** A bounded token naming the kind of mutation (`user-account`, `price-list`). */
  mutationKind: string;
  priority: (typeof CONDITION_PRIORITIES)[number];
}

/** The condition that covers a kind of mutation, if the contract covers it. */
export const conditionFor = (
  customer: Pick<Customer, 'applicationServicesContract' | 'applicationServicesConditions'>,
  mutationKind: string | null | undefined,
): ApplicationServicesCondition | undefined =>
  customer.applicationServicesContract && mutationKind
    ? customer.applicationServicesConditions.find((c) => c.mutationKind === mutationKind)
    : undefined;

export interface Person {
  /** Also the `sub` of the person's bearer token. */
  id: string;
  name: string;
  email: string;
  roles: Role[];
  /** Set for customer users: the organisation they belong to. */
  customerId: string | null;
  /** Service Center teams the person works in (consultants, team leads). */
  teamIds: string[];
}

/** What the request lifecycle reads from the directory; batched, one query per call. */
export interface DirectoryLookup {
  productsByIds(ids: readonly string[]): Promise<Product[]>;
  customersByIds(ids: readonly string[]): Promise<Customer[]>;
  peopleByIds(ids: readonly string[]): Promise<Person[]>;
  teamsByIds(ids: readonly string[]): Promise<Team[]>;
  productGroupsByIds(ids: readonly string[]): Promise<ProductGroup[]>;
}
