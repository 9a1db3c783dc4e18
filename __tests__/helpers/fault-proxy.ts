import * as http from 'node:http';
import type {AddressInfo} from 'node:net';

/**
 * A fault-injecting HTTP proxy on 127.0.0.1 in front of a plain-HTTP registry. Each request drawn
 * for a fault (at `rate`, by a seeded generator, so a seed replays the same sequence of decisions
 * for the same sequence of requests) gets one of: 429 with Retry-After, 500/502/503, a connection
 * reset before any byte, a stall (held, then reset), or a truncated body (the upstream answer with
 * its Content-Length, cut in half, then reset). Other requests pass through unchanged.
 *
 * Decisions: only requests `faultable` accepts get faults (the default: our registry client, by
 * its User-Agent): cosign and trivy talk to the registry with their own retry policies, which are
 * not this action's to prove. A stall lasts `stallMs` (default 3 s) then resets: a stall past the
 * client's 60 s progress deadline would cost a minute per fault; the client's reaction (abandon and
 * retry) is the same.
 *
 * Faults are transient: one request (method + path) is faulted at most `maxInARow` times in a row
 * (default 2), then passes. The client gives each request 4 attempts; with its copy walk and tag
 * writes concurrent, the order of requests (and so which draw each gets) varies between runs, and
 * at 20% a few hundred requests would otherwise meet four faults in a row on one of them in about a
 * third of the runs. A registry that keeps failing is the "down registry" case, tested on its own.
 */
export type FaultKind = '429' | '500' | '502' | '503' | 'reset' | 'stall' | 'truncate';
export const FAULT_KINDS: FaultKind[] = ['429', '500', '502', '503', 'reset', 'stall', 'truncate'];

export interface FaultProxy {
  host: string;
  /** Every fault injected, in order: kind, method and path. */
  injected: {kind: FaultKind; method: string; path: string}[];
  requests: number;
  /** Stop injecting (pass everything through), e.g. for the checks after a run. */
  setRate(rate: number): void;
  close(): Promise<void>;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startFaultProxy(opts: {
  upstream: string;
  rate?: number;
  seed?: number;
  /** At most this many faults in a row for one request (method + path); default 2. */
  maxInARow?: number;
  kinds?: FaultKind[];
  stallMs?: number;
  faultable?: (req: http.IncomingMessage) => boolean;
  /**
   * Decides instead of the seeded draw: the fault for the n-th faultable request (0-based), or
   * undefined to pass it. For a test that needs one exact fault (one stall past the deadline).
   */
  script?: (req: http.IncomingMessage, n: number) => FaultKind | undefined;
}): Promise<FaultProxy> {
  const [upHost, upPort] = opts.upstream.split(':');
  const random = mulberry32(opts.seed ?? 20);
  const kinds = opts.kinds ?? FAULT_KINDS;
  const faultable = opts.faultable ?? (req => /^image-publish/.test(req.headers['user-agent'] ?? ''));
  let rate = opts.rate ?? 0.2;
  const state: FaultProxy = {
    host: '',
    injected: [],
    requests: 0,
    setRate: r => (rate = r),
    close: async () => undefined
  };
  const sockets = new Set<import('node:net').Socket>();
  let faultables = 0;
  const inARow = new Map<string, number>();

  const server = http.createServer((req, res) => {
    state.requests++;
    let kind: FaultKind | undefined;
    if (faultable(req)) {
      if (opts.script) kind = opts.script(req, faultables++);
      else if (random() < rate) kind = kinds[Math.floor(random() * kinds.length)];
      if (!opts.script) {
        const key = `${req.method ?? ''} ${req.url ?? ''}`;
        const n = inARow.get(key) ?? 0;
        if (kind && n >= (opts.maxInARow ?? 2)) kind = undefined;
        inARow.set(key, kind ? n + 1 : 0);
      }
    }
    if (kind) state.injected.push({kind, method: req.method ?? '', path: req.url ?? ''});
    const reset = (): void => {
      req.socket.destroy();
    };
    if (kind === 'reset') return reset();
    if (kind === 'stall') {
      // Infinity: held without a byte until the client gives up and closes the connection.
      if (Number.isFinite(opts.stallMs ?? 3000)) setTimeout(reset, opts.stallMs ?? 3000);
      return;
    }
    if (kind === '429' || kind === '500' || kind === '502' || kind === '503') {
      // The request body is drained, not forwarded: the registry never sees a refused request.
      req.resume();
      res.writeHead(Number(kind), {
        'Content-Type': 'application/json',
        ...(kind === '429' ? {'Retry-After': '1'} : {}),
        Connection: 'close'
      });
      res.end(JSON.stringify({errors: [{code: 'UNAVAILABLE', message: `injected ${kind}`}]}));
      return;
    }
    const up = http.request(
      {host: upHost, port: Number(upPort), method: req.method, path: req.url, headers: req.headers},
      upRes => {
        // Location headers point at the upstream; the client must keep talking to the proxy.
        const headers = {...upRes.headers};
        if (typeof headers.location === 'string') {
          headers.location = headers.location.replace(`//${opts.upstream}`, `//${state.host}`);
        }
        res.writeHead(upRes.statusCode ?? 502, headers);
        if (kind === 'truncate') {
          let sent = 0;
          const limit = Math.max(0, Math.floor(Number(upRes.headers['content-length'] ?? 0) / 2));
          upRes.on('data', (chunk: Buffer) => {
            if (sent + chunk.length >= limit) {
              res.write(chunk.subarray(0, Math.max(0, limit - sent)));
              upRes.destroy();
              reset();
              return;
            }
            sent += chunk.length;
            res.write(chunk);
          });
          upRes.on('end', reset);
          return;
        }
        upRes.pipe(res);
      }
    );
    up.on('error', () => reset());
    req.pipe(up);
  });
  server.on('connection', s => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  state.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>(resolve => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}
