import type { AgeBucketKey, BundleUse, HighWorkaroundRule } from './rules';

/** The vocabularies the read models hold, as the events name them (the schema's enums of the same names). */
export const PRIORITIES = ['HIGH', 'MEDIUM', 'LOW'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const REQUEST_TYPES = ['INCIDENT', 'CHANGE', 'INFORMATION', 'APPLICATION_SERVICE'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
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
export const DISRUPTION_STATUSES = ['DRAFT', 'PUBLISHED', 'RESOLVED', 'CLOSED'] as const;
export type DisruptionStatus = (typeof DISRUPTION_STATUSES)[number];
export const TARGET_KINDS = ['FIRST_RESPONSE', 'ASSIGNMENT', 'ACCEPTANCE', 'WORKAROUND', 'RESOLUTION'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** What a report is narrowed to; customerIds null means every customer. */
export interface ReportScope {
  from: Date;
  to: Date;
  label: string;
  customerIds: string[] | null;
  productGroupId?: string | null;
  productId?: string | null;
  priority?: Priority | null;
}

export type AgeBuckets = Record<AgeBucketKey, number>;

/** A figure per month or quarter of a report's period, and the same figure over the whole period. */
export interface PerPeriod<T> {
  total: T;
  periods: T[];
}

export interface StatusCount {
  status: RequestStatus;
  count: number;
}

export interface OpenRequestsRow {
  productGroupId: string | null;
  priority: Priority;
  count: number;
  ages: AgeBuckets;
  oldestRegisteredAt: Date | null;
}

export interface ResponseTimeRow {
  productGroupId: string | null;
  open: number;
  responded: number;
  averageResponseHours: number | null;
  medianResponseHours: number | null;
  longestResponseHours: number | null;
  waiting: number;
  averageWaitingHours: number | null;
  longestWaitingHours: number | null;
}

export interface OpenRequestItem {
  requestId: string;
  number: string;
  title: string | null;
  type: RequestType;
  status: RequestStatus;
  priority: Priority;
  customerId: string;
  productGroupId: string | null;
  productId: string | null;
  registeredAt: Date;
  ageDays: number;
  changeRef: string | null;
}

export interface ComplianceRow {
  period: string;
  target: TargetKind;
  met: number;
  missed: number;
  total: number;
  rate: number | null;
}

export interface HighWorkaroundPeriod extends HighWorkaroundRule {
  period: string;
}

export interface SameDayRow {
  period: string;
  registered: number;
  solvedSameDay: number;
  rate: number | null;
  goalMet: boolean | null;
}

export interface SatisfactionFigures {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  averageScore: number | null;
  tnps: number | null;
}

export interface SatisfactionRow extends SatisfactionFigures {
  period: string;
}

export interface SurveyComment {
  requestId: string;
  number: string | null;
  score: number;
  comment: string;
  answeredAt: Date;
}

export interface BundleRow extends BundleUse {
  customerId: string;
  customerName: string;
  year: number;
}

export interface EscalationFigures {
  opened: number;
  closed: number;
  openNow: number;
  averageDurationHours: number | null;
  longestDurationHours: number | null;
  priorityChangesAsked: number;
  priorityChangesRejected: number;
  statusUpdatesAsked: number;
  statusUpdatesAnswered: number;
  urgentCalls: number;
}

export interface DisruptionFigures {
  published: number;
  resolved: number;
  averageDurationHours: number | null;
  longestDurationHours: number | null;
  updatesDue: number;
  updatesOnTime: number;
  updatesLate: number;
  onTimeUpdateRate: number | null;
}

export interface DisruptionItem {
  noticeId: string;
  number: string;
  title: string;
  productId: string;
  status: DisruptionStatus;
  startedAt: Date | null;
  resolvedAt: Date | null;
  durationHours: number | null;
}

export interface ChangeWait {
  changeRef: string;
  customerCount: number | null;
  requests: OpenRequestItem[];
}

export interface FreshnessRow {
  topic: string;
  readModels: string[];
  lastEventId: string | null;
  lastEventType: string | null;
  lastEventTime: Date | null;
  eventsApplied: number;
  lagSeconds: number | null;
}
