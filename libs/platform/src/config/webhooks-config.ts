/** Outgoing webhooks (libs/webhooks): where they may go and how hard delivery tries. */
export interface WebhookSettings {
  /** WEBHOOKS_ALLOW_PRIVATE: loopback/private targets and http:// allowed (tests, on-premise receivers). */
  webhooksAllowPrivate: boolean;
  /** Seconds one delivery attempt may take, connection to response, before it counts as failed. */
  webhooksTimeoutSeconds: number;
  /** Attempts of one delivery before it is given up (FAILED); later events of its resource then go on. */
  webhooksMaxAttempts: number;
  /** Failed attempts in a row after which an endpoint is disabled and the administrators are told. */
  webhooksDisableAfterFailures: number;
  /** The first retry's delay; each further one doubles (with jitter), at most 6 hours. */
  webhooksRetryBaseSeconds: number;
  /** Days the delivery log keeps finished deliveries and their events (a daily job deletes older ones). */
  webhooksRetentionDays: number;
}

type Env = Record<string, string | undefined>;

export function loadWebhookSettings(
  env: Env,
  int: (env: Env, name: string, def: number, min: number, max: number) => number,
  bool: (env: Env, name: string, def: boolean) => boolean | undefined,
): WebhookSettings {
  return {
    webhooksAllowPrivate: bool(env, 'WEBHOOKS_ALLOW_PRIVATE', false)!,
    webhooksTimeoutSeconds: int(env, 'WEBHOOKS_TIMEOUT_SECONDS', 10, 1, 60),
    webhooksMaxAttempts: int(env, 'WEBHOOKS_MAX_ATTEMPTS', 12, 1, 50),
    webhooksDisableAfterFailures: int(env, 'WEBHOOKS_DISABLE_AFTER_FAILURES', 25, 1, 1000),
    webhooksRetryBaseSeconds: int(env, 'WEBHOOKS_RETRY_BASE_SECONDS', 30, 1, 3600),
    webhooksRetentionDays: int(env, 'WEBHOOKS_RETENTION_DAYS', 30, 1, 3650),
  };
}
