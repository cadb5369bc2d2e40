import DataLoader from 'dataloader';
import type { Caller } from '@servicecenter/auth';
import type { RequestContext } from '@servicecenter/graphql';
import type { ServiceStatus } from '@servicecenter/service';
import type { RequestReader } from './domain/ports';
import type { Request } from './domain/request';

export interface RequestsContext extends RequestContext {
  reader: RequestReader;
  loaders: { requestById: DataLoader<string, Request | null> };
  useCases: {
    registerRequest(caller: Caller, input: unknown, correlationId: string): Promise<Request>;
  };
  status(): Promise<ServiceStatus>;
}

/** One DataLoader per GraphQL request: batching within it, no cache across callers. */
export function requestLoaders(reader: RequestReader): RequestsContext['loaders'] {
  return {
    requestById: new DataLoader(async (ids) => {
      const found = new Map((await reader.findByIds(ids)).map((r) => [r.id, r]));
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}
