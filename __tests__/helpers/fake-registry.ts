// An in-memory OCI registry on 127.0.0.1 for the protocol edges the bed's registries cannot be
// made to show on demand: referrers answered as `"manifests": null`, chunked uploads refused,
// a link that stalls or crawls, a session dropped after a broken request, a token server that
// cuts scopes down. Everything else a real registry shows is in the integration tests.
import {createHash, randomUUID} from 'node:crypto';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';

export interface Account {
  password: string;
  /** repository → actions the token server grants (`pull`, `push`). */
  grants: Record<string, string[]>;
}

export interface FakeOptions {
  /** OCI 1.1 referrers API; `null` answers an empty list as `"manifests": null` (Go registries). */
  referrers?: 'none' | 'api' | 'null';
  /** PATCH with Content-Range answered 416 (as registries without chunked uploads do). */
  chunked?: boolean;
  /** Request bodies read at this rate (bytes per second). */
  bytesPerSecond?: number;
  /** Upload request bodies stop being read for `ms` once, after `afterBytes` of all uploads. */
  stall?: {afterBytes: number; ms: number};
  /** A session whose request broke off is forgotten (404 BLOB_UPLOAD_UNKNOWN afterwards). */
  dropBrokenSessions?: boolean;
  /** Bearer auth through /token on this server, with these accounts (none: anonymous access). */
  accounts?: Record<string, Account>;
}

interface Repo {
  manifests: Map<string, {body: Buffer; mediaType: string}>;
  tags: Map<string, string>;
  blobs: Map<string, Buffer>;
}

interface Session {
  repo: string;
  parts: Buffer[];
  size: number;
}

export interface FakeRegistry {
  host: string;
  /** `METHOD /path` of every request (no query), in order. */
  log: string[];
  repo(name: string): Repo;
  /** Peak concurrent upload requests (PATCH/PUT with a body) seen. */
  peakUploads: () => number;
  close(): Promise<void>;
}

const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const INDEX = 'application/vnd.oci.image.index.v1+json';

function errors(res: ServerResponse, status: number, code: string, message: string, headers = {}): void {
  res.writeHead(status, {'Content-Type': 'application/json', ...headers});
  res.end(JSON.stringify({errors: [{code, message}]}));
}

/** Reads a request body honouring the throttle and stall options; rejects when the client breaks off. */
function readBody(req: IncomingMessage, opts: FakeOptions, state: {stalled: boolean; bytes: number}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      parts.push(c);
      state.bytes += c.length;
      const wait = opts.bytesPerSecond ? (c.length / opts.bytesPerSecond) * 1000 : 0;
      const stall = opts.stall && !state.stalled && state.bytes >= opts.stall.afterBytes ? opts.stall.ms : 0;
      if (stall) state.stalled = true;
      if (wait + stall > 0) {
        req.pause();
        setTimeout(() => req.resume(), wait + stall);
      }
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('close', () => {
      if (!req.complete) reject(new Error('aborted'));
    });
    req.on('error', reject);
  });
}

