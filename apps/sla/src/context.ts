import DataLoader from 'dataloader';
import type { RequestContext } from '@servicecenter/graphql';
import type { ServiceStatus } from '@servicecenter/service';
import type { BusinessCalendar } from '@servicecenter/calendar';
import type { UnitOfWork } from '@servicecenter/events';
import type { RequestSlaState } from './domain/clocks';
import type { RequestSla, RequestSlaReader, SlaTimelineEntry } from './domain/request-sla';
import type { SlaStateRepository } from './persistence/sla-state.repository';
import type { ComplianceReader } from './persistence/compliance.reader';
import type { AtRiskReader } from './persistence/at-risk.reader';
import type { PgAgreementBook } from './persistence/agreement.repository';

export interface SlaContext extends RequestContext {
  loaders: {
    slaByRequestId: DataLoader<string, RequestSla | null>;
    timelineByRequestId: DataLoader<string, SlaTimelineEntry[]>;
    stateByRequestId: DataLoader<string, RequestSlaState | null>;
    /** The calendar of the agreement version a request's clocks run on. */
    calendarOf: DataLoader<RequestSlaState, BusinessCalendar, string>;
  };
  /** The default calendar (the generic agreement's). */
  calendar: BusinessCalendar;
  agreements: PgAgreementBook;
  uow: UnitOfWork;
  compliance: ComplianceReader;
  atRisk: AtRiskReader;
  now(): Date;
  status(): Promise<ServiceStatus>;
}

export function slaLoaders(reader: RequestSlaReader, states: SlaStateRepository, agreements: PgAgreementBook): SlaContext['loaders'] {
  return {
    calendarOf: new DataLoader(async (list) => Promise.all(list.map(async (state) => (await agreements.forState(state)).calendar)), {
      cacheKeyFn: (state) => `${state.agreement?.id ?? 'generic'}@${state.agreement?.version ?? 1}`,
    }),
    stateByRequestId: new DataLoader(async (ids) => {
      const found = new Map((await states.findByRequestIds(ids)).map((s) => [s.requestId, s]));
      return ids.map((id) => found.get(id) ?? null);
    }),
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
