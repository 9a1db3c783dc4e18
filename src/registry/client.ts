// A small OCI distribution client: what the action needs to make tags visible after a push by
// digest: read digests FROM THE REGISTRY, check tags, and create a tag by re-PUTting the exact
// manifest bytes (same bytes → same digest), for an index or for one platform manifest of it.
//
// Transport is Node's global fetch. TLS: https unless `insecure` (plain http). A registry signed by
// a private CA needs NODE_EXTRA_CA_CERTS=<ca file> in the environment BEFORE node starts (Node reads
// it once at startup; setting process.env later has no effect).
//
// Secrets: credentials and tokens never appear in errors or logs; every message goes through
// redact() as a last line of defence.
import {createHash} from 'node:crypto';
import {STATUS_CODES} from 'node:http';
import {basicAuthorization, parseWwwAuthenticate, type AuthChallenge, type Credentials} from './auth.js';
import {isDigest, isValidRepository, isValidTag, registryApiHost} from './reference.js';
import {DEFAULT_ATTEMPTS, isRetryableStatus, parseRetryAfter, withRetry, type RetryOptions} from './retry.js';

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
  /** Deadline for one HTTP request (not the whole retried operation). Default 60 s. */
  timeoutMs?: number;
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

async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // already consumed or closed: nothing to free
  }
}

interface Operation {
  /** `PUT manifest acme/app:v1`: what error messages and logs name. */
  label: string;
  repository: string;
  /** Needs push rights (token scope pull,push; reads fall back to pull). */
  write: boolean;
  /** A cross-repository blob mount also needs pull on the repository the blob comes from. */
  mountFrom?: string;
}

interface RequestInit {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  headers?: Record<string, string>;
  body?: Buffer;
}

interface CachedToken {
  authorization: string;
  expiresAt: number;
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

