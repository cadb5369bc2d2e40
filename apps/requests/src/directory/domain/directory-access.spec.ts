import { ANONYMOUS, type Caller } from '@servicecenter/platform-auth';
import {
  assertAdmin,
  canReadCatalogue,
  canReadCustomer,
  canReadPerson,
  canReadTeams,
  customerFilterFor,
  peopleFilterFor,
  productFilterFor,
} from './directory-access';

const consultant: Caller = { id: 'p-anna-devries', roles: ['support_consultant'] };
const productOwner: Caller = { id: 'p-eva-van-leeuwen', roles: ['pd_product_owner'] };
const marieke: Caller = { id: 'p-marieke-bakker', roles: ['customer'], customerId: 'cust-bakker-logistiek' };
const orphan: Caller = { id: 'p-lost', roles: ['customer'] };
const colleague = { id: 'p-kees-van-den-berg', customerId: 'cust-bakker-logistiek' };
const stranger = { id: 'p-anouk-willems', customerId: 'cust-zorggroep-de-linde' };

describe('directory read rules', () => {
  it('lets internal roles read every organisation, person and team', () => {
    for (const caller of [consultant, productOwner]) {
      expect(canReadCustomer(caller, 'cust-zorggroep-de-linde')).toBe(true);
      expect(canReadPerson(caller, stranger)).toBe(true);
      expect(canReadTeams(caller)).toBe(true);
    }
  });

  it('lets a customer user read their own organisation and its people only', () => {
    expect(canReadCustomer(marieke, 'cust-bakker-logistiek')).toBe(true);
    expect(canReadCustomer(marieke, 'cust-zorggroep-de-linde')).toBe(false);
    expect(canReadPerson(marieke, colleague)).toBe(true);
    expect(canReadPerson(marieke, stranger)).toBe(false);
    expect(canReadPerson(marieke, { id: 'p-anna-devries', customerId: null })).toBe(false);
    expect(canReadTeams(marieke)).toBe(false);
    expect(canReadCatalogue(marieke)).toBe(true);
  });

  it('shows a customer token without organisation nothing but itself', () => {
    expect(canReadCustomer(orphan, '')).toBe(false);
    expect(canReadPerson(orphan, { id: 'p-lost', customerId: null })).toBe(true);
    expect(customerFilterFor(orphan, undefined)).toEqual({ search: undefined, onlyId: '' });
  });

  it('shows anonymous callers nothing', () => {
    expect(canReadCustomer(ANONYMOUS, 'cust-bakker-logistiek')).toBe(false);
    expect(canReadPerson(ANONYMOUS, { id: 'anonymous', customerId: null })).toBe(false);
    expect(canReadCatalogue(ANONYMOUS)).toBe(false);
  });

  it('narrows list filters to the customer user’s organisation and refuses what reaches outside it', () => {
    expect(customerFilterFor(marieke, 'bak')).toEqual({ search: 'bak', onlyId: 'cust-bakker-logistiek' });
    expect(peopleFilterFor(marieke, { role: 'customer' })).toEqual({
      role: 'customer',
      customerId: 'cust-bakker-logistiek',
    });
    expect(() => peopleFilterFor(marieke, { customerId: 'cust-zorggroep-de-linde' })).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(() => peopleFilterFor(marieke, { teamId: 'team-hr' })).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(() => productFilterFor(marieke, { teamId: 'team-hr' })).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(peopleFilterFor(consultant, { customerId: 'cust-zorggroep-de-linde' })).toEqual({
      customerId: 'cust-zorggroep-de-linde',
    });
  });

  it('leaves directory writes to admins', () => {
    expect(() => assertAdmin({ id: 'p-wendy-kok', roles: ['admin'] })).not.toThrow();
    expect(() => assertAdmin({ id: 'p-ruud-hendriks', roles: ['manager_service_center'] })).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
  });
});
