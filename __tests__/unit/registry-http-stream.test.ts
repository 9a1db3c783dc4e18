// streamFetch against a real local HTTP server (only the network edge is real; nothing of ours is
// replaced): a streamed body arrives whole and in order through backpressure, an early answer
// stops the sending, the deadline is on progress (a slow steady transfer lives, a stall dies with
// the idle time named), a body that throws fails the request, redirects drop Authorization at
// another origin, and connections are reused.
import {afterEach, describe, expect, it} from '@jest/globals';
import {createHash} from 'node:crypto';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {streamFetch} from '../../src/registry/http-stream.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const servers: http.Server[] = [];

async function serve(handler: Handler): Promise<{url: string; connections: () => number}> {
  let connections = 0;
  const server = http.createServer(handler);
  server.on('connection', () => connections++);
  servers.push(server);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections};
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise(resolve => s.close(resolve));
  }
});

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

async function* pieces(sizes: number[], gapMs = 0): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const size of sizes) {
    if (gapMs) await sleep(gapMs);
    const p = Buffer.alloc(size);
    for (let i = 0; i < size; i++) p[i] = (at + i) % 251;
    at += size;
    yield p;
  }
}

const expected = (sizes: number[]): string => {
  const total = sizes.reduce((a, b) => a + b, 0);
  const all = Buffer.alloc(total);
  for (let i = 0; i < total; i++) all[i] = i % 251;
  return createHash('sha256').update(all).digest('hex');
};

/** Reads the request body, hashing it, then answers 201 with the hash. */
const hashing: Handler = (req, res) => {
  const h = createHash('sha256');
  req.on('data', d => h.update(d));
  req.on('end', () => {
    res.writeHead(201, {'X-Got': h.digest('hex')});
    res.end('{"ok":true}');
  });
};

describe('streamFetch', () => {
  it.each([
    ['one small piece', [10]],
    ['many 64 KiB pieces past the socket buffers (backpressure)', Array(96).fill(64 * 1024)],
    ['pieces of uneven sizes', [1, 3 * 1024 * 1024, 17, 256 * 1024]]
  ])('a streamed body arrives whole and in order: %s', async (_name, sizes) => {
    const {url} = await serve(hashing);
    const res = await streamFetch(`${url}/put`, {method: 'PUT', headers: {}, body: pieces(sizes)}, 2000);
    expect(res.status).toBe(201);
    expect(res.headers.get('x-got')).toBe(expected(sizes));
    expect(await res.json()).toEqual({ok: true});
  });

  it('an answer before the whole body stops the sending', async () => {
    const {url} = await serve((_req, res) => {
      res.writeHead(401, {'Www-Authenticate': 'Basic realm="r"'});
      res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    });
    let pulled = 0;
    let closed = false;
    const body = (async function* () {
      try {
        for (;;) {
          pulled++;
          yield Buffer.alloc(64 * 1024);
          await sleep(5);
        }
      } finally {
        closed = true;
      }
    })();
    const res = await streamFetch(`${url}/patch`, {method: 'PATCH', headers: {}, body}, 2000);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('UNAUTHORIZED');
    await sleep(50);
    expect(closed).toBe(true);
    expect(pulled).toBeLessThan(100);
  });

  it('a slow but steady body lives past the idle time', async () => {
    const {url} = await serve(hashing);
    const sizes = Array(8).fill(1000);
    const started = Date.now();
    const res = await streamFetch(`${url}/put`, {method: 'PUT', headers: {}, body: pieces(sizes, 60)}, 150);
    expect(Date.now() - started).toBeGreaterThan(400);
    expect(res.headers.get('x-got')).toBe(expected(sizes));
  });

  it.each([
    // after a body is sent the answer may take 5× the idle time (the registry verifies a blob);
    // a GET has nothing to verify: its headers are due within the idle time itself
    ['no answer to a sent body', 'PUT', 'answer', 'no progress for 0.5 s'],
    ['no answer to a GET', 'GET', 'answer', 'no progress for 0.1 s'],
    ['an answer whose body stops', 'GET', 'body', 'no progress for 0.1 s']
  ])('a stall ends in the idle time: %s', async (_name, method, where, message) => {
    const {url} = await serve((req, res) => {
      req.resume();
      if (where === 'body') {
        res.writeHead(200, {'Content-Length': '100'});
        res.write('x'.repeat(10));
      }
    });
    const started = Date.now();
    const run = async (): Promise<void> => {
      const init =
        method === 'PUT'
          ? {method, headers: {'Content-Length': '10'}, body: pieces([10])}
          : {method, headers: {}, follow: true};
      const res = await streamFetch(`${url}/blob`, init, 100);
      for await (const piece of res.pieces()) expect(piece.length).toBeGreaterThan(0);
    };
    const err = await run().then(
      () => undefined,
      (e: Error) => e
    );
    expect(err?.name).toBe('TimeoutError');
    expect(err?.message).toBe(message);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a body that throws fails the request, and the server sees it cut off', async () => {
    let serverSaw = '';
    const {url} = await serve((req, res) => {
      let n = 0;
      req.on('data', d => (n += d.length));
      req.on('close', () => {
        if (!req.complete) serverSaw = `cut off after ${n}`;
      });
      req.on('end', () => res.end());
    });
    const body = (async function* () {
      yield Buffer.alloc(1000);
      await sleep(100); // the first bytes reach the server
      throw new Error('the bytes hash to sha256:bad');
    })();
    await expect(
      streamFetch(`${url}/put`, {method: 'PUT', headers: {'Content-Length': '5000'}, body}, 2000)
    ).rejects.toThrow('the bytes hash to sha256:bad');
    await sleep(50);
    expect(serverSaw).toBe('cut off after 1000');
  });

  it.each([
    ['to the same origin, Authorization kept', true, 'Bearer t'],
    ['to another origin (a CDN), Authorization dropped', false, undefined]
  ])('a GET redirect %s', async (_name, sameOrigin, authorization) => {
    const seen: Array<string | undefined> = [];
    const cdn = await serve((req, res) => {
      seen.push(req.headers.authorization);
      res.end('blob bytes');
    });
    const registry = await serve((req, res) => {
      if (req.url === '/final') {
        seen.push(req.headers.authorization);
        res.end('blob bytes');
        return;
      }
      res.writeHead(307, {Location: sameOrigin ? '/final' : `${cdn.url}/final`});
      res.end();
    });
    const res = await streamFetch(
      `${registry.url}/v2/a/blobs/sha256:x`,
      {
        method: 'GET',
        headers: {Authorization: 'Bearer t'},
        follow: true
      },
      2000
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('blob bytes');
    expect(seen).toEqual([authorization]);
  });

  it('a redirect loop ends after 10 hops with an error naming the origin', async () => {
    let hops = 0;
    const srv = await serve((_req, res) => {
      hops++;
      res.writeHead(302, {Location: `/again-${hops}`});
      res.end();
    });
    await expect(
      streamFetch(`${srv.url}/v2/a/blobs/x`, {method: 'GET', headers: {}, follow: true}, 2000)
    ).rejects.toThrow(`more than 10 redirects from ${srv.url}`);
    expect(hops).toBe(11);
  });

  it('connections are kept alive between requests', async () => {
    const srv = await serve((req, res) => {
      req.resume();
      req.on('end', () => res.end('done'));
    });
    for (let i = 0; i < 3; i++) {
      const res = await streamFetch(`${srv.url}/x`, {method: 'PATCH', headers: {}, body: pieces([100])}, 2000);
      expect(await res.text()).toBe('done');
    }
    expect(srv.connections()).toBe(1);
  });
});
