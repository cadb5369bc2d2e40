import { stringify } from 'csv-stringify/sync';
import { hasRole, type Role } from '@servicecenter/platform-auth';
import { forbidden } from '@servicecenter/platform-errors';
import { readScope, type Actor } from '../authorisation';
import { customerHistory, type HistoryEntry, type Reply } from '../conversation';
import type { RequestReader } from '../ports';
import type { Request } from '../request';

/**
 * A spreadsheet runs a cell starting with = + - @ (or a tab/CR before them) as a formula;
 * prefixing a quote keeps it text (OWASP "CSV injection").
 */
export function neutraliseCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const toCsv = (header: string[], rows: unknown[][]) =>
  stringify([header, ...rows.map((row) => row.map(neutraliseCell))]);

const REQUEST_COLUMNS: (keyof Request)[] = [
  'number',
  'id',
  'type',
  'status',
  'title',
  'description',
  'businessImpact',
  'requestedPriority',
  'priority',
  'priorityJustification',
  'productId',
  'requesterId',
  'assigneeId',
  'completionReason',
  'changeRef',
  'solution',
  'registeredAt',
  'firstResponseAt',
  'closedAt',
  'updatedAt',
];

/**
 * Who may take a customer's exit extract: its own users, its relation managers and the managers
 * of the desk (a right), and only of a customer the visibility rule lets them see.
 */
const EXPORTERS: readonly Role[] = [
  'customer',
  'service_manager',
  'customer_success_manager',
  'admin',
  'manager_service_center',
  'manager_service_management',
  'csm_director',
  'customer_success_director',
];

function mayExport(actor: Actor, customerId: string): boolean {
  if (!hasRole(actor.caller, ...EXPORTERS)) return false;
  const scope = readScope(actor);
  return scope.all || scope.customerIds.includes(customerId);
}

export interface CustomerDataExport {
  customerId: string;
  generatedAt: Date;
  requestCount: number;
  json: string;
  csv: { name: string; content: string }[];
}

/**
 * DOMAIN.md "Exit process": a leaving customer gets extracts of its data: every request,
 * the public conversation (internal notes are the vendor's working notes) and the history.
 */
export async function exportCustomerData(
  reader: RequestReader,
  actor: Actor,
  customerId: string,
  now: Date,
): Promise<CustomerDataExport> {
  if (!mayExport(actor, customerId)) throw forbidden('You may not export this customer’s data');
  const all = await reader.allOfCustomer(customerId);
  // The customer's data as the customer sees it in the graph: no internal notes, no team ids.
  const { replies } = all;
  const history = customerHistory(all.history);
  const requests = all.requests.map((r) => ({ ...r, teamId: null }));
  const numberOf = new Map(requests.map((r) => [r.id, r.number]));
  const json = JSON.stringify(
    {
      customerId,
      generatedAt: now.toISOString(),
      requests: requests.map((r) => ({
        ...r,
        replies: replies.filter((x) => x.requestId === r.id),
        history: history.filter((h) => h.requestId === r.id),
      })),
    },
    null,
    2,
  );
  const csv = [
    {
      name: 'requests.csv',
      content: toCsv(
        REQUEST_COLUMNS,
        requests.map((r) => REQUEST_COLUMNS.map((c) => r[c])),
      ),
    },
    {
      name: 'replies.csv',
      content: toCsv(
        ['requestNumber', 'createdAt', 'side', 'kind', 'authorId', 'body'],
        replies.map((x: Reply) => [numberOf.get(x.requestId), x.createdAt, x.side, x.kind, x.authorId, x.body]),
      ),
    },
    {
      name: 'history.csv',
      content: toCsv(
        ['requestNumber', 'at', 'action', 'fromStatus', 'toStatus', 'actorId', 'details'],
        history.map((h: HistoryEntry) => [
          numberOf.get(h.requestId),
          h.at,
          h.action,
          h.fromStatus,
          h.toStatus,
          h.actorId,
          h.details,
        ]),
      ),
    },
  ];
  return { customerId, generatedAt: now, requestCount: requests.length, json, csv };
}
