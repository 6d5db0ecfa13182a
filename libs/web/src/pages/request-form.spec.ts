import { CreateRequestDto, UpdateRequestDto } from '@stackgate/procurement';
import { validateForm } from '../forms';
import { requestFormField, requestFormToBody, requestFormToUpdateBody, requestToForm } from './request-form';

const CC = '0190a5a0-0000-7000-8000-000000000001';
const SUB = '0190a5a0-0000-7000-8000-000000000002';
const TOOL = '0190a5a0-0000-7000-8000-000000000003';
const stored = {
  id: 'r',
  type: 'NEW_TOOL',
  title: 'Webinars',
  businessCase: 'Why',
  expectedOutcomes: '+10 %',
  alternativesConsidered: null,
  neededBy: '2027-01-31',
  estimatedAnnualCost: { amount: '18000.00', currency: 'EUR' },
  dataCategories: ['contacts'],
  toolId: null,
  version: 4,
  proposedTool: { name: 'WebinarGeek', vendorName: 'WebinarGeek BV', subcategoryId: SUB, capabilities: ['webinars'] },
  allocation: [{ costCenterId: CC, shareBps: 10000 }],
  requiredIntegrations: [{ toolId: TOOL, direction: 'OUTBOUND', dataObjects: ['leads'] }],
};

describe('the request form as an API body', () => {
  it('maps the edit form of a stored request to a body the update DTO accepts (no type)', async () => {
    const form = { ...requestToForm(stored), _csrf: 'x' } as Record<string, unknown>;
    const body = { ...requestFormToUpdateBody(form, stored.type), version: 4 };
    expect(body).not.toHaveProperty('type');
    const { dto, errors } = await validateForm(UpdateRequestDto, body);
    expect(errors).toEqual({});
    expect(dto).toMatchObject({
      title: 'Webinars',
      proposedTool: { name: 'WebinarGeek', capabilities: ['webinars'] },
      allocation: [{ costCenterId: CC, shareBps: 10000 }],
    });
  });

  it('takes the type from the stored request, not from the posted form', () => {
    const form = { ...requestToForm(stored), type: 'EXPANSION', toolId: TOOL };
    expect(requestFormToUpdateBody(form, 'NEW_TOOL')).toMatchObject({ proposedTool: { name: 'WebinarGeek' } });
    expect(requestFormToUpdateBody(form, 'NEW_TOOL')).not.toHaveProperty('toolId');
    expect(requestFormToUpdateBody(form, 'EXPANSION')).toMatchObject({ toolId: TOOL });
    expect(requestFormToUpdateBody(form, 'EXPANSION')).not.toHaveProperty('proposedTool');
  });

  it('clears on edit what the user emptied; a new draft simply leaves it out', () => {
    const form = { ...requestToForm(stored), expectedOutcomes: '', neededBy: '', dataCategories: '', intTool0: '' };
    expect(requestFormToUpdateBody(form, 'NEW_TOOL')).toMatchObject({
      expectedOutcomes: null,
      alternativesConsidered: null,
      neededBy: null,
      dataCategories: [],
      requiredIntegrations: [],
    });
    const created = requestFormToBody(form);
    expect(created).toMatchObject({ type: 'NEW_TOOL' });
    for (const field of ['expectedOutcomes', 'neededBy', 'dataCategories', 'requiredIntegrations'])
      expect(created).not.toHaveProperty(field);
  });

  it("marks each body field's error on the form field that holds it", () => {
    expect(requestFormField('proposedTool.name')).toBe('toolName');
    expect(requestFormField('proposedTool')).toBe('toolName');
    expect(requestFormField('proposedTool.capabilities.0')).toBe('capabilities');
    expect(requestFormField('estimatedAnnualCost.amount')).toBe('costAmount');
    expect(requestFormField('allocation.1.shareBps')).toBe('allocation');
    expect(requestFormField('requiredIntegrations.0.dataObjects')).toBe('integrations');
    expect(requestFormField('dataCategories.3')).toBe('dataCategories');
    expect(requestFormField('type')).toBe('type');
  });
});

describe('the request form takes what people type, and words what it refuses (issue 23 §3)', () => {
  const typed = (over: Record<string, unknown>) =>
    ({
      ...requestToForm(stored),
      costAmount: '18000',
      costCurrency: 'EUR',
      cc0: CC,
      pct0: '100',
      ...over,
    }) as Record<string, unknown>;
  const check = async (over: Record<string, unknown>) => validateForm(CreateRequestDto, requestFormToBody(typed(over)));

  it.each([
    ['60,000', '60000'],
    ['60 000', '60000'],
    ['1,234,567.50', '1234567.50'],
    ['60000', '60000'],
  ])('accepts the amount %s as %s', async (amount, expected) => {
    const { dto, errors } = await check({ costAmount: amount });
    expect(errors).toEqual({});
    expect(dto?.estimatedAnnualCost).toMatchObject({ amount: expected, currency: 'EUR' });
  });

  it('accepts a lower-case currency and a percent sign on a share', async () => {
    const { dto, errors } = await check({ costCurrency: 'eur', cc1: TOOL, pct0: '60 %', pct1: '40%' });
    expect(errors).toEqual({});
    expect(dto?.estimatedAnnualCost?.currency).toBe('EUR');
    expect(dto?.allocation.map((a) => a.shareBps)).toEqual([6000, 4000]);
  });

  it.each([
    [{ costAmount: '€60k' }, 'estimatedAnnualCost.amount', 'Enter an amount such as 60000 or 60,000.00'],
    [{ costAmount: '60,00' }, 'estimatedAnnualCost.amount', 'Enter an amount such as 60000 or 60,000.00'],
    [{ costAmount: '' }, 'estimatedAnnualCost.amount', 'Fill this in'],
    [{ costAmount: '12.345' }, 'estimatedAnnualCost.amount', 'Too many decimals for this currency (EUR and USD take 2, JPY none)'],
    [{ costCurrency: 'euro' }, 'estimatedAnnualCost.currency', 'Enter a three-letter currency code such as EUR'],
    [{ subcategoryId: '' }, 'proposedTool.subcategoryId', 'Choose one'],
    [{ title: '' }, 'title', 'Fill this in'],
    [{ title: 'x'.repeat(301) }, 'title', 'Use at most 200 characters'],
    [{ cc1: TOOL, pct0: '60', pct1: '30' }, 'allocation', 'The shares must add up to 100 %, each cost center once'],
    [{ neededBy: 'soon' }, 'neededBy', 'Enter a date such as 2026-04-30'],
  ])('words %j for the reader', async (over, field, message) => {
    const { dto, errors } = await check(over);
    expect(dto).toBeUndefined();
    expect(errors[field]).toBe(message);
  });

  it('never says "basis points", "UUID" or "characters long" to a person', async () => {
    for (const over of [{ subcategoryId: 'abc' }, { pct0: '50' }, { title: '' }, { costAmount: 'lots' }]) {
      const { errors } = await check(over);
      expect(Object.values(errors).join(' ')).not.toMatch(/basis points|UUID|longer than or equal|decimal places than/i);
    }
  });
});
