// A small OCI distribution client: what the action needs to make tags visible after a push by
// digest: read digests FROM THE REGISTRY, check tags, and create a tag by re-PUTting the exact
// manifest bytes (same bytes → same digest), for an index or for one platform manifest of it;
// blobs are streamed (upload.ts), never held whole in memory.
//
// Transport is Node's global fetch under a progress deadline (transport.ts). TLS: https unless
// `insecure` (plain http). A registry signed by a private CA needs NODE_EXTRA_CA_CERTS=<ca file> in
// the environment BEFORE node starts (Node reads it once at startup; setting process.env later has
// no effect).
//
// Secrets: credentials and tokens never appear in errors or logs; every message goes through
// redact() as a last line of defence.
import {createHash} from 'node:crypto';
import {STATUS_CODES} from 'node:http';
import {basicAuthorization, parseWwwAuthenticate, type AuthChallenge, type Credentials} from './auth.js';
import {bufferBlobSource, type BlobSource} from './blob-source.js';
import {blobTransfers} from './limit.js';
import {realmProblem} from './realm.js';
import {isDigest, isValidRepository, isValidTag, registryApiHost} from './reference.js';
import {DEFAULT_ATTEMPTS, isRetryableStatus, parseRetryAfter, withRetry, type RetryOptions} from './retry.js';
import {isPieces, piecesOfAnswer, timedFetch} from './transport.js';
import type {Pieces} from './http-stream.js';
import {DEFAULT_CHUNK_BYTES, streamUpload, type UploadHost} from './upload.js';

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json'
} as const;

/** Without the list types here, some registries answer a multi-arch tag with one platform's manifest. */
export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerList,
  MEDIA_TYPES.dockerManifest
].join(', ');

export interface RegistryClientOptions {
  /** `host[:port]` as users write it; `docker.io` is reached on registry-1.docker.io. */
  registry: string;
  /** Plain http instead of https. */
  insecure?: boolean;
  credentials?: Credentials;
  retry?: RetryOptions;
  userAgent?: string;
  log?: (msg: string) => void;
  /**
   * Progress deadline of one HTTP request: aborted when no byte moved for this long (a slow
   * transfer that keeps moving is never cut). Default 60 s.
   */
  timeoutMs?: number;
  /**
   * Bytes per PATCH of a chunked blob upload, fixed. Default: 64 MiB first, then sized to the
   * measured rate (see upload.ts nextChunkBytes).
   */
  chunkBytes?: number;
}

export interface Manifest {
  digest: string;
  mediaType: string;
  body: Buffer;
}

/** An OCI content descriptor, as indexes and the referrers API list them. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  platform?: {os: string; architecture: string; variant?: string};
  urls?: string[];
}

export class RegistryError extends Error {
  constructor(
    readonly registry: string,
    /** `PUT manifest acme/app:v1` */
    readonly operation: string,
    /** What went wrong, without the registry and operation: `401 Unauthorized (...)`. */
    readonly detail: string,
    /** HTTP status when the registry answered; undefined for network and local errors. */
    readonly status?: number,
    /** From Retry-After, read by the retry policy. */
    readonly retryAfterMs?: number,
    /** The network error behind it: its code tells the retry policy whether to try again. */
    cause?: unknown
  ) {
    super(`registry ${registry}: ${operation} failed: ${detail}`, cause === undefined ? undefined : {cause});
    this.name = 'RegistryError';
  }
}

