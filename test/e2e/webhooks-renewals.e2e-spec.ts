import { RenewalRemindersJob } from '@stackgate/finance';
import { WebhookDeliveryJob } from '@stackgate/webhooks';
import { makeCostCenter, makeTool } from '../support/catalog-factories';
import { makeCast } from '../support/factories';
import { startReceiver } from '../support/webhook-receiver';
import { startTestApp, TestApp } from '../support/test-app';

/** contract.renewal_due: published once per contract and milestone by the daily renewal reminders, from their transaction. */
describe('Webhooks: contract.renewal_due', () => {
  let testApp: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    testApp = await startTestApp({ WEBHOOKS_ALLOW_PRIVATE: 'true' });
  });
  afterAll(async () => {
    await testApp?.close();
    await receiver?.close();
  });

  it('sends the milestone with the contract, tool, dates and amount, once however often the reminders run', async () => {
    const cast = await makeCast(testApp);
    await testApp
      .http()
      .post('/api/v1/webhooks')
      .set(cast.admin.auth)
      .send({ url: receiver.url(), events: ['contract.renewal_due'] })
      .expect(201);
    const costCenterId = (await makeCostCenter(testApp, cast.admin)).id;
    const tool = await makeTool(testApp, cast.it, { budgetOwnerId: costCenterId });
    const contract = (
      await testApp
        .http()
        .post('/api/v1/contracts')
        .set(cast.finance.auth)
        .send({
          toolId: tool.id,
          startDate: '2026-03-01',
          termMonths: 12,
          billing: 'ANNUAL',
          amount: { amount: '9000.00', currency: 'EUR' },
          autoRenew: true,
        })
        .expect(201)
    ).body;
    const reminders = testApp.app.get(RenewalRemindersJob);
    await reminders.remind(contract.reviewStartDate);
    await reminders.remind(contract.reviewStartDate);
    await testApp.app.get(WebhookDeliveryJob).run();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0].body).toMatchObject({
      type: 'contract.renewal_due',
      data: {
        contractId: contract.id,
        toolId: tool.id,
        toolName: tool.name,
        milestone: 'review-start',
        endDate: contract.endDate,
        cancelByDate: contract.cancelByDate,
        annualValue: '9000.00',
        currency: 'EUR',
        autoRenew: true,
      },
    });
  });
});
