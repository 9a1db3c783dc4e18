// Retry policy: which failures retry, the backoff sequence, Retry-After; sleeping is injected.
import {describe, expect, it} from '@jest/globals';
import {createServer} from 'node:net';
import {
  backoffDelay,
  isRetryableError,
  isRetryableStatus,
  parseRetryAfter,
  retryDelay,
  withRetry,
  type RetryEvent,
  type RetryOptions
} from '../../src/registry/retry.js';

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), {code});
const fetchFailed = (cause?: unknown): TypeError => new TypeError('fetch failed', {cause});
const statusError = (status: number, retryAfterMs?: number): Error =>
  Object.assign(new Error(`HTTP ${status}`), {status, retryAfterMs});

/** Records sleeps instead of waiting. */
function fakeSleep(): {sleeps: number[]; options: RetryOptions} {
  const sleeps: number[] = [];
  return {sleeps, options: {sleep: async ms => void sleeps.push(ms), random: () => 1}};
}

describe('isRetryableStatus', () => {
  it.each([
    [408, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [405, false],
    [409, false],
    [412, false],
    [413, false],
    [501, false],
    [505, false]
  ])('%i → %s', (status, expected) => {
    expect(isRetryableStatus(status)).toBe(expected);
  });
});

describe('isRetryableError', () => {
  it.each<[string, unknown, boolean]>([
    ['ECONNRESET', withCode('read ECONNRESET', 'ECONNRESET'), true],
    [
      'ECONNREFUSED inside fetch failed',
      fetchFailed(withCode('connect ECONNREFUSED 127.0.0.1:5000', 'ECONNREFUSED')),
      true
    ],
    ['ETIMEDOUT', withCode('connect ETIMEDOUT 10.0.0.1:443', 'ETIMEDOUT'), true],
    ['EPIPE', withCode('write EPIPE', 'EPIPE'), true],
    ['EAI_AGAIN (DNS hiccup)', fetchFailed(withCode('getaddrinfo EAI_AGAIN ghcr.io', 'EAI_AGAIN')), true],
    ['undici other side closed', fetchFailed(withCode('other side closed', 'UND_ERR_SOCKET')), true],
    ['undici connect timeout', fetchFailed(withCode('Connect Timeout Error', 'UND_ERR_CONNECT_TIMEOUT')), true],
    ['socket hang up without code', new Error('socket hang up'), true],
    ['fetch failed without cause', fetchFailed(), true],
    ['our own deadline', new DOMException('The operation was aborted due to timeout', 'TimeoutError'), true],
    ['ENOTFOUND (no such host)', fetchFailed(withCode('getaddrinfo ENOTFOUND nope.invalid', 'ENOTFOUND')), false],
    [
      'untrusted certificate',
      fetchFailed(withCode('unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE')),
      false
    ],
    ['self-signed', fetchFailed(withCode('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT')), false],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')"), false],
    ['a string', 'boom', false],
    ['undefined', undefined, false]
  ])('%s → %s', (_name, err, expected) => {
    expect(isRetryableError(err)).toBe(expected);
  });

  it('a real refused connection from fetch is retryable', async () => {
    const server = createServer();
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const {port} = server.address() as {port: number};
    await new Promise(resolve => server.close(resolve));
    const err = await fetch(`http://127.0.0.1:${port}/v2/`).then(
      () => undefined,
      (e: unknown) => e
    );
    expect((err as Error).message).toBe('fetch failed');
    expect(((err as Error).cause as {code?: string}).code).toBe('ECONNREFUSED');
    expect(isRetryableError(err)).toBe(true);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');
  it.each<[string | null | undefined, number | undefined]>([
    ['2', 2000],
    [' 120 ', 120_000],
    ['0', 0],
    ['Sun, 22 Nov 2026 10:00:30 GMT', 30_000],
    ['Sun, 22 Nov 2026 09:00:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
    ['', undefined],
    [null, undefined],
    [undefined, undefined]
  ])('%j → %j', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('backoffDelay', () => {
  it.each<[number, RetryOptions, number]>([
    [1, {random: () => 1}, 500],
    [2, {random: () => 1}, 1000],
    [3, {random: () => 1}, 2000],
    [1, {random: () => 0}, 250],
    [3, {random: () => 0}, 1000],
    [3, {random: () => 0.5}, 1500],
    [2, {random: () => 1, baseDelayMs: 100}, 200],
    [10, {random: () => 1}, 30_000],
    [10, {random: () => 1, maxDelayMs: 5000}, 5000]
  ])('attempt %i %j → %i ms', (attempt, options, expected) => {
    expect(backoffDelay(attempt, options)).toBe(expected);
  });
});

describe('retryDelay', () => {
  it.each<[string, unknown, RetryOptions, number | undefined]>([
    ['503 backs off', statusError(503), {random: () => 1}, 500],
    ['429 with Retry-After 3 s waits 3 s', statusError(429, 3000), {random: () => 1}, 3000],
    ['503 with Retry-After 0 retries at once', statusError(503, 0), {random: () => 1}, 0],
    ['Retry-After of an hour is capped', statusError(429, 3_600_000), {}, 60_000],
    ['cap is configurable', statusError(429, 3_600_000), {maxRetryAfterMs: 10_000}, 10_000],
    ['401 is permanent, Retry-After or not', statusError(401, 1000), {}, undefined],
    ['404 is permanent', statusError(404), {}, undefined],
    ['ECONNRESET backs off', withCode('read ECONNRESET', 'ECONNRESET'), {random: () => 1}, 500],
    ['a bug is permanent', new Error('boom'), {}, undefined]
  ])('%s', (_name, err, options, expected) => {
    expect(retryDelay(err, 1, options)).toBe(expected);
  });
});

describe('withRetry', () => {
  it('gives up after 4 attempts by default, sleeping 500, 1000, 2000 ms, and rethrows the last error', async () => {
    const {sleeps, options} = fakeSleep();
    const events: RetryEvent[] = [];
    let calls = 0;
    const last = statusError(503);
    await expect(
      withRetry(
        async attempt => {
          calls++;
          throw attempt === 4 ? last : statusError(503);
        },
        options,
        e => events.push(e)
      )
    ).rejects.toBe(last);
    expect(calls).toBe(4);
    expect(sleeps).toEqual([500, 1000, 2000]);
    expect(events.map(e => [e.attempt, e.attempts, e.delayMs])).toEqual([
      [1, 4, 500],
      [2, 4, 1000],
      [3, 4, 2000]
    ]);
  });

  it('returns the first success', async () => {
    const {sleeps, options} = fakeSleep();
    const result = await withRetry(async attempt => {
      if (attempt < 3) throw withCode('socket hang up', 'ECONNRESET');
      return `ok on ${attempt}`;
    }, options);
    expect(result).toBe('ok on 3');
    expect(sleeps).toEqual([500, 1000]);
  });

  it('honours Retry-After instead of the backoff', async () => {
    const {sleeps, options} = fakeSleep();
    const result = await withRetry(async attempt => {
      if (attempt === 1) throw statusError(429, 7000);
      return attempt;
    }, options);
    expect(result).toBe(2);
    expect(sleeps).toEqual([7000]);
  });

  it('does not retry a permanent failure', async () => {
    const {sleeps, options} = fakeSleep();
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw statusError(403);
      }, options)
    ).rejects.toThrow('HTTP 403');
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it.each([
    [1, 1, []],
    [2, 2, [500]],
    [6, 6, [500, 1000, 2000, 4000, 8000]]
  ])('attempts: %i → %i calls, sleeps %j', async (attempts, calls, expected) => {
    const {sleeps, options} = fakeSleep();
    let n = 0;
    await expect(
      withRetry(
        async () => {
          n++;
          throw statusError(502);
        },
        {...options, attempts}
      )
    ).rejects.toThrow('HTTP 502');
    expect(n).toBe(calls);
    expect(sleeps).toEqual(expected);
  });
});
