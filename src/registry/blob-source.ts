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
