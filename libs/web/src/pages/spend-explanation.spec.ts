import { actualVsCommittedWords, explainActualVsCommitted } from './spend-explanation';

describe('explainActualVsCommitted', () => {
  it('splits actual above committed into spend without a contract (shadow IT part) and spend beyond contracts', () => {
    const committed = [
      { toolId: 'crm', minor: 100_00n },
      { toolId: 'email', minor: 50_00n },
    ];
    const actual = [
      { toolId: 'crm', minor: 130_00n }, // 30 beyond its contract
      { toolId: 'email', minor: 20_00n }, // under its contract: not part of the reason
      { toolId: 'chat', minor: 40_00n }, // no contract, shadow IT
      { toolId: 'survey', minor: 15_00n }, // no contract, IT-approved
    ];
    expect(explainActualVsCommitted(committed, actual, new Set(['chat']))).toEqual({
      differenceMinor: 55_00n,
      withoutContract: { minor: 55_00n, tools: 2, shadowMinor: 40_00n, shadowTools: 1 },
      beyondContract: { minor: 30_00n, tools: 1 },
    });
  });

  it('adds up several rows of one tool, and reports nothing when every tool is within its contract', () => {
    const committed = [
      { toolId: 'crm', minor: 60_00n },
      { toolId: 'crm', minor: 60_00n },
    ];
    const actual = [{ toolId: 'crm', minor: 100_00n }];
    expect(explainActualVsCommitted(committed, actual, new Set())).toEqual({
      differenceMinor: -20_00n,
      withoutContract: { minor: 0n, tools: 0, shadowMinor: 0n, shadowTools: 0 },
      beyondContract: { minor: 0n, tools: 0 },
    });
  });

  it('ignores refunds (a tool with no positive actual spend)', () => {
    expect(explainActualVsCommitted([], [{ toolId: 'crm', minor: -5_00n }], new Set(['crm'])).withoutContract).toEqual({
      minor: 0n,
      tools: 0,
      shadowMinor: 0n,
      shadowTools: 0,
    });
  });
});

describe('actualVsCommittedWords', () => {
  const money = (minor: bigint) => `€${(Number(minor) / 100).toFixed(2)}`;
  it('says which part of actual is without a contract, on shadow IT, and beyond contracts, adding up to the difference', () => {
    const why = explainActualVsCommitted(
      [
        { toolId: 'crm', minor: 100_00n },
        { toolId: 'email', minor: 50_00n },
      ],
      [
        { toolId: 'crm', minor: 130_00n },
        { toolId: 'email', minor: 20_00n },
        { toolId: 'chat', minor: 40_00n },
        { toolId: 'survey', minor: 15_00n },
      ],
      new Set(['chat']),
    );
    expect(actualVsCommittedWords(why, 'FY2026', money)).toEqual({
      above: true,
      headline: 'Actual to date is €55.00 above committed: committed counts contracts only, actual counts every spend entry.',
      reasons: [
        '€55.00 was spent on 2 tools with no contract in FY2026, €40.00 of it on 1 tool in use without IT approval (shadow IT).',
        '€30.00 was spent on 1 tool beyond what its contract commits.',
        'Other tools are still €30.00 under their contracts, which offsets part of this.',
      ],
    });
  });

  it('explains why committed is the higher figure otherwise', () => {
    const why = explainActualVsCommitted([{ toolId: 'crm', minor: 100_00n }], [{ toolId: 'crm', minor: 10_00n }], new Set());
    expect(actualVsCommittedWords(why, 'FY2026', money)).toMatchObject({ above: false, reasons: [] });
  });
});
