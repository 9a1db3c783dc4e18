// timedFetch's contract with fetch: a Buffer body, or none, goes by fetch with the redirect mode
// asked for; a streamed body never reaches fetch (it goes by node:http, registry-http-stream
// tests it). fetch once teed a streamed body it might re-send on a redirect, holding a whole
// 64 MiB chunk. Only fetch is replaced.
import {afterEach, describe, expect, it, jest} from '@jest/globals';
import {timedFetch} from '../../src/registry/transport.js';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

function capture(): {inits: RequestInit[]} {
  const seen = {inits: [] as RequestInit[]};
  globalThis.fetch = jest.fn(async (_url: unknown, init?: RequestInit) => {
    seen.inits.push(init ?? {});
    return new Response(null, {status: 202});
  }) as typeof fetch;
  return seen;
}

describe('timedFetch redirect mode', () => {
  it.each([
    ['a Buffer body follows redirects', () => Buffer.from('x'), undefined, 'follow'],
    ['a Buffer body may ask for manual', () => Buffer.from('x'), 'manual' as const, 'manual'],
    ['no body follows redirects', () => undefined, undefined, 'follow']
  ])('%s', async (_name, body, asked, redirect) => {
    const seen = capture();
    const res = await timedFetch(
      'http://127.0.0.1:1/v2/a/blobs/uploads/x',
      {method: 'PATCH', headers: {}, body: body(), ...(asked ? {redirect: asked} : {})},
      1000
    );
    expect(res.status).toBe(202);
    expect(seen.inits).toHaveLength(1);
    expect(seen.inits[0].redirect).toBe(redirect);
    expect((seen.inits[0] as {duplex?: string}).duplex).toBeUndefined();
  });

  it('a streamed body does not go by fetch', async () => {
    const seen = capture();
    const body = (async function* () {
      yield new Uint8Array(4);
    })();
    await expect(
      timedFetch('http://127.0.0.1:1/v2/a/blobs/uploads/x', {method: 'PATCH', headers: {}, body}, 1000)
    ).rejects.toThrow(/ECONNREFUSED/);
    expect(seen.inits).toHaveLength(0);
  });
});
