import { RACI_MATRIX, rolesWith, type RaciLetter, type Role } from '@servicecenter/platform-auth';
import { TYPE_OF_PROCESS } from './authorisation';
import { CONSULTED_ONLY, CONTRIBUTIONS, PERMISSION_OPERATION } from './permissions';
import { RACI_ROWS } from './raci-rows';

const ROLE_NAMES: Partial<Record<Role, string>> = {
  customer: 'customer',
  support_consultant: 'support consultant',
  team_lead: 'team lead',
  manager_service_center: 'manager Service Center',
  service_manager: 'service manager',
  manager_service_management: 'manager Service Management',
  customer_success_manager: 'customer success manager',
  customer_success_director: 'customer success director',
  pd_change_coordinator: 'PD change coordinator',
  pd_product_owner: 'PD product owner',
};
const roleName = (role: Role) => ROLE_NAMES[role] ?? role.replace(/_/g, ' ');
const LETTER_NAMES: Record<Exclude<RaciLetter, 'I'>, string> = {
  R: 'Responsible',
  A: 'Accountable',
  C: 'Consulted',
};
const PROCESS_NAMES: Record<string, string> = {
  incident: 'Incident',
  change: 'Change request',
  information: 'Information request',
  application_service: 'Application service',
};

/**
 * Who may call a mutation, in the words of the RACI: per request type the rows of raci.csv
 * that carry it, its Responsible, Accountable (and Consulted where it takes their input), and
 * the roles a row allows by exception. The SDL description of each mutation ends with this
 * text (raci-descriptions.spec.ts holds them together).
 */
export function whoMayText(operation: string): string {
  const lines: string[] = [];
  for (const process of Object.keys(TYPE_OF_PROCESS)) {
    const declared = RACI_ROWS.filter(
      (r) => r.operations.includes(operation) && RACI_MATRIX[r.row - 1].process === process,
    );
    if (declared.length === 0) continue;
    const permissions = declared.flatMap((r) => r.permissions.filter((p) => PERMISSION_OPERATION[p] === operation));
    const letters: Exclude<RaciLetter, 'I'>[] = [];
    if (permissions.some((p) => !CONSULTED_ONLY.includes(p))) letters.push('R', 'A');
    if (permissions.some((p) => CONTRIBUTIONS.includes(p) || CONSULTED_ONLY.includes(p))) letters.push('C');
    const parts = letters
      .map((letter) => {
        const rows = declared.filter((r) =>
          r.permissions.some(
            (p) =>
              PERMISSION_OPERATION[p] === operation &&
              (letter === 'C' ? CONTRIBUTIONS.includes(p) || CONSULTED_ONLY.includes(p) : !CONSULTED_ONLY.includes(p)),
          ),
        );
        const roles = [...new Set(rows.flatMap((r) => rolesWith(r.row, [letter])))];
        return roles.length ? `${LETTER_NAMES[letter]}: ${roles.map(roleName).join(', ')}` : null;
      })
      .filter((p): p is string => p !== null);
    const lettered = new Set<string>(declared.flatMap((r) => rolesWith(r.row, letters)));
    const byException = [
      ...new Set(declared.flatMap((r) => (r.exceptions ?? []).filter((e) => e.as === 'act').map((e) => e.role))),
    ].filter((role) => !lettered.has(role));
    if (byException.length) parts.push(`by exception: ${byException.map(roleName).join(', ')}`);
    const rows = declared.map((r) => r.row);
    lines.push(
      `${PROCESS_NAMES[process]} (raci.csv row${rows.length > 1 ? 's' : ''} ${rows.join(', ')}): ${parts.join('; ')}.`,
    );
  }
  return lines.join('\n');
}
