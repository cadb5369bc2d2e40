import { requireRole, type RequestContext } from '@servicecenter/platform-graphql';
import type { ServiceStatus } from './service-runtime';

export interface StatusContext extends RequestContext {
  status(): Promise<ServiceStatus>;
}

/**
 * `Query.<service>Status`: the operational facts (database, transport, outbox backlog) are for
 * admins only; operators watch the same facts as metrics. Everyone else gets FORBIDDEN.
 */
export const statusResolver = (_: unknown, __: unknown, ctx: StatusContext) => {
  requireRole(ctx, 'admin');
  return ctx.status();
};
