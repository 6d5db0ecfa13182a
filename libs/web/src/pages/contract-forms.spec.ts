import { ContractResponse } from '@stackgate/finance';
import { contractEditForm, contractFormToUpdateBody } from './contract-edit.pages';
import { contractListFilter, contractListQuery } from './contracts.pages';

const TOOL = '0190a3c2-0000-7000-8000-000000000001';
const VENDOR = '0190a3c2-0000-7000-8000-000000000002';

describe('contracts list filter from the query string', () => {
  it('keeps known values and turns the renewal window into the API query', () => {
    const { filter, ignored } = contractListFilter({ toolId: TOOL, vendorId: VENDOR, status: 'ACTIVE', renewal: '60' });
    expect(ignored).toEqual([]);
    expect(contractListQuery(filter)).toEqual({ toolId: TOOL, vendorId: VENDOR, status: 'ACTIVE', renewsWithinDays: 60 });
    expect(contractListQuery(contractListFilter({ renewal: 'cancel-by-passed' }).filter)).toMatchObject({ cancelByPassed: true });
    expect(contractListFilter({ toolId: '', renewal: '' })).toEqual({ filter: {}, ignored: [] });
  });

  it('drops and names hostile or unknown values instead of passing them on', () => {
    const { filter, ignored } = contractListFilter({
      toolId: "' OR 1=1 --",
      vendorId: [VENDOR, VENDOR],
      status: '<script>',
      renewal: '45',
    });
    expect(filter).toEqual({});
    expect(ignored).toEqual(['tool', 'vendor', 'status', 'renewal window']);
  });
});

describe('contract edit form ↔ API PATCH body', () => {
  const contract = {
    id: 'c1',
    toolId: TOOL,
    vendorId: VENDOR,
    reference: null,
    startDate: '2026-01-01',
    termMonths: 12,
    billing: 'ANNUAL',
    amount: { amount: '1200.00', currency: 'EUR' },
    costType: 'LICENSE',
    seats: null,
    autoRenew: true,
    noticeDays: 30,
    internalLeadDays: 30,
    allocation: [
      { costCenterId: 'cc-a', shareBps: 6000 },
      { costCenterId: 'cc-b', shareBps: 4000 },
    ],
    ownAllocation: true,
    status: 'ACTIVE',
    version: 3,
  } as unknown as ContractResponse;

  it('fills the form from the contract: amount as a decimal, shares in percent, the version read', () => {
    expect(contractEditForm(contract)).toMatchObject({
      reference: '',
      amount: '1200.00',
      currency: 'EUR',
      seats: '',
      termMonths: '12',
      autoRenew: true,
      version: '3',
      cc0: 'cc-a',
      pct0: '60',
      cc1: 'cc-b',
      pct1: '40',
    });
    expect(contractEditForm({ ...contract, ownAllocation: false })).not.toHaveProperty('cc0');
  });

  it('sends what the person typed; emptied reference, seats and split clear them; the version goes back', () => {
    const body = contractFormToUpdateBody({
      toolId: TOOL,
      reference: ' ',
      startDate: '2026-01-01',
      termMonths: '12',
      billing: 'ANNUAL',
      amount: '2,400.50',
      currency: 'eur',
      costType: 'LICENSE',
      seats: '',
      noticeDays: '30',
      version: '3',
      requestId: TOOL,
    });
    expect(body).toMatchObject({
      reference: null,
      seats: null,
      allocation: null,
      amount: { amount: '2400.50', currency: 'EUR' },
      autoRenew: false,
      version: 3,
    });
    expect(body).not.toHaveProperty('requestId');
    expect(contractFormToUpdateBody({ version: '3x' }).version).toBe('3x');
  });
});
