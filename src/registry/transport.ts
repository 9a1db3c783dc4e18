// fetch with a PROGRESS deadline: the request is aborted when no byte moved (headers or response
// bytes arrived) for `idleMs`, not when the whole exchange takes long. fetch carries only small
// bodies (Buffers: manifests, tokens, commits); blob bytes go by node:http (http-stream.ts), under
// the same kind of deadline. A 5 GiB layer over a slow link takes as long as it takes; a dead
// connection is noticed in idleMs.

import {StreamResponse, streamFetch, type Pieces} from './http-stream.js';
import {idleTimeoutError} from './idle.js';

export class ProgressDeadline {
  private readonly controller = new AbortController();
  private timer?: NodeJS.Timeout;
  private finished = false;
  private idleMs: number;

  constructor(private readonly baseMs: number) {
    this.idleMs = baseMs;
    this.touch();
  }

  /** The answer's headers came: back to the idle deadline for its body. */
  answered(): void {
    this.idleMs = this.baseMs;
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  touch(): void {
    if (this.finished) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(idleTimeoutError(this.idleMs)), this.idleMs);
    // A pending socket keeps the process alive anyway; the timer alone must not.
    this.timer.unref();
  }

  done(): void {
    this.finished = true;
    clearTimeout(this.timer);
  }
}

/** A response body passed through unchanged, touching the deadline per piece; its end ends the deadline. */
export function touchingStream(
  body: ReadableStream<Uint8Array>,
  deadline: ProgressDeadline
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const {done, value} = await reader.read();
        deadline.touch();
        if (done) {
          deadline.done();
          controller.close();
        } else controller.enqueue(value);
      } catch (err) {
        deadline.done();
        controller.error(err);
      }
    },
    async cancel(reason) {
      deadline.done();
      await reader.cancel(reason);
    }
  });
}

export interface TimedInit {
  method: string;
  headers: Record<string, string>;
  /** A Buffer goes by fetch; pieces produced while sending go by node:http (http-stream.ts). */
  body?: Buffer | Pieces;
  redirect?: 'follow' | 'manual';
  /** The answer's body is a blob, read with `pieces()`: node:http, as a streamed body is. */
  stream?: boolean;
}

export function isPieces(body: unknown): body is Pieces {
  return typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && Symbol.asyncIterator in body;
}

/** A streamed answer's body as node Buffers; undefined for an answer that came by fetch. */
export function piecesOfAnswer(res: Response): AsyncGenerator<Buffer> | undefined {
  const answer: unknown = res;
  return answer instanceof StreamResponse ? answer.pieces() : undefined;
}

/**
 * One exchange under a progress deadline. The returned Response's body keeps the deadline running
 * until it is read to its end or cancelled; a response without a body ends it at once. A streamed
 * body, or a blob answer, goes by node:http and comes back as a StreamResponse (a Response to
 * its callers: status, headers, text/json, body.cancel).
 */
export async function timedFetch(url: string | URL, init: TimedInit, idleMs: number): Promise<Response> {
  if (isPieces(init.body) || init.stream) {
    const body = isPieces(init.body) ? init.body : undefined;
    const res = await streamFetch(
      url,
      {method: init.method, headers: init.headers, body, follow: !body && init.redirect !== 'manual'},
      idleMs
    );
    return res as unknown as Response;
  }
  const deadline = new ProgressDeadline(idleMs);
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method,
      headers: init.headers,
      body: init.body,
      redirect: init.redirect ?? 'follow',
      signal: deadline.signal
    } as RequestInit);
  } catch (err) {
    deadline.done();
    throw deadline.signal.aborted && deadline.signal.reason instanceof Error
      ? withCause(deadline.signal.reason, err)
      : err;
  }
  deadline.answered();
  if (!res.body) {
    deadline.done();
    return res;
  }
  return new Response(touchingStream(res.body, deadline), {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers
  });
}

function withCause(reason: Error, err: unknown): Error {
  if (reason === err) return reason;
  const e = new Error(reason.message, {cause: err});
  e.name = reason.name;
  return e;
}
