import { randomUUID } from 'node:crypto';
import {
  REQUEST_EVENTS,
  RequestClosed,
  RequestPrioritised,
  RequestRegistered,
  RequestReplied,
  type RequestFacts,
  formatSequence,
  type EventContract,
} from '@servicecenter/contracts';
import { InProcessTransport } from '@servicecenter/platform-events';
import type { SubgraphService } from '@servicecenter/platform-service';
import { waitFor, type TestDatabase } from '@servicecenter/testing';
import { startEscalationsService } from '../testing/escalations-service';

/** The request read model: fed by every request event, once per event, newest version wins. */
describe('request read model of the escalations service', () => {
  let db: TestDatabase;
  let service: SubgraphService;
  const transport = new InProcessTransport();
  const requestId = randomUUID();
  let seq = 0;

  const facts = (version: number, over: Partial<RequestFacts> = {}): RequestFacts => ({
    requestId,
    number: 'SC-2026-000042',
    type: 'INCIDENT',
    customerId: 'cust-acme',
    productId: 'prod-payroll',
    productGroupId: 'grp-payroll',
    teamId: null,
    assigneeId: null,
    requestedPriority: 'MEDIUM',
    priority: null,
    status: 'REGISTERED',
    previousStatus: null,
    occurredAt: `2026-03-02T09:00:0${version}.000Z`,
    version,
    ...over,
  });
  const deliver = (contract: EventContract, data: Record<string, unknown>, id = randomUUID()) =>
    transport.publish([
      {
        topic: contract.topic,
        key: requestId,
        envelope: {
          specversion: '1.0',
          id,
          source: '/servicecenter/requests',
          type: contract.type,
          time: new Date().toISOString(),
          subject: requestId,
          datacontenttype: 'application/json',
          sequence: formatSequence(++seq),
          data,
        },
      },
    ]);
  const row = async () =>
    (
      (await service
        .runtime()
        .dataSource.query(`SELECT * FROM request_view WHERE request_id = $1`, [requestId])) as Record<string, unknown>[]
    )[0];
  const applied = async () =>
    Number(
      ((await service.runtime().dataSource.query(`SELECT count(*)::int AS n FROM inbox`)) as { n: number }[])[0].n,
    );

  beforeAll(async () => {
    ({ db, service } = await startEscalationsService('escalations_read_model', transport));
  });
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  it('consumes every request event type', () => {
    expect(REQUEST_EVENTS.length).toBeGreaterThan(10);
  });

  it('keeps the newest facts, ignores late older versions and redeliveries, and tracks public desk updates', async () => {
    const registered = randomUUID();
    await deliver(
      RequestRegistered,
      { ...facts(1), title: 't', requesterId: 'u-acme', registeredAt: '2026-03-02T09:00:01.000Z', followUpOf: null },
      registered,
    );
    await waitFor(row, (r) => r !== undefined, { what: 'the registered request' });
    expect(await row()).toMatchObject({
      number: 'SC-2026-000042',
      customer_id: 'cust-acme',
      status: 'REGISTERED',
      version: 1,
      last_public_update_at: null,
    });

    const reply = (version: number, side: string, visibility: string) => ({
      ...facts(version, { status: 'ACCEPTED' }),
      replyId: randomUUID(),
      authorId: 'p-anna',
      side,
      visibility,
      kind: 'MESSAGE',
      firstResponse: false,
    });
    await deliver(RequestReplied, reply(3, 'SERVICE_CENTER', 'PUBLIC'));
    await deliver(RequestReplied, reply(4, 'SERVICE_CENTER', 'INTERNAL'));
    await deliver(RequestReplied, reply(5, 'CUSTOMER', 'PUBLIC'));
    // Version 2 arrives late: older facts change nothing.
    await deliver(RequestPrioritised, {
      ...facts(2, { priority: 'LOW', status: 'REGISTERED' }),
      previousPriority: null,
      justification: null,
      category: null,
    });
    // A redelivery of the registration is recorded once in the inbox and changes nothing.
    await deliver(
      RequestRegistered,
      { ...facts(1), title: 't', requesterId: 'u-acme', registeredAt: '2026-03-02T09:00:01.000Z', followUpOf: null },
      registered,
    );
    await waitFor(applied, (n) => n >= 5, { what: 'five distinct events applied' });
    expect(await applied()).toBe(5);
    const r = await row();
    expect(r).toMatchObject({ status: 'ACCEPTED', version: 5, priority: null });
    expect(new Date(r.last_public_update_at as string).toISOString()).toBe('2026-03-02T09:00:03.000Z');
  });

  it('keeps the earliest registration time even when the registration arrives after newer facts', async () => {
    const late = randomUUID();
    const rowOf = async () =>
      (
        (await service
          .runtime()
          .dataSource.query(`SELECT * FROM request_view WHERE request_id = $1`, [late])) as Record<string, unknown>[]
      )[0];
    // Version 3 first: the row starts from it, with its time as the registration time so far.
    await deliver(RequestPrioritised, {
      ...facts(3, { requestId: late, number: 'SC-2026-000077', priority: 'HIGH', status: 'ACCEPTED' }),
      previousPriority: null,
      justification: null,
      category: null,
    });
    await waitFor(rowOf, (r) => r !== undefined, { what: 'the late request' });
    expect(new Date((await rowOf()).registered_at as string).toISOString()).toBe('2026-03-02T09:00:03.000Z');
    // The registration (version 1) comes late: older facts change nothing, its earlier time is kept.
    await deliver(RequestRegistered, {
      ...facts(1, { requestId: late, number: 'SC-2026-000077' }),
      title: 't',
      requesterId: 'u-acme',
      registeredAt: '2026-03-02T08:59:59.000Z',
      followUpOf: null,
    });
    await waitFor(rowOf, (r) => new Date(r.registered_at as string).toISOString() === '2026-03-02T08:59:59.000Z', {
      what: 'the earlier registration time',
    });
    expect(await rowOf()).toMatchObject({ status: 'ACCEPTED', priority: 'HIGH', version: 3 });
  });

  it('applies a whole history delivered at once (one set) as it would event by event', async () => {
    const other = randomUUID();
    const of = (version: number, over: Partial<RequestFacts> = {}) =>
      facts(version, { requestId: other, number: 'SC-2026-000043', ...over });
    const envelope = (contract: EventContract, data: Record<string, unknown>) => ({
      topic: contract.topic,
      key: other,
      envelope: {
        specversion: '1.0' as const,
        id: randomUUID(),
        source: '/servicecenter/requests',
        type: contract.type,
        time: new Date().toISOString(),
        subject: other,
        datacontenttype: 'application/json' as const,
        sequence: formatSequence(++seq),
        data,
      },
    });
    const reply = (version: number, side: string) => ({
      ...of(version, { status: 'IN_HANDLING', priority: 'HIGH' }),
      replyId: randomUUID(),
      authorId: 'p-anna',
      side,
      visibility: 'PUBLIC',
      kind: 'MESSAGE',
      firstResponse: false,
    });
    const before = await applied();
    const history = [
      envelope(RequestRegistered, {
        ...of(1),
        title: 't',
        requesterId: 'u-acme',
        registeredAt: '2026-03-02T09:00:01.000Z',
        followUpOf: null,
      }),
      envelope(RequestPrioritised, {
        ...of(2, { priority: 'HIGH' }),
        previousPriority: null,
        justification: null,
        category: null,
      }),
      envelope(RequestReplied, reply(3, 'SERVICE_CENTER')),
      envelope(RequestReplied, reply(4, 'CUSTOMER')),
      envelope(RequestClosed, {
        ...of(5, { status: 'CLOSED', priority: 'HIGH' }),
        completionReason: 'SOLVED',
        automatic: false,
        closedAt: '2026-03-02T09:00:05.000Z',
        registeredAt: '2026-03-02T09:00:01.000Z',
        continuedAs: null,
      }),
    ];
    await transport.publish(history);
    await waitFor(applied, (n) => n >= before + 5, { what: 'the five events of the history' });
    // One transaction for the set (a failed set would have been applied again event by event).
    const [{ transactions }] = await service
      .runtime()
      .dataSource.query(`SELECT count(DISTINCT xmin::text)::int AS transactions FROM inbox WHERE event_id = ANY($1)`, [
        history.map((h) => h.envelope.id),
      ]);
    expect(transactions).toBe(1);
    const r = (
      (await service.runtime().dataSource.query(`SELECT * FROM request_view WHERE request_id = $1`, [other])) as Record<
        string,
        unknown
      >[]
    )[0];
    expect(r).toMatchObject({ status: 'CLOSED', version: 5, priority: 'HIGH', number: 'SC-2026-000043' });
    expect(new Date(r.registered_at as string).toISOString()).toBe('2026-03-02T09:00:01.000Z');
    // The desk's public reply (version 3), not the customer's later one.
    expect(new Date(r.last_public_update_at as string).toISOString()).toBe('2026-03-02T09:00:03.000Z');
  });
});
