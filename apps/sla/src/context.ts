import DataLoader from 'dataloader';
import type { RequestContext } from '@servicecenter/graphql';
import type { ServiceStatus } from '@servicecenter/service';
import type { RequestSla, RequestSlaReader, SlaTimelineEntry } from './domain/request-sla';

export interface SlaContext extends RequestContext {
  loaders: {
    slaByRequestId: DataLoader<string, RequestSla | null>;
    timelineByRequestId: DataLoader<string, SlaTimelineEntry[]>;
  };
  status(): Promise<ServiceStatus>;
}

export function slaLoaders(reader: RequestSlaReader): SlaContext['loaders'] {
  return {
    slaByRequestId: new DataLoader(async (ids) => {
      const found = new Map((await reader.findByRequestIds(ids)).map((s) => [s.requestId, s]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    timelineByRequestId: new DataLoader(async (ids) => {
      const byRequest = new Map<string, SlaTimelineEntry[]>(ids.map((id) => [id, []]));
      for (const entry of await reader.timelinesFor(ids)) byRequest.get(entry.requestId)?.push(entry);
      return ids.map((id) => byRequest.get(id) ?? []);
    }),
  };
}
