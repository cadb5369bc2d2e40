import { onRequestsRegistered, type RequestSlaStore, type TrackingStart } from './request-sla';

class MemoryStore implements RequestSlaStore {
  readonly calls: TrackingStart[][] = [];
  async startTracking(starts: readonly TrackingStart[]) {
    this.calls.push([...starts]);
    return starts.map((s) => ({ requestId: s.sla.requestId, agreement: null }));
  }
}

const registered = (n: number) => ({
  requestId: `r${n}`,
  number: `SC-2026-00000${n}`,
  customerId: 'acme',
  type: 'INCIDENT',
  requestedPriority: 'HIGH',
  registeredAt: `2026-11-20T15:3${n}:00.000Z`,
});

describe('SLA tracking of registered requests', () => {
  it('starts at the registration time, not at the time the event arrives', async () => {
    const store = new MemoryStore();
    await onRequestsRegistered(store, [registered(1)]);
    expect(store.calls).toEqual([
      [
        {
          sla: {
            requestId: 'r1',
            customerId: 'acme',
            requestType: 'INCIDENT',
            priority: 'HIGH',
            trackedSince: new Date('2026-11-20T15:31:00.000Z'),
          },
          first: {
            requestId: 'r1',
            at: new Date('2026-11-20T15:31:00.000Z'),
            kind: 'STARTED',
            note: 'Registered as SC-2026-000001',
          },
        },
      ],
    ]);
  });

  it('starts a set of registrations with one store call, and none for no registration', async () => {
    const store = new MemoryStore();
    await onRequestsRegistered(store, [registered(1), registered(2)]);
    await onRequestsRegistered(store, []);
    expect(store.calls.map((call) => call.map((s) => s.sla.requestId))).toEqual([['r1', 'r2']]);
  });
});
