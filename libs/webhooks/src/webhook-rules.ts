/** The longest wait between two attempts of one delivery. */
export const MAX_RETRY_DELAY_MS = 6 * 3600_000;

/**
 * How long to wait after the n-th failed attempt: base × 2^(n-1), at most 6 hours, times a jitter
 * between 0.5 and 1.5 (so receivers coming back from an outage are not hit by every sender at once).
 */
export function retryDelayMs(attempts: number, baseSeconds: number, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_RETRY_DELAY_MS, baseSeconds * 1000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.5 + random()));
}

/** The grace period of a rotated secret unless the request says otherwise: both sign for 24 hours. */
export const DEFAULT_ROTATION_GRACE_HOURS = 24;

/** Secrets that sign a delivery at `now`: the current one, then the previous one while its grace lasts. */
export function signingSecrets(current: string, previous: string | null, previousExpiresAt: Date | null, now: Date): string[] {
  return previous && previousExpiresAt && previousExpiresAt > now ? [current, previous] : [current];
}
