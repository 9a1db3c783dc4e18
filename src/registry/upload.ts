// Streaming blob upload (OCI distribution spec, "pushing blobs"): POST a session, PATCH the bytes
// in chunks (Content-Range), PUT ?digest= to commit. A registry that refuses a chunked PATCH gets
// one streaming monolithic PUT instead, remembered for the client's lifetime. The digest is
// computed over what is read from the source as it passes; a mismatch stops the upload before the
// registry could commit it. Nothing holds more than a piece (≈1 MiB) of the blob.
//
// Failures: a chunk that breaks off resumes at the registry's offset when that is a chunk boundary
// (GET on the upload URL; the hash state saved there is restored), else a NEW session starts from
// byte 0. A session the registry dropped (404) is never re-sent to. Consecutive failures without
// progress are bounded by the retry policy's attempts.
import {createHash, type Hash} from 'node:crypto';
import {BlobDigestError, ByteReader, SourceError, type BlobSource} from './blob-source.js';
import type {Operation, RegistryError} from './client.js';
import type {Pieces} from './http-stream.js';
import {DEFAULT_ATTEMPTS, retryDelay, type RetryOptions} from './retry.js';

/** What the upload needs of the client: its authenticated request primitives. */
export interface UploadHost {
  registry: string;
  retry: RetryOptions;
  chunkBytes: number;
  /** Later chunks sized to the measured rate (nextChunkBytes); else every chunk is chunkBytes. */
  growChunks?: boolean;
  /** false once the registry refused a chunked PATCH: later uploads go monolithic at once. */
  chunked?: boolean;
  log(msg: string): void;
  operation(method: string, what: string, repository: string, digest: string): Operation;
  /** Retried request; bodies are Buffers. */
  request(op: Operation, path: string, init: HostInit): Promise<Response>;
  /** One attempt with the known authorization and a streamed body; never re-sent. */
  send(op: Operation, path: string, init: HostInit): Promise<Response>;
  statusError(op: Operation, res: Response): Promise<RegistryError>;
  error(op: Operation, detail: string, status?: number, retryAfterMs?: number, cause?: unknown): RegistryError;
  /** The path+query of a Location header, refused when it leaves the registry. */
  location(op: Operation, header: string | null): string | undefined;
  blobExists(repository: string, digest: string): Promise<boolean>;
  sleep?: (ms: number) => Promise<void>;
}

export interface HostInit {
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: Buffer | Pieces;
}

/** First PATCH size, and the smallest: how much at most is sent again after a broken connection. */
export const DEFAULT_CHUNK_BYTES = 64 * 1024 * 1024;
/** The largest PATCH a grown chunk size reaches. */
export const MAX_CHUNK_BYTES = 1024 * 1024 * 1024;
/** What a grown chunk aims to take at the measured rate: the re-send a broken connection costs. */
export const CHUNK_SECONDS = 4;

/**
 * The next PATCH's size from the last one's rate: about CHUNK_SECONDS of sending, never below
 * `floor` (the first size, or the registry's OCI-Chunk-Min-Length) nor above MAX_CHUNK_BYTES.
 * A fixed 64 MiB cost a round trip and a registry-side reopen per 64 MiB, measured on the bed's
 * distribution: a 2 GiB copy took 14.7 s in 64 MiB chunks and 13.5 s in one; on a 5 MB/s link
 * the chunks stay at 64 MiB, so a break costs what it did.
 */
export function nextChunkBytes(sentBytes: number, seconds: number, floor: number): number {
  if (!(seconds > 0) || sentBytes <= 0) return floor;
  const aimed = Math.floor((sentBytes / seconds) * CHUNK_SECONDS);
  return Math.max(floor, Math.min(MAX_CHUNK_BYTES, aimed));
}

/** Answers to a first PATCH that mean "no chunked uploads here", not "this upload is broken". */
const CHUNKS_REFUSED = new Set([400, 405, 411, 415, 416, 501]);

class SessionLost extends Error {
  constructor(readonly response: RegistryError) {
    super(response.message);
    this.name = 'SessionLost';
  }
}

