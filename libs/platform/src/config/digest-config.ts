/** The weekly digests (libs/reporting digests): whether and when they go out. */
export interface DigestSettings {
  /** DIGESTS_ENABLED: the weekly reviewer and budget-owner digest e-mails (default true). */
  digestsEnabled: boolean;
  /** DIGEST_DAY: the ISO weekday they go out, 1 = Monday … 7 = Sunday (MON…SUN or MONDAY…SUNDAY accepted; default Monday). */
  digestDay: number;
  /** DIGEST_HOUR: the hour (0–23, UTC: Stackgate has no time-zone setting) from which they go out that day (default 7). */
  digestHour: number;
}

type Env = Record<string, string | undefined>;

const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

export function loadDigestSettings(
  env: Env,
  int: (env: Env, name: string, def: number, min: number, max: number) => number,
  bool: (env: Env, name: string, def: boolean) => boolean | undefined,
  problem: (variable: string, message: string) => Error,
): DigestSettings {
  const dayText = (env.DIGEST_DAY ?? '').trim().toUpperCase();
  let digestDay = 1;
  if (dayText) {
    const named = DAYS.findIndex((day) => dayText === day || dayText === day.slice(0, 3));
    if (named >= 0) digestDay = named + 1;
    else if (/^[1-7]$/.test(dayText)) digestDay = Number(dayText);
    else throw problem('DIGEST_DAY', `must be a weekday (MON … SUN, or 1 = Monday … 7 = Sunday), got "${env.DIGEST_DAY}"`);
  }
  return {
    digestsEnabled: bool(env, 'DIGESTS_ENABLED', true)!,
    digestDay,
    digestHour: int(env, 'DIGEST_HOUR', 7, 0, 23),
  };
}
