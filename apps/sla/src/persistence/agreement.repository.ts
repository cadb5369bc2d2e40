import type { EntityManager } from 'typeorm';
import {
  BusinessCalendar,
  type BusinessCalendarDefinition,
  type BusinessCalendarDefinitionInput,
} from '@servicecenter/platform-calendar';
import {
  effectiveAgreement,
  GENERIC_AGREEMENT,
  GENERIC_REF,
  type Agreement,
  type AgreementRef,
  type ComplianceGoals,
  type RequestSlaState,
  type TargetOverride,
} from '../domain/clocks';
import { agreementOf } from '../domain/clocks';

/**
 * The agreement version in force for a customer at a time, as SQL over two expressions: the
 * customer's own, else the generic agreement's (customer null: the generic one); no row when
 * neither was saved by then. Also a lateral subquery of the SLA tracking's start.
 */
export const inForceSql = (customer: string, at: string) =>
  `SELECT id, version FROM sla_agreement
    WHERE (customer_id = ${customer} OR customer_id IS NULL) AND created_at <= ${at}
    ORDER BY customer_id IS NULL, created_at DESC, version DESC LIMIT 1`;

export interface StoredCalendar {
  id: string;
  name: string;
  definition: BusinessCalendarDefinition;
  version: number;
  updatedAt: Date;
  updatedBy: string;
}

export interface StoredAgreement {
  id: string;
  version: number;
  customerId: string | null;
  name: string;
  calendarId: string | null;
  calendarVersion: number | null;
  calendar: BusinessCalendarDefinitionInput;
  targets: TargetOverride[];
  thresholds: number[] | null;
  /** null, or a goal left out: the base agreement's. */
  complianceGoals: Partial<ComplianceGoals> | null;
  /** The generic agreement version the unspecified targets fall back to (1 = the built-in one). */
  baseVersion: number;
  createdAt: Date;
  createdBy: string;
}

interface AgreementRow {
  id: string;
  version: number;
  customer_id: string | null;
  name: string;
  calendar_id: string | null;
  calendar_version: number | null;
  calendar: BusinessCalendarDefinitionInput;
  targets: TargetOverride[];
  thresholds: number[] | null;
  compliance_goals: Partial<ComplianceGoals> | null;
  base_version: number;
  created_at: Date;
  created_by: string;
}

const toAgreement = (r: AgreementRow): StoredAgreement => ({
  id: r.id,
  version: r.version,
  customerId: r.customer_id,
  name: r.name,
  calendarId: r.calendar_id,
  calendarVersion: r.calendar_version,
  calendar: r.calendar,
  targets: r.targets,
  thresholds: r.thresholds,
  complianceGoals: r.compliance_goals ?? null,
  baseVersion: r.base_version,
  createdAt: new Date(r.created_at),
  createdBy: r.created_by,
});

const toCalendar = (r: {
  id: string;
  name: string;
  definition: BusinessCalendarDefinition;
  version: number;
  updated_at: Date;
  updated_by: string;
}): StoredCalendar => ({
  id: r.id,
  name: r.name,
  definition: r.definition,
  version: r.version,
  updatedAt: new Date(r.updated_at),
  updatedBy: r.updated_by,
});

/** The generic agreement's id: customer_id NULL; version 1 is the built-in GENERIC_AGREEMENT. */
export const GENERIC_ID = GENERIC_REF.id;

/** Business calendars and agreement versions (SQL; versions are append-only). */
export class AgreementRepository {
  constructor(private readonly manager: EntityManager) {}

  async calendars(): Promise<StoredCalendar[]> {
    return (await this.manager.query(`SELECT * FROM business_calendar ORDER BY id`)).map(toCalendar);
  }