/** `sha256:<hex>` of the bytes; sha512 when asked (the only algorithms OCI registers). */
export function digestOf(body: Buffer, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(body).digest('hex')}`;
}

/** Distribution's error body (`{"errors":[{"code","message"}]}`) as `CODE: message; ...`. */
export function describeErrorBody(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return '';
  try {
    const parsed = JSON.parse(trimmed) as {errors?: {code?: unknown; message?: unknown}[]};
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
      return parsed.errors
        .map(e => [e.code, e.message].filter(x => typeof x === 'string' && x).join(': '))
        .filter(Boolean)
        .join('; ');
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  const oneLine = trimmed.replace(/\s+/g, ' ');
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine;
}

/** The `rel="next"` target of a Link header, as the tags/list and catalog APIs paginate. */
export function parseLinkNext(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (m && /;\s*rel="?next"?(\s*;|\s*$)/i.test(m[2])) return m[1];
  }
  return undefined;
}

function statusLine(res: Response): string {
  return `${res.status} ${res.statusText || STATUS_CODES[res.status] || ''}`.trim();
}

/** Text of a network error and its causes: `fetch failed: connect ECONNREFUSED 127.0.0.1:5000`. */
function networkText(err: unknown): string {
  const parts: string[] = [];
  for (let e = err, n = 0; e !== undefined && e !== null && n < 6; e = (e as {cause?: unknown}).cause, n++) {
    const message = typeof e === 'object' ? (e as {message?: unknown}).message : e;
    const msg = typeof message === 'string' ? message : String(message ?? '');
    if (msg && !parts.includes(msg)) parts.push(msg);
    if (typeof e !== 'object') break;
  }
  const text = parts.join(': ').replace(/\s+/g, ' ').trim() || 'unknown error';
  if (/certificate|self[- ]signed|UNABLE_TO_VERIFY|CERT_/i.test(text)) {
    return `${text} (a private CA must be given to node as NODE_EXTRA_CA_CERTS=<ca file> before it starts)`;
  }
  if (/wrong version number|packet length too long|EPROTO/i.test(text)) {
    return `${text} (is it a plain-http registry? then it needs insecure: true)`;
  }
  return text;
}

/** A response body's pieces without its first `skip` bytes; a broken connection becomes `broke(err)`. */
async function* piecesOf(
  body: AsyncIterable<Uint8Array> | undefined,
  skip: number,
  broke: (err: unknown) => Error
): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const it = body[Symbol.asyncIterator]();
  let left = skip;
  try {
    for (;;) {
      let r: IteratorResult<Uint8Array>;
      try {
        r = await it.next();
      } catch (err) {
        throw broke(err);
      }
      if (r.done) return;
      let piece = r.value;
      if (left > 0) {
        const drop = Math.min(left, piece.length);
        left -= drop;
        piece = piece.subarray(drop);
        if (piece.length === 0) continue;
      }
      yield piece;
    }
  } finally {
    // Stopped early (a failed upload, a size check): free the connection.
    await it.return?.(undefined)?.catch(() => undefined);
  }
}

async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // already consumed or closed: nothing to free
  }
}

/** @internal What one request is for; shared with upload.ts. */
export interface Operation {
  /** `PUT manifest acme/app:v1`: what error messages and logs name. */
  label: string;
  repository: string;
  /** Needs push rights (token scope pull,push; reads fall back to pull). */
  write: boolean;
  /** A cross-repository blob mount also needs pull on the repository the blob comes from. */
  mountFrom?: string;
}

interface RequestInit {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  /** Pieces are sent once: no retry, no second send after a 401 (the caller recovers). */
  body?: Buffer | Pieces;
  /** The answer is a blob, read as node Buffers (see http-stream.ts). */
  stream?: boolean;
}

interface CachedToken {
  authorization: string;
  expiresAt: number;
  /** Asked for pull only, after pull,push was refused for a read: no use to a write. */
  readOnly: boolean;
}

/** A blob being downloaded: its size when the registry said, and the bytes as they arrive. */
export interface BlobStream {
  size?: number;
  body: AsyncIterable<Uint8Array>;
}

/** Tokens are refreshed this long before the expiry the token server states. */
const TOKEN_EXPIRY_MARGIN_MS = 10_000;
/** Spec default when the token server states no expires_in. */
const DEFAULT_TOKEN_LIFETIME_S = 60;
const MAX_TAG_PAGES = 1000;
const MAX_REFERRER_PAGES = 100;

function isDescriptor(d: unknown): d is Descriptor {
  const x = d as Partial<Descriptor> | null;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.mediaType === 'string' &&
    typeof x.digest === 'string' &&
    isDigest(x.digest) &&
    typeof x.size === 'number'
  );
}

export class RegistryClient {
  readonly registry: string;
  private readonly base: string;
  private readonly insecure: boolean;
  private readonly credentials?: Credentials;
  private readonly retry: RetryOptions;
  private readonly userAgent: string;
  private readonly log: (msg: string) => void;
  private readonly timeoutMs: number;
  /** Learned from the first 401: the scheme this registry wants, so later requests send it up front. */
  private challenge?: AuthChallenge;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly secrets = new Set<string>();
  private readonly chunkBytes: number;
  /** Learned once per registry: whether it has the OCI 1.1 referrers API. */
  private referrersApi?: boolean;
  private readonly uploads: UploadHost;

  constructor(options: RegistryClientOptions) {
    this.registry = options.registry;
    this.insecure = options.insecure ?? false;
    this.base = `${this.insecure ? 'http' : 'https'}://${registryApiHost(options.registry)}`;
    this.credentials = options.credentials;
    this.retry = options.retry ?? {};
    this.userAgent = options.userAgent ?? 'image-publish';
    this.log = options.log ?? (() => undefined);
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.uploads = {
      registry: this.registry,
      retry: this.retry,
      chunkBytes: this.chunkBytes,
      growChunks: options.chunkBytes === undefined,
      log: msg => this.log(this.redact(msg)),
      operation: (method, what, repository, digest) => this.operation(method, what, repository, digest, true),
      request: (op, path, init) => this.request(op, path, init),
      send: (op, path, init) => this.send(op, path, init),
      statusError: (op, res) => this.statusError(op, res),
      error: (op, detail, status, retryAfterMs, cause) => this.error(op, detail, status, retryAfterMs, cause),
      location: (op, header) => this.sameOriginPath(op, header ?? undefined, 'the upload location'),
      blobExists: (repository, digest) => this.blobExists(repository, digest),
      sleep: this.retry.sleep
    };
    if (this.credentials) {
      this.addSecret(this.credentials.password);
      this.addSecret(basicAuthorization(this.credentials).slice('Basic '.length));
    }
  }

  get hasCredentials(): boolean {
    return this.credentials !== undefined;
  }

  /** Digest a tag or digest points at, read from the registry; undefined when it does not exist. */
  async manifestDigest(repository: string, reference: string): Promise<string | undefined> {
    const op = this.operation('HEAD', 'manifest', repository, reference, false);
    const res = await this.request(op, this.manifestPath(repository, reference), {
      method: 'HEAD',
      headers: {Accept: MANIFEST_ACCEPT}
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw await this.statusError(op, res);
    const header = res.headers.get('docker-content-digest');
    if (header && isDigest(header)) return header;
    // Some registries (and proxies) drop the header on HEAD: hash the bytes instead.
    return (await this.getManifest(repository, reference)).digest;
  }

  /** The manifest's exact bytes; when `reference` is a digest, the bytes are checked against it. */
  async getManifest(repository: string, reference: string): Promise<Manifest> {
    const op = this.operation('GET', 'manifest', repository, reference, false);
    const res = await this.request(op, this.manifestPath(repository, reference), {
      method: 'GET',
      headers: {Accept: MANIFEST_ACCEPT}
    });
    if (!res.ok) throw await this.statusError(op, res);
    const body = Buffer.from(await res.arrayBuffer());
    const header = res.headers.get('docker-content-digest');
    const expected = isDigest(reference) ? reference : header && isDigest(header) ? header : undefined;
    const algorithm = expected?.startsWith('sha512:') ? 'sha512' : 'sha256';
    const digest = digestOf(body, algorithm);
    if (expected && digest !== expected) {
      throw this.error(
        op,
        `the manifest bytes hash to ${digest}, not ${expected} (${isDigest(reference) ? 'the digest asked for' : 'the Docker-Content-Digest header'})`
      );
    }
    return {digest, mediaType: this.mediaTypeOf(res, body), body};
  }

  /** PUTs the bytes under `reference` (tag or digest); returns their digest, checked against the registry's. */
  async putManifest(repository: string, reference: string, body: Buffer, mediaType: string): Promise<string> {
    const op = this.operation('PUT', 'manifest', repository, reference, true);
    const digest = digestOf(body, reference.startsWith('sha512:') ? 'sha512' : 'sha256');
    if (isDigest(reference) && reference !== digest) {
      throw this.error(op, `the manifest bytes hash to ${digest}, not to the digest they are pushed as`);
    }
    const res = await this.request(op, this.manifestPath(repository, reference), {
      method: 'PUT',
      headers: {'Content-Type': mediaType},
      body
    });
    if (!res.ok) throw await this.statusError(op, res);
    await discard(res);
    const returned = res.headers.get('docker-content-digest');
    if (returned && returned !== digest) {
      throw this.error(op, `the registry stored ${returned}, not the ${digest} that was sent`);
    }
    return digest;
  }

  /**
   * Makes `tag` point at `digest` inside `repository` by re-PUTting the manifest's exact bytes.
   * `read`: those bytes already read from this repository (several tags of one digest read it once).
   */
  async tag(repository: string, digest: string, tag: string, read?: Manifest): Promise<string> {
    if (!isDigest(digest)) throw this.error(this.opName('tag', repository, tag), `"${digest}" is not a digest`);
    if (!isValidTag(tag)) throw this.error(this.opName('tag', repository, tag), `"${tag}" is not a valid tag`);
    if (read && read.digest !== digest) {
      throw this.error(this.opName('tag', repository, tag), `the manifest given is ${read.digest}, not ${digest}`);
    }
    const manifest = read ?? (await this.getManifest(repository, digest));
    const put = await this.putManifest(repository, tag, manifest.body, manifest.mediaType);
    this.log(`registry ${this.registry}: tagged ${repository}:${tag} → ${put}`);
    return put;
  }

  /** Every tag of the repository, following Link pagination; [] for an unknown repository. */
  async listTags(repository: string, options: {pageSize?: number} = {}): Promise<string[]> {
    const op = this.operation('GET', 'tags', repository, undefined, false);
    let next: string | undefined =
      `/v2/${repository}/tags/list${options.pageSize ? `?n=${encodeURIComponent(options.pageSize)}` : ''}`;
    const tags: string[] = [];
    const seen = new Set<string>();
    while (next) {
      if (seen.has(next) || seen.size >= MAX_TAG_PAGES) throw this.error(op, `pagination loops at ${next}`);
      seen.add(next);
      const res = await this.request(op, next, {method: 'GET'});
      if (res.status === 404 && seen.size === 1) {
        await discard(res);
        return [];
      }
      if (!res.ok) throw await this.statusError(op, res);
      const page = (await res.json()) as {tags?: unknown};
      if (Array.isArray(page.tags)) tags.push(...page.tags.filter((t): t is string => typeof t === 'string'));
      next = this.sameOriginPath(op, parseLinkNext(res.headers.get('link')));
    }
    return tags;
  }

  async blobExists(repository: string, digest: string): Promise<boolean> {
    const op = this.operation('HEAD', 'blob', repository, digest, false);
    if (!isDigest(digest)) throw this.error(op, `"${digest}" is not a digest`);
    const res = await this.request(op, `/v2/${repository}/blobs/${digest}`, {method: 'HEAD'});
    if (res.status === 404) return false;
    if (!res.ok) throw await this.statusError(op, res);
    return true;
  }

  /**
   * Uploads one blob, streaming (chunked PATCH, or one streaming PUT where chunks are refused),
   * unless the repository already has it. The digest is checked over the bytes as they pass; see
   * upload.ts for retries and resumption. A Buffer is accepted for small blobs and tests.
   */
  async uploadBlob(repository: string, digest: string, data: Buffer | BlobSource): Promise<'exists' | 'uploaded'> {
    const op = this.operation('upload', 'blob', repository, digest, true);
    if (!isDigest(digest)) throw this.error(op, `"${digest}" is not a digest`);
    if (await this.blobExists(repository, digest)) return 'exists';
    const source = Buffer.isBuffer(data) ? bufferBlobSource(data) : data;
    await blobTransfers(() => streamUpload(this.uploads, repository, digest, source));
    return 'uploaded';
  }

  /**
   * A small blob's bytes (an image config), checked against its digest. Layers are streamed with
   * openBlob instead; past `maxBytes` this refuses rather than fill memory.
   */
  async getBlob(repository: string, digest: string, maxBytes = 64 * 1024 * 1024): Promise<Buffer> {
    const op = this.operation('GET', 'blob', repository, digest, false);
    const {size, body} = await this.openBlob(repository, digest);
    if (size !== undefined && size > maxBytes) {
      await body[Symbol.asyncIterator]().return?.();
      throw this.error(op, `the blob has ${size} B, more than the ${maxBytes} B read into memory`);
    }
    const hash = createHash(digest.startsWith('sha512:') ? 'sha512' : 'sha256');
    const parts: Buffer[] = [];
    let total = 0;
    try {
      for await (const piece of body) {
        total += piece.length;
        if (total > maxBytes) throw new Error(`the blob has more than the ${maxBytes} B read into memory`);
        hash.update(piece);
        parts.push(Buffer.from(piece));
      }
    } catch (err) {
      if (err instanceof RegistryError) throw err;
      throw this.error(op, `the download broke off: ${networkText(err)}`, undefined, undefined, err);
    }
    const got = `${digest.startsWith('sha512:') ? 'sha512' : 'sha256'}:${hash.digest('hex')}`;
    if (got !== digest) throw this.error(op, `the blob bytes hash to ${got}`);
    return Buffer.concat(parts);
  }

  /**
   * A blob's bytes as a stream, from `offset` on (a Range request; a registry ignoring Range is
   * answered by skipping). NOT checked against the digest: whoever consumes the stream hashes it
   * (the uploader does, over exactly the bytes it sends).
   */
  async openBlob(repository: string, digest: string, offset = 0): Promise<BlobStream> {
    const op = this.operation('GET', 'blob', repository, digest, false);
    if (!isDigest(digest)) throw this.error(op, `"${digest}" is not a digest`);
    const res = await this.request(op, `/v2/${repository}/blobs/${digest}`, {
      method: 'GET',
      headers: offset > 0 ? {Range: `bytes=${offset}-`} : {},
      stream: true
    });
    if (!res.ok) throw await this.statusError(op, res);
    const length = Number(res.headers.get('content-length') ?? NaN);
    const partial = res.status === 206;
    const size = Number.isFinite(length) ? length + (partial ? offset : 0) : undefined;
    const broke = (err: unknown): RegistryError =>
      this.error(op, `the download broke off: ${networkText(err)}`, undefined, undefined, err);
    return {size, body: piecesOf(piecesOfAnswer(res), partial ? 0 : offset, broke)};
  }

  /**
   * Links a blob `fromRepository` already holds into `repository` without moving its bytes (same
   * registry only). True when mounted; false when the registry declined (blob unknown there, no
   * pull right on the source, mounting disabled): the caller uploads instead.
   */
  async mountBlob(repository: string, digest: string, fromRepository: string): Promise<boolean> {
    const op: Operation = {
      ...this.operation('POST', 'blob mount', repository, digest, true),
      mountFrom: fromRepository
    };
    if (!isDigest(digest)) throw this.error(op, `"${digest}" is not a digest`);
    if (!isValidRepository(fromRepository)) throw this.error(op, `"${fromRepository}" is not a valid repository name`);
    const query = `mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(fromRepository)}`;
    const res = await this.request(op, `/v2/${repository}/blobs/uploads/?${query}`, {method: 'POST'});
    if (res.status === 201) {
      await discard(res);
      const returned = res.headers.get('docker-content-digest');
      if (returned && returned !== digest) throw this.error(op, `the registry mounted ${returned}, not ${digest}`);
      return true;
    }
    if (res.status === 401 || res.status === 403) {
      // No pull on the source (the token server cut that scope): a declined mount, the caller
      // uploads, and a missing push right shows there with its own message.
      await discard(res);
      return false;
    }
    if (res.status !== 202) throw await this.statusError(op, res);
    // The registry opened an ordinary upload session instead: close it so it does not linger
    // until the registry's upload purge. Best effort: a failed cancel changes nothing for the copy.
    await discard(res);
    const location = res.headers.get('location');
    if (location) {
      try {
        const cancel = await this.request(op, `${this.sameOriginPath(op, location)}`, {method: 'DELETE'});
        await discard(cancel);
      } catch (err) {
        this.log(this.redact(`registry ${this.registry}: ${op.label}: cancelling the upload session: ${String(err)}`));
      }
    }
    return false;
  }

  /**
   * What refers to `digest` (signatures, attestations, SBOMs) from the OCI 1.1 referrers API,
   * following Link pages; undefined when the registry has no such API, so the caller falls back to
   * the `sha256-<hex>` tag schema. Whether it has the API is decided ONCE per registry, by the
   * first answer: 200 with an image index (by content type, or a body whose mediaType says so) is
   * the API; a 404 or a 200 of anything else (some registries answer unknown /v2/ paths with a
   * page) is not. An index whose `manifests` is null or missing is an empty list: Go registries
   * encode an empty slice as null, and cosign and go-containerregistry read it so.
   */
  async referrers(repository: string, digest: string): Promise<Descriptor[] | undefined> {
    const op = this.operation('GET', 'referrers', repository, digest, false);
    if (!isDigest(digest)) throw this.error(op, `"${digest}" is not a digest`);
    if (this.referrersApi === false) return undefined;
    let next: string | undefined = `/v2/${repository}/referrers/${digest}`;
    const found: Descriptor[] = [];
    const seen = new Set<string>();
    while (next) {
      if (seen.has(next) || seen.size >= MAX_REFERRER_PAGES) throw this.error(op, `pagination loops at ${next}`);
      seen.add(next);
      const res = await this.request(op, next, {method: 'GET', headers: {Accept: MEDIA_TYPES.ociIndex}});
      if (res.status === 404 && seen.size === 1) {
        await discard(res);
        // Known to have the API: a 404 here is an unknown repository or subject, so nothing refers.
        if (this.referrersApi) return [];
        this.referrersApi = false;
        return undefined;
      }
      if (!res.ok) throw await this.statusError(op, res);
      const type = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
      const text = await res.text();
      let page: {mediaType?: unknown; manifests?: unknown} | undefined;
      try {
        const parsed = JSON.parse(text) as unknown;
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) page = parsed;
      } catch {
        page = undefined;
      }
      // Spec: the index media type. Also taken: a plain JSON answer that plainly is a list.
      const isIndex =
        page !== undefined &&
        (page.manifests === undefined || page.manifests === null || Array.isArray(page.manifests)) &&
        (type === MEDIA_TYPES.ociIndex ||
          page.mediaType === MEDIA_TYPES.ociIndex ||
          (type === 'application/json' && Array.isArray(page.manifests)));
      if (!isIndex) {
        if (seen.size === 1 && this.referrersApi === undefined) {
          this.referrersApi = false;
          return undefined;
        }
        throw this.error(op, `a referrers page is not an image index (${type || 'no content type'})`);
      }
      this.referrersApi = true;
      if (Array.isArray(page?.manifests)) found.push(...page.manifests.filter(isDescriptor));
      next = this.sameOriginPath(op, parseLinkNext(res.headers.get('link')));
    }
    return found;
  }

  /**
   * Proves push access to `repository` without leaving anything behind: opens an upload session
   * (POST, which needs push: a push-scoped token or accepted Basic credentials) and deletes it.
   * Throws a RegistryError saying whether the credentials were refused or lack push.
   */
  async checkPush(repository: string): Promise<void> {
    const op = this.operation('POST', 'blob upload (push access check)', repository, undefined, true);
    const res = await this.request(op, `/v2/${repository}/blobs/uploads/`, {method: 'POST'});
    if (res.status !== 202 && res.status !== 201) throw await this.statusError(op, res);
    await discard(res);
    const location = res.headers.get('location');
    if (res.status !== 202 || !location) return;
    const cancel = {...op, label: `DELETE blob upload ${repository} (push access check)`};
    try {
      await discard(
        await this.request(cancel, this.sameOriginPath(cancel, location, 'the upload location') ?? '', {
          method: 'DELETE'
        })
      );
    } catch (err) {
      // Push is proven; an upload session left over is purged by the registry.
      this.log(this.redact(`registry ${this.registry}: ${cancel.label}: ${String(err)}`));
    }
  }

  // ---- requests, auth, errors -------------------------------------------------------------

  private opName(what: string, repository: string, reference?: string): Operation {
    const ref = reference === undefined ? '' : isDigest(reference) ? `@${reference}` : `:${reference}`;
    return {label: `${what} ${repository}${ref}`, repository, write: false};
  }

  /** Validates the names (they become URL path segments) and describes the operation. */
  private operation(
    method: string,
    what: string,
    repository: string,
    reference: string | undefined,
    write: boolean
  ): Operation {
    const op = {...this.opName(`${method} ${what}`, repository, reference), write};
    if (!isValidRepository(repository)) throw this.error(op, `"${repository}" is not a valid repository name`);
    if (reference !== undefined && !isDigest(reference) && !isValidTag(reference)) {
      throw this.error(op, `"${reference}" is neither a tag nor a digest`);
    }
    return op;
  }

  private manifestPath(repository: string, reference: string): string {
    return `/v2/${repository}/manifests/${reference}`;
  }

  private mediaTypeOf(res: Response, body: Buffer): string {
    const header = (res.headers.get('content-type') ?? '').split(';')[0].trim();
    if (header && header !== 'application/json' && header !== 'text/plain') return header;
    try {
      const mediaType = (JSON.parse(body.toString('utf8')) as {mediaType?: unknown}).mediaType;
      if (typeof mediaType === 'string' && mediaType) return mediaType;
    } catch {
      // not JSON: keep what the header said
    }
    return header || MEDIA_TYPES.ociManifest;
  }

  /** Link targets are followed only on this registry: credentials must not travel elsewhere. */
  private sameOriginPath(op: Operation, link: string | undefined, what = 'pagination link'): string | undefined {
    if (!link) return undefined;
    const url = new URL(link, this.base);
    if (url.origin !== new URL(this.base).origin) throw this.error(op, `${what} leaves the registry: ${url.origin}`);
    return `${url.pathname}${url.search}`;
  }

  /** One operation's HTTP exchange, with auth and retries; returns the final response. */
  private async request(op: Operation, path: string, init: RequestInit): Promise<Response> {
    let attempts = 0;
    try {
      return await withRetry(
        async attempt => {
          attempts = attempt;
          const res = await this.authorizedFetch(op, path, init);
          if (isRetryableStatus(res.status)) {
            const last = attempt >= Math.max(1, this.retry.attempts ?? DEFAULT_ATTEMPTS);
            throw await this.statusError(op, res, last && attempt > 1 ? ` after ${attempt} attempts` : '');
          }
          return res;
        },
        this.retry,
        ({attempt, attempts, delayMs, error}) => {
          const why = error instanceof RegistryError ? error.detail : networkText(error);
          this.log(
            this.redact(
              `registry ${this.registry}: ${op.label}: ${why}; attempt ${attempt + 1}/${attempts} in ${delayMs} ms`
            )
          );
        }
      );
    } catch (err) {
      if (err instanceof RegistryError) throw err;
      throw this.error(
        op,
        `${networkText(err)}${attempts > 1 ? ` after ${attempts} attempts` : ''}`,
        undefined,
        undefined,
        err
      );
    }
  }

  private async fetchOnce(path: string, init: RequestInit, authorization?: string): Promise<Response> {
    const headers: Record<string, string> = {'User-Agent': this.userAgent, ...init.headers};
    if (authorization) headers.Authorization = authorization;
    return timedFetch(
      `${this.base}${path}`,
      {method: init.method, headers, body: init.body, stream: init.stream},
      this.timeoutMs
    );
  }

  /** One attempt of a streamed request with the authorization already known; never re-sent. */
  private async send(op: Operation, path: string, init: RequestInit): Promise<Response> {
    const sent = this.challenge ? await this.authorization(op, this.challenge) : undefined;
    return this.fetchOnce(path, init, sent);
  }

  /**
   * Anonymous first; on 401 learn the challenge, get a Basic header or a Bearer token, send once
   * more. Once the scheme is known, later requests carry it from the start. A streamed body is
   * sent once: its 401 goes back to the caller.
   */
  private async authorizedFetch(op: Operation, path: string, init: RequestInit): Promise<Response> {
    const sent = this.challenge ? await this.authorization(op, this.challenge) : undefined;
    const res = await this.fetchOnce(path, init, sent);
    if (res.status !== 401 || isPieces(init.body)) return res;
    const challenges = parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '');
    const challenge =
      challenges.find(c => c.scheme === 'bearer' && c.params.realm) ?? challenges.find(c => c.scheme === 'basic');
    if (!challenge) return res; // nothing to answer: the caller reports the 401
    if (challenge.scheme === 'basic' && !this.credentials) {
      return res;
    }
    this.challenge = challenge;
    if (sent?.startsWith('Bearer ')) {
      const cached = this.tokens.get(this.scope(op));
      // A token asked for exactly this scope that the registry finds too narrow is what the token
      // server grants these credentials: asking again gives the same token. The caller reports it.
      if (challenge.params.error === 'insufficient_scope' && cached && !cached.readOnly) return res;
      this.tokens.delete(this.scope(op)); // expired, or a pull-only fallback too narrow for this
    }
    const fresh = await this.authorization(op, challenge, sent?.startsWith('Bearer ') && op.write);
    if (!fresh || fresh === sent) return res;
    await discard(res);
    return this.fetchOnce(path, init, fresh);
  }

  /** Space-separated scopes (the token request sends each as its own `scope` parameter). */
  private scope(op: Operation): string {
    const own = `repository:${op.repository}:pull,push`;
    return op.mountFrom && op.mountFrom !== op.repository ? `${own} repository:${op.mountFrom}:pull` : own;
  }

  /** `noFallback`: a write whose pull-only token was refused must not be given another pull-only one. */
  private async authorization(
    op: Operation,
    challenge: AuthChallenge,
    noFallback = false
  ): Promise<string | undefined> {
    if (challenge.scheme === 'basic') return this.credentials ? basicAuthorization(this.credentials) : undefined;
    if (challenge.scheme !== 'bearer') return undefined;
    const scope = this.scope(op);
    const cached = this.tokens.get(scope);
    // A pull-only fallback serves reads only; a write asks for the full scope.
    if (cached && cached.expiresAt > Date.now() && (!op.write || !cached.readOnly)) return cached.authorization;
    let token: CachedToken;
    try {
      token = await this.fetchToken(op, challenge, scope);
    } catch (err) {
      if (!(err instanceof RegistryError) || (err.status !== 401 && err.status !== 403) || noFallback) throw err;
      if (op.mountFrom) {
        // No pull on the mount's source: without it the registry declines the mount (202) and the
        // caller uploads, which is slower but still right.
        token = await this.fetchToken(op, challenge, this.scope({...op, mountFrom: undefined}));
      } else if (!op.write) {
        // Read-only credentials (or anonymous) may be refused pull,push outright: reads ask for pull.
        token = {...(await this.fetchToken(op, challenge, `repository:${op.repository}:pull`)), readOnly: true};
      } else {
        throw err;
      }
    }
    this.tokens.set(scope, token);
    return token.authorization;
  }

  private async fetchToken(op: Operation, challenge: AuthChallenge, scope: string): Promise<CachedToken> {
    const realm = challenge.params.realm;
    const label = `${op.label}: token for ${scope} from ${realm}`;
    const tokenOp: Operation = {...op, label};
    const registryHost = new URL(this.base).host;
    const problem = realmProblem(realm, registryHost, this.insecure);
    if (problem) throw this.error(tokenOp, `refusing the token realm: ${problem}`);
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    url.searchParams.delete('scope');
    for (const s of scope.split(' ')) url.searchParams.append('scope', s);
    const headers: Record<string, string> = {'User-Agent': this.userAgent};
    if (this.credentials) headers.Authorization = basicAuthorization(this.credentials);
    // No retry loop of its own: a transient failure here fails the request's attempt, which the
    // request's loop retries (a loop here too would multiply the attempts).
    let res: Response;
    try {
      res = await this.tokenFetch(tokenOp, url, headers, registryHost);
    } catch (err) {
      if (err instanceof RegistryError) throw err;
      throw this.error(tokenOp, networkText(err), undefined, undefined, err);
    }
    if (!res.ok) throw await this.statusError(tokenOp, res);
    const body = (await res.json()) as {token?: unknown; access_token?: unknown; expires_in?: unknown};
    const token =
      typeof body.token === 'string' && body.token
        ? body.token
        : typeof body.access_token === 'string'
          ? body.access_token
          : '';
    if (!token) throw this.error(tokenOp, 'the token server answered without a token');
    this.addSecret(token);
    const lifetime =
      typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_LIFETIME_S;
    this.log(`registry ${this.registry}: got a token for ${scope} (${lifetime} s)`);
    return {
      authorization: `Bearer ${token}`,
      expiresAt: Date.now() + lifetime * 1000 - TOKEN_EXPIRY_MARGIN_MS,
      readOnly: false
    };
  }

  /**
   * GET on the token server, following redirects by hand: each target must pass the realm rules
   * too (go-containerregistry checks redirects the same way), and credentials go to the realm's
   * origin only.
   */
  private async tokenFetch(op: Operation, first: URL, headers: Record<string, string>, registryHost: string) {
    let url = first;
    for (let hops = 0; ; hops++) {
      const sameOrigin = url.origin === first.origin;
      const h = sameOrigin ? headers : {'User-Agent': headers['User-Agent']};
      const res = await timedFetch(url, {method: 'GET', headers: h, redirect: 'manual'}, this.timeoutMs);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return res;
      await discard(res);
      if (hops >= 10) throw this.error(op, 'the token server redirected more than 10 times');
      const target = new URL(location, url);
      const problem = realmProblem(target.href, registryHost, this.insecure);
      if (problem) throw this.error(op, `refusing the token server's redirect to ${target.origin}: ${problem}`);
      url = target;
    }
  }

  private addSecret(s: string): void {
    if (s.length >= 4) this.secrets.add(s);
  }

  private redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('***');
    return out;
  }

  private error(op: Operation, detail: string, status?: number, retryAfterMs?: number, cause?: unknown): RegistryError {
    return new RegistryError(this.registry, this.redact(op.label), this.redact(detail), status, retryAfterMs, cause);
  }

  /**
   * The registry accepted who we are but not what we asked: a Bearer challenge saying
   * insufficient_scope (after a token was sent), or a 403 (Basic auth with an authorizing proxy,
   * Harbor's DENIED). A 401 to a token request is wrong credentials instead, and is not this.
   */
  private lacksPush(res: Response): boolean {
    if (res.status === 403) return true;
    if (res.status !== 401) return false;
    return parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '').some(
      c => c.scheme === 'bearer' && c.params.error === 'insufficient_scope'
    );
  }

  /** `401 Unauthorized (UNAUTHORIZED: authentication required)`, reading (and so freeing) the body. */
  private async statusError(op: Operation, res: Response, suffix = ''): Promise<RegistryError> {
    let text = '';
    try {
      text = await res.text();
    } catch {
      // body lost with the connection: the status alone must do
    }
    const notes = [describeErrorBody(text)];
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
    const status = `${statusLine(res)}${notes[0] ? ` (${notes[0]})` : ''}`;
    if (op.write && this.lacksPush(res)) {
      const detail = this.credentials
        ? `credentials for ${this.registry} are valid but lack push access to ${op.repository}: ${status}`
        : `no credentials given for ${this.registry}, and pushing to ${op.repository} needs them: ${status}`;
      return this.error(op, `${detail}${suffix}`, res.status, retryAfterMs);
    }
    if (res.status === 401 && !this.credentials) notes.push(`no credentials given for ${this.registry}`);
    const note = notes.filter(Boolean).join('; ');
    return this.error(op, `${statusLine(res)}${note ? ` (${note})` : ''}${suffix}`, res.status, retryAfterMs);
  }
}
