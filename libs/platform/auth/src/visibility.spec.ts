import type { Caller } from './caller';
import { ROLES, type Role } from './roles';
import {
  PRODUCT_DEVELOPMENT,
  SEES_EVERY_CUSTOMER,
  canSeeCustomer,
  customerScope,
  customerScopeSql,
  customersCovered,
  type CustomerRelation,
} from './visibility';

const A: CustomerRelation = { customerId: 'cust-a', serviceManagerId: 'p-sm', customerSuccessManagerId: 'p-csm' };
const B: CustomerRelation = { customerId: 'cust-b', serviceManagerId: 'p-sm-b', customerSuccessManagerId: null };
const staff = (id: string, ...roles: Role[]): Caller => ({ id, roles });

describe('the visibility rule: which customers a caller sees', () => {
  it('gives every role a rule: every customer, a relation, the own organisation, or handed-over work only', () => {
    const covered = new Set<Role>([
      ...SEES_EVERY_CUSTOMER,
      ...PRODUCT_DEVELOPMENT,
      'service_manager',
      'customer_success_manager',
      'customer',
    ]);
    expect(ROLES.filter((r) => !covered.has(r))).toEqual([]);
  });

  it.each(SEES_EVERY_CUSTOMER)('%s sees every customer, known to the service or not', (role) => {
    const caller = staff('p-x', role);
    expect([A, B].map((c) => canSeeCustomer(caller, c.customerId, c))).toEqual([true, true]);
    expect(canSeeCustomer(caller, 'cust-new', null)).toBe(true);
  });

  it('a service manager sees the customers they are service manager of, and no other', () => {
    const sm = staff('p-sm', 'service_manager');
    expect(canSeeCustomer(sm, 'cust-a', A)).toBe(true);
    expect(canSeeCustomer(sm, 'cust-b', B)).toBe(false);
    expect(canSeeCustomer(sm, 'cust-a', null)).toBe(false); // not heard of yet: not theirs yet
  });

  it('a customer success manager sees the customers they are CSM of; the relation counts for its own role only', () => {
    expect(canSeeCustomer(staff('p-csm', 'customer_success_manager'), 'cust-a', A)).toBe(true);
    expect(canSeeCustomer(staff('p-csm', 'customer_success_manager'), 'cust-b', B)).toBe(false);
    // p-csm named as CSM, but acting as a service manager only: the CSM relation needs the CSM role.
    expect(canSeeCustomer(staff('p-csm', 'service_manager'), 'cust-a', A)).toBe(false);
  });

  it('a customer user sees their own organisation; a customer token without organisation sees none', () => {
    const user: Caller = { id: 'u-a', roles: ['customer'], customerId: 'cust-a' };
    expect(canSeeCustomer(user, 'cust-a', A)).toBe(true);
    expect(canSeeCustomer(user, 'cust-b', B)).toBe(false);
    expect(canSeeCustomer({ id: 'u-x', roles: ['customer'] }, 'cust-a', A)).toBe(false);
  });

  it.each(PRODUCT_DEVELOPMENT)('%s sees no customer as such, only work handed to product development', (role) => {
    const scope = customerScope(staff('p-pd', role));
    expect(scope).toEqual({
      all: false,
      customerIds: [],
      serviceManagerOf: null,
      customerSuccessManagerOf: null,
      handedToProductDevelopment: true,
    });
    expect(customersCovered(scope, [A, B])).toEqual([]);
  });

  it('adds up the roles of a person', () => {
    const both = staff('p-sm-b', 'service_manager', 'customer');
    expect(customersCovered(customerScope({ ...both, customerId: 'cust-a' }), [A, B])).toEqual(['cust-a', 'cust-b']);
    expect(customersCovered(customerScope(staff('p-x', 'service_manager', 'team_lead')), [A, B])).toEqual([
      'cust-a',
      'cust-b',
    ]);
  });

  it('turns the scope into one SQL condition with positional parameters', () => {
    const relation = { table: 'customer_relation', customerColumn: 'customer_id' };
    expect(customerScopeSql(customerScope(staff('p', 'team_lead')), 'e.customer_id', relation, 3)).toEqual({
      sql: 'true',
      params: [],
    });
    expect(
      customerScopeSql(
        customerScope({ id: 'p-sm', roles: ['service_manager', 'customer_success_manager'] }),
        'e.customer_id',
        relation,
        3,
      ),
    ).toEqual({
      sql: '(e.customer_id IN (SELECT customer_id FROM customer_relation WHERE service_manager_id = $3 OR customer_success_manager_id = $4))',
      params: ['p-sm', 'p-sm'],
    });
    expect(
      customerScopeSql(
        customerScope({ id: 'u', roles: ['customer'], customerId: 'cust-a' }),
        'e.customer_id',
        relation,
        1,
      ),
    ).toEqual({ sql: '(e.customer_id = ANY($1::text[]))', params: [['cust-a']] });
    expect(customerScopeSql(customerScope(staff('p', 'pd_product_owner')), 'c', relation, 1)).toEqual({
      sql: 'false',
      params: [],
    });
    expect(customerScopeSql(customerScope(staff('p', 'pd_product_owner')), 'c', relation, 1, 'e.handed')).toEqual({
      sql: '((e.handed))',
      params: [],
    });
  });
});
