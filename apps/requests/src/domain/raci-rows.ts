import type { RaciException, RaciRowRights } from '@servicecenter/platform-auth';
import type { RequestPermission } from './permissions';

/**
 * A row of raci.csv as the requests service carries it: the platform declaration plus the
 * permissions of this service the step grants. A row of process `incident` grants its
 * permissions on requests of type INCIDENT, `change` on CHANGE, `information` on INFORMATION,
 * `application_service` on APPLICATION_SERVICE (PROCESS_OF_TYPE in authorisation.ts).
 */
export interface RequestRaciRow extends RaciRowRights {
  permissions: readonly RequestPermission[];
}

const PHONE =
  'DOMAIN.md intake step 1: the customer registers online or by phone through the desk; the consultant or team lead registers the phoned-in request on their behalf';
const desk = (...roles: ('support_consultant' | 'team_lead')[]): RaciException[] =>
  roles.map((role) => ({ role, as: 'act', reason: PHONE }));
const CUSTOMER_REOPENS: RaciException = {
  role: 'customer',
  as: 'act',
  reason:
    'DOMAIN.md intake step 2: the customer brings a closed request back (reopenRequest); the desk then judges whether it is the same question',
};
const CUSTOMER_WITHDRAWS: RaciException = {
  role: 'customer',
  as: 'act',
  reason:
    'The customer may withdraw their own request (closeRequest with reason WITHDRAWN only; any other reason is FORBIDDEN)',
};
const LEAD_COVERS: RaciException = {
  role: 'team_lead',
  as: 'act',
  reason:
    "DOMAIN.md's roles: the team lead is Accountable for intake and handling of the product's requests (the matrix names the manager Service Center for the incident handling rows and the change request's intake and handling); the lead covers an absent consultant of the team",
};
const COORDINATOR_LINKS: RaciException = {
  role: 'pd_change_coordinator',
  as: 'act',
  reason:
    'DOMAIN.md: the PD change coordinator "links a change to it", and the row\'s consultant "replies to the change coordinator in the request": the coordinator links the change and writes internal notes on requests handed over to product development (the matrix marks them Informed only)',
};

const REMINDERS = 'the follow-up timer (domain/use-cases/closing.ts followUp): reminders on working days, then closing';
const READS = 'reads the request (request, requests)';
const EVENTS = 'request events on servicecenter.requests.v1; ';
const CUSTOMER_READS = `${EVENTS}the customer reads the status and the public replies of the request`;

/**
 * The rows of raci.csv this service carries: processes incident (rows 1–31), change (32–50),
 * information (51–79) and application_service (80–93). Row 13 (the manual check that requests
 * are assigned in time) is the sla service's (`slaAtRisk`).
 */
