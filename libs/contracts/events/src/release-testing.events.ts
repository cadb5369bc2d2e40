import { z } from 'zod';
import { defineEvent } from './event-contract';
import { Topics } from './topics';

/**
 * Release testing (UAT): the Service Center tests a product release with the eyes of its
 * customers and advises the product team GO, GO WITH CONDITIONS or NO-GO. Every event is keyed
 * by the release id, so one release's events stay in order, and is self-contained: product
 * development acts on it without calling the Service Center back.
 */
const at = z.iso.datetime({ offset: true });

export const ReleaseOutcomeSchema = z.enum(['GO', 'GO_WITH_CONDITIONS', 'NO_GO']);
export const DefectSeveritySchema = z.enum(['BLOCKING', 'CRITICAL', 'MAJOR', 'MINOR']);

const releaseFacts = {
  releaseId: z.uuid(),
  productId: z.string(),
  releaseVersion: z.string().describe('The version of the product release, e.g. 26.12'),
  plannedProductionDate: at.describe('When the release is planned to reach production'),
};

const RunSummary = z.object({
  runId: z.uuid(),
  number: z.number().int().describe('1 for the first run of the release, 2 for the first retest, ...'),
  total: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  blocked: z.number().int(),
  skipped: z.number().int(),
  notRun: z.number().int(),
});

const AdviceReason = z.object({
  rule: z.string().describe('The rule of docs/release-testing.md that fired, e.g. CRITICAL_CASE_FAILED'),
  outcome: ReleaseOutcomeSchema.describe('What this rule alone advises'),
  message: z.string(),
  caseIds: z.array(z.string()),
  defectIds: z.array(z.string()),
});

const Advice = z.object({
  outcome: ReleaseOutcomeSchema,
  reasons: z.array(AdviceReason),
  coveragePercent: z.number().describe('Executed (passed + failed) cases of all cases of the assessed run, 0..100'),
  minCoveragePercent: z.number(),
});

const DefectSummary = z.object({
  defectId: z.uuid(),
  title: z.string(),
  severity: DefectSeveritySchema,
  changeRefs: z.array(z.string()).describe("Product development's change references, e.g. PD-1234"),
  requestIds: z.array(z.uuid()).describe('Customer requests the defect is linked to'),
});

export const ReleasePlanned = defineEvent({
  type: 'servicecenter.release.planned.v1',
  topic: Topics.releaseTesting,
  description: 'The UAT coordinator planned the acceptance test of a product release.',
  schema: z.object({ ...releaseFacts, releaseNotes: z.string(), plannedBy: z.string(), plannedAt: at }),
});

export const TestRunCompleted = defineEvent({
  type: 'servicecenter.release.test-run-completed.v1',
  topic: Topics.releaseTesting,
  description: 'A test run of a release was completed; the counts per result and the advice computed at that moment.',
  schema: z.object({ ...releaseFacts, run: RunSummary, advice: Advice, completedBy: z.string(), completedAt: at }),
});

export const DefectReported = defineEvent({
  type: 'servicecenter.release.defect-reported.v1',
  topic: Topics.releaseTesting,
  description: 'A tester reported a defect found during a test run of a release.',
  schema: z.object({
    ...releaseFacts,
    runId: z.uuid(),
    defect: DefectSummary.extend({ description: z.string(), caseIds: z.array(z.string()) }),
    reportedBy: z.string(),
    reportedAt: at,
  }),
});

export const ReleaseDecided = defineEvent({
  type: 'servicecenter.release.decided.v1',
  topic: Topics.releaseTesting,
  description:
    "The UAT coordinator's GO / GO WITH CONDITIONS / NO-GO decision on a release for product development, with the computed advice and its reasons, the rationale, the deviation reason (when the decision differs from the advice), the run's counts and the open defects.",
  schema: z.object({
    ...releaseFacts,
    releaseNotes: z.string(),
    decisionId: z.uuid(),
    decision: ReleaseOutcomeSchema,
    advice: Advice.describe('The advice computed by the rules at the moment of the decision'),
    deviatesFromAdvice: z.boolean(),
    rationale: z.string(),
    deviationReason: z.string().nullable().describe('Required when the decision differs from the advice'),
    decidedBy: z.string(),
    decidedAt: at,
    run: RunSummary.describe('The completed test run the decision is based on'),
    openDefects: z.array(DefectSummary),
  }),
});

export const ReleaseInformationPublished = defineEvent({
  type: 'servicecenter.release.information-published.v1',
  topic: Topics.releaseTesting,
  description: 'A release was decided GO (or GO WITH CONDITIONS): its release information is published for customers.',
  schema: z.object({
    ...releaseFacts,
    releaseNotes: z.string(),
    decision: z.enum(['GO', 'GO_WITH_CONDITIONS']),
    knownIssues: z.array(z.string()).describe('Titles of the defects still open at the decision (GO WITH CONDITIONS)'),
    publishedAt: at,
  }),
});

export const RELEASE_TESTING_EVENTS = [
  ReleasePlanned,
  TestRunCompleted,
  DefectReported,
  ReleaseDecided,
  ReleaseInformationPublished,
] as const;
