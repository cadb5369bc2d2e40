import type { RequestSlaState } from './clocks';
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

export interface RequestSlaStore {
  /** Returns false when the request was already tracked. */
  startTracking(sla: RequestSla): Promise<boolean>;
  appendTimeline(entry: SlaTimelineEntry): Promise<void>;
}

export interface RequestSlaReader {
  /** Requests' SLA records, each with its clocks' state (null before the first clock is written). */
  findWithStates(ids: readonly string[]): Promise<{ sla: RequestSla; state: RequestSlaState | null }[]>;
  timelinesFor(ids: readonly string[]): Promise<SlaTimelineEntry[]>;
}

/** Registration starts SLA tracking and writes the first timeline entry. */
export async function onRequestRegistered(
  store: RequestSlaStore,
  registered: {
    requestId: string;
    customerId: string;
    type: string;
    requestedPriority: string;
    registeredAt: string;
    number: string;
  },
): Promise<void> {
  const trackedSince = new Date(registered.registeredAt);
  const started = await store.startTracking({
    requestId: registered.requestId,
    customerId: registered.customerId,
    requestType: registered.type,
    priority: registered.requestedPriority,
    trackedSince,
  });
  if (started)
    await store.appendTimeline({
      requestId: registered.requestId,
      at: trackedSince,
      kind: 'STARTED',
      note: `Registered as ${registered.number}`,
    });
}