  constructor(options: RegistryClientOptions) {
    this.registry = options.registry;
    this.insecure = options.insecure ?? false;
    this.base = `${this.insecure ? 'http' : 'https'}://${registryApiHost(options.registry)}`;
    this.credentials = options.credentials;
    this.retry = options.retry ?? {};
    this.userAgent = options.userAgent ?? 'image-publish';
    this.log = options.log ?? (() => undefined);
    this.timeoutMs = options.timeoutMs ?? 60_000;
    if (this.credentials) {
      this.addSecret(this.credentials.password);
      this.addSecret(basicAuthorization(this.credentials).slice('Basic '.length));
    }
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

  /** Makes `tag` point at `digest` inside `repository` by re-PUTting the manifest's exact bytes. */
  async tag(repository: string, digest: string, tag: string): Promise<string> {
    if (!isDigest(digest)) throw this.error(this.opName('tag', repository, tag), `"${digest}" is not a digest`);
    if (!isValidTag(tag)) throw this.error(this.opName('tag', repository, tag), `"${tag}" is not a valid tag`);
    const manifest = await this.getManifest(repository, digest);
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
   * Uploads one blob (monolithic: POST an upload session, PUT the bytes with the digest), unless
   * the repository already has it. Used to push an OCI layout by digest (buildah/podman engines).
   */
  async uploadBlob(repository: string, digest: string, data: Buffer): Promise<'exists' | 'uploaded'> {
    if (await this.blobExists(repository, digest)) return 'exists';
    const op = this.operation('PUT', 'blob', repository, digest, true);
    if (digestOf(data, digest.startsWith('sha512:') ? 'sha512' : 'sha256') !== digest) {
      throw this.error(op, 'the bytes do not match the digest');
    }
    const start = await this.request(op, `/v2/${repository}/blobs/uploads/`, {method: 'POST'});
    if (start.status !== 202) throw await this.statusError(op, start);
    await discard(start);
    const location = this.sameOriginPath(op, start.headers.get('location') ?? undefined);
    if (!location) throw this.error(op, 'the registry gave no upload location');
    const url = new URL(location, this.base);
    url.searchParams.set('digest', digest);
    const put = await this.request(op, `${url.pathname}${url.search}`, {
      method: 'PUT',
      headers: {'Content-Type': 'application/octet-stream', 'Content-Length': String(data.length)},
      body: data
    });
    if (put.status !== 201) throw await this.statusError(op, put);
    await discard(put);
    return 'uploaded';
  }

  /** A blob's bytes, checked against its digest. Held in memory: fine for the layer sizes copied today. */
  async getBlob(repository: string, digest: string): Promise<Buffer> {
    const op = this.operation('GET', 'blob', repository, digest, false);
    if (!isDigest(digest)) throw this.error(op, `"${digest}" is not a digest`);
    const res = await this.request(op, `/v2/${repository}/blobs/${digest}`, {method: 'GET'});
    if (!res.ok) throw await this.statusError(op, res);
    let body: Buffer;
    try {
      body = Buffer.from(await res.arrayBuffer());
    } catch (err) {
      throw this.error(op, `the download broke off: ${networkText(err)}`, undefined, undefined, err);
    }
    const got = digestOf(body, digest.startsWith('sha512:') ? 'sha512' : 'sha256');
    if (got !== digest) throw this.error(op, `the blob bytes hash to ${got}`);
    return body;
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
   * following Link pages; undefined when the registry has no such API (404 or an answer that is
   * not an index), so the caller falls back to the `sha256-<hex>` tag schema.
   */
  async referrers(repository: string, digest: string): Promise<Descriptor[] | undefined> {
    const op = this.operation('GET', 'referrers', repository, digest, false);
    if (!isDigest(digest)) throw this.error(op, `"${digest}" is not a digest`);
    let next: string | undefined = `/v2/${repository}/referrers/${digest}`;
    const found: Descriptor[] = [];
    const seen = new Set<string>();
    while (next) {
      if (seen.has(next) || seen.size >= MAX_REFERRER_PAGES) throw this.error(op, `pagination loops at ${next}`);
      seen.add(next);
      const res = await this.request(op, next, {method: 'GET', headers: {Accept: MEDIA_TYPES.ociIndex}});
      if (res.status === 404 && seen.size === 1) {
        await discard(res);
        return undefined;
      }
      if (!res.ok) throw await this.statusError(op, res);
      let page: {manifests?: unknown};
      try {
        page = JSON.parse(await res.text()) as {manifests?: unknown};
      } catch {
        page = {};
      }
      if (!Array.isArray(page.manifests)) {
        // Some registries answer unknown /v2/ paths with 200 and an HTML or JSON page.
        if (seen.size === 1) return undefined;
        throw this.error(op, 'a referrers page is not an image index');
      }
      found.push(...page.manifests.filter(isDescriptor));
      next = this.sameOriginPath(op, parseLinkNext(res.headers.get('link')));
    }
    return found;
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
  private sameOriginPath(op: Operation, link: string | undefined): string | undefined {
    if (!link) return undefined;
    const url = new URL(link, this.base);
    if (url.origin !== new URL(this.base).origin)
      throw this.error(op, `pagination link leaves the registry: ${url.origin}`);
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
    return fetch(`${this.base}${path}`, {
      method: init.method,
      headers,
      body: init.body,
      redirect: 'follow',
      signal: AbortSignal.timeout(this.timeoutMs)
    });
  }

  /**
   * Anonymous first; on 401 learn the challenge, get a Basic header or a Bearer token, send once
   * more. Once the scheme is known, later requests carry it from the start.
   */
  private async authorizedFetch(op: Operation, path: string, init: RequestInit): Promise<Response> {
    const sent = this.challenge ? await this.authorization(op, this.challenge) : undefined;
    const res = await this.fetchOnce(path, init, sent);
    if (res.status !== 401) return res;
    const challenges = parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '');
    const challenge =
      challenges.find(c => c.scheme === 'bearer' && c.params.realm) ?? challenges.find(c => c.scheme === 'basic');
    if (!challenge) return res; // nothing to answer: the caller reports the 401
    if (challenge.scheme === 'basic' && !this.credentials) {
      return res;
    }
    this.challenge = challenge;
    if (sent?.startsWith('Bearer ')) this.tokens.delete(this.scope(op)); // expired or too narrow
    const fresh = await this.authorization(op, challenge);
    if (!fresh || fresh === sent) return res;
    await discard(res);
    return this.fetchOnce(path, init, fresh);
  }

  /** Space-separated scopes (the token request sends each as its own `scope` parameter). */
  private scope(op: Operation): string {
    const own = `repository:${op.repository}:pull,push`;
    return op.mountFrom && op.mountFrom !== op.repository ? `${own} repository:${op.mountFrom}:pull` : own;
  }

  private async authorization(op: Operation, challenge: AuthChallenge): Promise<string | undefined> {
    if (challenge.scheme === 'basic') return this.credentials ? basicAuthorization(this.credentials) : undefined;
    if (challenge.scheme !== 'bearer') return undefined;
    const scope = this.scope(op);
    const cached = this.tokens.get(scope);
    if (cached && cached.expiresAt > Date.now()) return cached.authorization;
    let token: CachedToken;
    try {
      token = await this.fetchToken(op, challenge, scope);
    } catch (err) {
      if (!(err instanceof RegistryError) || (err.status !== 401 && err.status !== 403)) throw err;
      if (op.mountFrom) {
        // No pull on the mount's source: without it the registry declines the mount (202) and the
        // caller uploads, which is slower but still right.
        token = await this.fetchToken(op, challenge, this.scope({...op, mountFrom: undefined}));
      } else if (!op.write) {
        // Read-only credentials (or anonymous) may be refused pull,push outright: reads ask for pull.
        token = await this.fetchToken(op, challenge, `repository:${op.repository}:pull`);
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
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw this.error(tokenOp, 'the token realm is not a URL');
    }
    if (this.credentials && url.protocol !== 'https:' && !this.insecure) {
      throw this.error(tokenOp, 'refusing to send credentials to a plain-http token realm');
    }
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    url.searchParams.delete('scope');
    for (const s of scope.split(' ')) url.searchParams.append('scope', s);
    const headers: Record<string, string> = {'User-Agent': this.userAgent};
    if (this.credentials) headers.Authorization = basicAuthorization(this.credentials);
    // No retry loop of its own: a transient failure here fails the request's attempt, which the
    // request's loop retries (a loop here too would multiply the attempts).
    let res: Response;
    try {
      res = await fetch(url, {headers, redirect: 'follow', signal: AbortSignal.timeout(this.timeoutMs)});
    } catch (err) {
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
    return {authorization: `Bearer ${token}`, expiresAt: Date.now() + lifetime * 1000 - TOKEN_EXPIRY_MARGIN_MS};
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

  /** `401 Unauthorized (UNAUTHORIZED: authentication required)`, reading (and so freeing) the body. */
  private async statusError(op: Operation, res: Response, suffix = ''): Promise<RegistryError> {
    let text = '';
    try {
      text = await res.text();
    } catch {
      // body lost with the connection: the status alone must do
    }
    const notes = [describeErrorBody(text)];
    if (res.status === 401 && !this.credentials) notes.push(`no credentials given for ${this.registry}`);
    const note = notes.filter(Boolean).join('; ');
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
    return this.error(op, `${statusLine(res)}${note ? ` (${note})` : ''}${suffix}`, res.status, retryAfterMs);
  }
}
