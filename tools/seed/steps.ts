/**
 * The vocabulary of the demo scenarios: who registers what, and which lifecycle mutation
 * each person then performs. Values are the GraphQL enum values of the requests subgraph.
 */
export type RequestType = 'INCIDENT' | 'CHANGE' | 'INFORMATION' | 'APPLICATION_SERVICE';
export type RequestStatus =
  | 'REGISTERED'
  | 'WAITING_FOR_CUSTOMER'
  | 'ACCEPTED'
  | 'IN_HANDLING'
  | 'HANDED_OVER'
  | 'SOLUTION_PROPOSED'
  | 'CLOSED'
  | 'REOPENED';
export type Priority = 'HIGH' | 'MEDIUM' | 'LOW';
type CompletionReason = 'SOLVED' | 'WORKAROUND' | 'DUPLICATE' | 'DECLINED' | 'WITHDRAWN';

export const REQUEST_STATUSES: readonly RequestStatus[] = [
  'REGISTERED',
  'WAITING_FOR_CUSTOMER',
  'ACCEPTED',
  'IN_HANDLING',
  'HANDED_OVER',
  'SOLUTION_PROPOSED',
  'CLOSED',
  'REOPENED',
];
export const REQUEST_TYPES: readonly RequestType[] = ['INCIDENT', 'CHANGE', 'INFORMATION', 'APPLICATION_SERVICE'];

/** The lifecycle mutations a scenario uses, with their input type. */
export const MUTATION_INPUT = {
  updateRequest: 'UpdateRequestInput',
  requestInformation: 'RequestInformationInput',
  assignRequest: 'AssignRequestInput',
  prioritiseRequest: 'PrioritiseRequestInput',
  sendInHandlingNotice: 'SendInHandlingNoticeInput',
  acceptRequest: 'RequestStepInput',
  startHandling: 'RequestStepInput',
  handOverRequest: 'HandOverRequestInput',
  linkChange: 'LinkChangeInput',
  proposeSolution: 'ProposeSolutionInput',
  executeMutation: 'ExecuteMutationInput',
  respondToSolution: 'RespondToSolutionInput',
  closeRequest: 'CloseRequestInput',
  reopenRequest: 'ReopenRequestInput',
  treatAsNewRequest: 'TreatAsNewRequestInput',
  addReply: 'AddReplyInput',
} as const;
export type LifecycleMutation = keyof typeof MUTATION_INPUT;

/**
 * One mutation on the scenario's request. The driver adds `requestId`; `{{key}}` in a
 * string becomes the number of scenario `key`; `article` names a knowledge article of
 * the data file whose graph id becomes `input.articleId`.
 */
export interface Step {
  as: string;
  mutation: LifecycleMutation;
  input: Record<string, unknown>;
  article?: string;
}

export interface Evidence {
  kind: 'SCREENSHOT' | 'ERROR_MESSAGE' | 'LOG_FILE' | 'DOCUMENT' | 'OTHER';
  name: string;
  contentType?: string;
  sizeBytes?: number;
  text?: string;
}

export interface Registration {
  type: RequestType;
  productId: string;
  title: string;
  description: string;
  businessImpact?: string;
  evidence?: Evidence[];
  requestedPriority: Priority;
  /** Only when the desk registers on the customer's behalf (a phone call). */
  customerId?: string;
  requesterId?: string;
}

export interface Scenario {
  /** Stable name, used in log lines and `{{key}}` references. */
  key: string;
  /** Who registers: a customer user, or a consultant taking a phone call. */
  by: string;
  register: Registration;
  steps: Step[];
  /** Where the steps leave the request; the seed fails when the graph disagrees. */
  expect: RequestStatus;
}

export const screenshot = (name: string, sizeBytes = 184_322): Evidence => ({
  kind: 'SCREENSHOT',
  name,
  contentType: 'image/png',
  sizeBytes,
});
export const errorMessage = (text: string): Evidence => ({ kind: 'ERROR_MESSAGE', name: 'error message', text });

/** The steps a person can take, bound to that person. Rights are the graph's business. */
export function by(personId: string) {
  const step = (mutation: LifecycleMutation, input: Record<string, unknown> = {}, article?: string): Step => ({
    as: personId,
    mutation,
    input,
    ...(article ? { article } : {}),
  });
  const assign = (assigneeId: string = personId) => step('assignRequest', { assigneeId });
  const prioritise = (priority: Priority, justification?: string, category?: string) =>
    step('prioritiseRequest', { priority, justification, category });
  const notice = (message?: string) => step('sendInHandlingNotice', { message });
  const accept = () => step('acceptRequest');
  return {
    assign,
    prioritise,
    notice,
    accept,
    start: () => step('startHandling'),
    /** Intake by a consultant of the product's team: take it, prioritise, tell the customer, accept. */
    intake: (priority: Priority, justification?: string, category?: string) => [
      assign(),
      prioritise(priority, justification, category),
      notice(),
      accept(),
    ],
    askFor: (missing: string[], message?: string) => step('requestInformation', { missing, message }),
    note: (body: string) => step('addReply', { body, internal: true }),
    reply: (body: string) => step('addReply', { body }),
    update: (fields: { businessImpact?: string; description?: string; addEvidence?: Evidence[]; message?: string }) =>
      step('updateRequest', fields),
    handOver: (target: 'PRODUCT_DEVELOPMENT' | 'CONSULTING', note: string) => step('handOverRequest', { target, note }),
    linkChange: (changeRef: string, kind?: 'BUG' | 'NEW_FUNCTIONALITY', title?: string) =>
      step('linkChange', { changeRef, kind, title }),
    propose: (solution: string, kind: 'SOLUTION' | 'WORKAROUND' = 'SOLUTION') =>
      step('proposeSolution', { solution, kind }),
    answerAndPublish: (solution: string, articleTitle: string) =>
      step('proposeSolution', { solution, publishAsArticle: { title: articleTitle } }),
    answerFromArticle: (article: string, solution: string) => step('proposeSolution', { solution }, article),
    execute: (executedBy: 'HAND' | 'ROBOT', description: string) =>
      step('executeMutation', { executedBy, description }),
    agree: (comment?: string) => step('respondToSolution', { accepted: true, comment }),
    disagree: (comment: string) => step('respondToSolution', { accepted: false, comment }),
    close: (reason: CompletionReason, note?: string) => step('closeRequest', { reason, note }),
    reopen: (message: string) => step('reopenRequest', { message }),
    treatAsNew: (title: string, description: string) => step('treatAsNewRequest', { title, description }),
  };
}