class ChunksRefused extends Error {
  constructor(readonly response: RegistryError) {
    super(response.message);
    this.name = 'ChunksRefused';
  }
}

async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // already consumed
  }
}

/**
 * Our own error anywhere in a cause chain. Not for errors thrown inside a request body: fetch
 * passes those on as a new Error with the text only (see bodyFailure).
 */
function find<T extends Error>(err: unknown, name: string): T | undefined {
  for (let e = err, n = 0; e !== undefined && e !== null && n < 8; e = (e as {cause?: unknown}).cause, n++) {
    if (typeof e === 'object' && (e as Error).name === name) return e as T;
  }
  return undefined;
}

const realSleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

function withDigest(location: string, digest: string): string {
  const url = new URL(location, 'http://registry');
  url.searchParams.set('digest', digest);
  return `${url.pathname}${url.search}`;
}

class Upload {
  private readonly algorithm: 'sha256' | 'sha512';
  private location?: string;
  private offset = 0;
  private hash: Hash;
  private saved: {offset: number; hash: Hash};
  private reader?: ByteReader;
  /** What broke the request body we streamed (the digest check, the source), kept as thrown. */
  private bodyFailure?: Error;
  private chunkBytes: number;
  /** The first chunk size (or the registry's minimum): what a grown size never goes below. */
  private chunkFloor: number;
  private readonly label: string;

  constructor(
    private readonly h: UploadHost,
    private readonly repository: string,
    private readonly digest: string,
    private readonly source: BlobSource
  ) {
    this.algorithm = digest.startsWith('sha512:') ? 'sha512' : 'sha256';
    this.hash = createHash(this.algorithm);
    this.saved = {offset: 0, hash: this.hash.copy()};
    this.chunkBytes = Math.max(1, h.chunkBytes);
    this.chunkFloor = this.chunkBytes;
    this.label = `blob ${digest} (${source.size} B from ${source.origin})`;
  }

  async run(): Promise<void> {
    const attempts = Math.max(1, this.h.retry.attempts ?? DEFAULT_ATTEMPTS);
    let failures = 0;
    try {
      for (;;) {
        const before = this.offset;
        this.bodyFailure = undefined;
        try {
          if (!this.location) await this.start();
          this.reader ??= new ByteReader(
            await this.source.open(this.offset),
            `reading blob ${this.digest} from ${this.source.origin}`
          );
          if (this.h.chunked === false) {
            await this.putWhole();
          } else {
            while (this.offset < this.source.size) {
              await this.patch();
              failures = 0; // progress: a long upload over a flaky link may fail more than `attempts` times in all
            }
            await this.commit();
          }
          return;
        } catch (thrown) {
          const raw = this.bodyFailure ?? thrown;
          const digestError = find<BlobDigestError>(raw, 'BlobDigestError');
          if (digestError) {
            await this.cancel();
            throw this.h.error(this.op('upload'), digestError.message);
          }
          const refused = find<ChunksRefused>(raw, 'ChunksRefused');
          if (refused && before === 0 && this.h.chunked !== false) {
            this.h.chunked = false;
            this.h.log(`registry ${this.h.registry}: no chunked uploads (${refused.response.detail}); uploading whole`);
            await this.restart();
            continue;
          }
          failures++;
          const lost = find<SessionLost>(raw, 'SessionLost');
          const source = find<SourceError>(raw, 'SourceError');
          // A lost session is worth a new one; a source failure is judged by what broke there.
          const basis = lost ? Object.assign(new Error(lost.message), {code: 'ECONNRESET'}) : (source?.cause ?? raw);
          const delay = failures < attempts ? retryDelay(basis, failures, this.h.retry) : undefined;
          if (delay === undefined) {
            await this.cancel();
            throw this.finalError(raw, lost, source, failures);
          }
          this.h.log(
            `registry ${this.h.registry}: upload of ${this.label} to ${this.repository}: ${this.why(raw, lost, source)}; attempt ${failures + 1}/${attempts} in ${delay} ms`
          );
          await (this.h.sleep ?? realSleep)(delay);
          await this.recover(!!lost);
        }
      }
    } finally {
      await this.reader?.close();
    }
  }

