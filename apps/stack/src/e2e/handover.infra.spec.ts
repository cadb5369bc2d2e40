import { Topics } from '@servicecenter/contracts';
import { describeWithKafka, waitFor } from '@servicecenter/testing';
import { createDesk, tokenFor } from '../testing/desk-fixture';
import { plainConsumer, startKafkaTestStack } from '../testing/kafka-e2e';
import type { TestStack } from '../testing/test-stack';

/**
 * Product development consumes hand-overs with any Kafka client: here a plain kafkajs
 * consumer in its own group reads servicecenter.handovers.v1 and finds a self-contained
 * CloudEvent (binary mode: ce_* headers, JSON body, key = request id).
 */
describeWithKafka('hand-over to product development on Kafka', () => {
  let ts: TestStack;
  let pd: Awaited<ReturnType<typeof plainConsumer>>;

  beforeAll(async () => {
    ts = await startKafkaTestStack('handover-infra-test');
    pd = await plainConsumer(Topics.handovers, 'pd-team-consumer');
  }, 120_000);

  afterAll(async () => {
    await pd?.stop();
    await ts?.stop();
  });

  it('publishes a hand-over that a PD team can act on without calling back', async () => {
    await createDesk(ts);
    const [customer, anna] = [await tokenFor(ts.client, 'u-acme'), await tokenFor(ts.client, 'p-anna')];
    const run = async (mutation: string, inputType: string, input: Record<string, unknown>, token: string) =>
      ts.client.ok<Record<string, { request: { id: string; number: string } }>>(
        `mutation($input: ${inputType}!) { ${mutation}(input: $input) { request { id number } } }`,
        { input },
        token,
      );
    const { registerRequest } = await run(
      'registerRequest',
      'RegisterRequestInput',
      {
        type: 'INCIDENT',
        title: 'Payslips show last month’s tax rate',
        description: 'Since release 26.11 every payslip uses the tax rate of October instead of November.',
        businessImpact: 'Wrong net salaries for 800 employees in the next run.',
        evidence: [{ kind: 'ERROR_MESSAGE', name: 'validation report', text: 'TAX-RATE-MISMATCH 2026-11' }],
        requestedPriority: 'HIGH',
        productId: 'prod-payroll',
      },
      customer,
    );
    const id = registerRequest.request.id;
    await run('prioritiseRequest', 'PrioritiseRequestInput', { requestId: id, priority: 'HIGH' }, anna);
    await run('acceptRequest', 'RequestStepInput', { requestId: id }, anna);
    await run('startHandling', 'RequestStepInput', { requestId: id }, anna);
    await run(
      'handOverRequest',
      'HandOverRequestInput',
      { requestId: id, target: 'PRODUCT_DEVELOPMENT', note: 'Tax rate table not switched on 1 November.' },
      anna,
    );

    const message = await waitFor(
      async () => pd.received.find((m) => m.key === id),
      (m) => m !== undefined,
      { what: 'the hand-over on Kafka', timeoutMs: 60_000 },
    );
    if (!message) throw new Error('no hand-over');
    expect(message.headers).toMatchObject({
      ce_type: 'servicecenter.handover.requested.v1',
      ce_subject: id,
      ce_source: '/servicecenter/requests',
      ce_specversion: '1.0',
    });
    expect(message.body).toMatchObject({
      requestNumber: registerRequest.request.number,
      requestType: 'INCIDENT',
      priority: 'HIGH',
      target: 'PRODUCT_DEVELOPMENT',
      title: 'Payslips show last month’s tax rate',
      businessImpact: 'Wrong net salaries for 800 employees in the next run.',
      product: { id: 'prod-payroll', name: 'Payroll Cloud', productGroup: 'Payroll' },
      customer: { id: 'cust-acme', name: 'Acme Logistiek' },
      contact: { id: 'p-anna', name: 'Anna de Vries', email: 'p-anna@servicecenter.example' },
      requester: { id: 'u-acme', name: 'Alice Acme' },
      evidence: [
        {
          kind: 'ERROR_MESSAGE',
          name: 'validation report',
          text: 'TAX-RATE-MISMATCH 2026-11',
          contentType: null,
          url: null,
        },
      ],
      note: 'Tax rate table not switched on 1 November.',
    });
  }, 120_000);
});
