import DataLoader from 'dataloader';
import { childrenLoader, loaderByKey, type RequestContext } from '@servicecenter/platform-graphql';
import type { ServiceStatus } from '@servicecenter/platform-service';
import type { UnitOfWork } from '@servicecenter/platform-events';
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
  };
  /** Agreement versions (and their calendars), cached per version for the life of the process. */
  agreements: PgAgreementBook;
  uow: UnitOfWork;
  compliance: ComplianceReader;
  atRisk: AtRiskReader;
  now(): Date;
  status(): Promise<ServiceStatus>;
}

export function slaLoaders(reader: RequestSlaReader, states: SlaStateRepository): SlaContext['loaders'] {
  const stateByRequestId = loaderByKey(
    (ids) => states.findByRequestIds(ids),
    (s) => s.requestId,
  );
  return {
    stateByRequestId,
    // A page's `sla { targets }` reads both: one statement, the states handed to their loader.
    slaByRequestId: loaderByKey(
      async (ids) => {
        const found = await reader.findWithStates(ids);
        for (const { sla, state } of found) stateByRequestId.prime(sla.requestId, state);
        return found.map((f) => f.sla);
      },
      (s) => s.requestId,
    ),
    timelineByRequestId: childrenLoader(
      (ids) => reader.timelinesFor(ids),
      (entry) => entry.requestId,
    ),
  };
}
