import type { EntityManager } from 'typeorm';
import { SqlWhere } from '@servicecenter/platform-database';
import type {
  CaseResult,
  Criticality,
  Defect,
  DefectStatus,
  Evidence,
  RunStatus,
  Severity,
  TestCase,
  TestOutcome,
  TestPlan,
  TestRun,
} from '../domain/model';
import { date, select, str, updateOne, type Row } from './sql';

const toCase = (r: Row): TestCase => ({
  id: r.id as string,
  position: Number(r.position),
  title: r.title as string,
  steps: (r.steps as string[] | null) ?? [],
  expectedResult: r.expected_result as string,
  criticality: r.criticality as Criticality,
});

const toRun = (r: Row): TestRun => ({
  id: r.id as string,
  releaseId: r.release_id as string,
  testPlanId: r.test_plan_id as string,
  number: Number(r.number),
  status: r.status as RunStatus,
  testerIds: (r.tester_ids as string[] | null) ?? [],
  startedBy: r.started_by as string,
  startedAt: new Date(r.started_at as string),
  completedBy: str(r.completed_by),
  completedAt: date(r.completed_at),
  version: Number(r.version),
});

const toResult = (r: Row): CaseResult => ({
  ...toCase({ ...r, id: r.case_id }),
  runId: r.run_id as string,
  outcome: (r.outcome as TestOutcome | null) ?? null,
  note: str(r.note),
  evidence: (r.evidence as Evidence[] | null) ?? [],
  recordedBy: str(r.recorded_by),
  recordedAt: date(r.recorded_at),
  version: Number(r.version),
});

const toDefect = (r: Row): Defect => ({
  id: r.id as string,
  releaseId: r.release_id as string,
  runId: r.run_id as string,
  title: r.title as string,
  description: r.description as string,
  severity: r.severity as Severity,
  status: r.status as DefectStatus,
  caseIds: (r.case_ids as string[] | null) ?? [],
  requestIds: (r.request_ids as string[] | null) ?? [],
  changeRefs: (r.change_refs as string[] | null) ?? [],
  reportedBy: r.reported_by as string,
  reportedAt: new Date(r.reported_at as string),
  resolution: str(r.resolution),
  resolvedBy: str(r.resolved_by),
  resolvedAt: date(r.resolved_at),
  version: Number(r.version),
});

/** Keyset position of the test plan list (by name). */
export type PlanCursor = [string, string];

export class PlanRepository {
  constructor(private readonly m: EntityManager) {}

  private async insertCases(planId: string, cases: readonly TestCase[]): Promise<void> {
    if (!cases.length) return;
    await this.m.query(
      `INSERT INTO test_case (id, plan_id, position, title, steps, expected_result, criticality)
       SELECT c.id, $1, c.position, c.title, ARRAY(SELECT jsonb_array_elements_text(c.steps)), c.expected_result, c.criticality
       FROM jsonb_to_recordset($2::jsonb) AS c(id uuid, position int, title text, steps jsonb, expected_result text, criticality text)`,
      [
        planId,
        JSON.stringify(
          cases.map((c) => ({
            id: c.id,
            position: c.position,
            title: c.title,
            steps: c.steps,
            expected_result: c.expectedResult,
            criticality: c.criticality,
          })),
        ),
      ],
    );
  }

  async insert(p: TestPlan): Promise<void> {
    await this.m.query(
      `INSERT INTO test_plan (id, product_id, name, created_by, created_at, version) VALUES ($1, $2, $3, $4, $5, $6)`,
      [p.id, p.productId, p.name, p.createdBy, p.createdAt, p.version],
    );
    await this.insertCases(p.id, p.cases);
  }

  async update(before: TestPlan, after: TestPlan): Promise<void> {
    await updateOne(
      this.m,
      `UPDATE test_plan SET name = $2, version = $3 WHERE id = $1 AND version = $4 RETURNING id`,
      [after.id, after.name, after.version, before.version],
      `Test plan ${after.name}`,
    );
    const known = new Set(before.cases.map((c) => c.id));
    await this.insertCases(
      after.id,
      after.cases.filter((c) => !known.has(c.id)),
    );
  }

  async findById(id: string, lock = false): Promise<TestPlan | null> {
    const [plan] = await this.findByIds([id], lock);
    return plan ?? null;
  }

