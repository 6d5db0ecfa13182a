import type { UtilisationMonth } from '@stackgate/discovery';
import { moneyJson } from '@stackgate/platform';

/**
 * The tool page's utilisation history (identity-provider evidence, one row per month, newest first): seats, users
 * assigned and active, the share of seats in use, and — for those who see contracts — what the unused seats cost a year.
 */
export function utilisationRows(history: readonly UtilisationMonth[], showValue: boolean) {
  return [...history]
    .sort((a, b) => b.month.localeCompare(a.month))
    .map((month) => ({
      month: month.month,
      source: month.source,
      asOf: month.asOf,
      seats: month.seats,
      assignedUsers: month.assignedUsers,
      activeUsers30: month.activeUsers30,
      activeUsers90: month.activeUsers90,
      unusedSeats: month.unusedSeats,
      usedPercent: month.seats ? Math.min(100, Math.round((month.activeUsers30 * 100) / month.seats)) : null,
      unusedValue: showValue && month.unusedValueMinor !== null ? moneyJson(month.unusedValueMinor, month.currency) : null,
    }));
}
