// Retry policy for registry calls: transient failures (overload, restarts, dropped connections)
// are retried with exponential backoff and jitter; anything a retry cannot fix (auth, not found,
// bad request, TLS trust) fails at once so the user sees the real error quickly.
// Pure except for sleeping, which tests replace.

export interface RetryOptions {
  /** Total attempts including the first. Default 4. */
  attempts?: number;
  /** Delay before the first retry; doubles for each further one. Default 500 ms. */
  baseDelayMs?: number;
  /** Cap on one backoff delay. Default 30 s. */
  maxDelayMs?: number;
  /** Cap on a server's Retry-After, so a registry cannot park the job for an hour. Default 60 s. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Source of jitter in [0, 1). Default Math.random. */
  random?: () => number;
}

export interface RetryEvent {
  /** The attempt that failed (1-based). */
  attempt: number;
  attempts: number;
  delayMs: number;
  error: unknown;
}

export const DEFAULT_ATTEMPTS = 4;
export const DEFAULT_BASE_DELAY_MS = 500;
export const DEFAULT_MAX_DELAY_MS = 30_000;
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/** Request timeout, throttling, and the 5xx a proxy or a restarting registry answers. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Error codes of a connection that broke or never came up; the same request may well succeed. */
export const RETRYABLE_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT'
]);

const RETRYABLE_MESSAGES = [/socket hang up/i, /fetch failed/i, /other side closed/i];

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/** An error's cause chain (undici wraps the socket error in TypeError('fetch failed')). */
function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err; e !== undefined && e !== null && chain.length < 8; e = (e as {cause?: unknown}).cause) {
    chain.push(e);
    if (typeof e !== 'object') break;
  }
  return chain;
}

/**
 * Whether a thrown (network-level) error is worth another attempt. A code anywhere in the cause
 * chain decides: a listed one retries, any other (ENOTFOUND, a certificate error) does not, since
 * "fetch failed" wraps both. Without a code, the message decides. Timeouts of our own request
 * deadline (AbortSignal.timeout → TimeoutError) retry as ETIMEDOUT would.
 */
export function isRetryableError(err: unknown): boolean {
  const chain = causeChain(err);
  const codes = chain
    .map(e => (typeof e === 'object' && e !== null ? (e as {code?: unknown}).code : undefined))
    .filter((c): c is string => typeof c === 'string');
  if (codes.length > 0) return codes.some(c => RETRYABLE_ERROR_CODES.has(c));
  // Duck-typed, not instanceof: undici's errors come from another realm under some runners (jest's vm).
  return chain.some(e => {
    if (typeof e !== 'object' || e === null) return false;
    const {name, message} = e as {name?: unknown; message?: unknown};
    return name === 'TimeoutError' || (typeof message === 'string' && RETRYABLE_MESSAGES.some(re => re.test(message)));
  });
}

/**
 * Retry-After as milliseconds: delta-seconds (`120`) or an HTTP date. Undefined when absent or
 * unreadable; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return undefined; // an HTTP date names its day and month; Date.parse('-5') is a year
  const when = Date.parse(v);
  return Number.isNaN(when) ? undefined : Math.max(0, when - nowMs);
}

/**
 * Delay after the `attempt`-th failure: base·2^(attempt-1) capped, with "equal jitter" (half fixed,
 * half random) so many runners hitting one registry do not retry in lockstep.
 */
export function backoffDelay(attempt: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const max = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const random = options.random ?? Math.random;
  const exp = Math.min(max, base * 2 ** (attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}

/** A failure carrying an HTTP status (and the server's Retry-After), as the registry client throws. */
export interface StatusFailure {
  status: number;
  retryAfterMs?: number;
}

function statusOf(err: unknown): StatusFailure | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = (err as {status?: unknown}).status;
  if (typeof status !== 'number') return undefined;
  const retryAfterMs = (err as {retryAfterMs?: unknown}).retryAfterMs;
  return {status, retryAfterMs: typeof retryAfterMs === 'number' ? retryAfterMs : undefined};
}

/**
 * The delay before retrying after `err` failed attempt `attempt`, or undefined when `err` is
 * permanent. Errors with a numeric `status` are judged by it (Retry-After wins over backoff, capped);
 * others by isRetryableError.
 */
export function retryDelay(err: unknown, attempt: number, options: RetryOptions = {}): number | undefined {
  const failure = statusOf(err);
  if (failure) {
    if (!isRetryableStatus(failure.status)) return undefined;
    if (failure.retryAfterMs !== undefined) {
      return Math.min(failure.retryAfterMs, options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS);
    }
    return backoffDelay(attempt, options);
  }
  return isRetryableError(err) ? backoffDelay(attempt, options) : undefined;
}

const realSleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Runs `fn` until it resolves, fails permanently, or the attempts run out; then rethrows the last
 * error unchanged (the caller's message already names what broke). `fn` gets the attempt number.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
  onRetry?: (event: RetryEvent) => void
): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS);
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const delayMs = attempt < attempts ? retryDelay(error, attempt, options) : undefined;
      if (delayMs === undefined) throw error;
      onRetry?.({attempt, attempts, delayMs, error});
      await sleep(delayMs);
    }
  }
}
