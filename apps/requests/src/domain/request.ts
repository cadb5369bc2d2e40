import { z } from 'zod';
import { mutationKind } from '../directory/domain/directory-rules';

export const REQUEST_TYPES = ['INCIDENT', 'CHANGE', 'INFORMATION', 'APPLICATION_SERVICE'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
export const PRIORITIES = ['HIGH', 'MEDIUM', 'LOW'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const REQUEST_STATUSES = [
  'REGISTERED',
  'WAITING_FOR_CUSTOMER',
  'ACCEPTED',
  'IN_HANDLING',
  'HANDED_OVER',
  'SOLUTION_PROPOSED',
  'CLOSED',
  'REOPENED',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const OPEN_STATUSES: readonly RequestStatus[] = REQUEST_STATUSES.filter((s) => s !== 'CLOSED');

export const COMPLETION_REASONS = ['SOLVED', 'WORKAROUND', 'NO_REPLY', 'DUPLICATE', 'DECLINED', 'WITHDRAWN'] as const;
export type CompletionReason = (typeof COMPLETION_REASONS)[number];

export const EVIDENCE_KINDS = ['SCREENSHOT', 'ERROR_MESSAGE', 'LOG_FILE', 'DOCUMENT', 'OTHER'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** Metadata only: files live in the customer portal's storage, not here. */
export interface Evidence {
  kind: EvidenceKind;
  name: string;
  contentType: string | null;
  sizeBytes: number | null;
  /** Where the file can be fetched (portal URL), if anywhere. */
  url: string | null;
  /** For an error message: its text. */
  text: string | null;
  addedAt: Date;
  addedBy: string;
}

export type HandoverTarget = 'PRODUCT_DEVELOPMENT' | 'CONSULTING';
export type WaitReason = 'INCOMPLETE_REGISTRATION' | 'INFORMATION_REQUESTED';
export type SolutionKind = 'SOLUTION' | 'WORKAROUND';
export type MutationExecutor = 'HAND' | 'ROBOT';

export interface Request {
  id: string;
  number: string;
  type: RequestType;
  title: string;
  description: string;
  businessImpact: string | null;
  evidence: Evidence[];
  requestedPriority: Priority;
  /** The Service Center's priority; null until the desk prioritised. */
  priority: Priority | null;
  priorityJustification: string | null;
  category: string | null;
  productId: string | null;
  customerId: string;
  requesterId: string;
  teamId: string | null;
  assigneeId: string | null;
  status: RequestStatus;
  /** Where a customer's answer returns the request to, while waiting for the customer. */
  resumeStatus: RequestStatus | null;
  waitReason: WaitReason | null;
  missingInformation: string[];
  waitingSince: Date | null;
  remindersSent: number;
  /** Total time spent waiting for the customer, for everyone who reads the request. */
  waitedMs: number;
  handoverTarget: HandoverTarget | null;
  handedOverAt: Date | null;
  /** When the desk first asked product development a question on this (information) request (raci.csv row 71). */
  productDevelopmentAskedAt: Date | null;
  changeRef: string | null;
  solution: string | null;
  solutionKind: SolutionKind | null;
  solutionArticleId: string | null;
  solutionProposedAt: Date | null;
  mutationExecutedBy: MutationExecutor | null;
  mutationDescription: string | null;
  completionReason: CompletionReason | null;
  /** Kept while a request is reopened: closing it as "a new question" restores it. */
  previousCompletionReason: CompletionReason | null;
  /** The earlier request this one continues (a different question on a closed request). */
  followUpOfId: string | null;
  reopenCount: number;
  registeredAt: Date;
  firstResponseAt: Date | null;
  assignedAt: Date | null;
  acceptedAt: Date | null;
  closedAt: Date | null;
  updatedAt: Date;
  version: number;
}

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const id = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
export const VersionSchema = z.number().int('must be a whole number').positive('must be positive');

/**
 * The input of a step that takes only the request (and the version the caller saw). One
 * instance for all: zod compiles an object schema on its first parse, so a schema built per
 * call is compiled per call.
 */
export const RequestStepInputSchema = z.object({
  requestId: z.uuid('must be a request id'),
  version: VersionSchema.nullish(),
});

export const EvidenceInputSchema = z.object({
  kind: z.enum(EVIDENCE_KINDS),
  name: text(300),
  contentType: z.string().trim().max(200).nullish(),
  sizeBytes: z.number().int().nonnegative().max(1_000_000_000).nullish(),
  url: z.url('must be a URL').max(2000).nullish(),
  text: z.string().trim().max(20_000).nullish(),
});
export type EvidenceInput = z.infer<typeof EvidenceInputSchema>;

export const RegisterRequestInputSchema = z.object({
  type: z.enum(REQUEST_TYPES),
  title: z.string().trim().min(3, 'must be at least 3 characters').max(200, 'must be at most 200 characters'),
  description: text(20_000),
  businessImpact: z.string().trim().max(10_000).nullish(),
  evidence: z.array(EvidenceInputSchema).max(50, 'at most 50 items').nullish(),
  requestedPriority: z.enum(PRIORITIES),
  productId: id.nullish(),
  /** Only when the desk registers on a customer's behalf. */
  customerId: id.nullish(),
  /** The customer user the desk registers for (phone); defaults to the caller. */
  requesterId: id.nullish(),
  /** APPLICATION_SERVICE only: the kind of mutation, matched against the contract's conditions (row 87). */
  mutationKind: mutationKind.nullish(),
});
export type RegisterRequestInput = z.infer<typeof RegisterRequestInputSchema>;

/** SC-2026-000123: prefix, year of registration, per-year counter. */
/**
 * A copy of a request to change on its own. The use cases replace a request's fields and
 * never change a value in place (a new evidence list, a new Date), so a copy of the object and
 * its lists is a full copy: far cheaper than structuredClone, which an import's replay ran
 * three times per step.
 */
export const copyRequest = (r: Request): Request => ({
  ...r,
  evidence: r.evidence.map((e) => ({ ...e })),
  missingInformation: [...r.missingInformation],
});

export function formatRequestNumber(year: number, counter: number): string {
  return `SC-${year}-${String(counter).padStart(6, '0')}`;
}

export const toEvidence = (input: EvidenceInput, by: string, at: Date): Evidence => ({
  kind: input.kind,
  name: input.name,
  contentType: input.contentType ?? null,
  sizeBytes: input.sizeBytes ?? null,
  url: input.url ?? null,
  text: input.text ?? null,
  addedAt: at,
  addedBy: by,
});

export function newRequest(fields: {
  id: string;
  number: string;
  input: RegisterRequestInput;
  customerId: string;
  requesterId: string;
  teamId: string | null;
  followUpOfId?: string | null;
  now: Date;
}): Request {
  const { input, now } = fields;
  return {
    id: fields.id,
    number: fields.number,
    type: input.type,
    title: input.title,
    description: input.description,
    businessImpact: input.businessImpact?.trim() || null,
    evidence: (input.evidence ?? []).map((e) => toEvidence(e, fields.requesterId, now)),
    requestedPriority: input.requestedPriority,
    priority: null,
    priorityJustification: null,
    // An application service's kind of mutation is its category (what the contract's conditions match).
    category: input.type === 'APPLICATION_SERVICE' ? (input.mutationKind ?? null) : null,
    productId: input.productId ?? null,
    customerId: fields.customerId,
    requesterId: fields.requesterId,
    teamId: fields.teamId,
    assigneeId: null,
    status: 'REGISTERED',
    resumeStatus: null,
    waitReason: null,
    missingInformation: [],
    waitingSince: null,
    remindersSent: 0,
    waitedMs: 0,
    handoverTarget: null,
    handedOverAt: null,
    productDevelopmentAskedAt: null,
    changeRef: null,
    solution: null,
    solutionKind: null,
    solutionArticleId: null,
    solutionProposedAt: null,
    mutationExecutedBy: null,
    mutationDescription: null,
    completionReason: null,
    previousCompletionReason: null,
    followUpOfId: fields.followUpOfId ?? null,
    reopenCount: 0,
    registeredAt: now,
    firstResponseAt: null,
    assignedAt: null,
    acceptedAt: null,
    closedAt: null,
    updatedAt: now,
    version: 1,
  };
}

/** Priority order of the queue: High first. */
export const PRIORITY_RANK: Record<Priority, number> = { HIGH: 1, MEDIUM: 2, LOW: 3 };
