import { randomUUID } from 'node:crypto';
import { loadSubgraphConfig } from '@servicecenter/platform-config';
import { formatSequence, type EventContract } from '@servicecenter/contracts';
import { InProcessTransport, type EventTransport } from '@servicecenter/platform-events';
import { silentLogger } from '@servicecenter/platform-logging';
import { createSubgraphService, type SubgraphService } from '@servicecenter/platform-service';
import { createTestDatabase, type TestDatabase } from '@servicecenter/testing';
import type { EventItem } from '@servicecenter/platform-events';
import { escalationsDefinition } from '../service';

/** The escalations service on a fresh test database (migrations run), for the read-model specs. */
export async function startEscalationsService(
  databaseName: string,
  transport: EventTransport = new InProcessTransport(),
): Promise<{ db: TestDatabase; service: SubgraphService }> {
  const db = await createTestDatabase(databaseName);
  const config = {
    ...loadSubgraphConfig('escalations', { NODE_ENV: 'test', ESCALATIONS_DATABASE_URL: db.url, LOG_LEVEL: 'silent' }),
    port: 0,
  };
  const service = createSubgraphService(escalationsDefinition, { config, transport, logger: silentLogger });
  await service.start();
  return { db, service };
}

/** Delivered events as a consumer's set handler receives them, numbered in the order made. */
export function eventItems(source: string): (contract: EventContract, data: Record<string, unknown>) => EventItem {
  let seq = 0;
  return (contract, data) => ({
    contract,
    data,
    envelope: {
      specversion: '1.0',
      id: randomUUID(),
      source,
      type: contract.type,
      time: '2026-03-02T09:00:00.000Z',
      subject: data.requestId as string,
      datacontenttype: 'application/json',
      sequence: formatSequence(++seq),
      data,
    },
  });
}
