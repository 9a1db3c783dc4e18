// The progress deadline's abort reason (fetch in transport.ts and node:http in http-stream.ts) and how much
// longer node:http waits for the answer once a blob body is sent.

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
