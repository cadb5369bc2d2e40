import { In, type EntityManager } from 'typeorm';
import type { Request, Priority, RequestStatus, RequestType } from '../domain/request';
import type { RequestReader, RequestStore } from '../domain/ports';
import { RequestEntity, type RequestRow } from './entities/request.entity';

const toDomain = (row: RequestRow): Request => ({
  id: row.id,
  number: row.number,
  type: row.type as RequestType,
  title: row.title,
  description: row.description,
  status: row.status as RequestStatus,
  requestedPriority: row.requestedPriority as Priority,
  customerId: row.customerId,
  requesterId: row.requesterId,
  registeredAt: row.registeredAt,
  version: row.version,
});

/** Rows <-> domain requests. Resolvers and use cases never see TypeORM rows. */
export class RequestRepository implements RequestStore, RequestReader {
  constructor(private readonly manager: EntityManager) {}

  async nextNumber(year: number): Promise<number> {
    const [row] = await this.manager.query(
      `INSERT INTO request_number_counter (year, last_number) VALUES ($1, 1)
       ON CONFLICT (year) DO UPDATE SET last_number = request_number_counter.last_number + 1
       RETURNING last_number`,
      [year],
    );
    return row.last_number as number;
  }

  async insert(request: Request): Promise<void> {
    await this.manager.insert(RequestEntity, { ...request });
  }

  async findByIds(ids: readonly string[]): Promise<Request[]> {
    if (ids.length === 0) return [];
    const rows = await this.manager.find(RequestEntity, { where: { id: In([...ids]) } });
    return rows.map(toDomain);
  }

  async findByNumber(number: string): Promise<Request | undefined> {
    const row = await this.manager.findOne(RequestEntity, { where: { number } });
    return row ? toDomain(row) : undefined;
  }
}