  async calendar(id: string, lock = false): Promise<StoredCalendar | null> {
    const rows = await this.manager.query(`SELECT * FROM business_calendar WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [
      id,
    ]);
    return rows.length ? toCalendar(rows[0]) : null;
  }

  /** Creates the calendar (version 1) or its next version; returns it. */
  async saveCalendar(
    input: { id: string; name: string; definition: BusinessCalendarDefinition },
    by: string,
    now: Date,
  ): Promise<StoredCalendar> {
    const rows = await this.manager.query(
      `INSERT INTO business_calendar (id, name, definition, version, updated_at, updated_by) VALUES ($1, $2, $3::jsonb, 1, $4, $5)
       ON CONFLICT (id) DO UPDATE SET name = $2, definition = $3::jsonb, version = business_calendar.version + 1, updated_at = $4, updated_by = $5
       RETURNING *`,
      [input.id, input.name, JSON.stringify(input.definition), now, by],
    );
    return toCalendar(rows[0]);
  }

  async agreement(id: string, version?: number | null): Promise<StoredAgreement | null> {
    const rows: AgreementRow[] = version
      ? await this.manager.query(`SELECT * FROM sla_agreement WHERE id = $1 AND version = $2`, [id, version])
      : await this.manager.query(`SELECT * FROM sla_agreement WHERE id = $1 ORDER BY version DESC LIMIT 1`, [id]);
    return rows.length ? toAgreement(rows[0]) : null;
  }

  /** Every version, newest first; of one customer (null: the generic agreement) when given. */
  async agreements(filter: { customerId?: string | null }): Promise<StoredAgreement[]> {
    const rows: AgreementRow[] =
      filter.customerId === undefined
        ? await this.manager.query(`SELECT * FROM sla_agreement ORDER BY id, version DESC`)
        : await this.manager.query(
            `SELECT * FROM sla_agreement WHERE customer_id IS NOT DISTINCT FROM $1 ORDER BY id, version DESC`,
            [filter.customerId],
          );
    return rows.map(toAgreement);
  }

  /** The version in force at `at` for a customer (null: the generic agreement); null when none was saved by then. */
  async currentRef(customerId: string | null, at: Date): Promise<AgreementRef | null> {
    const rows: { id: string; version: number }[] = await this.manager.query(
      `SELECT id, version FROM sla_agreement WHERE customer_id IS NOT DISTINCT FROM $1 AND created_at <= $2 ORDER BY created_at DESC, version DESC LIMIT 1`,
      [customerId, at],
    );
    return rows.length ? { id: rows[0].id, version: rows[0].version } : null;
  }

  /**
   * The version in force at `at` for a customer: their own, else the generic agreement's
   * (customerId null: the generic one); null when neither was saved by then. One statement.
   */
  async inForceRef(customerId: string | null, at: Date): Promise<AgreementRef | null> {
    const rows: { id: string; version: number }[] = await this.manager.query(inForceSql('$1', '$2'), [customerId, at]);
    return rows.length ? { id: rows[0].id, version: rows[0].version } : null;
  }

  /** The agreement ids of a customer (one expected), for the "one agreement per customer" rule. */
  async idsOf(customerId: string | null): Promise<string[]> {
    const rows: { id: string }[] = await this.manager.query(
      `SELECT DISTINCT id FROM sla_agreement WHERE customer_id IS NOT DISTINCT FROM $1`,
      [customerId],
    );
    return rows.map((r) => r.id);
  }

  /** Inserts the next version of an agreement (serialised on the agreement id by an advisory lock). */
  async insertVersion(a: Omit<StoredAgreement, 'version'>): Promise<StoredAgreement> {
    await this.manager.query(`SELECT pg_advisory_xact_lock(hashtext('sla_agreement:' || $1))`, [a.id]);
    const floor = a.id === GENERIC_ID ? 1 : 0; // the built-in generic agreement is version 1
    const rows: AgreementRow[] = await this.manager.query(
      `INSERT INTO sla_agreement (id, version, customer_id, name, calendar_id, calendar_version, calendar, targets, thresholds, base_version, created_at, created_by, compliance_goals)
       SELECT $1, GREATEST(COALESCE(MAX(version), 0), $12) + 1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9, $10, $11, $13::jsonb FROM sla_agreement WHERE id = $1
       RETURNING *`,
      [
        a.id,
        a.customerId,
        a.name,
        a.calendarId,
        a.calendarVersion,
        JSON.stringify(a.calendar),
        JSON.stringify(a.targets),
        a.thresholds ? JSON.stringify(a.thresholds) : null,
        a.baseVersion,
        a.createdAt,
        a.createdBy,
        floor,
        a.complianceGoals ? JSON.stringify(a.complianceGoals) : null,
      ],
    );
    return toAgreement(rows[0]);
  }

  /**
   * Locks the SLA states with a clock that has not stopped: of a customer, or (customerId
   * null) of every request still on the generic agreement.
   */
  async lockRunningStates(
    scope: { customerId: string } | { genericId: string },
  ): Promise<{ state: Record<string, unknown> }[]> {
    const running = `EXISTS (SELECT 1 FROM jsonb_array_elements(state->'clocks') c WHERE jsonb_typeof(c->'stop') = 'null' OR NOT (c ? 'stop'))`;
    if ('customerId' in scope)
      return this.manager.query(
        `SELECT state FROM request_sla_state WHERE customer_id = $1 AND ${running} ORDER BY request_id FOR UPDATE`,
        [scope.customerId],
      );
    return this.manager.query(
      `SELECT state FROM request_sla_state WHERE COALESCE(state->'agreement'->>'id', $1) = $1 AND ${running} ORDER BY request_id FOR UPDATE`,
      [scope.genericId],
    );
  }
}

/** An agreement version ready for arithmetic. */
export interface ResolvedAgreement {
  agreement: Agreement;
  calendar: BusinessCalendar;
}

/**
 * Which agreement a request runs on. `current` is asked once, at registration; afterwards the
 * request's recorded (id, version) is looked up with `byVersion`. Versions never change, so
 * they are cached for the life of the process (also safe with several replicas).
 */
export interface AgreementBook {
  /** The customer's agreement in force at `at` (their own, else the generic one). */
  current(customerId: string | null, at: Date, manager?: EntityManager): Promise<ResolvedAgreement>;
  byVersion(id: string, version: number, manager?: EntityManager): Promise<ResolvedAgreement>;
  /** The agreement a ref found in force names (`inForceSql`); null: none was saved then, the built-in generic one. */
  inForce(ref: AgreementRef | null, manager?: EntityManager): Promise<ResolvedAgreement>;
  /** The agreement a state's clocks run on (generic v1 for states from before agreements). */
  forState(state: Pick<RequestSlaState, 'agreement'>, manager?: EntityManager): Promise<ResolvedAgreement>;
}

const resolve = (agreement: Agreement): ResolvedAgreement => ({
  agreement,
  calendar: new BusinessCalendar(agreement.calendar),
});

/** One agreement for every request: unit tests and tools. */
export function fixedAgreementBook(
  agreement: Agreement = GENERIC_AGREEMENT,
  calendar = new BusinessCalendar(agreement.calendar),
): AgreementBook {
  const one = { agreement, calendar };
  return { current: async () => one, byVersion: async () => one, inForce: async () => one, forState: async () => one };
}

/**
 * The agreement book over the database, with a per-version cache. A version still loading is
 * shared only with callers on the same EntityManager: a transaction never waits for a load
 * running on another connection of the pool (nor the other way round), which would hold one
 * connection while waiting for a second.
 */
export class PgAgreementBook implements AgreementBook {
  private readonly loaded = new Map<string, ResolvedAgreement>();
  private readonly loading = new WeakMap<EntityManager, Map<string, Promise<ResolvedAgreement>>>();
  private readonly generic = resolve(GENERIC_AGREEMENT);

  constructor(readonly manager: EntityManager) {}

  async current(customerId: string | null, at: Date, manager = this.manager): Promise<ResolvedAgreement> {
    return this.inForce(await new AgreementRepository(manager).inForceRef(customerId, at), manager);
  }

  inForce(ref: AgreementRef | null, manager = this.manager): Promise<ResolvedAgreement> {
    return ref ? this.byVersion(ref.id, ref.version, manager) : Promise.resolve(this.generic);
  }

  byVersion(id: string, version: number, manager = this.manager): Promise<ResolvedAgreement> {
    if (id === GENERIC_ID && version === GENERIC_AGREEMENT.version) return Promise.resolve(this.generic);
    const key = `${id}@${version}`;
    const done = this.loaded.get(key);
    if (done) return Promise.resolve(done);
    let pending = this.loading.get(manager);
    if (!pending) this.loading.set(manager, (pending = new Map()));
    let found = pending.get(key);
    if (!found) {
      const mine = pending;
      found = this.load(id, version, manager)
        .then((agreement) => {
          this.loaded.set(key, agreement);
          return agreement;
        })
        .finally(() => mine.delete(key));
      mine.set(key, found);
    }
    return found;
  }

  forState(state: Pick<RequestSlaState, 'agreement'>, manager = this.manager): Promise<ResolvedAgreement> {
    const ref = agreementOf(state);
    return this.byVersion(ref.id, ref.version, manager);
  }

  /** Also used to build a version about to be saved (so it is validated before it is stored). */
  async build(
    stored: Pick<
      StoredAgreement,
      'id' | 'version' | 'calendar' | 'targets' | 'thresholds' | 'complianceGoals' | 'baseVersion'
    >,
    manager = this.manager,
  ): Promise<ResolvedAgreement> {
    const base = (await this.byVersion(GENERIC_ID, stored.baseVersion, manager)).agreement;
    return resolve(
      effectiveAgreement(base, {
        id: stored.id,
        version: stored.version,
        calendar: stored.calendar,
        overrides: stored.targets,
        thresholds: stored.thresholds,
        complianceGoals: stored.complianceGoals,
      }),
    );
  }

  private async load(id: string, version: number, manager: EntityManager): Promise<ResolvedAgreement> {
    const stored = await new AgreementRepository(manager).agreement(id, version);
    if (!stored) throw new Error(`SLA agreement ${id} version ${version} does not exist`);
    return this.build(stored, manager);
  }
}
