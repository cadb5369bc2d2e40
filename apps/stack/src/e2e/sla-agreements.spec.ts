import { OUTBOX_ENVELOPE_SQL } from '@servicecenter/platform-events';
import { TestClock, waitFor } from '@servicecenter/testing';
import { createDesk, tokenFor } from '../testing/desk-fixture';
import { startTestStack, type TestStack } from '../testing/test-stack';
import { graphql } from './generated';

const SLA = graphql(`
  query AgreementsSla($id: ID) { request(id: $id) { sla { targets { kind state dueAt } timeline { kind note } } } }`);
type Target = { kind: string; state: string; dueAt: string | null };
const ALWAYS_OPEN = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
const SAVE_AGREEMENT = graphql(
  `mutation AgreementsSave($input: SaveSlaAgreementInput!) { saveSlaAgreement(input: $input) { recalculatedRequests agreement { id version customerId calendarId calendarVersion baseVersion thresholds targets { kind unit hours notApplicable } calendar { timeZone workingHours { weekday start end } } } } }`,
);
const SAVE_CALENDAR = graphql(
  `mutation AgreementsSaveCalendar($input: SaveBusinessCalendarInput!) { saveBusinessCalendar(input: $input) { calendar { id version definition { timeZone holidayCountry workingHours { weekday start end } } } } }`,
);
const REGISTER = graphql(`
  mutation AgreementsRegister($input: RegisterRequestInput!) { registerRequest(input: $input) { request { id } } }`);
const AGREEMENTS = graphql(
  `query AgreementsOfCustomer($customerId: ID) { slaAgreements(customerId: $customerId) { id version } }`,
);
const AGREEMENT = graphql(`query AgreementsOne($id: ID!) { slaAgreement(id: $id) { version workaroundGoalPercent } }`);
const AGREEMENT_AND_CALENDARS = graphql(`
  query AgreementsAndCalendars($id: ID!) { slaAgreement(id: $id) { version } businessCalendars { id } }`);
const SAVE_GOALS = graphql(`
  mutation AgreementsSaveGoals($input: SaveSlaAgreementInput!) {
    saveSlaAgreement(input: $input) { agreement { version workaroundGoalPercent hardLimitGoalPercent } }
  }`);
const GOALS = graphql(`
  query AgreementsGoals($customerId: ID) {
    slaCompliance(input: { period: { from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z" }, customerId: $customerId }) {
      highWorkaround { within24h { goalPercentage } within48h { goalPercentage } }
    }
  }`);

/**
 * Per-customer agreements through the gateway: a new version applies to requests registered
 * afterwards; running requests move only when the admin asks to recalculate.
 */
