import type { AgreementRef, RequestSlaState } from './clocks';
export type SlaTimelineKind = 'STARTED' | 'PAUSED' | 'RESUMED' | 'MET' | 'RECALCULATED' | 'WARNED' | 'BREACHED';

export interface SlaTimelineEntry {
  requestId: string;
  at: Date;
  kind: SlaTimelineKind;
  note: string | null;
}

/** What the SLA service knows of a request (grown into clocks by the SLA issue). */
export interface RequestSla {
  requestId: string;
  customerId: string;
  requestType: string;
  priority: string;
  trackedSince: Date;
}

/** A request whose SLA tracking starts: its record and its first timeline entry. */
export interface TrackingStart {
  sla: RequestSla;
  first: SlaTimelineEntry;
}

/** A request whose tracking started, with the agreement in force for its customer when it was registered. */
export interface StartedTracking {
  requestId: string;
  /** null: no agreement was saved by then (the built-in generic one applies). */
  agreement: AgreementRef | null;
}

export interface RequestSlaStore {
  /**
   * Starts tracking the requests not tracked yet, each with its first timeline entry; a
   * request already tracked (a repeated registration) is left as it is. Returns the requests
   * it started tracking, each with the agreement in force for its customer at its
   * registration time (what its clocks start on).
   */
  startTracking(starts: readonly TrackingStart[]): Promise<StartedTracking[]>;
}

export interface RequestSlaReader {
  /** Requests' SLA records, each with its clocks' state (null before the first clock is written). */
  findWithStates(ids: readonly string[]): Promise<{ sla: RequestSla; state: RequestSlaState | null }[]>;
  timelinesFor(ids: readonly string[]): Promise<SlaTimelineEntry[]>;
}

interface Registered {
  requestId: string;
  customerId: string;
  type: string;
  requestedPriority: string;
  registeredAt: string;
  number: string;
}

/** Registration starts SLA tracking at the registration time, with the first timeline entry. */
export function trackingStartOf(registered: Registered): TrackingStart {
  const trackedSince = new Date(registered.registeredAt);
  return {
    sla: {
      requestId: registered.requestId,
      customerId: registered.customerId,
      requestType: registered.type,
      priority: registered.requestedPriority,
      trackedSince,
    },
    first: {
      requestId: registered.requestId,
      at: trackedSince,
      kind: 'STARTED',
      note: `Registered as ${registered.number}`,
    },
  };
}

/**
 * Registrations start SLA tracking, a set at a time (one store call). Returns the requests
 * whose tracking started now (they have no clocks yet), each with the agreement in force at
 * its registration.
 */
export async function onRequestsRegistered(
  store: RequestSlaStore,
  registered: readonly Registered[],
): Promise<Map<string, AgreementRef | null>> {
  const started = registered.length > 0 ? await store.startTracking(registered.map(trackingStartOf)) : [];
  return new Map(started.map((s) => [s.requestId, s.agreement]));
}
