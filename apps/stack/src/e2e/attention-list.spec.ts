import { TestClock, waitFor } from '@servicecenter/testing';
import { createDesk } from '../testing/desk-fixture';
import { registerPayrollIncident, tokensFor } from '../testing/escalations-e2e';
import type { ResultOf } from '@graphql-typed-document-node/core';
import { startTestStack, type TestStack } from '../testing/test-stack';
import { graphql } from './generated';

const LIST = graphql(`
  query AttentionList {
    attentionList(first: 50) {
      totalCount edges { cursor }
      nodes { request { id number } requestNumber customerId reasons worstTargetKind worstTargetDueAt lastPublicUpdateAt }
    }
  }`);
type Item = ResultOf<typeof LIST>['attentionList']['nodes'][number];
const ADD_REPLY = graphql(`
  mutation AttentionAddReply($input: AddReplyInput!) { addReply(input: $input) { request { id } } }`);

/** The attention list of service managers, fed by request, customer and SLA events. */
describe('attention list for service managers through the gateway', () => {
  const clock = new TestClock('2026-11-23T09:00:00Z'); // Monday 10:00 in Amsterdam
  let ts: TestStack;
  let tokens: Record<string, string>;
  const ids: Record<'acme' | 'acmeQuiet' | 'globex', string> = { acme: '', acmeQuiet: '', globex: '' };

  const register = async (title: string, who: string) => (await registerPayrollIncident(ts, tokens[who], title)).id;

  const list = async (who: string) => (await ts.client.ok(LIST, {}, tokens[who])).attentionList;
  const listUntil = (who: string, ok: (items: Item[]) => boolean, what: string) =>
    waitFor(async () => (await list(who)).nodes, ok, { what });
  const item = (items: Item[], id: string) => items.find((i) => i.request?.id === id);

  beforeAll(async () => {
    ts = await startTestStack({ clock: clock.now });
    await createDesk(ts);
    tokens = await tokensFor(ts.client, ['u-acme', 'u-globex', 'p-sm', 'p-msc', 'p-anna']);
    ids.acme = await register('Payroll run stops at step 3', 'u-acme');
    ids.acmeQuiet = await register('Payslips show the wrong period', 'u-acme');
    ids.globex = await register('Payroll export fails', 'u-globex');
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('lists nothing before anything is at risk, and refuses customers', async () => {
    // Freshly registered, answered in time so far: not at risk, not quiet yet.
    expect((await list('p-msc')).nodes).toEqual([]);
    const refused = await ts.client.request(LIST, {}, tokens['u-acme']);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it("shows the service manager their customer's request once the SLA service reports the first response breached", async () => {
    clock.set('2026-11-24T12:00:00Z'); // Tuesday 13:00: the first response was due Tuesday 10:00
    const items = await listUntil(
      'p-sm',
      (l) => !!item(l, ids.acme)?.reasons.includes('BREACHED'),
      'the breach on the attention list',
    );
    const acme = item(items, ids.acme) as Item;
    expect(acme.customerId).toBe('cust-acme');
    expect(acme.request?.number).toBe(acme.requestNumber);
    expect(acme.reasons).toEqual(['BREACHED']);
    expect(acme.worstTargetKind).toBe('FIRST_RESPONSE');
    expect(acme.worstTargetDueAt).toBe('2026-11-24T09:00:00.000Z');
    expect(acme.lastPublicUpdateAt).toBeNull();
    // Another customer's request (Globex has no service manager) is not on p-sm's list, but the manager Service Center sees it.
    expect(item(items, ids.globex)).toBeUndefined();
    expect(items.every((i) => i.customerId === 'cust-acme')).toBe(true);
    const all = await listUntil(
      'p-msc',
      (l) => !!item(l, ids.globex)?.reasons.includes('BREACHED'),
      "globex's breach for the manager",
    );
    expect(all.map((i) => i.customerId)).toEqual(expect.arrayContaining(['cust-acme', 'cust-globex']));
  });

  it('flags a request without a public update for 5 working days as NO_RECENT_UPDATE', async () => {
    await ts.client.ok(
      ADD_REPLY,
      { input: { requestId: ids.acme, body: 'We are looking into the payroll run.' } },
      tokens['p-anna'],
    );
    const updated = await listUntil(
      'p-sm',
      (l) => item(l, ids.acme)?.lastPublicUpdateAt === '2026-11-24T12:00:00.000Z',
      'the public reply in the read model',
    );
    expect(item(updated, ids.acme)?.reasons).toEqual(['BREACHED']);

    clock.set('2026-11-30T10:00:00Z'); // the next Monday 11:00: 5 working days after the registration, not after the reply
    const items = (await list('p-sm')).nodes;
    const quiet = item(items, ids.acmeQuiet) as Item;
    expect(quiet.reasons).toContain('NO_RECENT_UPDATE');
    expect(quiet.lastPublicUpdateAt).toBeNull();
    expect(item(items, ids.acme)?.reasons).not.toContain('NO_RECENT_UPDATE');
    expect(item(items, ids.globex)).toBeUndefined();
  });
});
