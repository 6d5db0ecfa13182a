/** What operators run the instance with: the metrics endpoint and shutdown. */
export interface OperationsSettings {
  /** Bearer token for GET /metrics; unset = the endpoint answers 404. */
  metricsToken?: string;
  /** How long SIGTERM waits for requests and jobs in flight before the process exits anyway. */
  shutdownTimeoutSeconds: number;
}

type Env = Record<string, string | undefined>;
type Fail = (variable: string, problem: string) => Error;

const MIN_METRICS_TOKEN_LENGTH = 24;

export function loadOperationsSettings(env: Env, fail: Fail): OperationsSettings {
  const metricsToken = env.METRICS_TOKEN?.trim() || undefined;
  if (metricsToken !== undefined && (metricsToken.length < MIN_METRICS_TOKEN_LENGTH || /\s/.test(metricsToken)))
    throw fail('METRICS_TOKEN', `must be at least ${MIN_METRICS_TOKEN_LENGTH} characters without spaces (e.g. openssl rand -hex 32)`);
  const timeoutText = env.SHUTDOWN_TIMEOUT_SECONDS?.trim() || '25';
  const shutdownTimeoutSeconds = Number(timeoutText);
  if (!/^\d+$/.test(timeoutText) || shutdownTimeoutSeconds < 1 || shutdownTimeoutSeconds > 600)
    throw fail('SHUTDOWN_TIMEOUT_SECONDS', `must be a whole number of seconds from 1 to 600, got "${timeoutText}"`);
  return { metricsToken, shutdownTimeoutSeconds };
}
