import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ROLES } from '@servicecenter/platform-auth';
import { INFORMED, NOTIFICATION_KINDS } from './notifications';
import { notificationsFor } from './notify';

const raci: Record<string, string>[] = parse(readFileSync(join(__dirname, 'raci.csv'), 'utf8'), { columns: true });
const rowKey = (r: Record<string, string>) => `${r.process}/${r.phase}/${r.step}`;

describe('notifications derived from raci.csv', () => {
  it('refers only to steps that exist in the RACI table', () => {
    const keys = new Set(raci.map(rowKey));
    for (const kind of NOTIFICATION_KINDS)
      for (const row of INFORMED[kind].rows)
        expect({ kind, row, exists: keys.has(row) }).toEqual({ kind, row, exists: true });
  });

  it.each(NOTIFICATION_KINDS)('%s informs exactly the roles Informed (I or I/C) in its rows', (kind) => {
    const rows = raci.filter((r) => (INFORMED[kind].rows as readonly string[]).includes(rowKey(r)));
    const informed = ROLES.filter((role) => rows.some((r) => /^I(\/C)?$/.test((r[role] ?? '').trim())));
    expect([...new Set(INFORMED[kind].informed)].sort()).toEqual([...informed].sort());
  });

  it.each(NOTIFICATION_KINDS)('%s asks only roles Consulted (C or I/C) in its rows', (kind) => {
    const step: { rows: readonly string[]; consulted?: readonly string[] } = INFORMED[kind];
    const rows = raci.filter((r) => step.rows.includes(rowKey(r)));
    for (const role of step.consulted ?? [])
      expect({ role, consulted: rows.some((r) => /(^|\/)C$/.test((r[role] ?? '').trim())) }).toEqual({
        role,
        consulted: true,
      });
  });

  it('addresses internal roles once, each customer organisation once, and the asker by person', () => {
    let n = 0;
    const made = notificationsFor('STATUS_UPDATE_ANSWERED', {
      link: 'request:r1',
      subjectCustomerId: 'cust-acme',
      customerIds: ['cust-acme', 'cust-acme'],
      askerId: 'p-sm',
      internal: { title: 'Status update', message: 'internal answer' },
      customer: { title: 'Update', message: 'public text' },
      now: new Date('2026-06-02T08:00:00Z'),
      newId: () => `n${++n}`,
    });
    expect(made.map((x) => [x.recipientRole, x.recipientCustomerId, x.recipientPersonId, x.message])).toEqual([
      ['customer', 'cust-acme', null, 'public text'],
      ['support_consultant', null, null, 'internal answer'],
      ['team_lead', null, null, 'internal answer'],
      [null, null, 'p-sm', 'internal answer'],
    ]);
  });
});
