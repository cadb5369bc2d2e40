import type { AgeBucketKey, BundleUse, HighWorkaroundRule } from './rules';

/** What a report is narrowed to; customerIds null means every customer. */
export interface ReportScope {
  from: Date;
  to: Date;
  label: string;
  customerIds: string[] | null;
  productGroupId?: string | null;
  productId?: string | null;
  priority?: string | null;
}

export type AgeBuckets = Record<AgeBucketKey, number>;

export interface OpenRequestsRow {
  productGroupId: string | null;
  priority: string;
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
  type: string;
  status: string;
  priority: string;
  customerId: string;
  productGroupId: string | null;
  productId: string | null;
  registeredAt: Date;
  ageDays: number;
  changeRef: string | null;
}

export interface ComplianceRow {
  period: string;
  target: string;
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
  status: string;
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