  async findByIds(ids: readonly string[], lock = false): Promise<TestPlan[]> {
    const plans = await select(
      this.m,
      `SELECT * FROM test_plan WHERE id = ANY($1::uuid[])${lock ? ' FOR NO KEY UPDATE' : ''}`,
      [ids],
    );
    return this.withCases(plans);
  }

  private async withCases(plans: Row[]): Promise<TestPlan[]> {
    const cases = await select(this.m, `SELECT * FROM test_case WHERE plan_id = ANY($1::uuid[]) ORDER BY position`, [
      plans.map((p) => p.id),
    ]);
    return plans.map((p) => ({
      id: p.id as string,
      productId: p.product_id as string,
      name: p.name as string,
      cases: cases.filter((c) => c.plan_id === p.id).map(toCase),
      createdBy: p.created_by as string,
      createdAt: new Date(p.created_at as string),
      version: Number(p.version),
    }));
  }

  async list(
    productId: string | null | undefined,
    limit: number,
    after?: PlanCursor,
  ): Promise<{ rows: TestPlan[]; total: number }> {
    const w = new SqlWhere();
    if (productId) w.and('product_id = ?', productId);
    const [{ count }] = (await select(this.m, `SELECT count(*)::int AS count FROM test_plan ${w}`, w.params)) as {
      count: number;
    }[];
    w.after(['name', 'id'], after, ['text', 'uuid']);
    const plans = await select(
      this.m,
      `SELECT * FROM test_plan ${w} ORDER BY name, id LIMIT ${w.param(limit)}`,
      w.params,
    );
    return { rows: await this.withCases(plans), total: Number(count) };
  }
}

export class RunRepository {
  constructor(private readonly m: EntityManager) {}

  async insert(run: TestRun, cases: CaseResult[]): Promise<void> {
    await this.m.query(
      `INSERT INTO test_run (id, release_id, test_plan_id, number, status, tester_ids, started_by, started_at, completed_by, completed_at, version) VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8, $9, $10, $11)`,
      [
        run.id,
        run.releaseId,
        run.testPlanId,
        run.number,
        run.status,
        run.testerIds,
        run.startedBy,
        run.startedAt,
        run.completedBy,
        run.completedAt,
        run.version,
      ],
    );
    if (!cases.length) return;
    await this.m.query(
      `INSERT INTO run_case (run_id, case_id, position, title, steps, expected_result, criticality, evidence, version)
       SELECT $1, c.id, c.position, c.title, ARRAY(SELECT jsonb_array_elements_text(c.steps)), c.expected_result, c.criticality, '[]'::jsonb, 1
       FROM jsonb_to_recordset($2::jsonb) AS c(id uuid, position int, title text, steps jsonb, expected_result text, criticality text)`,
      [
        run.id,
        JSON.stringify(
          cases.map((c) => ({
            id: c.id,
            position: c.position,
            title: c.title,
            steps: c.steps,
            expected_result: c.expectedResult,
            criticality: c.criticality,
          })),
        ),
      ],
    );
  }

  update(before: TestRun, after: TestRun): Promise<void> {
    return updateOne(
      this.m,
      `UPDATE test_run SET status = $2, tester_ids = $3::text[], completed_by = $4, completed_at = $5, version = $6 WHERE id = $1 AND version = $7 RETURNING id`,
      [after.id, after.status, after.testerIds, after.completedBy, after.completedAt, after.version, before.version],
      `Test run ${after.number}`,
    );
  }

  /** `share`: testers record side by side, while completing the run (FOR NO KEY UPDATE) waits for them. */
  async findById(id: string, lock: boolean | 'share' = false): Promise<TestRun | null> {
    const [row] = await select(
      this.m,
      `SELECT * FROM test_run WHERE id = $1${lock === 'share' ? ' FOR SHARE' : lock ? ' FOR NO KEY UPDATE' : ''}`,
      [id],
    );
    return row ? toRun(row) : null;
  }

  async findByIds(ids: readonly string[]): Promise<TestRun[]> {
    return (await select(this.m, `SELECT * FROM test_run WHERE id = ANY($1::uuid[])`, [ids])).map(toRun);
  }

  ofRelease(releaseId: string): Promise<TestRun[]> {
    return this.ofReleases([releaseId]);
  }

