import type { Request, RequestType } from './request';

/** One thing the customer must still supply, with a field a front end can point at. */
export interface MissingItem {
  field: 'productId' | 'businessImpact' | 'evidence' | 'description';
  message: string;
}

type Rule = (r: Pick<Request, 'productId' | 'businessImpact' | 'evidence' | 'description'>) => MissingItem | null;

const MIN_IMPACT = 20;
const MIN_DESCRIPTION = 30;

const product: Rule = (r) =>
  r.productId ? null : { field: 'productId', message: 'Choose the product the request is about.' };
const impact: Rule = (r) =>
  (r.businessImpact?.trim().length ?? 0) >= MIN_IMPACT
    ? null
    : {
        field: 'businessImpact',
        message:
          'Describe the business impact: who cannot work, since when, and what is at stake (at least 20 characters).',
      };
const screenshotOrError: Rule = (r) =>
  r.evidence.some((e) => e.kind === 'SCREENSHOT' || e.kind === 'ERROR_MESSAGE')
    ? null
    : { field: 'evidence', message: 'Add a screenshot or the exact error message.' };
const clearDescription: Rule = (r) =>
  r.description.trim().length >= MIN_DESCRIPTION
    ? null
    : {
        field: 'description',
        message:
          'Describe the request in more detail (at least 30 characters): what you did, what you expected, what happened.',
      };

/**
 * DOMAIN.md intake step 3: the automated completeness check, per type. An incident needs
 * a clear description, the business impact and a screenshot or error message; a change
 * request the business impact (it is what product development ranks by); a question and
 * an application service a clear description. Every type needs the product, since the
 * product decides which team handles it.
 */
const RULES: Record<RequestType, Rule[]> = {
  INCIDENT: [product, clearDescription, impact, screenshotOrError],
  CHANGE: [product, clearDescription, impact],
  INFORMATION: [product],
  APPLICATION_SERVICE: [product, clearDescription],
};

export function checkCompleteness(
  request: Pick<Request, 'type' | 'productId' | 'businessImpact' | 'evidence' | 'description'>,
): MissingItem[] {
  return RULES[request.type].map((rule) => rule(request)).filter((m): m is MissingItem => m !== null);
}
