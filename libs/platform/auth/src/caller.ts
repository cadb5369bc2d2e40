import type { Role } from './roles';

/** Who is calling, as the gateway established it from the bearer token. */
export interface Caller {
  /** Subject of the token: the person's id. */
  id: string;
  name?: string;
  roles: Role[];
  /** The customer organisation a customer user belongs to. */
  customerId?: string;
}

export const ANONYMOUS: Caller = Object.freeze({ id: 'anonymous', roles: [] as Role[] }) as Caller;

export const isAnonymous = (caller: Caller) => caller.roles.length === 0 && caller.id === 'anonymous';

export const hasRole = (caller: Caller, ...roles: Role[]) => roles.some((r) => caller.roles.includes(r));

/** The caller used by background work (consumers, timers) in events' `actor` field. */
export const systemActor = (service: string) => `system:${service}`;
