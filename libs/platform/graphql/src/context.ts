import { hasRole, isAnonymous, type Caller, type Role } from '@servicecenter/platform-auth';
import { forbidden, unauthenticated } from '@servicecenter/platform-errors';

/** What every resolver gets; services extend it with their use cases and loaders. */
export interface RequestContext {
  caller: Caller;
  /** The gateway's id for the client operation; becomes the events' correlation id. */
  correlationId: string;
  /**
   * The client's `Idempotency-Key` header (forwarded by the gateway): a mutation sent twice
   * with it is made once and answered the same (libs/platform/service/src/idempotency).
   */
  idempotencyKey?: string;
}

export function requireCaller(ctx: RequestContext): Caller {
  if (isAnonymous(ctx.caller)) throw unauthenticated();
  return ctx.caller;
}

export function requireRole(ctx: RequestContext, ...roles: Role[]): Caller {
  const caller = requireCaller(ctx);
  if (!hasRole(caller, ...roles)) throw forbidden(`This needs one of the roles: ${roles.join(', ')}`);
  return caller;
}
