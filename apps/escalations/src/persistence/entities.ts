import { EntitySchema } from 'typeorm';

/** Table mappings (the repositories speak SQL for upserts and keyset pages). */
const text = (name?: string, nullable = false) => ({ type: 'text' as const, ...(name ? { name } : {}), nullable });
const time = (name: string, nullable = false) => ({ type: 'timestamptz' as const, name, nullable });

export const RequestViewEntity = new EntitySchema<Record<string, unknown>>({
  name: 'RequestView',
  tableName: 'request_view',
  columns: {
    requestId: { name: 'request_id', type: 'uuid', primary: true },
    number: text(),
    type: text(),
    customerId: text('customer_id'),
    productId: text('product_id', true),
    productGroupId: text('product_group_id', true),
    teamId: text('team_id', true),
    requestedPriority: text('requested_priority', true),
    priority: text(undefined, true),
    status: text(),
    lastPublicUpdateAt: time('last_public_update_at', true),
    registeredAt: time('registered_at', true),
    updatedAt: time('updated_at'),
    version: { type: 'integer' },
  },
});

export const EscalationNumberCounterEntity = new EntitySchema<Record<string, unknown>>({
  name: 'EscalationNumberCounter',
  tableName: 'escalation_number_counter',
  columns: { year: { type: 'integer', primary: true }, last: { type: 'integer' } },
});

export const EscalationEntity = new EntitySchema<Record<string, unknown>>({
  name: 'Escalation',
  tableName: 'escalation',
  columns: {
    id: { type: 'uuid', primary: true },
    number: text(),
    customerId: text('customer_id'),
    status: text(),
    reason: text(),
    businessImpact: text('business_impact'),
    desiredOutcome: text('desired_outcome'),
    openedBy: text('opened_by'),
    openedAt: time('opened_at'),
    outcome: text(undefined, true),
    closedBy: text('closed_by', true),
    closedAt: time('closed_at', true),
    version: { type: 'integer' },
  },
});

export const EscalationRequestEntity = new EntitySchema<Record<string, unknown>>({
  name: 'EscalationRequest',
  tableName: 'escalation_request',
  columns: {
    escalationId: { name: 'escalation_id', type: 'uuid', primary: true },
    requestId: { name: 'request_id', type: 'uuid', primary: true },
    position: { type: 'integer' },
  },
});

export const EscalationStepEntity = new EntitySchema<Record<string, unknown>>({
  name: 'EscalationStep',
  tableName: 'escalation_step',
  columns: {
    escalationId: { name: 'escalation_id', type: 'uuid', primary: true },
    position: { type: 'integer', primary: true },
    step: text(),
    by: text(),
    at: time('at'),
    note: text(),
  },
});

export const RequestAskEntity = new EntitySchema<Record<string, unknown>>({
  name: 'RequestAsk',
  tableName: 'request_ask',
  columns: {
    id: { type: 'uuid', primary: true },
    kind: text(),
    status: text(),
    requestId: { name: 'request_id', type: 'uuid' },
    requestNumber: text('request_number'),
    escalationId: { name: 'escalation_id', type: 'uuid', nullable: true },
    priority: text(undefined, true),
    reason: text(undefined, true),
    question: text(undefined, true),
    askedBy: text('asked_by'),
    askedAt: time('asked_at'),
    decidedBy: text('decided_by', true),
    decidedAt: time('decided_at', true),
    decisionReason: text('decision_reason', true),
    answer: text(undefined, true),
    tookEffectAt: time('took_effect_at', true),
  },
});

export const UrgentCallEntity = new EntitySchema<Record<string, unknown>>({
  name: 'UrgentCall',
  tableName: 'urgent_call',
  columns: {
    id: { type: 'uuid', primary: true },
    requestId: { name: 'request_id', type: 'uuid' },
    requestNumber: text('request_number'),
    escalationId: { name: 'escalation_id', type: 'uuid', nullable: true },
    customerContact: text('customer_contact'),
    summary: text(),
    assessedImpact: text('assessed_impact'),
    priorityAtCall: text('priority_at_call', true),
    impactHigherThanPriority: { name: 'impact_higher_than_priority', type: 'boolean' },
    loggedBy: text('logged_by'),
    loggedAt: time('logged_at'),
  },
});

export const CustomerRelationEntity = new EntitySchema<Record<string, unknown>>({
  name: 'CustomerRelation',
  tableName: 'customer_relation',
  columns: {
    customerId: { name: 'customer_id', type: 'text', primary: true },
    name: text(),
    serviceManagerId: text('service_manager_id', true),
    customerSuccessManagerId: text('customer_success_manager_id', true),
    savedAt: time('saved_at'),
  },
});

export const SlaRiskEntity = new EntitySchema<Record<string, unknown>>({
  name: 'SlaRisk',
  tableName: 'sla_risk',
  columns: {
    requestId: { name: 'request_id', type: 'uuid', primary: true },
    kind: { type: 'text', primary: true },
    threshold: { type: 'double precision' },
    dueAt: time('due_at'),
    breached: { type: 'boolean' },
    updatedAt: time('updated_at'),
  },
});

export const escalationEntities = [
  RequestViewEntity,
  EscalationNumberCounterEntity,
  EscalationEntity,
  EscalationRequestEntity,
  EscalationStepEntity,
  RequestAskEntity,
  UrgentCallEntity,
  CustomerRelationEntity,
  SlaRiskEntity,
];
