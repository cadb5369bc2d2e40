import { requireCaller, type RequestContext } from '@servicecenter/platform-graphql';
import type { ServiceStatus } from './service-runtime';

export interface StatusContext extends RequestContext {
  status(): Promise<ServiceStatus>;
}

/** `Query.<service>Status`: any signed-in caller may see the operational facts. */
export const statusResolver = (_: unknown, __: unknown, ctx: StatusContext) => {
  requireCaller(ctx);
  return ctx.status();
};
