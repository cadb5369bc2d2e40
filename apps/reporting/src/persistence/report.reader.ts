import type { EntityManager } from 'typeorm';
import { DirectoryReader } from './directory.reader';
import { EscalationsReader } from './escalations.reader';
import { OpenWorkReader } from './open-work.reader';
import { SatisfactionBundleReader } from './satisfaction-bundle.reader';
import { SlaReader } from './sla.reader';

export { READ_MODELS_BY_TOPIC, type ReportCustomer } from './directory.reader';
export type { Granularity, Keyed, Keyset } from './sql';

/**
 * The reports as SQL aggregates over the projections (GROUP BY, FILTER, date_trunc in the
 * report time zone): no rows are loaded into memory beyond the result lines; lists that can
 * grow are read a page at a time by keyset. One reader per family of reports.
 */
export class ReportReader {
  readonly openWork: OpenWorkReader;
  readonly sla: SlaReader;
  readonly satisfaction: SatisfactionBundleReader;
  readonly escalations: EscalationsReader;
  readonly directory: DirectoryReader;

  constructor(manager: EntityManager, zone: string) {
    this.openWork = new OpenWorkReader(manager);
    this.sla = new SlaReader(manager, zone);
    this.satisfaction = new SatisfactionBundleReader(manager, zone);
    this.escalations = new EscalationsReader(manager);
    this.directory = new DirectoryReader(manager);
  }
}