export async function fakeRegistry(opts: FakeOptions = {}): Promise<FakeRegistry> {
  const repos = new Map<string, Repo>();
  const sessions = new Map<string, Session>();
  const tokens = new Map<string, Record<string, string[]>>();
  const log: string[] = [];
  const stallState = {stalled: false, bytes: 0};
  let uploading = 0;
  let peak = 0;
  const repo = (name: string): Repo => {
    let r = repos.get(name);
    if (!r) repos.set(name, (r = {manifests: new Map(), tags: new Map(), blobs: new Map()}));
    return r;
  };
  let host = '';

  /** Token server: Basic credentials (or none), scopes cut down to what the account may do. */
  function token(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const auth = req.headers.authorization ?? '';
    let account: Account | undefined;
    if (auth.startsWith('Basic ')) {
      const [user, ...pw] = Buffer.from(auth.slice(6), 'base64').toString().split(':');
      account = opts.accounts?.[user];
      if (!account || account.password !== pw.join(':')) return errors(res, 401, 'UNAUTHORIZED', 'bad credentials');
    }
    const granted: Record<string, string[]> = {};
    for (const s of url.searchParams.getAll('scope')) {
      const [, name, actions] = /^repository:(.+):([^:]+)$/.exec(s) ?? [];
      if (!name) continue;
      const may = account?.grants[name] ?? account?.grants['*'] ?? [];
      granted[name] = actions.split(',').filter(a => may.includes(a));
    }
    const t = `tok-${randomUUID()}`;
    tokens.set(t, granted);
    res.writeHead(200, {'Content-Type': 'application/json'});
    res.end(JSON.stringify({token: t, expires_in: 300}));
  }

  /** undefined when allowed; else the 401 was sent. */
  function authorize(req: IncomingMessage, res: ServerResponse, name: string, action: string): boolean {
    if (!opts.accounts) return true;
    const auth = req.headers.authorization ?? '';
    const granted = auth.startsWith('Bearer ') ? tokens.get(auth.slice(7)) : undefined;
    if (granted?.[name]?.includes(action)) return true;
    const scope = `repository:${name}:${action === 'push' ? 'pull,push' : 'pull'}`;
    const error = granted ? ',error="insufficient_scope"' : '';
    errors(
      res,
      401,
      granted ? 'DENIED' : 'UNAUTHORIZED',
      granted ? 'requested access to the resource is denied' : 'authentication required',
      {
        'WWW-Authenticate': `Bearer realm="http://${host}/token",service="fake",scope="${scope}"${error}`
      }
    );
    return false;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const method = req.method ?? 'GET';
    log.push(`${method} ${url.pathname}`);
    if (url.pathname === '/token') return token(req, url, res);
    if (url.pathname === '/v2/') {
      res.writeHead(200);
      return res.end('{}');
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs|referrers|tags)\/(.*)$/.exec(url.pathname);
    if (!m) return errors(res, 404, 'NOT_FOUND', 'no route');
    const [, name, kind, rest] = m;
    const write = method === 'PUT' || method === 'POST' || method === 'PATCH' || method === 'DELETE';
    if (!authorize(req, res, name, write ? 'push' : 'pull')) return;
    const r = repo(name);

    if (kind === 'manifests') {
      if (method === 'PUT') {
        const body = await readBody(req, {}, {stalled: true, bytes: 0});
        const digest = sha256(body);
        r.manifests.set(digest, {body, mediaType: req.headers['content-type'] ?? ''});
        if (!rest.includes(':')) r.tags.set(rest, digest);
        res.writeHead(201, {'Docker-Content-Digest': digest});
        return res.end();
      }
      const digest = rest.includes(':') ? rest : r.tags.get(rest);
      const found = digest ? r.manifests.get(digest) : undefined;
      if (!digest || !found) return errors(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown');
      res.writeHead(200, {
        'Content-Type': found.mediaType,
        'Docker-Content-Digest': digest,
        'Content-Length': found.body.length
      });
      return res.end(method === 'HEAD' ? undefined : found.body);
    }

    if (kind === 'tags') {
      res.writeHead(200, {'Content-Type': 'application/json'});
      return res.end(JSON.stringify({name, tags: [...r.tags.keys()]}));
    }

    if (kind === 'referrers') {
      if ((opts.referrers ?? 'none') === 'none') {
        res.writeHead(404, {'Content-Type': 'text/plain'});
        return res.end('404 page not found');
      }
      const list = [...r.manifests.entries()]
        .filter(([, v]) => (JSON.parse(v.body.toString()) as {subject?: {digest?: string}}).subject?.digest === rest)
        .map(([d, v]) => ({mediaType: v.mediaType, digest: d, size: v.body.length}));
      res.writeHead(200, {'Content-Type': INDEX});
      return res.end(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: INDEX,
          manifests: list.length === 0 && opts.referrers === 'null' ? null : list
        })
      );
    }

    // blobs
    if (rest.startsWith('uploads/') || rest === 'uploads') {
      const id = rest.slice('uploads/'.length);
      if (method === 'POST') {
        const from = url.searchParams.get('from');
        const mount = url.searchParams.get('mount');
        if (mount && from && repo(from).blobs.has(mount)) {
          r.blobs.set(mount, repo(from).blobs.get(mount) as Buffer);
          res.writeHead(201, {'Docker-Content-Digest': mount});
          return res.end();
        }
        const uuid = randomUUID();
        sessions.set(uuid, {repo: name, parts: [], size: 0});
        res.writeHead(202, {Location: `/v2/${name}/blobs/uploads/${uuid}?_state=${uuid.slice(0, 8)}`, Range: '0-0'});
        return res.end();
      }
      const session = sessions.get(id);
      if (!session) return errors(res, 404, 'BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry');
      if (method === 'DELETE') {
        sessions.delete(id);
        res.writeHead(204);
        return res.end();
      }
      if (method === 'GET') {
        res.writeHead(204, {Location: `/v2/${name}/blobs/uploads/${id}`, Range: `0-${Math.max(0, session.size - 1)}`});
        return res.end();
      }
      const range = req.headers['content-range'];
      if (method === 'PATCH' && range && opts.chunked === false) {
        return errors(res, 416, 'BLOB_UPLOAD_INVALID', 'chunked uploads are not supported');
      }
      if (range) {
        const [start] = range.split('-').map(Number);
        if (start !== session.size)
          return errors(res, 416, 'BLOB_UPLOAD_INVALID', `range starts at ${start}, not ${session.size}`);
      }
      uploading++;
      peak = Math.max(peak, uploading);
      let body: Buffer;
      try {
        body = await readBody(req, opts, stallState);
      } catch {
        if (opts.dropBrokenSessions) sessions.delete(id);
        return;
      } finally {
        uploading--;
      }
      session.parts.push(body);
      session.size += body.length;
      if (method === 'PATCH') {
        res.writeHead(202, {Location: `/v2/${name}/blobs/uploads/${id}`, Range: `0-${session.size - 1}`});
        return res.end();
      }
      const all = Buffer.concat(session.parts);
      const digest = url.searchParams.get('digest') ?? '';
      sessions.delete(id);
      if (sha256(all) !== digest)
        return errors(res, 400, 'DIGEST_INVALID', 'provided digest did not match uploaded content');
      r.blobs.set(digest, all);
      res.writeHead(201, {'Docker-Content-Digest': digest, Location: `/v2/${name}/blobs/${digest}`});
      return res.end();
    }
    const blob = r.blobs.get(rest);
    if (!blob) return errors(res, 404, 'BLOB_UNKNOWN', 'blob unknown to registry');
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const from = range ? Number(range[1]) : 0;
    res.writeHead(range ? 206 : 200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': blob.length - from,
      'Docker-Content-Digest': rest
    });
    return res.end(method === 'HEAD' ? undefined : blob.subarray(from));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) errors(res, 500, 'UNKNOWN', String(err));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as {port: number}).port}`;
  return {
    host,
    log,
    repo,
    peakUploads: () => peak,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}

/** Stores `body` as a blob and returns its descriptor. */
export function addBlob(reg: FakeRegistry, repository: string, body: Buffer, mediaType = 'application/octet-stream') {
  const digest = sha256(body);
  reg.repo(repository).blobs.set(digest, body);
  return {mediaType, digest, size: body.length};
}

/** Stores a manifest (with `tag` if given) and returns its descriptor. */
export function addManifest(reg: FakeRegistry, repository: string, value: unknown, tag?: string) {
  const body = Buffer.from(JSON.stringify(value));
  const mediaType = (value as {mediaType?: string}).mediaType ?? 'application/vnd.oci.image.manifest.v1+json';
  const digest = sha256(body);
  reg.repo(repository).manifests.set(digest, {body, mediaType});
  if (tag) reg.repo(repository).tags.set(tag, digest);
  return {mediaType, digest, size: body.length};
}
