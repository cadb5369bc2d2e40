import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { Caller } from '@servicecenter/platform-auth';
import { InProcessTransport, KafkaTransport } from '@servicecenter/platform-events';
import { silentLogger } from '@servicecenter/platform-logging';
import type { SubgraphService } from '@servicecenter/platform-service';
import {
  TestClock,
  createTestDatabase,
  describeWithKafka,
  kafkaBrokers,
  type TestDatabase,
} from '@servicecenter/testing';
import { ReportQueries } from '../domain/report-queries';
import { ReportReader } from '../persistence/report.reader';
import { ROLLUPS } from '../persistence/rollups';
import { NOW, scenario } from '../testing/scenario';
import { rebuildFromKafka } from './rebuild';
import { startReportingService } from '../testing/service';

const ZONE = 'Europe/Amsterdam';
const msm: Caller = { id: 'p-msm', roles: ['manager_service_management'] }; // reads every report and review (raci.csv rows 110–117)

/**
 * `npm run reporting:rebuild` with a broker: the read models are replayed from the topics'
 * beginning (a fresh consumer group, up to the high-water marks) and the reports come out the
 * same as when the events arrived live. The suite writes to topics of its own.
 */
describeWithKafka('rebuilding the reporting read models from Kafka', () => {
  let db: TestDatabase;
  let service: SubgraphService;
  let kafka: KafkaTransport;
  const clock = new TestClock(NOW);
  const { events } = scenario();
  const prefix = `test-${randomBytes(4).toString('hex')}`;
  const physicalTopic = (topic: string) => `${prefix}.${topic}`;

  beforeAll(async () => {
    kafka = new KafkaTransport({
      brokers: kafkaBrokers() as string[],
      clientId: 'reporting-rebuild-test',
      logger: silentLogger,
      topics: [...new Set(events.map((e) => physicalTopic(e.contract.topic)))],
    });
    await kafka.start();
    await kafka.publish(
      events.map((e) => ({ topic: physicalTopic(e.contract.topic), key: e.envelope.subject, envelope: e.envelope })),
    );
    db = await createTestDatabase('reporting_kafka_rebuild');
    const transport = new InProcessTransport();
    service = await startReportingService(db.url, transport, clock.now);
    for (const e of events)
      await transport.publish([{ topic: e.contract.topic, key: e.envelope.subject, envelope: e.envelope }]);
  });
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
    await kafka?.stop();
    const admin = new Kafka({
      clientId: 'reporting-rebuild-test-cleanup',
      brokers: kafkaBrokers() as string[],
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin
      .deleteTopics({ topics: [...new Set(events.map((e) => physicalTopic(e.contract.topic)))] })
      .catch(() => undefined);
    await admin.disconnect();
  });

  it('gives identical reports and rollups after replaying from the topics in pages', async () => {
    const reports = new ReportQueries(new ReportReader(service.runtime().dataSource.manager, ZONE), ZONE, clock.now);
    const everything = async () => {
      const satisfaction = await reports.satisfaction(msm, { period: { quarter: '2026-Q4' } }, 'MONTH');
      return {
        open: await reports.openRequests(msm, null, 100),
        compliance: await reports.compliance(msm, { period: { quarter: '2026-Q4' } }, 'MONTH'),
        satisfaction,
        comments: await reports.surveyComments(satisfaction, { first: 100 }),
        bundles: await reports.bundles(msm, { period: { year: 2026 } }),
        acme: await reports.review(msm, 'cust-acme', '2026-Q4'),
        globex: await reports.review(msm, 'cust-globex', '2026-Q4'),
        responseTimes: await reports.responseTimes(msm),
        // The rollups kept at event time: deep-equal after the replay.
        rollups: await Promise.all(
          ROLLUPS.map(({ table }) => service.runtime().dataSource.query(`SELECT * FROM ${table} t ORDER BY t::text`)),
        ),
      };
    };
    const live = await everything();
    expect(live.satisfaction.total?.tnps).toBe(30);
    // Pages of ten events: several transactions, each committed before the next.
    const result = await rebuildFromKafka(service.runtime().dataSource, kafkaBrokers() as string[], {
      physicalTopic,
      pageEvents: 10,
    });
    expect(result).toEqual({
      source: 'kafka',
      eventsReplayed: events.length,
      eventsSkipped: 0,
      pages: expect.any(Number),
    });
    expect(result.pages).toBeGreaterThan(events.length / 10);
    expect(await everything()).toEqual(live);
  });
});
