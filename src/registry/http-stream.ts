// Blob bytes over node:http instead of fetch. A multi-GiB copy is CPU-bound on a small runner:
// our process, the registry we read from and the one we write to share the cores. fetch moves
// every 64 KiB read through several web-stream layers (a promise and an object each), and that
// was most of our CPU per GiB; node's streams hand the socket's Buffers on as they are. Only the
// requests that stream (a blob download, a PATCH/PUT of blob bytes) come here; everything else
// (manifests, tokens, HEADs) stays on fetch.
//
// The deadline is on progress, as transport.ts explains: one timer, refreshed per piece moved.
import http from 'node:http';
import https from 'node:https';
import {ANSWER_WAIT_FACTOR, idleTimeoutError} from './idle.js';

/** A body that is produced while it is sent: the upload's pieces, hashed as they pass. */
export type Pieces = AsyncIterable<Uint8Array>;

export interface StreamInit {
  method: string;
  headers: Record<string, string>;
  body?: Pieces;
  /** Follow redirects (GET without a body only: a blob GET is sent on to a CDN). */
  follow?: boolean;
}

// Keep-alive: a copy's PATCH chunks and GETs reuse connections, as fetch's pool did. Free
// sockets are unref'd by the agent, so they never keep the process alive.
const agents = {
  'http:': new http.Agent({keepAlive: true}),
  'https:': new https.Agent({keepAlive: true})
};

const MAX_REDIRECTS = 10;
/** What a non-blob answer (an error's body, an upload's JSON) is read up to; the rest is dropped. */
const TEXT_LIMIT = 1024 * 1024;

class Deadline {
  private timer: NodeJS.Timeout;
  private idleMs: number;
  private onExpire: (err: Error) => void = () => undefined;

  constructor(private readonly baseMs: number) {
    this.idleMs = baseMs;
    this.timer = this.arm();
  }

  private arm(): NodeJS.Timeout {
    const t = setTimeout(() => this.onExpire(idleTimeoutError(this.idleMs)), this.idleMs);
    t.unref();
    return t;
  }

  expires(fn: (err: Error) => void): void {
    this.onExpire = fn;
  }

  /** Refresh, not a new timer: this runs for every 64 KiB that moves. */
  touch(): void {
    this.timer.refresh();
  }

  wait(ms: number): void {
    clearTimeout(this.timer);
    this.idleMs = ms;
    this.timer = this.arm();
  }

  /** The body is sent: the answer may take longer (the registry verifies a whole blob). */
  bodySent(): void {
    this.wait(this.baseMs * ANSWER_WAIT_FACTOR);
  }

  answered(): void {
    this.wait(this.baseMs);
  }

  done(): void {
    clearTimeout(this.timer);
    this.onExpire = () => undefined;
  }
}

/**
 * The answer to a streamed request: what client.ts and upload.ts use of a fetch Response
 * (status, headers, text/json, body.cancel), plus `pieces()`, the body as node Buffers.
 */
export class StreamResponse {
  readonly ok: boolean;
  readonly headers: Headers;
  private consumed = false;

  constructor(
    readonly status: number,
    readonly statusText: string,
    private readonly msg: http.IncomingMessage,
    private readonly deadline: Deadline,
    private readonly finish: () => void
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = new Headers();
    for (const [k, v] of Object.entries(msg.headers)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) this.headers.append(k, one);
    }
  }

  /** The body's pieces as they arrive; the deadline runs until the end. Read once. */
  async *pieces(): AsyncGenerator<Buffer> {
    this.consumed = true;
    let complete = false;
    try {
      for await (const piece of this.msg) {
        this.deadline.touch();
        yield piece as Buffer;
      }
      complete = true;
    } finally {
      this.deadline.done();
      // Left early (a failed upload, a size check): this connection cannot be reused.
      if (!complete) this.msg.destroy();
      this.finish();
    }
  }

  /** For callers written against fetch: `body.cancel()` drops what is left. */
  get body(): {cancel(): Promise<void>} | null {
    return {
      cancel: async () => {
        if (this.consumed) return;
        this.consumed = true;
        this.deadline.done();
        if (this.msg.complete) this.msg.resume();
        else this.msg.destroy();
        this.finish();
      }
    };
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const parts: Buffer[] = [];
    let n = 0;
    for await (const p of this.pieces()) {
      if (n < TEXT_LIMIT) parts.push(p);
      n += p.length;
    }
    const b = Buffer.concat(parts);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return Buffer.from(await this.arrayBuffer()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
}

/** The request sent, its body written with backpressure; resolves once the answer's headers came. */
function once(url: URL, init: StreamInit, deadline: Deadline): Promise<StreamResponse> {
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise<StreamResponse>((resolve, reject) => {
    let answered = false;
    let bodyDone = !init.body;
    let stopBody = false;
    const req = lib.request(url, {method: init.method, headers: init.headers, agent: agents[url.protocol as 'http:']});
    const fail = (err: Error): void => {
      deadline.done();
      req.destroy(err);
      if (!answered) reject(err);
    };
    deadline.expires(err => {
      req.destroy(err);
      if (!answered) reject(err);
    });
    req.on('error', err => {
      deadline.done();
      if (!answered) reject(err);
    });
    req.on('response', msg => {
      answered = true;
      deadline.answered();
      // The registry answered before it had the whole body (an early 401/404/413): stop sending.
      if (!bodyDone) stopBody = true;
      const finish = (): void => {
        if (!bodyDone) req.destroy();
      };
      msg.on('error', () => undefined); // seen by whoever iterates pieces()
      deadline.expires(err => {
        msg.destroy(err);
        req.destroy(err);
      });
      resolve(new StreamResponse(msg.statusCode ?? 0, msg.statusMessage ?? '', msg, deadline, finish));
    });
    if (!init.body) {
      // Nothing to verify before answering: the headers are due within the idle time itself.
      req.end();
      return;
    }
    const body = init.body;
    void (async () => {
      try {
        for await (const piece of body) {
          if (stopBody) return;
          deadline.touch();
          if (!req.write(piece)) {
            await new Promise<void>(resolve => {
              const go = (): void => {
                req.off('drain', go);
                req.off('close', go);
                resolve();
              };
              req.on('drain', go);
              req.on('close', go);
            });
            if (req.destroyed) return;
          }
        }
        bodyDone = true;
        req.end();
        if (!answered) deadline.bodySent();
      } catch (err) {
        // The body itself broke (a digest mismatch, the source): the request must not complete.
        fail(err instanceof Error ? err : new Error(String(err)));
      }
    })();
  });
}

/**
 * One streamed exchange under a progress deadline of `idleMs`. Redirects are followed only for
 * `follow` (a body cannot be sent twice); Authorization is not carried to another origin, and an
 * https URL never redirects to http.
 */
export async function streamFetch(url: string | URL, init: StreamInit, idleMs: number): Promise<StreamResponse> {
  let at = new URL(url);
  let headers = init.headers;
  for (let hop = 0; ; hop++) {
    const deadline = new Deadline(idleMs);
    const res = await once(at, {...init, headers}, deadline);
    const location = res.headers.get('location');
    if (!init.follow || init.body || ![301, 302, 303, 307, 308].includes(res.status) || !location) return res;
    await res.body?.cancel();
    if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects from ${new URL(url).origin}`);
    const next = new URL(location, at);
    if (at.protocol === 'https:' && next.protocol !== 'https:') {
      throw new Error(`a redirect from ${at.origin} to ${next.origin} leaves https`);
    }
    if (next.origin !== at.origin) headers = withoutAuthorization(headers);
    at = next;
  }
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
}
