/** One tool's spend on a basis, in minor units of the report currency. */
export interface ToolSpend {
  toolId: string;
  minor: bigint;
}

/**
 * Why "Actual to date" can exceed "Committed": which part of the actual spend has no contract behind
 * it (and how much of that is on shadow-IT tools), and which part is spent beyond the tools' contracts.
 * Computed per tool over the same period: a tool with no committed amount counts whole as "without a
 * contract"; a tool with one counts only what its actual spend exceeds it by.
 */
export interface ActualVsCommitted {
  /** actual − committed (negative when committed is the higher one). */
  differenceMinor: bigint;
  withoutContract: { minor: bigint; tools: number; shadowMinor: bigint; shadowTools: number };
  beyondContract: { minor: bigint; tools: number };
}

export function explainActualVsCommitted(
  committed: ToolSpend[],
  actual: ToolSpend[],
  shadowToolIds: ReadonlySet<string>,
): ActualVsCommitted {
  const sum = (rows: ToolSpend[]) => rows.reduce((total, row) => total + row.minor, 0n);
  const committedByTool = new Map<string, bigint>();
  for (const row of committed) committedByTool.set(row.toolId, (committedByTool.get(row.toolId) ?? 0n) + row.minor);
  const actualByTool = new Map<string, bigint>();
  for (const row of actual) actualByTool.set(row.toolId, (actualByTool.get(row.toolId) ?? 0n) + row.minor);

  const result: ActualVsCommitted = {
    differenceMinor: sum(actual) - sum(committed),
    withoutContract: { minor: 0n, tools: 0, shadowMinor: 0n, shadowTools: 0 },
    beyondContract: { minor: 0n, tools: 0 },
  };
  for (const [toolId, spent] of actualByTool) {
    if (spent <= 0n) continue;
    const contracted = committedByTool.get(toolId) ?? 0n;
    if (contracted <= 0n) {
      result.withoutContract.minor += spent;
      result.withoutContract.tools++;
      if (shadowToolIds.has(toolId)) {
        result.withoutContract.shadowMinor += spent;
        result.withoutContract.shadowTools++;
      }
    } else if (spent > contracted) {
      result.beyondContract.minor += spent - contracted;
      result.beyondContract.tools++;
    }
  }
  return result;
}

const tools = (count: number) => (count === 1 ? '1 tool' : `${count} tools`);

/**
 * The explanation in words, from the computed parts: a headline when actual is above committed and
 * the reasons that add up to it, or why committed is the higher figure.
 */
export function actualVsCommittedWords(
  why: ActualVsCommitted,
  fiscalYear: string,
  money: (minor: bigint) => string,
): { above: boolean; headline: string; reasons: string[] } {
  if (why.differenceMinor <= 0n)
    return {
      above: false,
      headline:
        `Committed counts every contracted month of ${fiscalYear}; actual counts only what was spent to date, ` +
        'so committed is the higher figure until the year is paid.',
      reasons: [],
    };
  const reasons: string[] = [];
  const without = why.withoutContract;
  if (without.tools)
    reasons.push(
      `${money(without.minor)} was spent on ${tools(without.tools)} with no contract in ${fiscalYear}` +
        (without.shadowTools
          ? `, ${money(without.shadowMinor)} of it on ${tools(without.shadowTools)} in use without IT approval (shadow IT).`
          : '.'),
    );
  if (why.beyondContract.tools) {
    const contracts = why.beyondContract.tools === 1 ? 'its contract commits' : 'their contracts commit';
    reasons.push(`${money(why.beyondContract.minor)} was spent on ${tools(why.beyondContract.tools)} beyond what ${contracts}.`);
  }
  const under = without.minor + why.beyondContract.minor - why.differenceMinor;
  if (under > 0n) reasons.push(`Other tools are still ${money(under)} under their contracts, which offsets part of this.`);
  return {
    above: true,
    headline: `Actual to date is ${money(why.differenceMinor)} above committed: committed counts contracts only, actual counts every spend entry.`,
    reasons,
  };
}