describe('SLA agreements and business calendars through the gateway', () => {
  let ts: TestStack;
  const clock = new TestClock('2026-06-08T07:00:00Z'); // Monday 09:00 in Amsterdam
  const tokens: Record<string, string> = {};
  let admin: string;

  const register = async (title: string) => {
    const { registerRequest } = await ts.client.ok(
      REGISTER,
      {
        input: {
          type: 'INCIDENT',
          title,
          description: 'The payslip PDF shows the wrong period for every employee since this morning.',
          businessImpact: 'Employees receive confusing payslips.',
          evidence: [{ kind: 'SCREENSHOT', name: 'payslip.png' }],
          requestedPriority: 'MEDIUM',
          productId: 'prod-payroll',
        },
      },
      tokens['u-acme'],
    );
    return registerRequest.request.id;
  };
  const targets = async (id: string, until: (t: Record<string, Target>) => boolean, what: string) => {
    const read = await waitFor(
      () => ts.client.ok(SLA, { id }, tokens['p-anna']),
      (r) => !!r.request?.sla && until(Object.fromEntries(r.request.sla.targets.map((t) => [t.kind, t]))),
      { what },
    );
    return {
      byKind: Object.fromEntries((read.request?.sla?.targets ?? []).map((t) => [t.kind, t])) as Record<string, Target>,
      timeline: read.request?.sla?.timeline ?? [],
    };
  };

  beforeAll(async () => {
    ts = await startTestStack({ clock: clock.now });
    await createDesk(ts);
    for (const id of ['u-acme', 'p-anna']) tokens[id] = await tokenFor(ts.client, id);
    admin = await ts.client.token('admin', { sub: 'p-admin' });
  });
  afterAll(async () => {
    await ts?.stop();
  });

  let before: string;
  let after: string;

  it('applies a new agreement version to requests registered afterwards only', async () => {
    before = await register('Wrong period on payslips (before the agreement)');
    const generic = await targets(before, (t) => t.FIRST_RESPONSE?.state === 'RUNNING', 'generic clocks');
    expect(generic.byKind.FIRST_RESPONSE.dueAt).toBe('2026-06-09T07:00:00.000Z'); // 1 working day of 8.5 h: Tuesday 09:00

    clock.set('2026-06-08T08:00:00Z');
    const { saveBusinessCalendar } = await ts.client.ok(
      SAVE_CALENDAR,
      { input: { id: 'always-open', name: '24/7 desk', workingHours: ALWAYS_OPEN } },
      admin,
    );
    expect(saveBusinessCalendar.calendar).toMatchObject({
      id: 'always-open',
      version: 1,
      definition: { timeZone: 'Europe/Amsterdam', holidayCountry: 'NL' },
    });
    expect(saveBusinessCalendar.calendar.definition.workingHours).toHaveLength(7);

    const { saveSlaAgreement } = await ts.client.ok(
      SAVE_AGREEMENT,
      {
        input: {
          id: 'acme',
          name: 'Acme premium',
          customerId: 'cust-acme',
          calendarId: 'always-open',
          targets: [{ kind: 'FIRST_RESPONSE', unit: 'WORKING_TIME', hours: 4 }],
        },
      },
      admin,
    );
    expect(saveSlaAgreement).toMatchObject({
      recalculatedRequests: 0,
      agreement: {
        id: 'acme',
        version: 1,
        customerId: 'cust-acme',
        calendarId: 'always-open',
        calendarVersion: 1,
        baseVersion: 1,
        thresholds: [0.5, 0.75, 0.9],
        targets: [{ kind: 'FIRST_RESPONSE', unit: 'WORKING_TIME', hours: 4, notApplicable: false }],
      },
    });

    clock.set('2026-06-08T09:00:00Z');
    after = await register('Wrong period on payslips (after the agreement)');
    const custom = await targets(after, (t) => t.FIRST_RESPONSE?.state === 'RUNNING', 'custom clocks');
    expect(custom.byKind.FIRST_RESPONSE.dueAt).toBe('2026-06-08T13:00:00.000Z'); // 4 h on the 24/7 calendar
    expect(custom.byKind.ACCEPTANCE.dueAt).toBe('2026-06-11T09:00:00.000Z'); // generic 3 working days, 24 h each on a 24/7 calendar
    const unchanged = await targets(before, () => true, 'old request');
    expect(unchanged.byKind.FIRST_RESPONSE.dueAt).toBe('2026-06-09T07:00:00.000Z');
  });

  it('moves running requests onto a new version when the admin asks to recalculate', async () => {
    clock.set('2026-06-08T10:00:00Z');
    const { saveSlaAgreement } = await ts.client.ok(
      SAVE_AGREEMENT,
      {
        input: {
          id: 'acme',
          name: 'Acme premium',
          customerId: 'cust-acme',
          calendarId: 'always-open',
          targets: [{ kind: 'FIRST_RESPONSE', unit: 'WORKING_TIME', hours: 6 }],
          recalculateRunningClocks: true,
        },
      },
      admin,
    );
    expect(saveSlaAgreement).toMatchObject({ recalculatedRequests: 2, agreement: { version: 2 } });
    const moved = await targets(
      before,
      (t) => t.FIRST_RESPONSE?.dueAt === '2026-06-08T13:00:00.000Z',
      'recalculated old request',
    );
    expect(moved.byKind.ACCEPTANCE.dueAt).toBe('2026-06-11T07:00:00.000Z'); // from its registration, on the 24/7 calendar
    expect(moved.timeline.map((e) => e.kind)).toContain('RECALCULATED');
    const newer = await targets(after, () => true, 'recalculated new request');
    expect(newer.byKind.FIRST_RESPONSE.dueAt).toBe('2026-06-08T15:00:00.000Z');

    const { slaAgreements } = await ts.client.ok(AGREEMENTS, { customerId: 'cust-acme' }, tokens['u-acme']);
    expect(slaAgreements).toEqual([
      { id: 'acme', version: 2 },
      { id: 'acme', version: 1 },
    ]);
  });

  it("keeps customers out of the writes and out of other customers' agreements", async () => {
    const save = await ts.client.request(
      SAVE_AGREEMENT,
      { input: { id: 'acme', name: 'Mine', customerId: 'cust-acme', targets: [] } },
      tokens['u-acme'],
    );
    expect(save.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const calendar = await ts.client.request(SAVE_CALENDAR, { input: { id: 'mine', name: 'Mine' } }, tokens['p-anna']);
    expect(calendar.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const other = await ts.client.request(AGREEMENTS, { customerId: 'cust-globex' }, tokens['u-acme']);
    expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const own = await ts.client.ok(AGREEMENT, { id: 'acme' }, tokens['u-acme']);
    expect(own.slaAgreement?.version).toBe(2);
  });

  it('answers bad input with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const unknownCalendar = await ts.client.request(
      SAVE_AGREEMENT,
      {
        input: {
          id: 'acme',
          name: 'Acme',
          customerId: 'cust-acme',
          calendarId: 'nope',
          targets: [],
          recalculateRunningClocks: true,
        },
      },
      admin,
    );
    expect(unknownCalendar.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.calendarId' });
    const badRule = await ts.client.request(
      SAVE_AGREEMENT,
      {
        input: {
          id: 'acme',
          name: 'Acme',
          customerId: 'cust-acme',
          targets: [{ kind: 'RESOLUTION', unit: 'WORKING_TIME', calendarDays: 3 }],
        },
      },
      admin,
    );
    expect(badRule.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.targets.0.unit' });
    const badHours = await ts.client.request(
      SAVE_CALENDAR,
      {
        input: {
          id: 'late',
          name: 'Late',
          workingHours: [
            { weekday: 1, start: '08:00', end: '12:00' },
            { weekday: 1, start: '18:00', end: '17:00' },
          ],
        },
      },
      admin,
    );
    expect(badHours.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.workingHours.1.end',
    });
    const badZone = await ts.client.request(
      SAVE_CALENDAR,
      { input: { id: 'late', name: 'Late', timeZone: 'Mars/Olympus' } },
      admin,
    );
    expect(badZone.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.timeZone' });
    const { slaAgreement, businessCalendars } = await ts.client.ok(AGREEMENT_AND_CALENDARS, { id: 'acme' }, admin);
    expect(slaAgreement?.version).toBe(2);
    expect(businessCalendars.map((c) => c.id)).toEqual(['always-open']);
  });

  it('keeps one agreement per customer, and versions the generic agreement for customers without one', async () => {
    const second = await ts.client.request(
      SAVE_AGREEMENT,
      { input: { id: 'acme-premium', name: 'Premium', customerId: 'cust-acme', targets: [] } },
      admin,
    );
    expect(second.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', agreementId: 'acme' });
    // Globex has no agreement of its own: a new generic version applies to its new requests.
    const { saveSlaAgreement } = await ts.client.ok(
      SAVE_AGREEMENT,
      {
        input: {
          id: 'generic',
          name: 'Generic SLA 2027',
          targets: [{ kind: 'FIRST_RESPONSE', unit: 'WORKING_TIME', hours: 4 }],
        },
      },
      admin,
    );
    expect(saveSlaAgreement.agreement).toMatchObject({ id: 'generic', version: 2, customerId: null });
    clock.set('2026-06-15T07:00:00Z'); // Monday 09:00 in Amsterdam
    const { registerRequest } = await ts.client.ok(
      REGISTER,
      {
        input: {
          type: 'INFORMATION',
          title: 'Where is the annual statement?',
          description: 'Where do we find the annual statement of 2025?',
          requestedPriority: 'LOW',
          productId: 'prod-payroll',
        },
      },
      await tokenFor(ts.client, 'u-globex'),
    );
    const { byKind } = await targets(
      registerRequest.request.id,
      (t) => t.FIRST_RESPONSE?.state === 'RUNNING',
      'generic v2 clocks',
    );
    expect(byKind.FIRST_RESPONSE.dueAt).toBe('2026-06-15T11:00:00.000Z'); // 4 working hours, not a working day
    expect(byKind.ACCEPTANCE.dueAt).toBe('2026-06-18T07:00:00.000Z'); // unchanged: 3 working days of 8.5 h, Thursday 09:00
  });
  it("judges the High-workaround rule by the customer's agreed goals, the generic 90 / 100 elsewhere", async () => {
    const bad = await ts.client.request(
      SAVE_AGREEMENT,
      { input: { id: 'acme', name: 'Acme', customerId: 'cust-acme', targets: [], workaroundGoalPercent: 101 } },
      admin,
    );
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.workaroundGoalPercent' });

    const { saveSlaAgreement } = await ts.client.ok(
      SAVE_GOALS,
      {
        input: {
          id: 'acme',
          name: 'Acme premium',
          customerId: 'cust-acme',
          targets: [],
          workaroundGoalPercent: 80,
          hardLimitGoalPercent: 95,
        },
      },
      admin,
    );
    expect(saveSlaAgreement.agreement).toMatchObject({ workaroundGoalPercent: 80, hardLimitGoalPercent: 95 });
    // Announced for reporting with the save (the outbox, same transaction).
    const saved: { envelope: { subject: string; data: Record<string, unknown> } }[] = await ts.stack.services.sla
      .runtime()
      .dataSource.query(`SELECT ${OUTBOX_ENVELOPE_SQL} AS envelope FROM outbox WHERE event_type = $1 ORDER BY seq`, [
        'servicecenter.sla.agreement-saved.v1',
      ]);
    expect(saved.at(-1)?.envelope).toMatchObject({
      subject: 'acme',
      data: { agreementId: 'acme', customerId: 'cust-acme', workaroundGoalPercent: 80, hardLimitGoalPercent: 95 },
    });

    const acme = await ts.client.ok(GOALS, { customerId: 'cust-acme' }, tokens['u-acme']);
    expect(acme.slaCompliance.highWorkaround).toEqual({
      within24h: { goalPercentage: 80 },
      within48h: { goalPercentage: 95 },
    });
    const globex = await ts.client.ok(GOALS, { customerId: 'cust-globex' }, tokens['p-anna']);
    expect(globex.slaCompliance.highWorkaround).toEqual({
      within24h: { goalPercentage: 90 },
      within48h: { goalPercentage: 100 },
    });
    const { slaAgreement } = await ts.client.ok(AGREEMENT, { id: 'generic' }, admin);
    expect(slaAgreement?.workaroundGoalPercent).toBe(90);
  });
});
