import { hasRole, type Caller } from '@servicecenter/platform-auth';
import { forbidden } from '@servicecenter/platform-errors';
import type { Person } from './directory';
import type { CustomerFilter, PersonFilter, ProductFilter } from './ports';

/**
 * Who reads what in the directory. The Service Center and the other internal roles read
 * everything; a customer user reads their own organisation, its people, and the product
 * catalogue. Teams are the vendor's internal organisation and stay hidden from customers.
 */
const isCustomerUser = (caller: Caller) => hasRole(caller, 'customer');
const isSignedIn = (caller: Caller) => caller.roles.length > 0;
const isInternal = (caller: Caller) => isSignedIn(caller) && !isCustomerUser(caller);

/** Directory data is managed by admins only (people, contracts, teams, products). */
export function assertAdmin(caller: Caller): void {
  if (!hasRole(caller, 'admin')) throw forbidden('Only an admin manages directory data');
}

export const canReadCatalogue = (caller: Caller) => isSignedIn(caller);

export const canReadTeams = (caller: Caller) => isInternal(caller);

/** Listing teams is refused outright for customers, rather than answered with an empty list that looks like data. */
export function assertCanListTeams(caller: Caller): void {
  if (!canReadTeams(caller)) throw forbidden('Service Center teams are internal');
}

export function canReadCustomer(caller: Caller, customerId: string): boolean {
  if (isCustomerUser(caller)) return !!caller.customerId && caller.customerId === customerId;
  return isSignedIn(caller);
}

export function canReadPerson(caller: Caller, person: Pick<Person, 'id' | 'customerId'>): boolean {
  if (isSignedIn(caller) && person.id === caller.id) return true;
  if (isCustomerUser(caller)) return !!caller.customerId && person.customerId === caller.customerId;
  return isSignedIn(caller);
}

/** A customer user's customer list holds their own organisation at most. */
export function customerFilterFor(caller: Caller, search: string | undefined): CustomerFilter {
  if (!isSignedIn(caller)) throw forbidden('Sign in to read the directory');
  if (!isCustomerUser(caller)) return { search };
  // A customer token without organisation sees no customer; '' matches no id.
  return { search, onlyId: caller.customerId ?? '' };
}

export function productFilterFor(caller: Caller, filter: ProductFilter): ProductFilter {
  if (filter.teamId && !canReadTeams(caller))
    throw forbidden('Service Center teams are internal: customers cannot filter by team');
  return filter;
}

/** Customers list the people of their own organisation only. */
export function peopleFilterFor(caller: Caller, filter: PersonFilter): PersonFilter {
  if (!isCustomerUser(caller)) return filter;
  if (filter.customerId && filter.customerId !== caller.customerId) {
    throw forbidden('Customers see the people of their own organisation only');
  }
  if (filter.teamId) throw forbidden('Service Center teams are internal: customers cannot list team members');
  return { ...filter, customerId: caller.customerId ?? '' };
}
