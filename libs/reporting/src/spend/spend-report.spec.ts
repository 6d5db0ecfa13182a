import fc from 'fast-check';
import { AllocationShare, convertMinor, splitAllocation } from '@stackgate/platform';
import { accrualSchedule, Billing, buildLedgerRows, CostType, LedgerBasis, LedgerSource } from '@stackgate/finance';
import {
  aggregateSpend,
  labelSpend,
  quarterOf,
  SPEND_GROUP_BY,
  SpendAccumulator,
  SpendCell,
  SpendGroupBy,
  spendReportJson,
  sumSpend,
  TIME_GROUPS,
  timeKey,
} from './spend-report';
import { assertRates, missingRates, rateKey } from '../report-math';

const KINDS: Record<string, string> = { m1: 'MARKETING', m2: 'MARKETING', i1: 'IT', o1: 'OTHER' };
const cell = (o: Partial<SpendCell>): SpendCell => ({
  key: 'k',
  currency: 'EUR',
  month: 202601,
  kind: 'MARKETING',
  costType: 'LICENSE',
  shadowIt: false,
  amountMinor: 0n,
  ...o,
});
const opts = (rates: [string, number, string][] = []) => ({
  rates: new Map(rates.map(([c, m, r]) => [rateKey(c, m), r])),
  base: 'EUR',
  fyStartMonth: 4,
  labelOf: (k: string) => `L-${k}`,
});

