import { EntitySchema } from 'typeorm';

/** Table rows of the directory; the repository maps them to the domain types. */
export interface ProductGroupRow {
  id: string;
  name: string;
}

export interface TeamRow {
  id: string;
  name: string;
  leadId: string | null;
}

export interface ProductRow {
  id: string;
  name: string;
  productGroupId: string;
  teamId: string;
}

export interface CustomerRow {
  id: string;
  name: string;
  applicationServicesContract: boolean;
  applicationServicesConditions: { mutationKind: string; priority: string }[];
  baseBundleHours: number;
  creditBundleHours: number;
  serviceManagerId: string | null;
  customerSuccessManagerId: string | null;
  language: string;
}

export interface PersonRow {
  id: string;
  name: string;
  email: string;
  roles: string[];
  customerId: string | null;
}

export interface PersonTeamRow {
  personId: string;
  teamId: string;
}

export const ProductGroupEntity = new EntitySchema<ProductGroupRow>({
  name: 'ProductGroup',
  tableName: 'product_group',
  columns: {
    id: { type: 'text', primary: true },
    name: { type: 'text' },
  },
});

export const TeamEntity = new EntitySchema<TeamRow>({
  name: 'Team',
  tableName: 'team',
  columns: {
    id: { type: 'text', primary: true },
    name: { type: 'text' },
    leadId: { name: 'lead_id', type: 'text', nullable: true },
  },
});

export const ProductEntity = new EntitySchema<ProductRow>({
  name: 'Product',
  tableName: 'product',
  columns: {
    id: { type: 'text', primary: true },
    name: { type: 'text' },
    productGroupId: { name: 'product_group_id', type: 'text' },
    teamId: { name: 'team_id', type: 'text' },
  },
});

export const CustomerEntity = new EntitySchema<CustomerRow>({
  name: 'Customer',
  tableName: 'customer',
  columns: {
    id: { type: 'text', primary: true },
    name: { type: 'text' },
    applicationServicesContract: { name: 'application_services_contract', type: 'boolean' },
    applicationServicesConditions: { name: 'application_services_conditions', type: 'jsonb', default: () => "'[]'" },
    baseBundleHours: { name: 'base_bundle_hours', type: 'int' },
    creditBundleHours: { name: 'credit_bundle_hours', type: 'int' },
    serviceManagerId: { name: 'service_manager_id', type: 'text', nullable: true },
    customerSuccessManagerId: { name: 'customer_success_manager_id', type: 'text', nullable: true },
    language: { type: 'text' },
  },
});

export const PersonEntity = new EntitySchema<PersonRow>({
  name: 'Person',
  tableName: 'person',
  columns: {
    id: { type: 'text', primary: true },
    name: { type: 'text' },
    email: { type: 'text' },
    roles: { type: 'text', array: true },
    customerId: { name: 'customer_id', type: 'text', nullable: true },
  },
});

/** Team membership as a join table: foreign keys keep memberships pointing at real teams. */
export const PersonTeamEntity = new EntitySchema<PersonTeamRow>({
  name: 'PersonTeam',
  tableName: 'person_team',
  columns: {
    personId: { name: 'person_id', type: 'text', primary: true },
    teamId: { name: 'team_id', type: 'text', primary: true },
  },
});

export const directoryEntities = [
  ProductGroupEntity,
  TeamEntity,
  ProductEntity,
  CustomerEntity,
  PersonEntity,
  PersonTeamEntity,
];
