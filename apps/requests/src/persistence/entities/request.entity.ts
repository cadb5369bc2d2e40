import { EntitySchema } from 'typeorm';
import type { Request } from '../../domain/request';

/** Row shape = domain shape: the repository converts only JSON dates and bigints. */
export type RequestRow = Omit<Request, 'evidence' | 'missingInformation' | 'waitedMs'> & {
  evidence: unknown[];
  missingInformation: string[];
  waitedMs: string | number;
};

const col = (name: string, type: string, nullable = true) => ({ name, type: type as 'text', nullable });

export const RequestEntity = new EntitySchema<RequestRow>({
  name: 'Request',
  tableName: 'request',
  columns: {
    id: { type: 'uuid', primary: true },
    number: { type: 'text', unique: true },
    type: { type: 'text' },
    title: { type: 'text' },
    description: { type: 'text' },
    businessImpact: col('business_impact', 'text'),
    evidence: { type: 'jsonb' },
    requestedPriority: col('requested_priority', 'text', false),
    priority: col('priority', 'text'),
    priorityJustification: col('priority_justification', 'text'),
    category: col('category', 'text'),
    productId: col('product_id', 'text'),
    customerId: col('customer_id', 'text', false),
    requesterId: col('requester_id', 'text', false),
    teamId: col('team_id', 'text'),
    assigneeId: col('assignee_id', 'text'),
    status: { type: 'text' },
    resumeStatus: col('resume_status', 'text'),
    waitReason: col('wait_reason', 'text'),
    missingInformation: { name: 'missing_information', type: 'jsonb' },
    waitingSince: col('waiting_since', 'timestamptz'),
    remindersSent: { name: 'reminders_sent', type: 'int' },
    waitedMs: { name: 'waited_ms', type: 'bigint' },
    handoverTarget: col('handover_target', 'text'),
    handedOverAt: col('handed_over_at', 'timestamptz'),
    productDevelopmentAskedAt: col('product_development_asked_at', 'timestamptz'),
    changeRef: col('change_ref', 'text'),
    solution: col('solution', 'text'),
    solutionKind: col('solution_kind', 'text'),
    solutionArticleId: col('solution_article_id', 'text'),
    solutionProposedAt: col('solution_proposed_at', 'timestamptz'),
    mutationExecutedBy: col('mutation_executed_by', 'text'),
    mutationDescription: col('mutation_description', 'text'),
    completionReason: col('completion_reason', 'text'),
    previousCompletionReason: col('previous_completion_reason', 'text'),
    followUpOfId: col('follow_up_of_id', 'uuid'),
    reopenCount: { name: 'reopen_count', type: 'int' },
    registeredAt: { name: 'registered_at', type: 'timestamptz' },
    firstResponseAt: col('first_response_at', 'timestamptz'),
    assignedAt: col('assigned_at', 'timestamptz'),
    acceptedAt: col('accepted_at', 'timestamptz'),
    closedAt: col('closed_at', 'timestamptz'),
    updatedAt: { name: 'updated_at', type: 'timestamptz' },
    version: { type: 'int' },
  },
});

export interface RequestNumberCounterRow {
  year: number;
  lastNumber: number;
}

export const RequestNumberCounterEntity = new EntitySchema<RequestNumberCounterRow>({
  name: 'RequestNumberCounter',
  tableName: 'request_number_counter',
  columns: {
    year: { type: 'int', primary: true },
    lastNumber: { name: 'last_number', type: 'int' },
  },
});