describe('spend report aggregation', () => {
  it('groups, splits by kind and converts each month with its own rate', () => {
    const result = aggregateSpend(
      [
        cell({ key: 'a', amountMinor: 10000n }),
        cell({ key: 'a', kind: 'IT', currency: 'USD', month: 202601, amountMinor: 10000n }),
        cell({ key: 'a', kind: 'IT', currency: 'USD', month: 202602, amountMinor: 10000n, costType: 'OPERATIONS' }),
        cell({ key: 'b', kind: 'OTHER', amountMinor: 5000n, shadowIt: true }),
      ],
      'tool',
      opts([
        ['USD', 202601, '0.9'],
        ['USD', 202602, '0.8'],
      ]),
    );
    const json = spendReportJson(result, { from: '2026-01', to: '2026-02', basis: 'actual', groupBy: 'tool', currency: 'EUR' });
    expect(json.rows).toEqual([
      { key: 'a', label: 'L-a', total: '270.00', marketing: '100.00', it: '170.00', other: '0.00' },
      { key: 'b', label: 'L-b', total: '50.00', marketing: '0.00', it: '0.00', other: '50.00' },
    ]);
    expect(json.totals).toEqual({ total: '320.00', marketing: '100.00', it: '170.00', other: '50.00' });
    expect(json.operationsShare).toBe('0.2500');
    expect(json.shadowItShare).toBe('0.1563');
  });

  it('names time groups: calendar quarters and fiscal years named by their end year', () => {
    expect(quarterOf(202601)).toBe('2026-Q1');
    expect(quarterOf(202612)).toBe('2026-Q4');
    expect(timeKey('fiscalYear', 202604, 4)).toBe('FY2027');
    expect(timeKey('fiscalYear', 202603, 4)).toBe('FY2026');
    expect(timeKey('month', 202603, 4)).toBe('2026-03');
    const result = aggregateSpend(
      [cell({ month: 202605, amountMinor: 1n }), cell({ month: 202603, amountMinor: 2n })],
      'fiscalYear',
      opts(),
    );
    expect(result.rows.map((x) => [x.key, x.total])).toEqual([
      ['FY2026', 2n],
      ['FY2027', 1n],
    ]);
  });

  it('adds up finer cells of one (key, currency, month, kind, cost type, shadow) before converting', () => {
    const finer = [
      cell({ key: 'v', currency: 'USD', amountMinor: 1n }),
      cell({ key: 'v', currency: 'USD', amountMinor: 1n }),
      cell({ key: 'v', currency: 'USD', amountMinor: 5n, shadowIt: true }),
      cell({ key: 'w', currency: 'USD', amountMinor: 1n }),
      cell({ key: 'v', currency: 'USD', amountMinor: 7n, month: 202602 }),
    ];
    // January's 8 USD cents at 0.5 are 4 euro cents, shared by largest remainder: the shadow class 2.5 and the other
    // 1.5 tie, the earlier class id takes the cent (2 and 2); within it v's exact 1 stays 1 and w's 0.5 takes the
    // last cent. February's 7 cents are 3.5 → 4. Cell by cell it would be 1 + 1 + 3 + 1 + 4 = 10 cents, not 8.
    const result = aggregateSpend(
      finer,
      'vendor',
      opts([
        ['USD', 202601, '0.5'],
        ['USD', 202602, '0.5'],
      ]),
    );
    expect(result.rows.map((x) => [x.key, x.total])).toEqual([
      ['v', 7n],
      ['w', 1n],
    ]);
    expect(finer[0].amountMinor).toBe(1n); // the input is left as it was
  });

  it('adds base-currency cells of every month unchanged, and converts each other (currency, month) once', () => {
    const finer = [
      cell({ key: 'v', amountMinor: 1n, month: 202601 }),
      cell({ key: 'v', amountMinor: 2n, month: 202602 }),
      cell({ key: 'v', currency: 'USD', amountMinor: 1n, month: 202601 }),
      cell({ key: 'v', currency: 'USD', amountMinor: 1n, month: 202602 }),
      cell({ key: 'v', amountMinor: 4n, month: 202602, kind: 'IT' }),
    ];
    const result = aggregateSpend(
      finer,
      'vendor',
      opts([
        ['USD', 202601, '0.5'],
        ['USD', 202602, '0.5'],
      ]),
    );
    expect(result.rows.map((x) => [x.key, x.marketing, x.it])).toEqual([['v', 5n, 4n]]); // 3 + two USD cents rounded up each
  });

  it('a finer GROUP BY, in any order, streamed or not, changes no report (property)', () => {
    const months = [202403, 202404, 202501];
    const cellArb = fc.record({
      key: fc.constantFrom('a', 'b', 'c'),
      currency: fc.constantFrom('EUR', 'EUR', 'USD', 'KWD'),
      month: fc.constantFrom(...months),
      kind: fc.constantFrom('MARKETING', 'IT', 'OTHER'),
      costType: fc.constantFrom('LICENSE', 'OPERATIONS'),
      shadowIt: fc.boolean(),
      amountMinor: fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
    });
    const rateArb = fc.tuple(fc.integer({ min: 0, max: 400 }), fc.stringMatching(/^[0-9]{1,6}$/)).map(([i, f]) => `${i}.${f}`);
    const groupings: SpendGroupBy[] = ['vendor', 'tool', 'budget', 'costType', 'month', 'quarter', 'fiscalYear'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cellArb, fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.nat()), { maxLength: 60 }),
        fc.array(rateArb, { minLength: 6, maxLength: 6 }),
        fc.constantFrom(...groupings),
        (drawn, rateList, groupBy) => {
          const rates = new Map(
            ['USD', 'KWD'].flatMap((c, i) => months.map((m, j) => [rateKey(c, m), rateList[i * months.length + j]] as [string, string])),
          );
          const options = { rates, base: 'EUR', fyStartMonth: 4, labelOf: (k: string) => `L-${k}` };
          const keyed = (c: SpendCell) => ({ ...c, key: groupBy === 'budget' ? c.kind : groupBy === 'costType' ? c.costType : c.key });
          const cells = drawn.map(([c]) => keyed(c));
          // Each cell split in two parts (what a GROUP BY over one more column answers), the parts in a drawn order.
          const finer = drawn
            .flatMap(([c, part, rank], index) => [
              { rank, cell: { ...keyed(c), amountMinor: part } },
              { rank: rank + index, cell: { ...keyed(c), amountMinor: c.amountMinor - part } },
            ])
            .sort((x, y) => x.rank - y.rank)
            .map((x) => x.cell);
          const whole = aggregateSpend(cells, groupBy, options);
          expect(aggregateSpend(finer, groupBy, options)).toEqual(whole);
          const streamed = new SpendAccumulator(groupBy, options);
          const batch = streamed.batch();
          finer.forEach((c) => batch.add(c));
          batch.end();
          expect(labelSpend(streamed.result(), groupBy, options.labelOf)).toEqual(whole);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the figures added up month by month through compact parts are the figures of the whole range (property)', () => {
    const months = [202601, 202602, 202603];
    const cellArb = fc.record({
      key: fc.constantFrom('a', 'b', 'c'),
      currency: fc.constantFrom('EUR', 'USD'),
      month: fc.constantFrom(...months),
      kind: fc.constantFrom('MARKETING', 'IT', 'OTHER'),
      costType: fc.constantFrom('LICENSE', 'OPERATIONS'),
      shadowIt: fc.boolean(),
      // Beyond 64 bits too: such a part keeps plain bigints.
      amountMinor: fc.oneof(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: 2n ** 63n, max: 2n ** 70n })),
    });
    fc.assert(
      fc.property(fc.array(cellArb, { maxLength: 40 }), fc.constantFrom<SpendGroupBy>('tool', 'vendor'), (cells, groupBy) => {
        const options = { rates: new Map(months.map((m) => [rateKey('USD', m), '0.913'])), base: 'EUR', fyStartMonth: 1 };
        const byMonth = new SpendAccumulator(groupBy, { ...options, rates: new Map() });
        for (const month of months) {
          const sums = new SpendAccumulator(groupBy, options);
          sums.add(cells.filter((c) => c.month === month));
          byMonth.addPart(sums.part());
        }
        const sorted = (result: ReturnType<typeof sumSpend>) => ({
          ...result,
          rows: [...result.rows].sort((x, y) => x.key.localeCompare(y.key)),
        });
        expect(sorted(byMonth.result())).toEqual(sorted(sumSpend(cells, groupBy, options)));
      }),
      { numRuns: 300 },
    );
  });

  it('answers zero shares for an empty report', () => {
    const json = spendReportJson(aggregateSpend([], 'budget', opts()), {
      from: '2026-01',
      to: '2026-01',
      basis: 'committed',
      groupBy: 'budget',
      currency: 'EUR',
    });
    expect(json).toMatchObject({ rows: [], totals: { total: '0.00' }, operationsShare: '0.0000', shadowItShare: '0.0000' });
  });

  it('lists every missing (currency, month) pair once, sorted', () => {
    const pairs = [
      { currency: 'USD', month: 202602 },
      { currency: 'GBP', month: 202601 },
      { currency: 'USD', month: 202601 },
      { currency: 'USD', month: 202602 },
      { currency: 'EUR', month: 202601 },
    ];
    expect(missingRates(pairs, new Map([[rateKey('USD', 202601), '1']]), 'EUR')).toEqual([
      { currency: 'GBP', month: '2026-01' },
      { currency: 'USD', month: '2026-02' },
    ]);
    expect(() => assertRates(pairs, new Map(), 'EUR')).toThrow(/GBP 2026-01/);
  });

  it('totals equal an independent computation for random contracts, spend and allocations (property)', () => {
    const allocation = fc.constantFrom<AllocationShare[]>(
      [{ costCenterId: 'm1', shareBps: 10000 }],
      [
        { costCenterId: 'm1', shareBps: 3333 },
        { costCenterId: 'i1', shareBps: 6667 },
      ],
      [
        { costCenterId: 'm2', shareBps: 2500 },
        { costCenterId: 'i1', shareBps: 2500 },
        { costCenterId: 'o1', shareBps: 5000 },
      ],
    );
    const contract = fc.record({
      tool: fc.constantFrom('t1', 't2', 't3'),
      currency: fc.constantFrom('EUR', 'USD'),
      billing: fc.constantFrom(...Object.values(Billing)),
      termMonths: fc.integer({ min: 1, max: 30 }),
      startMonth: fc.integer({ min: 1, max: 12 }),
      amountMinor: fc.bigInt({ min: 0n, max: 10n ** 9n }),
      costType: fc.constantFrom(...Object.values(CostType)),
      allocation,
    });
    fc.assert(
      fc.property(
        fc.array(contract, { maxLength: 8 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom('tool', 'budget', 'costCenter', 'month', 'quarter', 'fiscalYear', 'costType'),
        (contracts, usdRate, groupBy) => {
          // Integer rates keep conversion linear, so the expected totals can be computed from the contracts directly.
          const shadowTools = new Set(['t2']);
          const expected = { total: 0n, marketing: 0n, it: 0n, other: 0n, ops: 0n, shadow: 0n };
          const ledgerRows = contracts.flatMap((contract, index) => {
            const schedule = accrualSchedule({
              startDate: `2026-${String(contract.startMonth).padStart(2, '0')}-01`,
              termMonths: contract.termMonths,
              billing: contract.billing,
              amountMinor: contract.amountMinor,
            });
            const rate = contract.currency === 'USD' ? BigInt(usdRate) : 1n;
            for (const month of schedule) {
              for (const part of splitAllocation(month.amountMinor, contract.allocation)) {
                const amount = part.amountMinor * rate;
                const kind = KINDS[part.costCenterId];
                expected.total += amount;
                expected[kind === 'MARKETING' ? 'marketing' : kind === 'IT' ? 'it' : 'other'] += amount;
                if (contract.costType === CostType.OPERATIONS) expected.ops += amount;
                if (shadowTools.has(contract.tool)) expected.shadow += amount;
              }
            }
            return buildLedgerRows(schedule, contract.allocation, (id) => KINDS[id], {
              toolId: contract.tool,
              categoryId: 'cat',
              subcategoryId: 'sub',
              vendorId: 'v',
              shadowIt: shadowTools.has(contract.tool),
              costType: contract.costType,
              currency: contract.currency,
              basis: LedgerBasis.COMMITTED,
              sourceType: LedgerSource.CONTRACT,
              sourceId: `c${index}`,
            });
          });
          // What the GROUP BY does: sum rows per (key, currency, month, kind, costType, shadow).
          const keyOf = (r: (typeof ledgerRows)[number]) =>
            groupBy === 'tool'
              ? r.toolId
              : groupBy === 'budget'
                ? r.costCenterKind
                : groupBy === 'costCenter'
                  ? r.costCenterId
                  : groupBy === 'costType'
                    ? r.costType
                    : null;
          const grouped = new Map<string, SpendCell>();
          for (const ledgerRow of ledgerRows) {
            const cell: SpendCell = {
              key: keyOf(ledgerRow),
              currency: ledgerRow.currency,
              month: ledgerRow.month,
              kind: ledgerRow.costCenterKind,
              costType: ledgerRow.costType,
              shadowIt: ledgerRow.shadowIt,
              amountMinor: 0n,
            };
            const key = JSON.stringify({ ...cell, amountMinor: undefined });
            const groupedCell = grouped.get(key) ?? cell;
            groupedCell.amountMinor += ledgerRow.amountMinor;
            grouped.set(key, groupedCell);
          }
          const months = new Set(ledgerRows.map((r) => r.month));
          const rates = new Map([...months].map((m) => [rateKey('USD', m), String(usdRate)]));
          const result = aggregateSpend([...grouped.values()], groupBy, { rates, base: 'EUR', fyStartMonth: 4, labelOf: (k) => k });
          expect(result.totals).toEqual({ total: expected.total, marketing: expected.marketing, it: expected.it, other: expected.other });
          expect(result.operationsMinor).toBe(expected.ops);
          expect(result.shadowItMinor).toBe(expected.shadow);
          const sumRows = result.rows.reduce((s, r) => s + r.total, 0n);
          expect(sumRows).toBe(expected.total);
          for (const row of result.rows) expect(row.marketing + row.it + row.other).toBe(row.total);
          // Each row equals the sum of its ledger rows, converted with the integer rate.
          const byKey = new Map<string, bigint>();
          for (const ledgerRow of ledgerRows) {
            const key = keyOf(ledgerRow) ?? timeKey(groupBy, ledgerRow.month, 4);
            byKey.set(key, (byKey.get(key) ?? 0n) + ledgerRow.amountMinor * (ledgerRow.currency === 'USD' ? BigInt(usdRate) : 1n));
          }
          expect(new Map(result.rows.map((r) => [r.key, r.total]))).toEqual(byKey);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives every grouping the same totals, kinds, operations and shadow IT, each row within a cent per cell of converting cell by cell (property)', () => {
    const months = [202403, 202404, 202412, 202501, 202604];
    const cellArb = fc.record({
      tool: fc.constantFrom('a', 'b', 'c', 'd'),
      center: fc.constantFrom('c1', 'c2', 'c3'),
      currency: fc.constantFrom('EUR', 'USD', 'JPY', 'KWD'),
      month: fc.constantFrom(...months),
      kind: fc.constantFrom('MARKETING', 'IT', 'OTHER'),
      costType: fc.constantFrom('LICENSE', 'OPERATIONS', 'SERVICES'),
      shadowIt: fc.boolean(),
      amountMinor: fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
    });
    const rateArb = fc.tuple(fc.integer({ min: 0, max: 400 }), fc.stringMatching(/^[0-9]{1,6}$/)).map(([i, f]) => `${i}.${f}`);
    fc.assert(
      fc.property(fc.array(cellArb, { maxLength: 80 }), fc.array(rateArb, { minLength: 15, maxLength: 15 }), (cells, rateList) => {
        const foreign = ['USD', 'JPY', 'KWD'];
        const rates = new Map(
          foreign.flatMap((c, i) => months.map((m, j) => [rateKey(c, m), rateList[i * months.length + j]] as [string, string])),
        );
        const options = { rates, base: 'EUR', fyStartMonth: 4, labelOf: (k: string) => `L-${k}` };
        const keyOf: Record<SpendGroupBy, (c: (typeof cells)[number]) => string | null> = {
          budget: (c) => c.kind,
          costCenter: (c) => c.center,
          category: (c) => (c.tool < 'c' ? 'cat1' : 'cat2'),
          subcategory: (c) => `sub-${c.tool}`,
          tool: (c) => c.tool,
          vendor: (c) => (c.tool === 'd' ? 'v1' : 'v2'),
          costType: (c) => c.costType,
          month: () => null,
          quarter: () => null,
          fiscalYear: () => null,
        };
        const figures = (groupBy: SpendGroupBy) => {
          const result = aggregateSpend(
            cells.map((c) => ({ ...c, key: keyOf[groupBy](c) })),
            groupBy,
            options,
          );
          for (const row of result.rows) expect(row.total).toBe(row.marketing + row.it + row.other);
          expect(result.rows.reduce((sum, row) => sum + row.total, 0n)).toBe(result.totals.total);
          // Each row is within one cent per cell of the sum of its cells converted one by one.
          const time = TIME_GROUPS.includes(groupBy);
          for (const row of result.rows) {
            const own = cells.filter((c) => (time ? timeKey(groupBy, c.month, 4) : keyOf[groupBy](c)) === row.key);
            const direct = own.reduce(
              (sum, c) =>
                sum +
                (c.currency === 'EUR'
                  ? c.amountMinor
                  : convertMinor(c.amountMinor, c.currency, 'EUR', rates.get(rateKey(c.currency, c.month))!)),
              0n,
            );
            const gap = row.total - direct;
            expect(gap <= BigInt(own.length) && gap >= -BigInt(own.length)).toBe(true);
          }
          return { totals: result.totals, operations: result.operationsMinor, shadow: result.shadowItMinor };
        };
        const expected = figures('budget');
        for (const groupBy of SPEND_GROUP_BY) expect([groupBy, figures(groupBy)]).toEqual([groupBy, expected]);
        // The grand total is each (currency, month) summed and converted once.
        const pairs = new Map<string, bigint>();
        for (const cell of cells)
          pairs.set(`${cell.currency}|${cell.month}`, (pairs.get(`${cell.currency}|${cell.month}`) ?? 0n) + cell.amountMinor);
        const grand = [...pairs].reduce((sum, [pair, amount]) => {
          const [currency, month] = pair.split('|');
          return sum + (currency === 'EUR' ? amount : convertMinor(amount, currency, 'EUR', rates.get(rateKey(currency, Number(month)))!));
        }, 0n);
        expect(expected.totals.total).toBe(grand);
      }),
      { numRuns: 300 },
    );
  });
});