  private op(what: string, method = 'upload'): Operation {
    return this.h.operation(method, what === 'upload' ? 'blob' : what, this.repository, this.digest);
  }

  private why(raw: unknown, lost?: SessionLost, source?: SourceError): string {
    if (lost) return `the upload session is gone (${lost.response.detail})`;
    if (source) return source.message;
    if (typeof raw === 'object' && raw !== null && (raw as Error).name === 'RegistryError') {
      return `${(raw as RegistryError).operation}: ${(raw as RegistryError).detail}`;
    }
    return raw instanceof Error ? raw.message : String(raw);
  }

  private finalError(raw: unknown, lost: SessionLost | undefined, source: SourceError | undefined, n: number) {
    const suffix = n > 1 ? ` after ${n} attempts` : '';
    if (lost) return this.h.error(this.op('upload'), `${this.why(raw, lost)}${suffix}`, lost.response.status);
    if (source) return this.h.error(this.op('upload'), `${source.message}${suffix}`, undefined, undefined, source);
    if (typeof raw === 'object' && raw !== null && (raw as Error).name === 'RegistryError') {
      const r = raw as RegistryError;
      return n > 1 ? this.h.error({...this.op('upload'), label: r.operation}, `${r.detail}${suffix}`, r.status) : r;
    }
    const text = find<Error>(raw, 'TimeoutError')?.message ?? this.why(raw);
    const cause = (raw as {cause?: {message?: string}})?.cause?.message;
    return this.h.error(
      this.op('upload'),
      `${text}${cause && !text.includes(cause) ? `: ${cause}` : ''}${suffix}`,
      undefined,
      undefined,
      raw
    );
  }

  /** POST a fresh session: every byte (and the hash) starts again from 0. */
  private async start(): Promise<void> {
    const op = this.op('blob upload', 'POST');
    const res = await this.h.request(op, `/v2/${this.repository}/blobs/uploads/`, {method: 'POST'});
    if (res.status !== 202) throw await this.h.statusError(op, res);
    await discard(res);
    const location = this.h.location(op, res.headers.get('location'));
    if (!location) throw this.h.error(op, 'the registry gave no upload location');
    const min = Number(res.headers.get('oci-chunk-min-length'));
    if (Number.isFinite(min) && min > this.chunkBytes) this.chunkBytes = this.chunkFloor = min;
    this.location = location;
    this.offset = 0;
    this.hash = createHash(this.algorithm);
    this.saved = {offset: 0, hash: this.hash.copy()};
    await this.reader?.close();
    this.reader = undefined;
  }

  /** Exactly `len` bytes of the source, hashed as they pass; the blob's last byte waits for the digest check. */
  private async *body(len: number): AsyncGenerator<Uint8Array> {
    let left = len;
    const reader = this.reader as ByteReader;
    const fail = (err: Error): never => {
      this.bodyFailure = err;
      throw err;
    };
    while (left > 0) {
      const piece = await reader.read(left).catch((err: unknown) => fail(err as Error));
      if (!piece) {
        const at = this.offset + (len - left);
        fail(
          new SourceError(
            `reading blob ${this.digest} from ${this.source.origin}: it ended at byte ${at} of ${this.source.size}`
          )
        );
        return;
      }
      this.hash.update(piece);
      left -= piece.length;
      if (left === 0 && this.offset + len === this.source.size) {
        try {
          this.check();
        } catch (err) {
          fail(err as Error);
        }
      }
      yield piece;
    }
  }

  private check(): void {
    const got = `${this.algorithm}:${this.hash.copy().digest('hex')}`;
    if (got !== this.digest) {
      throw new BlobDigestError(
        `the bytes of blob ${this.digest} read from ${this.source.origin} hash to ${got}: nothing was committed`
      );
    }
  }

