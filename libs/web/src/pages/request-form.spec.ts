import { UpdateRequestDto } from '@stackgate/procurement';
import { validateForm } from '../forms';
import { requestFormField, requestFormToBody, requestFormToUpdateBody, requestToForm } from './request-form';

const CC = '0190a5a0-0000-7000-8000-000000000001';
const SUB = '0190a5a0-0000-7000-8000-000000000002';
const TOOL = '0190a5a0-0000-7000-8000-000000000003';
const stored = {
  id: 'r', type: 'NEW_TOOL', title: 'Webinars', businessCase: 'Why', expectedOutcomes: '+10 %', alternativesConsidered: null, neededBy: '2027-01-31',
  estimatedAnnualCost: { amount: '18000.00', currency: 'EUR' }, dataCategories: ['contacts'], toolId: null, version: 4,
  proposedTool: { name: 'WebinarGeek', vendorName: 'WebinarGeek BV', subcategoryId: SUB, capabilities: ['webinars'] },
  allocation: [{ costCenterId: CC, shareBps: 10000 }], requiredIntegrations: [{ toolId: TOOL, direction: 'OUTBOUND', dataObjects: ['leads'] }],
};

describe('the request form as an API body', () => {
  it('maps the edit form of a stored request to a body the update DTO accepts (no type)', async () => {
    const form = { ...requestToForm(stored), _csrf: 'x' } as Record<string, unknown>;
    const body = { ...requestFormToUpdateBody(form, stored.type), version: 4 };
    expect(body).not.toHaveProperty('type');
    const { dto, errors } = await validateForm(UpdateRequestDto, body);
    expect(errors).toEqual({});
    expect(dto).toMatchObject({ title: 'Webinars', proposedTool: { name: 'WebinarGeek', capabilities: ['webinars'] }, allocation: [{ costCenterId: CC, shareBps: 10000 }] });
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
    expect(requestFormToUpdateBody(form, 'NEW_TOOL')).toMatchObject({ expectedOutcomes: null, alternativesConsidered: null, neededBy: null, dataCategories: [], requiredIntegrations: [] });
    const created = requestFormToBody(form);
    expect(created).toMatchObject({ type: 'NEW_TOOL' });
    for (const field of ['expectedOutcomes', 'neededBy', 'dataCategories', 'requiredIntegrations']) expect(created).not.toHaveProperty(field);
  });

  it('marks each body field\'s error on the form field that holds it', () => {
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
