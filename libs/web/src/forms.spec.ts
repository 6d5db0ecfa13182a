import { formErrorSummary, validateForm } from './forms';
import { UpdateRequestDto } from '@stackgate/procurement';

describe('formErrorSummary', () => {
  it('is silent without errors and points below when every error is marked on the form', () => {
    expect(formErrorSummary({}, ['title'])).toBeUndefined();
    expect(formErrorSummary({ title: 'should not be empty' }, ['title'])).toBe('Some fields need attention (marked below).');
  });

  it('names the errors of fields the form does not show, instead of pointing at nothing', () => {
    expect(formErrorSummary({ type: 'is not accepted here' }, ['title'])).toBe('This could not be saved: type is not accepted here.');
    expect(formErrorSummary({ title: 'should not be empty', type: 'is not accepted here' }, ['title'])).toBe(
      'Some fields need attention (marked below), and: type is not accepted here.',
    );
  });
});

describe('validateForm', () => {
  it('reports a field the DTO does not accept as such (not as "type should not exist" under a stripped name)', async () => {
    const { dto, errors } = await validateForm(UpdateRequestDto, { type: 'NEW_TOOL', title: 'x', version: 1 });
    expect(dto).toBeUndefined();
    expect(errors).toEqual({ type: 'is not accepted here' });
  });
});