  /** Runs of a batch of releases, by number. */
  async ofReleases(ids: readonly string[]): Promise<TestRun[]> {
    return (
      await select(this.m, `SELECT * FROM test_run WHERE release_id = ANY($1::uuid[]) ORDER BY release_id, number`, [
        ids,
      ])
    ).map(toRun);
  }

  cases(runId: string): Promise<CaseResult[]> {
    return this.casesOfRuns([runId]);
  }

  /** The cases with their results of a batch of runs, in plan order. */
  async casesOfRuns(ids: readonly string[]): Promise<CaseResult[]> {
    return (
      await select(this.m, `SELECT * FROM run_case WHERE run_id = ANY($1::uuid[]) ORDER BY run_id, position`, [ids])
    ).map(toResult);
  }

  async findCase(runId: string, caseId: string): Promise<CaseResult | null> {
    const [row] = await select(this.m, `SELECT * FROM run_case WHERE run_id = $1 AND case_id = $2 FOR NO KEY UPDATE`, [
      runId,
      caseId,
    ]);
    return row ? toResult(row) : null;
  }

  updateCase(before: CaseResult, after: CaseResult): Promise<void> {
    return updateOne(
      this.m,
      `UPDATE run_case SET outcome = $3, note = $4, evidence = $5::jsonb, recorded_by = $6, recorded_at = $7, version = $8 WHERE run_id = $1 AND case_id = $2 AND version = $9 RETURNING case_id`,
      [
        after.runId,
        after.id,
        after.outcome,
        after.note,
        JSON.stringify(after.evidence),
        after.recordedBy,
        after.recordedAt,
        after.version,
        before.version,
      ],
      `The result of "${after.title}"`,
    );
  }
}

export class DefectRepository {
  constructor(private readonly m: EntityManager) {}

  async insert(d: Defect): Promise<void> {
    await this.m.query(
      `INSERT INTO defect (id, release_id, run_id, title, description, severity, status, case_ids, request_ids, change_refs, reported_by, reported_at, resolution, resolved_by, resolved_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::uuid[], $9::uuid[], $10::text[], $11, $12, $13, $14, $15, $16)`,
      [
        d.id,
        d.releaseId,
        d.runId,
        d.title,
        d.description,
        d.severity,
        d.status,
        d.caseIds,
        d.requestIds,
        d.changeRefs,
        d.reportedBy,
        d.reportedAt,
        d.resolution,
        d.resolvedBy,
        d.resolvedAt,
        d.version,
      ],
    );
  }

  update(before: Defect, after: Defect): Promise<void> {
    return updateOne(
      this.m,
      `UPDATE defect SET status = $2, case_ids = $3::uuid[], request_ids = $4::uuid[], change_refs = $5::text[], resolution = $6, resolved_by = $7, resolved_at = $8, version = $9
       WHERE id = $1 AND version = $10 RETURNING id`,
      [
        after.id,
        after.status,
        after.caseIds,
        after.requestIds,
        after.changeRefs,
        after.resolution,
        after.resolvedBy,
        after.resolvedAt,
        after.version,
        before.version,
      ],
      `Defect "${after.title}"`,
    );
  }

  async findById(id: string, lock = false): Promise<Defect | null> {
    const [row] = await select(this.m, `SELECT * FROM defect WHERE id = $1${lock ? ' FOR NO KEY UPDATE' : ''}`, [id]);
    return row ? toDefect(row) : null;
  }

  async findByIds(ids: readonly string[]): Promise<Defect[]> {
    return (await select(this.m, `SELECT * FROM defect WHERE id = ANY($1::uuid[])`, [ids])).map(toDefect);
  }

  async openOfRelease(releaseId: string): Promise<Defect[]> {
    return (await this.ofReleases([releaseId])).filter((d) => d.status === 'OPEN');
  }

  /** Defects linked to any of a batch of requests, in the order they were reported. */
  async ofRequests(requestIds: readonly string[]): Promise<Defect[]> {
    return (
      await select(this.m, `SELECT * FROM defect WHERE request_ids && $1::uuid[] ORDER BY reported_at, id`, [
        requestIds,
      ])
    ).map(toDefect);
  }

  /** Defects of a batch of releases, in the order they were reported. */
  async ofReleases(ids: readonly string[]): Promise<Defect[]> {
    return (
      await select(
        this.m,
        `SELECT * FROM defect WHERE release_id = ANY($1::uuid[]) ORDER BY release_id, reported_at, id`,
        [ids],
      )
    ).map(toDefect);
  }
}
