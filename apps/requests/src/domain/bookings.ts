/** Hours of work booked on a request; they consume the customer's base bundle, then the credit bundle. */
export interface TimeBooking {
  id: string;
  requestId: string;
  hours: number;
  /** YYYY-MM-DD: the day the work was done. */
  workDate: string;
  bookedBy: string;
  description: string | null;
  bookedAt: Date;
}

/** The customer's answer to the satisfaction survey of a closed request. */
export interface SurveyAnswer {
  requestId: string;
  score: number;
  comment: string | null;
  answeredBy: string;
  answeredAt: Date;
}

export type SurveyCategory = 'PROMOTER' | 'PASSIVE' | 'DETRACTOR';

/** tNPS categories: 9–10 promoters, 7–8 passives, 0–6 detractors. */
export const surveyCategory = (score: number): SurveyCategory =>
  score >= 9 ? 'PROMOTER' : score >= 7 ? 'PASSIVE' : 'DETRACTOR';

/** A request the customer may still rate: closed, with a service delivered (not a duplicate or withdrawn), not yet rated. */
export const surveyOpen = (request: { status: string; completionReason: string | null }, answered: boolean) =>
  request.status === 'CLOSED' &&
  request.completionReason !== 'DUPLICATE' &&
  request.completionReason !== 'WITHDRAWN' &&
  !answered;
