import type { Actor } from '../authorisation';
import type { RequestReader } from '../ports';
import type { Request } from '../request';
import {
  addReply,
  executeMutation,
  handOverRequest,
  linkChange,
  proposeSolution,
  respondToSolution,
  startHandling,
} from './handling';
import { closeRequest, treatAsNewRequest } from './closing';
import { exportCustomerData, type CustomerDataExport } from './export-customer-data';
import {
  acceptRequest,
  assignRequest,
  prioritiseRequest,
  reopenRequest,
  requestInformation,
  sendInHandlingNotice,
  updateRequest,
} from './intake';
import { registerRequest } from './register';
import { answerProductDevelopmentQuestion, askProductDevelopment } from './product-development';
import { answerSurvey, bookTime } from './bookings';
import { importRequests, type ImportResult } from './import';
import type { TimeBooking } from '../bookings';
import type { LifecycleDeps } from './step';

type Change = (actor: Actor, input: unknown, correlationId: string) => Promise<Request>;

/** The application services the resolvers call: one per mutation of the request lifecycle. */
export interface RequestUseCases {
  registerRequest: Change;
  updateRequest: Change;
  requestInformation: Change;
  assignRequest: Change;
  prioritiseRequest: Change;
  sendInHandlingNotice: Change;
  acceptRequest: Change;
  startHandling: Change;
  handOverRequest: Change;
  linkChange: Change;
  proposeSolution: Change;
  executeMutation: Change;
  respondToSolution: Change;
  closeRequest: Change;
  reopenRequest: Change;
  addReply: Change;
  answerSurvey: Change;
  bookTime(actor: Actor, input: unknown, correlationId: string): Promise<{ request: Request; booking: TimeBooking }>;
  treatAsNewRequest(
    actor: Actor,
    input: unknown,
    correlationId: string,
  ): Promise<{ closed: Request; created: Request }>;
  askProductDevelopment(
    actor: Actor,
    input: unknown,
    correlationId: string,
  ): Promise<{ request: Request; questionId: string }>;
  answerProductDevelopmentQuestion(
    actor: Actor,
    input: unknown,
    correlationId: string,
  ): Promise<{ request: Request; answerId: string }>;
  exportCustomerData(actor: Actor, customerId: string): Promise<CustomerDataExport>;
  importRequests(actor: Actor, input: unknown, correlationId: string): Promise<ImportResult>;
}

export function requestUseCases(deps: LifecycleDeps, reader: RequestReader): RequestUseCases {
  const bind =
    (fn: (deps: LifecycleDeps, actor: Actor, input: unknown, correlationId: string) => Promise<Request>): Change =>
    (actor, input, correlationId) =>
      fn(deps, actor, input, correlationId);
  return {
    registerRequest: bind(registerRequest),
    updateRequest: bind(updateRequest),
    requestInformation: bind(requestInformation),
    assignRequest: bind(assignRequest),
    prioritiseRequest: bind(prioritiseRequest),
    sendInHandlingNotice: bind(sendInHandlingNotice),
    acceptRequest: bind(acceptRequest),
    startHandling: bind(startHandling),
    handOverRequest: bind(handOverRequest),
    linkChange: bind(linkChange),
    proposeSolution: bind(proposeSolution),
    executeMutation: bind(executeMutation),
    respondToSolution: bind(respondToSolution),
    closeRequest: bind(closeRequest),
    reopenRequest: bind(reopenRequest),
    addReply: bind(addReply),
    answerSurvey: bind(answerSurvey),
    bookTime: (actor, input, correlationId) => bookTime(deps, actor, input, correlationId),
    treatAsNewRequest: (actor, input, correlationId) => treatAsNewRequest(deps, actor, input, correlationId),
    askProductDevelopment: (actor, input, correlationId) => askProductDevelopment(deps, actor, input, correlationId),
    answerProductDevelopmentQuestion: (actor, input, correlationId) =>
      answerProductDevelopmentQuestion(deps, actor, input, correlationId),
    exportCustomerData: (actor, customerId) => exportCustomerData(reader, actor, customerId, deps.now()),
    importRequests: (actor, input, correlationId) => importRequests(deps, actor, input, correlationId),
  };
}

export type { LifecycleDeps, FollowUpSettings } from './step';
export { followUp } from './closing';
