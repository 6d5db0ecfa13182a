import { spendFormToBody } from './finance.pages';
import { flowFormToCreateBody, flowFormToUpdateBody } from './integrations.pages';
import { vendorReturn } from './vendors.pages';

describe('spend form → API body', () => {
  const base = {
    date: '2026-04-30',
    toolId: 't1',
    costType: 'LICENSE',
    amount: ' 12,000.50 ',
    currency: 'eur',
    contractId: '',
    description: '',
    externalRef: 'INV-9',
  };

  it('takes amounts, currencies and percent shares as people type them', () => {
    expect(spendFormToBody({ ...base, cc0: 'a', pct0: '60', cc1: 'b', pct1: '40 %' }, false)).toEqual({
      date: '2026-04-30',
      toolId: 't1',
      costType: 'LICENSE',
      amount: { amount: '12000.50', currency: 'EUR' },
      externalRef: 'INV-9',
      allocation: [
        { costCenterId: 'a', shareBps: 6000 },
        { costCenterId: 'b', shareBps: 4000 },
      ],
    });
  });

  it('on create an empty optional field is left out; on edit it is cleared, and the version travels', () => {
    expect(spendFormToBody(base, false)).not.toHaveProperty('allocation');
    expect(spendFormToBody({ ...base, version: '3' }, true)).toMatchObject({
      contractId: null,
      description: null,
      allocation: null,
      version: 3,
    });
  });

  it('leaves what is not an amount for the validator to word', () => {
    expect(spendFormToBody({ ...base, amount: '12k' }, false).amount).toEqual({ amount: '12k', currency: 'EUR' });
  });
});

describe('data-flow form → API body', () => {
  const form = {
    otherToolId: 'crm',
    dataObjects: 'contacts, , consent',
    method: 'API',
    frequency: 'DAILY',
    status: 'ACTIVE',
    carriesPersonalData: 'on',
    ownerId: '',
    notes: '',
  };

  it('seen from the tool page: "into this tool" makes it the target, "out of" the source', () => {
    expect(flowFormToCreateBody('email', { ...form, direction: 'INBOUND' })).toMatchObject({
      sourceToolId: 'crm',
      targetToolId: 'email',
      dataObjects: ['contacts', 'consent'],
      carriesPersonalData: true,
    });
    expect(flowFormToCreateBody('email', { ...form, direction: 'OUTBOUND' })).toMatchObject({ sourceToolId: 'email', targetToolId: 'crm' });
    expect(flowFormToCreateBody('email', form)).not.toHaveProperty('ownerId');
  });

  it('an edit clears an emptied owner and note, and an unticked box is false', () => {
    expect(flowFormToUpdateBody({ ...form, carriesPersonalData: undefined, version: '2' })).toMatchObject({
      ownerId: null,
      notes: null,
      carriesPersonalData: false,
      version: 2,
    });
  });
});

describe('after registering a vendor', () => {
  it('goes back to the form that sent the user, with the vendor chosen', () => {
    expect(vendorReturn('/catalog/new', 'v1')).toBe('/catalog/new?vendorId=v1');
    expect(vendorReturn('/tools/t1/edit?x=1', 'v1')).toBe('/tools/t1/edit?x=1&vendorId=v1');
  });

  it('never to another site or the API', () => {
    expect(vendorReturn('//evil.example/x', 'v1')).toBe('/vendors');
    expect(vendorReturn('https://evil.example', 'v1')).toBe('/vendors');
    expect(vendorReturn('/api/v1/vendors', 'v1')).toBe('/vendors');
  });
});
