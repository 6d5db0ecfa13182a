import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { MoneyDto, MoneyField } from './fields';

/* The money decorator at the input maximum (issue 21 item 6): what the API, the web forms and the imports share. */
class Priced {
  @MoneyField() amount: MoneyDto;
}

async function problems(amount: unknown, currency = 'EUR'): Promise<string[]> {
  const errors = await validate(plainToInstance(Priced, { amount: { amount, currency } }));
  return errors.flatMap((e) => (e.children ?? []).flatMap((c) => Object.values(c.constraints ?? {})));
}

describe('MoneyField at the maximum', () => {
  it.each([
    ['999999999999.99', 'EUR'],
    ['-999999999999.99', 'EUR'],
    ['999999999999', 'JPY'],
    ['999999999999.999', 'KWD'],
    ['0.01', 'EUR'],
  ])('accepts %s %s', async (amount, currency) => {
    expect(await problems(amount, currency)).toEqual([]);
  });

  it.each([
    ['1000000000000.00', 'EUR'],
    ['-1000000000000.00', 'EUR'],
    ['90071992547409.93', 'EUR'],
    ['1000000000000', 'JPY'],
    ['1000000000000.000', 'KWD'],
  ])('refuses %s %s with one message naming the maximum', async (amount, currency) => {
    const max = { EUR: '999999999999.99', JPY: '999999999999', KWD: '999999999999.999' }[currency]!;
    expect(await problems(amount, currency)).toEqual([expect.stringContaining(`amount must be between -${max} and ${max} ${currency}`)]);
  });

  it('keeps the shape and precision messages for other mistakes, and parses no huge number', async () => {
    expect(await problems('12.345')).toEqual(['amount has more decimal places than its currency allows']);
    expect(await problems('1e3')).toContain('amount must be a decimal string such as "1234.50"');
    // A malformed or empty amount is a shape mistake only, never "too many decimals" (issue 23 §3).
    for (const typed of ['60,000', '€60k', '', ' '])
      expect(await problems(typed)).toEqual(['amount must be a decimal string such as "1234.50"']);
    const huge = await problems('9'.repeat(200000));
    expect(huge).toHaveLength(1);
    expect(huge[0]).toContain('at most 12 digits before the decimal point');
    expect(huge[0].length).toBeLessThan(200);
  });
});
