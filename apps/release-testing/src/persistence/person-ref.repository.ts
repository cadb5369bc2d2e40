import type { EntityManager } from 'typeorm';
import type { DirectoryPersonSaved } from '@servicecenter/contracts';
import type { PayloadOf } from '@servicecenter/contracts';
import { select } from './sql';

/** The directory's people this service knows from its person-saved events (newest save wins). */
export class PersonRefRepository {
  constructor(private readonly m: EntityManager) {}

  /** An older save arriving late changes nothing. */
  async save(p: PayloadOf<typeof DirectoryPersonSaved>): Promise<void> {
    await this.m.query(
      `INSERT INTO person_ref (person_id, roles, customer_id, saved_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (person_id) DO UPDATE SET roles = EXCLUDED.roles, customer_id = EXCLUDED.customer_id,
         saved_at = EXCLUDED.saved_at
       WHERE person_ref.saved_at <= EXCLUDED.saved_at`,
      [p.personId, p.roles, p.customerId, p.savedAt],
    );
  }

  /** The ids among `ids` that no person-saved event has announced, in the order given. */
  async unknown(ids: readonly string[]): Promise<string[]> {
    if (!ids.length) return [];
    const known = new Set(
      (await select(this.m, `SELECT person_id FROM person_ref WHERE person_id = ANY($1::text[])`, [ids])).map(
        (r) => r.person_id as string,
      ),
    );
    return ids.filter((id) => !known.has(id));
  }
}
