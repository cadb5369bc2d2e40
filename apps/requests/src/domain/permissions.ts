/**
 * What one can be allowed to do on a request, and the GraphQL operation that does it. The
 * rights come from raci.csv: each row this service carries (raci-rows.ts) names the
 * permissions of its step.
 */
export const PERMISSION_OPERATION = {
  REGISTER: 'registerRequest',
  UPDATE: 'updateRequest',
  REPLY: 'addReply',
  ADD_NOTE: 'addReply',
  REQUEST_INFORMATION: 'requestInformation',
  ASSIGN: 'assignRequest',
  PRIORITISE: 'prioritiseRequest',
  SEND_IN_HANDLING_NOTICE: 'sendInHandlingNotice',
  ACCEPT: 'acceptRequest',
  START_HANDLING: 'startHandling',
  HAND_OVER: 'handOverRequest',
  LINK_CHANGE: 'linkChange',
  PROPOSE_SOLUTION: 'proposeSolution',
  EXECUTE_MUTATION: 'executeMutation',
  ACCEPT_SOLUTION: 'respondToSolution',
  REJECT_SOLUTION: 'respondToSolution',
  CLOSE: 'closeRequest',
  REOPEN: 'reopenRequest',
  TREAT_AS_NEW: 'treatAsNewRequest',
  BOOK_TIME: 'bookTime',
  ASK_PRODUCT_DEVELOPMENT: 'askProductDevelopment',
  ANSWER_PRODUCT_DEVELOPMENT_QUESTION: 'answerProductDevelopmentQuestion',
} as const;

export type RequestPermission = keyof typeof PERMISSION_OPERATION;
export const REQUEST_PERMISSIONS = Object.keys(PERMISSION_OPERATION) as RequestPermission[];

/**
 * Permissions that are input to a step (a reply, an update, an answer): a role Consulted (C)
 * on the row contributes with them. Every other permission is for the row's R and A only.
 */
export const CONTRIBUTIONS: readonly RequestPermission[] = ['REPLY', 'UPDATE', 'ANSWER_PRODUCT_DEVELOPMENT_QUESTION'];

/** The Consulted party's own input (product development's answer): for the row's C only, not its R and A. */
export const CONSULTED_ONLY: readonly RequestPermission[] = ['ANSWER_PRODUCT_DEVELOPMENT_QUESTION'];
