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
import type {
  AnswerProductDevelopmentQuestionInput,
  AskProductDevelopmentInput,
  AddReplyInput,
  AnswerSurveyInput,
  AssignRequestInput,
  BookTimeInput,
  CloseRequestInput,
  ExecuteMutationInput,
  HandOverRequestInput,
  ImportRequestsInput,
  LinkChangeInput,
  PrioritiseRequestInput,
  ProposeSolutionInput,
  RegisterRequestInput,
  ReopenRequestInput,
  RequestInformationInput,
  RequestStepInput,
  RespondToSolutionInput,
  SendInHandlingNoticeInput,
  TreatAsNewRequestInput,
  UpdateRequestInput,
} from '../../generated/graphql';

/** A lifecycle mutation: the input as the schema gives it; each use case still validates it (zod). */
type Change<Input> = (actor: Actor, input: Input, correlationId: string) => Promise<Request>;

/** The application services the resolvers call: one per mutation of the request lifecycle. */
export interface RequestUseCases {
  registerRequest: Change<RegisterRequestInput>;
  updateRequest: Change<UpdateRequestInput>;
  requestInformation: Change<RequestInformationInput>;
  assignRequest: Change<AssignRequestInput>;
  prioritiseRequest: Change<PrioritiseRequestInput>;
  sendInHandlingNotice: Change<SendInHandlingNoticeInput>;
  acceptRequest: Change<RequestStepInput>;
  startHandling: Change<RequestStepInput>;
  handOverRequest: Change<HandOverRequestInput>;
  linkChange: Change<LinkChangeInput>;
  proposeSolution: Change<ProposeSolutionInput>;
  executeMutation: Change<ExecuteMutationInput>;
  respondToSolution: Change<RespondToSolutionInput>;
  closeRequest: Change<CloseRequestInput>;
  reopenRequest: Change<ReopenRequestInput>;
  addReply: Change<AddReplyInput>;
  answerSurvey: Change<AnswerSurveyInput>;
  bookTime(
    actor: Actor,
    input: BookTimeInput,
    correlationId: string,
  ): Promise<{ request: Request; booking: TimeBooking }>;
  treatAsNewRequest(
    actor: Actor,
    input: TreatAsNewRequestInput,
    correlationId: string,
  ): Promise<{ closed: Request; created: Request }>;
  askProductDevelopment(
    actor: Actor,
    input: AskProductDevelopmentInput,
    correlationId: string,
  ): Promise<{ request: Request; questionId: string }>;
  answerProductDevelopmentQuestion(
    actor: Actor,
    input: AnswerProductDevelopmentQuestionInput,
    correlationId: string,
  ): Promise<{ request: Request; answerId: string }>;
  exportCustomerData(actor: Actor, customerId: string): Promise<CustomerDataExport>;
  importRequests(actor: Actor, input: ImportRequestsInput, correlationId: string): Promise<ImportResult>;
}

export function requestUseCases(deps: LifecycleDeps, reader: RequestReader): RequestUseCases {
  const bind =
    // Each lifecycle step takes its input raw: it validates it, and an imported history's steps replay JSON through it.
    <Input>(
        fn: (deps: LifecycleDeps, actor: Actor, raw: unknown, correlationId: string) => Promise<Request>,
      ): Change<Input> =>
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
