// fetch with a PROGRESS deadline: the request is aborted when no byte moved (request body pulled,
// headers or response bytes arrived) for `idleMs`, not when the whole exchange takes long. A
// 5 GiB layer over a slow link takes as long as it takes; a dead connection is noticed in idleMs.

/** The abort reason: named TimeoutError so the retry policy treats it as AbortSignal.timeout's. */
export function idleTimeoutError(idleMs: number): Error {
  const s = idleMs / 1000;
  const err = new Error(`no progress for ${s < 10 ? Number(s.toFixed(1)) : Math.round(s)} s`);
  err.name = 'TimeoutError';
  return err;
}

/**
 * After the last request byte was handed to the socket, the answer may take longer than a gap in
 * a transfer: kernel buffers still drain, and a registry verifies (or moves to its storage) a
 * multi-GiB blob before it answers the commit.
 */
export const ANSWER_WAIT_FACTOR = 5;

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

  /** The request body is all sent: wait longer for the answer (see ANSWER_WAIT_FACTOR). */
  bodySent(): void {
    this.idleMs = this.baseMs * ANSWER_WAIT_FACTOR;
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

/**
 * `body` passed through unchanged, touching the deadline on every piece read from it. A response
 * body's end ends the deadline; a request body's end does not (the answer is still to come).
 */
export function touchingStream(
  body: ReadableStream<Uint8Array>,
  deadline: ProgressDeadline,
  endsDeadline: boolean
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const {done, value} = await reader.read();
        deadline.touch();
        if (done) {
          if (endsDeadline) deadline.done();
          else deadline.bodySent();
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
  body?: Buffer | ReadableStream<Uint8Array>;
  redirect?: 'follow' | 'manual';
}

/**
 * One fetch under a progress deadline. The returned Response's body keeps the deadline running
 * until it is read to its end or cancelled; a response without a body ends it at once.
 */
export async function timedFetch(url: string | URL, init: TimedInit, idleMs: number): Promise<Response> {
  const deadline = new ProgressDeadline(idleMs);
  const streamed = init.body instanceof ReadableStream;
  const body = streamed
    ? touchingStream(init.body as ReadableStream<Uint8Array>, deadline, false)
    : (init.body as Buffer);
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method,
      headers: init.headers,
      body,
      // A streamed body is never followed through a redirect (it cannot be sent twice), and
      // 'follow'/'manual' make fetch keep a copy of the body for that (the spec clones the
      // request, teeing the stream): a 64 MiB PATCH would sit in memory whole. 'error' does not.
      redirect: streamed ? 'error' : (init.redirect ?? 'follow'),
      signal: deadline.signal,
      ...(streamed ? {duplex: 'half'} : {})
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
  return new Response(touchingStream(res.body, deadline, true), {
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
