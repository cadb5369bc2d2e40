import { z } from 'zod';
import type { Caller } from '@servicecenter/platform-auth';
import { ReleaseDecided, ReleaseInformationPublished, ReleasePlanned } from '@servicecenter/contracts';
import { event } from '@servicecenter/platform-events';
import { badInput, notFound, validate } from '@servicecenter/platform-errors';
import { mustCoordinate } from './authorisation';
import {
  adviceFacts,
  adviceNow,
  defectSummary,
  lockedRelease,
  meta,
  optionalText,
  releaseFacts,
  runSummary,
  text,
  uuid,
  version,
} from './facts';
import { decide, mustMatchVersion, mustNotBeFinal } from './lifecycle';
import {
  CRITICALITIES,
  OUTCOMES,
  type Release,
  type ReleaseDecision,
  type TestCase,
  type TestPlan,
  type TestRun,
} from './model';
import type { ReleaseTestingDeps, ReleaseTestingTransaction } from './ports';
import type {
  AddTestCaseInput,
  CreateTestPlanInput,
  PlanReleaseInput,
  RecordReleaseDecisionInput,
  UpdateReleaseInput,
} from '../generated/graphql';

const when = z.coerce.date();
const CaseInput = z.object({
  title: text(300),
  steps: z.array(text(2000)).min(1, 'a test case has at least one step').max(100),
  expectedResult: text(4000),
  criticality: z.enum(CRITICALITIES),
});
const PlanReleaseInput = z.object({
  productId: text(100),
  releaseVersion: text(50),
  plannedProductionDate: when,
  releaseNotes: text(20000),
});
const UpdateReleaseInput = z.object({
  releaseId: uuid,
  version,
  plannedProductionDate: when.nullish(),
  releaseNotes: text(20000).nullish(),
});
const CreatePlanInput = z.object({
  productId: text(100),
  name: text(200),
  cases: z.array(CaseInput).min(1, 'a test plan has at least one test case').max(500),
});
const AddCaseInput = CaseInput.extend({ testPlanId: uuid, version });
// Blank rationale and a missing deviation reason are answered by the domain, with the field named.
const DecideInput = z.object({
  releaseId: uuid,
  version,
  decision: z.enum(OUTCOMES),
  rationale: z.string().trim().max(8000),
  deviationReason: optionalText(8000),
});

/**
 * Releases and test plans are of a product of the directory: one no product-saved event
 * announced is refused (a product created moments ago is known once its event arrived).
 */
async function mustBeKnownProduct(tx: ReleaseTestingTransaction, productId: string): Promise<void> {
  if ((await tx.products.unknown([productId])).length)
    throw badInput(
      'input.productId',
      `No product ${productId} in the directory (a product created moments ago is known here once the directory announced it; try again shortly)`,
      { unknown: [productId] },
    );
}

