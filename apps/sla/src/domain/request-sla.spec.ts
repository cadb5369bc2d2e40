import { onRequestRegistered, type RequestSla, type RequestSlaStore, type SlaTimelineEntry } from './request-sla';

class MemoryStore implements RequestSlaStore {
  readonly tracked = new Map<string, RequestSla>();
  readonly timeline: SlaTimelineEntry[] = [];
  async startTracking(sla: RequestSla) {
    if (this.tracked.has(sla.requestId)) return false;
    this.tracked.set(sla.requestId, sla);
    return true;
  }
  async appendTimeline(entry: SlaTimelineEntry) {
    this.timeline.push(entry);
  }
}

const registered = {
  requestId: 'r1',
  number: 'SC-2026-000001',
  customerId: 'acme',
  type: 'INCIDENT',
  requestedPriority: 'HIGH',
  registeredAt: '2026-11-20T15:30:00.000Z',
};

describe('SLA tracking of a registered request', () => {
  it('starts at the registration time, not at the time the event arrives', async () => {
    const store = new MemoryStore();
    await onRequestRegistered(store, registered);
    expect(store.tracked.get('r1')).toMatchObject({
      trackedSince: new Date('2026-11-20T15:30:00.000Z'),
      priority: 'HIGH',
    });
    expect(store.timeline).toEqual([
      {
        requestId: 'r1',
        at: new Date('2026-11-20T15:30:00.000Z'),
        kind: 'STARTED',
        note: 'Registered as SC-2026-000001',
      },
    ]);
  });

  it('does not start twice for the same request', async () => {
    const store = new MemoryStore();
    await onRequestRegistered(store, registered);
    await onRequestRegistered(store, registered);
    expect(store.timeline).toHaveLength(1);
  });
});
