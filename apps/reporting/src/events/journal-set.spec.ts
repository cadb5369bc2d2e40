import { InProcessTransport } from '@servicecenter/platform-events';
import type { SubgraphService } from '@servicecenter/platform-service';
import { TestClock, createTestDatabase, seededRandom, type TestDatabase } from '@servicecenter/testing';
import {
  RequestClosed,
  RequestHandedOver,
  RequestRegistered,
  RequestReplied,
  RequestSolutionProposed,
} from '@servicecenter/contracts';
import { importBacklog } from '../testing/backlog';
import { recountedRollups, rollups } from '../testing/rollups';
import { NOW, scenario } from '../testing/scenario';
import { startReportingService } from '../testing/service';
import { PROJECTION_TABLES, projectEvents, type JournalItem } from './projections';

/**
 * A set's journal and freshness go in one statement, and a registration's title goes in with
 * the request facts: the journal's RETURNING names the events new to it (each once, even if it
 * came twice in the set), freshness counts those (a rebuild counts every event) and names the
 * last per topic, and the title is the one of the request's last registration event in the set,
 * whatever its version.
 */
describe('journal, freshness and title of a set', () => {
  let db: TestDatabase;
  let service: SubgraphService;

  beforeAll(async () => {
    db = await createTestDatabase('reporting_journal_set');
    service = await startReportingService(db.url, new InProcessTransport(), new TestClock(NOW).now);
  });
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  it('journals each event once, counts what was applied and keeps the last registration’s title', async () => {
    const { dataSource } = service.runtime();
    const items: JournalItem[] = importBacklog(2, { seed: 3 }).map(({ contract, envelope }) => ({
      envelope,
      topic: contract.topic,
      data: envelope.data,
    }));
    const registration = items.filter((i) => i.envelope.type === RequestRegistered.type)[0];
    const retitled = {
      ...registration,
      envelope: { ...registration.envelope, id: `${registration.envelope.id}-again` },
      data: { ...(registration.data as object), title: 'Retitled' },
    };
    // The registration twice in the set (a duplicate delivery), then an older-version registration with another title.
    const set = [registration, ...items, retitled];
    const fresh = items.length + 1;
    const topics = new Set(set.map((i) => i.topic));
    const freshness = async () =>
      (await dataSource.query(
        `SELECT topic, last_event_id, events_applied::int AS n FROM rp_freshness ORDER BY topic`,
      )) as { topic: string; last_event_id: string; n: number }[];
    const requestId = (registration.data as { requestId: string }).requestId;

    expect(await dataSource.transaction((m) => projectEvents(m, set, { replay: false }))).toBe(fresh);
    const [{ n: journaled }] = await dataSource.query(`SELECT count(*)::int AS n FROM event_journal`);
    expect(journaled).toBe(fresh);
    // Each event with its own payload, in delivery order (the journal's position); the duplicate once.
    const journal = (await dataSource.query(`SELECT event_id, data FROM event_journal ORDER BY position`)) as {
      event_id: string;
      data: unknown;
    }[];
    expect(journal).toEqual(
      [...items, retitled].map((i) => ({ event_id: i.envelope.id, data: JSON.parse(JSON.stringify(i.data)) })),
    );
    const last = (topic: string) => set.filter((i) => i.topic === topic).at(-1)?.envelope.id;
    const firstRound = [...topics].sort().map((topic) => ({
      topic,
      last_event_id: last(topic),
      n: new Set(set.filter((i) => i.topic === topic).map((i) => i.envelope.id)).size,
    }));
    expect(await freshness()).toEqual(firstRound);
    const [{ title }] = await dataSource.query(`SELECT title FROM rp_request WHERE request_id = $1`, [requestId]);
    expect(title).toBe('Retitled');

    // Live, a redelivered set is skipped whole; a rebuild applies and counts every event.
    expect(await dataSource.transaction((m) => projectEvents(m, set, { replay: false }))).toBe(0);
    expect(await freshness()).toEqual(firstRound);
    expect(await dataSource.transaction((m) => projectEvents(m, set, { replay: true }))).toBe(set.length);
    expect(await freshness()).toEqual(
      firstRound.map((f) => ({ ...f, n: f.n + set.filter((i) => i.topic === f.topic).length })),
    );
  });

  it('writes a request once per set as its events one by one would, whatever their order; older versions and later instants change nothing', async () => {
    const { dataSource } = service.runtime();
    // The scenario's histories: late settlements, corrections, hand-overs, change links, closings and reopenings.
    const events: JournalItem[] = scenario().events.map(({ contract, envelope }) => ({
      envelope,
      topic: contract.topic,
      data: envelope.data,
    }));
    // Events that must change nothing: each hand-over and closing again as an older version
    // (another target, another reason), each first response and proposed solution again an hour later.
    const later = (iso: string) => new Date(new Date(iso).getTime() + 3_600_000).toISOString();
    const losers: JournalItem[] = events.flatMap((item) => {
      const d = item.data as Record<string, unknown> & { version: number; occurredAt: string };
      const copy = (data: Record<string, unknown>) => [
        { ...item, envelope: { ...item.envelope, id: `${item.envelope.id}-copy` }, data: { ...d, ...data } },
      ];
      switch (item.envelope.type) {
        case RequestHandedOver.type:
          return copy({
            version: d.version - 1,
            target: d.target === 'CONSULTING' ? 'PRODUCT_DEVELOPMENT' : 'CONSULTING',
          });
        case RequestClosed.type:
          return copy({ version: d.version - 1, completionReason: 'WITHDRAWN', closedAt: later(d.occurredAt) });
        case RequestReplied.type:
          return d.firstResponse ? copy({ occurredAt: later(d.occurredAt) }) : [];
        case RequestSolutionProposed.type:
          return copy({ occurredAt: later(d.occurredAt) });
        default:
          return [];
      }
    });
    expect(losers.length).toBeGreaterThan(10);
    const state = async () => ({
      requests: await dataSource.query(`SELECT * FROM rp_request ORDER BY request_id`),
      rollups: await rollups(dataSource),
    });
    const empty = () => dataSource.query(`TRUNCATE ${PROJECTION_TABLES.join(', ')}`);

    await empty();
    for (const item of events) await dataSource.transaction((m) => projectEvents(m, [item], { replay: true }));
    const oneByOne = await state();
    expect(oneByOne.requests.some((r: { change_ref: string | null }) => r.change_ref !== null)).toBe(true);
    expect(oneByOne.requests.some((r: { handed_over_to: string | null }) => r.handed_over_to !== null)).toBe(true);
    expect(oneByOne.requests.some((r: { closed_at: Date | null }) => r.closed_at !== null)).toBe(true);

    // With the losers, shuffled into sets of 25: a request's events in one set, older versions after newer ones.
    const random = seededRandom(20261205);
    const mixed = [...events, ...losers].map((item) => ({ item, at: random() })).sort((a, b) => a.at - b.at);
    await empty();
    for (let i = 0; i < mixed.length; i += 25) {
      const set = mixed.slice(i, i + 25).map(({ item }) => item);
      await dataSource.transaction((m) => projectEvents(m, set, { replay: true }));
    }
    expect(await state()).toEqual(oneByOne);
    expect(await recountedRollups(dataSource, 'Europe/Amsterdam')).toEqual(oneByOne.rollups);

    // A set that changes nothing (its events again) writes no request row.
    const [{ before }] = await dataSource.query(
      `SELECT string_agg(xmin::text, ',' ORDER BY request_id) AS before FROM rp_request`,
    );
    await dataSource.transaction((m) => projectEvents(m, [...events.slice(0, 40), ...losers], { replay: true }));
    const [{ after }] = await dataSource.query(
      `SELECT string_agg(xmin::text, ',' ORDER BY request_id) AS after FROM rp_request`,
    );
    expect(after).toBe(before);
  });

  it('of two events of a request with the same version in one set, the later in the producer’s outbox stands, in either order', async () => {
    const { dataSource } = service.runtime();
    const events: JournalItem[] = scenario().events.map(({ contract, envelope }) => ({
      envelope,
      topic: contract.topic,
      data: envelope.data,
    }));
    const registration = events.find((i) => i.envelope.type === RequestRegistered.type)!;
    const d = registration.data as { requestId: string; teamId: string | null };
    const sequence = Number(registration.envelope.sequence) + 1;
    // The same version again, later in the outbox (a higher sequence), with another team.
    const later: JournalItem = {
      ...registration,
      envelope: {
        ...registration.envelope,
        id: `${registration.envelope.id}-later`,
        sequence: String(sequence).padStart(registration.envelope.sequence.length, '0'),
      },
      data: { ...d, teamId: 'team-of-the-later-sequence' },
    };
    for (const set of [
      [registration, later],
      [later, registration],
    ]) {
      await dataSource.query(`TRUNCATE ${PROJECTION_TABLES.join(', ')}`);
      await dataSource.transaction((m) => projectEvents(m, set, { replay: true }));
      const [{ team_id }] = await dataSource.query(`SELECT team_id FROM rp_request WHERE request_id = $1`, [
        d.requestId,
      ]);
      expect(team_id).toBe('team-of-the-later-sequence');
    }
  });
});