  private async patch(): Promise<void> {
    const len = Math.min(this.chunkBytes, this.source.size - this.offset);
    const end = this.offset + len;
    const op = {
      ...this.op('blob chunk', 'PATCH'),
      label: `${this.op('blob chunk', 'PATCH').label} bytes ${this.offset}-${end - 1}`
    };
    const started = performance.now();
    const res = await this.h.send(op, this.location as string, {
      method: 'PATCH',
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-Range': `${this.offset}-${end - 1}`,
        'Content-Length': String(len)
      },
      body: this.body(len)
    });
    if (res.status !== 202) {
      const err = await this.h.statusError(op, res);
      if (res.status === 404) throw new SessionLost(err);
      if (this.offset === 0 && CHUNKS_REFUSED.has(res.status)) throw new ChunksRefused(err);
      throw err;
    }
    await discard(res);
    this.location = this.h.location(op, res.headers.get('location')) ?? this.location;
    this.offset = end;
    this.saved = {offset: end, hash: this.hash.copy()};
    if (this.h.growChunks) this.chunkBytes = nextChunkBytes(len, (performance.now() - started) / 1000, this.chunkFloor);
  }

  private async putWhole(): Promise<void> {
    const op = this.op('blob', 'PUT');
    const res = await this.h.send(op, withDigest(this.location as string, this.digest), {
      method: 'PUT',
      headers: {'Content-Type': 'application/octet-stream', 'Content-Length': String(this.source.size)},
      body: this.body(this.source.size)
    });
    if (res.status === 201) {
      await discard(res);
      this.location = undefined;
      return;
    }
    const err = await this.h.statusError(op, res);
    if (res.status === 404) throw new SessionLost(err);
    throw err;
  }

  private async commit(): Promise<void> {
    if (this.source.size === 0) this.check();
    const op = this.op('blob (commit)', 'PUT');
    try {
      const res = await this.h.request(op, withDigest(this.location as string, this.digest), {
        method: 'PUT',
        headers: {'Content-Type': 'application/octet-stream', 'Content-Length': '0'},
        body: Buffer.alloc(0)
      });
      if (res.status !== 201) throw await this.h.statusError(op, res);
      await discard(res);
      this.location = undefined;
    } catch (err) {
      // A retried commit finds the session gone when the first one did commit.
      if (await this.h.blobExists(this.repository, this.digest).catch(() => false)) {
        this.location = undefined;
        return;
      }
      throw err;
    }
  }

  /** The registry's offset for the session (GET on the upload URL), or undefined when it forgot it. */
  private async registryOffset(): Promise<number | undefined> {
    const op = this.op('blob upload status', 'GET');
    try {
      const res = await this.h.request(op, this.location as string, {method: 'GET'});
      await discard(res);
      if (res.status !== 204 && res.status !== 202) return undefined;
      const m = /^(?:bytes=)?0-(\d+)$/.exec(res.headers.get('range') ?? '');
      if (!m) return undefined;
      this.location = this.h.location(op, res.headers.get('location')) ?? this.location;
      return Number(m[1]) + 1;
    } catch {
      return undefined;
    }
  }

  private async recover(lost: boolean): Promise<void> {
    await this.reader?.close();
    this.reader = undefined;
    if (!lost && this.location && this.h.chunked !== false && this.saved.offset > 0) {
      const at = await this.registryOffset();
      if (at === this.saved.offset) {
        this.offset = at;
        this.hash = this.saved.hash.copy();
        this.h.log(`registry ${this.h.registry}: resuming ${this.label} at byte ${at}`);
        return;
      }
    }
    await this.restart(lost);
  }

  private async restart(lost = false): Promise<void> {
    if (!lost) await this.cancel();
    this.location = undefined;
    this.offset = 0;
    await this.reader?.close();
    this.reader = undefined;
  }

  /** DELETE the session so it does not linger until the registry's purge; best effort. */
  private async cancel(): Promise<void> {
    const location = this.location;
    this.location = undefined;
    if (!location) return;
    try {
      const res = await this.h.send(this.op('blob upload', 'DELETE'), location, {method: 'DELETE'});
      await discard(res);
    } catch {
      // the session expires on the registry's side anyway
    }
  }
}

/** Uploads `source` as blob `digest` of `repository`, streaming; see the file comment. */
export async function streamUpload(
  host: UploadHost,
  repository: string,
  digest: string,
  source: BlobSource
): Promise<void> {
  await new Upload(host, repository, digest, source).run();
}
