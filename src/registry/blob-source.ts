// Where an uploaded blob's bytes come from: a file of an OCI layout, another registry, or (small
// blobs, tests) memory. A source can be opened again at an offset, so a retried upload resumes
// (or restarts) without ever holding the blob in memory.
import {createReadStream, statSync} from 'node:fs';

export interface BlobSource {
  /** Bytes the blob has (from the descriptor or the file). */
  size: number;
  /** Where the bytes come from, for messages: `OCI layout /tmp/x`, `registry r.example/acme/app`. */
  origin: string;
  /** The bytes from `offset` to the end, in pieces. Called once per (re)started transfer. */
  open(offset: number): Promise<AsyncIterable<Uint8Array>> | AsyncIterable<Uint8Array>;
}

/** Pieces read from disk: large enough for throughput, small enough to stay out of the RSS. */
const FILE_PIECE_BYTES = 1024 * 1024;

export function fileBlobSource(file: string, origin = `file ${file}`): BlobSource {
  const {size} = statSync(file);
  return {
    size,
    origin,
    open: offset => createReadStream(file, {start: offset, highWaterMark: FILE_PIECE_BYTES})
  };
}

export function bufferBlobSource(data: Buffer, origin = 'memory'): BlobSource {
  return {
    size: data.length,
    origin,
    open: async function* (offset) {
      for (let at = offset; at < data.length; at += FILE_PIECE_BYTES) yield data.subarray(at, at + FILE_PIECE_BYTES);
    }
  };
}

/**
 * Bytes a source is read ahead of its consumer (per transfer). A copy reads a GET body and writes
 * a PATCH body: without a buffer between them each side waits for the other piece by piece, and
 * the download stalls whenever a chunk's answer is awaited. Bounded: a few transfers in flight
 * hold a few of these, never a blob.
 */
export const READ_AHEAD_BYTES = 8 * 1024 * 1024;

/**
 * `pieces` read eagerly into a queue of at most `maxBytes` (one piece past it at most), handed on
 * as they came, or joined up to `pieceBytes` when that is given. Not joined by default: the
 * upload writes node Buffers to a socket (http-stream.ts), where a join is only a copy; joining
 * paid off when every piece cost a web-stream hop. A failure of the source reaches the consumer after the bytes
 * read before it. Leaving early stops reading and closes the source.
 */
export async function* readAhead(
  pieces: AsyncIterable<Uint8Array>,
  maxBytes = READ_AHEAD_BYTES,
  pieceBytes = 0
): AsyncGenerator<Uint8Array> {
  const it = pieces[Symbol.asyncIterator]();
  const queue: Uint8Array[] = [];
  let queued = 0;
  let ended = false;
  let stopped = false;
  let failure: {error: unknown} | undefined;
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;
  const wake = (which: 'consumer' | 'producer'): void => {
    const fn = which === 'consumer' ? wakeConsumer : wakeProducer;
    if (which === 'consumer') wakeConsumer = undefined;
    else wakeProducer = undefined;
    fn?.();
  };
  const producer = (async () => {
    try {
      while (!stopped) {
        if (queued >= maxBytes) {
          await new Promise<void>(resolve => (wakeProducer = resolve));
          continue;
        }
        const r = await it.next();
        if (r.done) break;
        if (r.value.length === 0) continue;
        queue.push(r.value);
        queued += r.value.length;
        wake('consumer');
      }
    } catch (error) {
      failure = {error};
    } finally {
      ended = true;
      wake('consumer');
    }
  })();
  try {
    for (;;) {
      if (queue.length === 0) {
        if (ended) {
          if (failure) throw failure.error;
          return;
        }
        await new Promise<void>(resolve => (wakeConsumer = resolve));
        continue;
      }
      const parts: Uint8Array[] = [];
      let n = 0;
      while (queue.length > 0 && (n === 0 || n + queue[0].length <= pieceBytes)) {
        const p = queue.shift() as Uint8Array;
        parts.push(p);
        n += p.length;
      }
      queued -= n;
      wake('producer');
      yield parts.length === 1 ? parts[0] : Buffer.concat(parts, n);
    }
  } finally {
    stopped = true;
    wake('producer');
    // The producer may sit in a read of a stalled source: close it once that read returns (the
    // source's own deadline ends it), without making the consumer wait for it.
    void producer.then(() => it.return?.()).catch(() => undefined);
  }
}

/** A failure of the source (disk, the registry copied from), as opposed to the target registry. */
export class SourceError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : {cause});
    this.name = 'SourceError';
  }
}

/** What was read does not hash to the digest: never retried, the upload is never committed. */
export class BlobDigestError extends Error {
  /** A code no retry list holds: the retry policy judges a network error by its cause's codes. */
  readonly code = 'EBLOBDIGEST';
  constructor(message: string) {
    super(message);
    this.name = 'BlobDigestError';
  }
}

/** Reads a source's pieces in slices of at most `max` bytes, keeping what is left over. */
export class ByteReader {
  private readonly it: AsyncIterator<Uint8Array>;
  private rest?: Uint8Array;

  constructor(
    pieces: AsyncIterable<Uint8Array>,
    private readonly describe: string
  ) {
    this.it = pieces[Symbol.asyncIterator]();
  }

  /** Up to `max` bytes; undefined at the end of the source. */
  async read(max: number): Promise<Uint8Array | undefined> {
    let piece = this.rest;
    this.rest = undefined;
    while (!piece || piece.length === 0) {
      let r: IteratorResult<Uint8Array>;
      try {
        r = await this.it.next();
      } catch (err) {
        throw new SourceError(`${this.describe}: ${err instanceof Error ? err.message : String(err)}`, err);
      }
      if (r.done) return undefined;
      piece = r.value;
    }
    if (piece.length > max) {
      this.rest = piece.subarray(max);
      return piece.subarray(0, max);
    }
    return piece;
  }

  async close(): Promise<void> {
    try {
      await this.it.return?.();
    } catch {
      // a source that broke cannot be closed any further
    }
  }
}