/** Releases, test plans and the decision: the UAT coordinator's work. */
export function releaseUseCases(deps: ReleaseTestingDeps) {
  const newCase = (c: z.infer<typeof CaseInput>, position: number): TestCase => ({ id: deps.newId(), position, ...c });
  return {
    async planRelease(caller: Caller, input: PlanReleaseInput, correlationId: string): Promise<Release> {
      mustCoordinate(caller, 'plans release tests');
      const i = validate(PlanReleaseInput, input);
      const now = deps.now();
      const release: Release = {
        id: deps.newId(),
        productId: i.productId,
        releaseVersion: i.releaseVersion,
        plannedProductionDate: i.plannedProductionDate,
        releaseNotes: i.releaseNotes,
        status: 'PLANNED',
        decision: null,
        publishedAt: null,
        knownIssues: [],
        createdBy: caller.id,
        createdAt: now,
        version: 1,
      };
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        await mustBeKnownProduct(tx, release.productId);
        await tx.releases.insert(release);
        tx.publish(
          event(ReleasePlanned, release.id, {
            ...releaseFacts(release),
            releaseNotes: release.releaseNotes,
            plannedBy: caller.id,
            plannedAt: now.toISOString(),
          }),
        );
        return release;
      });
    },

    async updateRelease(caller: Caller, input: UpdateReleaseInput, correlationId: string): Promise<Release> {
      mustCoordinate(caller, 'changes releases');
      const i = validate(UpdateReleaseInput, input);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const before = await lockedRelease(tx, i.releaseId);
        mustMatchVersion(`Release ${before.releaseVersion}`, before.version, i.version);
        mustNotBeFinal(before, 'UPDATE');
        const after: Release = {
          ...before,
          plannedProductionDate: i.plannedProductionDate ?? before.plannedProductionDate,
          releaseNotes: i.releaseNotes ?? before.releaseNotes,
          version: before.version + 1,
        };
        await tx.releases.update(before, after);
        return after;
      });
    },

    async createTestPlan(caller: Caller, input: CreateTestPlanInput, correlationId: string): Promise<TestPlan> {
      mustCoordinate(caller, 'writes test plans');
      const i = validate(CreatePlanInput, input);
      const plan: TestPlan = {
        id: deps.newId(),
        productId: i.productId,
        name: i.name,
        cases: i.cases.map((c, n) => newCase(c, n + 1)),
        createdBy: caller.id,
        createdAt: deps.now(),
        version: 1,
      };
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        await mustBeKnownProduct(tx, plan.productId);
        await tx.plans.insert(plan);
        return plan;
      });
    },

    /** Later runs copy the new case; runs already started keep the cases they started with. */
    async addTestCase(caller: Caller, input: AddTestCaseInput, correlationId: string): Promise<TestPlan> {
      mustCoordinate(caller, 'writes test plans');
      const { testPlanId, version: expected, ...c } = validate(AddCaseInput, input);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const before = await tx.plans.findById(testPlanId, true);
        if (!before) throw notFound('TestPlan', testPlanId);
        mustMatchVersion(`Test plan ${before.name}`, before.version, expected);
        const after: TestPlan = {
          ...before,
          cases: [...before.cases, newCase(c, before.cases.length + 1)],
          version: before.version + 1,
        };
        await tx.plans.update(before, after);
        return after;
      });
    },

    /**
     * The coordinator decides on the latest completed run. The decision event (and for GO /
     * GO_WITH_CONDITIONS the published release information) commit with the decision.
     */
    async recordReleaseDecision(
      caller: Caller,
      input: RecordReleaseDecisionInput,
      correlationId: string,
    ): Promise<{ release: Release; decision: ReleaseDecision }> {
      mustCoordinate(caller, 'records the GO / NO-GO decision');
      const i = validate(DecideInput, input);
      const now = deps.now();
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const before = await lockedRelease(tx, i.releaseId);
        mustMatchVersion(`Release ${before.releaseVersion}`, before.version, i.version);
        const { run, openDefects, advice } = await adviceNow(tx, deps, before.id);
        const result = decide(before, run, advice, {
          id: deps.newId(),
          decision: i.decision,
          rationale: i.rationale,
          deviationReason: i.deviationReason,
          by: caller.id,
          now,
          knownIssues: openDefects.map((d) => d.title),
        });
        // decide() refuses a release without a completed run.
        const assessed = run as TestRun;
        await tx.releases.update(before, result.release);
        await tx.decisions.insert(result.decision);
        const after = result.release;
        tx.publish(
          event(ReleaseDecided, after.id, {
            ...releaseFacts(after),
            releaseNotes: after.releaseNotes,
            decisionId: result.decision.id,
            decision: result.decision.decision,
            advice: adviceFacts(advice),
            deviatesFromAdvice: result.decision.decision !== advice.outcome,
            rationale: result.decision.rationale,
            deviationReason: result.decision.deviationReason,
            decidedBy: caller.id,
            decidedAt: now.toISOString(),
            run: runSummary(assessed, advice.counts),
            openDefects: openDefects.map(defectSummary),
          }),
        );
        if (after.decision === 'GO' || after.decision === 'GO_WITH_CONDITIONS') {
          tx.publish(
            event(ReleaseInformationPublished, after.id, {
              ...releaseFacts(after),
              releaseNotes: after.releaseNotes,
              decision: after.decision,
              knownIssues: after.knownIssues,
              publishedAt: now.toISOString(),
            }),
          );
        }
        return result;
      });
    },
  };
}

export type ReleaseUseCases = ReturnType<typeof releaseUseCases>;
