/**
 * One copy per distinct string: the function answers the copy it keeps of a string equal to the one given (keeping
 * that one if none), so values held many times over (a report's row keys month after month, the cells down a
 * spreadsheet) cost one string each. At `max` copies it starts again: a dropped copy costs memory, never a wrong value.
 */
export function stringPool(max = Number.POSITIVE_INFINITY): (value: string) => string {
  const kept = new Map<string, string>();
  return (value) => {
    const found = kept.get(value);
    if (found !== undefined) return found;
    if (kept.size >= max) kept.clear();
    kept.set(value, value);
    return value;
  };
}
