/**
 * The roles of the RACI matrix (../shared/raci.csv columns), plus the UAT coordinator and
 * testers of DOMAIN.md "Release testing" and an `admin` who manages directory data.
 * Kept in snake_case so they match the RACI column names one to one.
 */
export const ROLES = [
  'customer',
  'support_consultant',
  'team_lead',
  'manager_service_center',
  'service_manager',
  'manager_service_management',
  'customer_success_manager',
  'csm_director',
  'customer_success_director',
  'pd_change_coordinator',
  'pd_product_owner',
  'product_manager',
  'productline_manager',
  'development_manager',
  'labs_director',
  'uat_coordinator',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