export const RACI_ROWS: readonly RequestRaciRow[] = [
  // ---- incident: intake ------------------------------------------------------------------
  {
    row: 1,
    operations: ['registerRequest', 'updateRequest', 'addReply'],
    permissions: ['REGISTER', 'UPDATE', 'REPLY'],
    informedBy: 'servicecenter.request.registered.v1; the consultant reads it in requestQueue',
    exceptions: desk('support_consultant', 'team_lead'),
  },
  {
    row: 2,
    operations: ['reopenRequest'],
    permissions: ['REOPEN'],
    exceptions: [CUSTOMER_REOPENS],
  },
  { row: 3, operations: ['reopenRequest', 'treatAsNewRequest'], permissions: ['REOPEN', 'TREAT_AS_NEW'] },
  {
    row: 4,
    operations: ['treatAsNewRequest'],
    permissions: ['TREAT_AS_NEW'],
    informedBy: `${CUSTOMER_READS} (the closing text names the new request)`,
  },
  {
    row: 5,
    operations: [],
    permissions: [],
    automatic: 'registerRequest runs the completeness check once (domain/completeness.ts)',
  },
  { row: 6, operations: ['updateRequest', 'addReply'], permissions: ['UPDATE', 'REPLY'] },
  { row: 7, operations: ['requestInformation'], permissions: ['REQUEST_INFORMATION'] },
  {
    row: 8,
    operations: ['assignRequest', 'prioritiseRequest'],
    permissions: ['ASSIGN', 'PRIORITISE'],
    informedBy: CUSTOMER_READS,
  },
  {
    row: 9,
    operations: ['requestInformation'],
    permissions: ['REQUEST_INFORMATION'],
    informedBy: `${CUSTOMER_READS} (a public INFORMATION_REQUEST reply)`,
  },
  {
    row: 10,
    operations: ['updateRequest', 'addReply'],
    permissions: ['UPDATE', 'REPLY'],
    automatic: REMINDERS,
    informedBy: `servicecenter.request.resumed.v1; the consultant ${READS}`,
  },
  {
    row: 11,
    operations: ['sendInHandlingNotice'],
    permissions: ['SEND_IN_HANDLING_NOTICE'],
    informedBy: `${CUSTOMER_READS} (a public IN_HANDLING_NOTICE reply)`,
  },
  {
    row: 12,
    operations: [],
    permissions: [],
    automatic:
      'the sla service runs the ASSIGNMENT target of every request (warnings and breaches on servicecenter.sla.v1)',
  },
  { row: 14, operations: ['acceptRequest'], permissions: ['ACCEPT'], informedBy: CUSTOMER_READS },
  // ---- incident: handling ----------------------------------------------------------------
  {
    row: 15,
    operations: ['startHandling', 'bookTime'],
    permissions: ['START_HANDLING', 'BOOK_TIME'],
    exceptions: [LEAD_COVERS],
  },
  {
    row: 16,
    operations: ['startHandling'],
    permissions: ['START_HANDLING'],
    informedBy: CUSTOMER_READS,
    exceptions: [LEAD_COVERS],
  },
  {
    row: 17,
    operations: ['requestInformation', 'addReply'],
    permissions: ['REQUEST_INFORMATION', 'REPLY'],
    exceptions: [LEAD_COVERS],
  },
  {
    row: 18,
    operations: ['requestInformation'],
    permissions: ['REQUEST_INFORMATION'],
    informedBy: CUSTOMER_READS,
    exceptions: [LEAD_COVERS],
  },
  { row: 19, operations: [], permissions: [], automatic: REMINDERS },
  {
    row: 20,
    operations: ['addReply'],
    permissions: ['ADD_NOTE'],
    exceptions: [LEAD_COVERS],
  },
  {
    row: 21,
    operations: ['handOverRequest', 'proposeSolution'],
    permissions: ['HAND_OVER', 'PROPOSE_SOLUTION'],
    informedBy: CUSTOMER_READS,
    exceptions: [LEAD_COVERS],
  },
  {
    row: 22,
    operations: [],
    permissions: [],
    automatic: REMINDERS,
    informedBy: CUSTOMER_READS,
  },
  {
    row: 23,
    operations: ['respondToSolution', 'addReply'],
    permissions: ['ACCEPT_SOLUTION', 'REJECT_SOLUTION', 'REPLY'],
    informedBy: `servicecenter.request.closed.v1 / solution-rejected.v1; the consultant ${READS}`,
  },
  {
    row: 24,
    operations: ['handOverRequest'],
    permissions: ['HAND_OVER'],
    informedBy:
      'servicecenter.handover.requested.v1 on servicecenter.handovers.v1 and a HANDED_OVER_TO_PRODUCT_DEVELOPMENT notification (myNotifications) to the PD change coordinator, who reads the request; the customer reads the status',
    exceptions: [LEAD_COVERS],
  },
  {
    row: 25,
    operations: ['linkChange', 'addReply'],
    permissions: ['LINK_CHANGE', 'ADD_NOTE'],
    informedBy: 'the PD change coordinator reads the request and its internal notes (request.replies)',
    exceptions: [LEAD_COVERS, COORDINATOR_LINKS],
  },
  // ---- incident: closing -----------------------------------------------------------------
  { row: 26, operations: ['proposeSolution'], permissions: ['PROPOSE_SOLUTION'], informedBy: CUSTOMER_READS },
  { row: 27, operations: [], permissions: [], automatic: REMINDERS, informedBy: CUSTOMER_READS },
  { row: 28, operations: [], permissions: [], automatic: REMINDERS, informedBy: CUSTOMER_READS },
  {
    row: 29,
    operations: ['respondToSolution'],
    permissions: ['ACCEPT_SOLUTION'],
    informedBy: `servicecenter.request.closed.v1; the team lead ${READS}`,
  },
  {
    row: 30,
    operations: [],
    permissions: [],
    automatic:
      'respondToSolution (accepted) closes with the standard text; the follow-up timer closes with NO_REPLY after the reminders',
    informedBy: CUSTOMER_READS,
  },
  {
    row: 31,
    operations: ['closeRequest'],
    permissions: ['CLOSE'],
    informedBy: CUSTOMER_READS,
    exceptions: [CUSTOMER_WITHDRAWS],
  },
  // ---- change: intake --------------------------------------------------------------------
  {
    row: 32,
    operations: ['registerRequest', 'updateRequest', 'addReply'],
    permissions: ['REGISTER', 'UPDATE', 'REPLY'],
    informedBy: 'servicecenter.request.registered.v1; the consultant reads it in requestQueue',
    exceptions: desk('support_consultant', 'team_lead'),
  },
  {
    row: 33,
    operations: ['reopenRequest'],
    permissions: ['REOPEN'],
    exceptions: [CUSTOMER_REOPENS, LEAD_COVERS],
  },
  {
    row: 34,
    operations: ['reopenRequest', 'treatAsNewRequest'],
    permissions: ['REOPEN', 'TREAT_AS_NEW'],
    exceptions: [LEAD_COVERS],
  },
  {
    row: 35,
    operations: ['treatAsNewRequest'],
    permissions: ['TREAT_AS_NEW'],
    informedBy: CUSTOMER_READS,
    exceptions: [LEAD_COVERS],
  },
  {
    // The change intake has no row of its own for assigning and prioritising: the check of the business impact sets them.
    row: 36,
    operations: ['requestInformation', 'updateRequest', 'assignRequest', 'prioritiseRequest'],
    permissions: ['REQUEST_INFORMATION', 'UPDATE', 'ASSIGN', 'PRIORITISE'],

    exceptions: [LEAD_COVERS],
  },
  {
    row: 37,
    operations: ['requestInformation'],
    permissions: ['REQUEST_INFORMATION'],
    informedBy: CUSTOMER_READS,
    exceptions: [LEAD_COVERS],
  },
  {
    row: 38,
    operations: ['updateRequest', 'addReply'],
    permissions: ['UPDATE', 'REPLY'],
    automatic: REMINDERS,
    informedBy: `servicecenter.request.resumed.v1; the consultant ${READS}`,
  },
  {
    row: 39,
    operations: ['sendInHandlingNotice'],
    permissions: ['SEND_IN_HANDLING_NOTICE'],
    informedBy: CUSTOMER_READS,

    exceptions: [LEAD_COVERS],
  },
  {
    row: 40,
    operations: ['acceptRequest'],
    permissions: ['ACCEPT'],
    informedBy: CUSTOMER_READS,
    exceptions: [LEAD_COVERS],
  },
  // ---- change: handling ------------------------------------------------------------------
  {
    row: 41,
    operations: ['startHandling', 'bookTime', 'requestInformation', 'addReply'],
    permissions: ['START_HANDLING', 'BOOK_TIME', 'REQUEST_INFORMATION', 'REPLY', 'ADD_NOTE'],
    exceptions: [LEAD_COVERS],
  },
  {
    row: 42,
    operations: ['handOverRequest', 'proposeSolution'],
    permissions: ['HAND_OVER', 'PROPOSE_SOLUTION'],
    informedBy: CUSTOMER_READS,
    exceptions: [LEAD_COVERS],
  },
  {
    row: 43,
    operations: ['handOverRequest'],
    permissions: ['HAND_OVER'],
    informedBy: CUSTOMER_READS,
    exceptions: [LEAD_COVERS],
  },
  {
    row: 44,
    operations: ['linkChange', 'addReply'],
    permissions: ['LINK_CHANGE', 'ADD_NOTE'],
    informedBy: `servicecenter.request.change-linked.v1; the customer success director ${READS}`,
    exceptions: [LEAD_COVERS, COORDINATOR_LINKS],
  },
  // ---- change: closing -------------------------------------------------------------------
  { row: 45, operations: ['proposeSolution'], permissions: ['PROPOSE_SOLUTION'], informedBy: CUSTOMER_READS },
  { row: 46, operations: [], permissions: [], automatic: REMINDERS, informedBy: CUSTOMER_READS },
  { row: 47, operations: [], permissions: [], automatic: REMINDERS, informedBy: CUSTOMER_READS },
  {
    row: 48,
    operations: ['respondToSolution', 'addReply'],
    permissions: ['ACCEPT_SOLUTION', 'REJECT_SOLUTION', 'REPLY'],
    informedBy: `servicecenter.request.closed.v1; the consultant ${READS}`,
  },
  {
    row: 49,
    operations: [],
    permissions: [],
    automatic:
      'respondToSolution (accepted) closes with the standard text; the follow-up timer closes with NO_REPLY after the reminders',
    informedBy: CUSTOMER_READS,
  },
  {
    row: 50,
    operations: ['closeRequest'],
    permissions: ['CLOSE'],
    informedBy: CUSTOMER_READS,
    exceptions: [CUSTOMER_WITHDRAWS],
  },
  // ---- information: intake ---------------------------------------------------------------
  {
    row: 51,
    operations: ['registerRequest', 'updateRequest', 'addReply'],
    permissions: ['REGISTER', 'UPDATE', 'REPLY'],
    informedBy: 'servicecenter.request.registered.v1; the consultant reads it in requestQueue',
    exceptions: desk('support_consultant', 'team_lead'),
  },
  { row: 52, operations: ['reopenRequest'], permissions: ['REOPEN'], exceptions: [CUSTOMER_REOPENS] },
  { row: 53, operations: ['reopenRequest', 'treatAsNewRequest'], permissions: ['REOPEN', 'TREAT_AS_NEW'] },
  { row: 54, operations: ['treatAsNewRequest'], permissions: ['TREAT_AS_NEW'], informedBy: CUSTOMER_READS },
  { row: 55, operations: ['updateRequest', 'addReply'], permissions: ['UPDATE', 'REPLY'] },
  { row: 56, operations: ['requestInformation'], permissions: ['REQUEST_INFORMATION'] },
  {
    // "Assign": the priority the acceptance needs is set in the same step.
    row: 57,
    operations: ['assignRequest', 'prioritiseRequest'],
    permissions: ['ASSIGN', 'PRIORITISE'],
    informedBy: CUSTOMER_READS,
  },
  { row: 58, operations: ['requestInformation'], permissions: ['REQUEST_INFORMATION'], informedBy: CUSTOMER_READS },
  {
    row: 59,
    operations: ['updateRequest', 'addReply'],
    permissions: ['UPDATE', 'REPLY'],
    automatic: REMINDERS,
    informedBy: `servicecenter.request.resumed.v1; the consultant ${READS}`,
  },
  {
    row: 60,
    operations: ['sendInHandlingNotice'],
    permissions: ['SEND_IN_HANDLING_NOTICE'],
    informedBy: CUSTOMER_READS,
  },
  {
    row: 61,
    operations: [],
    permissions: [],
    automatic:
      'the sla service runs the ASSIGNMENT target of every request (warnings and breaches on servicecenter.sla.v1)',
  },
  // ---- information: handling -------------------------------------------------------------
  { row: 62, operations: ['acceptRequest'], permissions: ['ACCEPT'], informedBy: CUSTOMER_READS },
  { row: 63, operations: ['startHandling', 'bookTime'], permissions: ['START_HANDLING', 'BOOK_TIME'] },
  { row: 64, operations: ['proposeSolution'], permissions: ['PROPOSE_SOLUTION'] },
  { row: 65, operations: ['proposeSolution'], permissions: ['PROPOSE_SOLUTION'] },
  { row: 66, operations: ['requestInformation', 'addReply'], permissions: ['REQUEST_INFORMATION', 'REPLY'] },
  { row: 67, operations: ['requestInformation'], permissions: ['REQUEST_INFORMATION'], informedBy: CUSTOMER_READS },
  { row: 68, operations: [], permissions: [], automatic: REMINDERS },
  { row: 69, operations: ['addReply'], permissions: ['ADD_NOTE'] },
  {
    row: 70,
    operations: ['proposeSolution', 'askProductDevelopment'],
    permissions: ['PROPOSE_SOLUTION', 'ASK_PRODUCT_DEVELOPMENT'],
    informedBy: CUSTOMER_READS,
  },
  {
    row: 71,
    operations: ['askProductDevelopment', 'answerProductDevelopmentQuestion'],
    permissions: ['ASK_PRODUCT_DEVELOPMENT', 'ANSWER_PRODUCT_DEVELOPMENT_QUESTION'],
    informedBy:
      'servicecenter.request.product-development-asked.v1 and a PRODUCT_DEVELOPMENT_ASKED notification (myNotifications) to the PD change coordinator, who reads the request while the question is asked and answers it (Consulted)',
  },
  {
    row: 72,
    operations: [],
    permissions: [],
    automatic: REMINDERS,
    informedBy: CUSTOMER_READS,
  },
  {
    row: 73,
    operations: ['respondToSolution', 'addReply'],
    permissions: ['ACCEPT_SOLUTION', 'REJECT_SOLUTION', 'REPLY'],
    informedBy: `servicecenter.request.closed.v1 / solution-rejected.v1; the consultant ${READS}`,
  },
  // ---- information: closing --------------------------------------------------------------
  { row: 74, operations: ['proposeSolution'], permissions: ['PROPOSE_SOLUTION'], informedBy: CUSTOMER_READS },
  { row: 75, operations: [], permissions: [], automatic: REMINDERS, informedBy: CUSTOMER_READS },
  { row: 76, operations: [], permissions: [], automatic: REMINDERS, informedBy: CUSTOMER_READS },
  {
    row: 77,
    operations: ['respondToSolution', 'addReply'],
    permissions: ['ACCEPT_SOLUTION', 'REJECT_SOLUTION', 'REPLY'],
    informedBy: `servicecenter.request.closed.v1; the consultant ${READS}`,
  },
  {
    row: 78,
    operations: [],
    permissions: [],
    automatic:
      'respondToSolution (accepted) closes with the standard text; the follow-up timer closes with NO_REPLY after the reminders',
    informedBy: CUSTOMER_READS,
  },
  {
    row: 79,
    operations: ['closeRequest'],
    permissions: ['CLOSE'],
    informedBy: CUSTOMER_READS,
    exceptions: [CUSTOMER_WITHDRAWS],
  },
  // ---- application_service: intake -------------------------------------------------------
  {
    row: 80,
    operations: ['registerRequest', 'updateRequest', 'addReply'],
    permissions: ['REGISTER', 'UPDATE', 'REPLY'],
    informedBy: 'servicecenter.request.registered.v1; the consultant reads it in requestQueue',
    exceptions: desk('support_consultant'),
  },
  {
    row: 81,
    operations: [],
    permissions: [],
    automatic:
      'registerRequest declines (closes DECLINED with the standard text) an application service of a customer without an Application Services contract',
  },
  {
    row: 82,
    operations: ['closeRequest'],
    permissions: ['CLOSE'],
    informedBy: CUSTOMER_READS,
    exceptions: [CUSTOMER_WITHDRAWS],
  },
  {
    row: 83,
    operations: ['requestInformation', 'addReply'],
    permissions: ['REQUEST_INFORMATION', 'ADD_NOTE'],
  },
  {
    row: 84,
    operations: ['requestInformation', 'addReply'],
    permissions: ['REQUEST_INFORMATION', 'REPLY'],
    informedBy: CUSTOMER_READS,
  },
  {
    row: 85,
    operations: ['assignRequest', 'startHandling', 'handOverRequest'],
    permissions: ['ASSIGN', 'START_HANDLING', 'HAND_OVER'],
  },
  {
    row: 86,
    operations: ['sendInHandlingNotice'],
    permissions: ['SEND_IN_HANDLING_NOTICE'],
    informedBy: CUSTOMER_READS,
  },
  {
    row: 87,
    operations: ['prioritiseRequest'],
    permissions: ['PRIORITISE'],
    automatic:
      "registerRequest sets the priority of an application service whose mutationKind the customer's Application Services conditions cover (Customer.applicationServicesConditions) to the priority they give (history PRIORITISE, automatic); the desk prioritises other kinds, and changing a set priority is the team lead's (prioritiseRequest)",
  },
  { row: 88, operations: ['handOverRequest'], permissions: ['HAND_OVER'] },
  { row: 89, operations: ['acceptRequest'], permissions: ['ACCEPT'], informedBy: CUSTOMER_READS },
  {
    row: 90,
    operations: ['sendInHandlingNotice'],
    permissions: ['SEND_IN_HANDLING_NOTICE'],
    informedBy: CUSTOMER_READS,
  },
  // ---- application_service: handling and closing -----------------------------------------
  {
    row: 91,
    operations: ['executeMutation', 'startHandling', 'bookTime'],
    permissions: ['EXECUTE_MUTATION', 'START_HANDLING', 'BOOK_TIME'],
  },
  {
    row: 92,
    operations: ['executeMutation'],
    permissions: ['EXECUTE_MUTATION'],
    informedBy: `${CUSTOMER_READS} (a public MUTATION_REPORT reply)`,
  },
  {
    row: 93,
    operations: ['closeRequest', 'respondToSolution'],
    permissions: ['CLOSE', 'ACCEPT_SOLUTION', 'REJECT_SOLUTION'],
    informedBy: CUSTOMER_READS,
    exceptions: [
      {
        role: 'customer',
        as: 'act',
        reason:
          'The customer may withdraw their own request (WITHDRAWN only) and confirms or rejects the mutation made (respondToSolution), which closes it with the text',
      },
    ],
  },
];
