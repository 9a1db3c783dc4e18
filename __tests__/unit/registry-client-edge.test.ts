// RegistryClient against a tiny in-process HTTP server on 127.0.0.1, ONLY for what the real
// registries of the test bed cannot be made to show: 5xx/429 then success, dropped connections,
// a Bearer token server, a registry lying about digests, missing headers, Link pagination edges.
// Everything a real registry does show (404, Basic auth, tagging) is in integration/registry-client.
import {afterEach, describe, expect, it} from '@jest/globals';
import {createHash} from 'node:crypto';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import {createServer as createNetServer} from 'node:net';
import {
  RegistryClient,
  describeErrorBody,
  parseLinkNext,
  type RegistryClientOptions
} from '../../src/registry/client.js';

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  accept?: string;
  contentType?: string;
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void;

const servers: {close: () => Promise<void>}[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(s => s.close()));
});

/** An HTTP server answering with `handler`; records every request. */
async function serve(handler: Handler): Promise<{host: string; seen: Seen[]}> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        accept: req.headers.accept,
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8')
      };
      seen.push(s);
      handler(req, res, s);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  });
  const {port} = server.address() as {port: number};
  return {host: `127.0.0.1:${port}`, seen};
}

const INDEX = Buffer.from(
  JSON.stringify({schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: []})
);
const INDEX_DIGEST = `sha256:${createHash('sha256').update(INDEX).digest('hex')}`;
const OTHER_DIGEST = `sha256:${'0'.repeat(64)}`;

function manifest(res: ServerResponse, method: string, digestHeader: string | null = INDEX_DIGEST): void {
  res.writeHead(200, {
    'Content-Type': 'application/vnd.oci.image.index.v1+json',
    ...(digestHeader ? {'Docker-Content-Digest': digestHeader} : {}),
    'Content-Length': INDEX.length
  });
  res.end(method === 'HEAD' ? undefined : INDEX);
}

function errorBody(res: ServerResponse, status: number, code: string, message: string, headers = {}): void {
  res.writeHead(status, {'Content-Type': 'application/json', ...headers});
  res.end(JSON.stringify({errors: [{code, message, detail: null}]}));
}

/** A client whose retries sleep into `sleeps` instead of waiting; logs into `logs`. */
function client(host: string, extra: Partial<RegistryClientOptions> = {}) {
  const sleeps: number[] = [];
  const logs: string[] = [];
  const c = new RegistryClient({
    registry: host,
    insecure: true,
    retry: {sleep: async ms => void sleeps.push(ms), random: () => 1},
    log: m => logs.push(m),
    ...extra
  });
  return {c, sleeps, logs};
}

describe('retries against a flaky registry', () => {
  it('503 then 200: the digest is read on the second attempt after 500 ms', async () => {
    const {host, seen} = await serve((req, res) =>
      seen.length === 1 ? errorBody(res, 503, 'UNAVAILABLE', 'restarting') : manifest(res, req.method ?? '')
    );
    const {c, sleeps, logs} = client(host);
    await expect(c.manifestDigest('acme/app', 'v1')).resolves.toBe(INDEX_DIGEST);
    expect(seen.map(s => `${s.method} ${s.url}`)).toEqual([
      'HEAD /v2/acme/app/manifests/v1',
      'HEAD /v2/acme/app/manifests/v1'
    ]);
    expect(sleeps).toEqual([500]);
    expect(logs).toEqual([
      `registry ${host}: HEAD manifest acme/app:v1: 503 Service Unavailable; attempt 2/4 in 500 ms`
    ]);
  });

  it('429 with Retry-After: 2 waits 2 s, not the backoff', async () => {
    const {host, seen} = await serve((req, res) =>
      seen.length === 1
        ? errorBody(res, 429, 'TOOMANYREQUESTS', 'slow down', {'Retry-After': '2'})
        : manifest(res, req.method ?? '')
    );
    const {c, sleeps} = client(host);
    await expect(c.getManifest('acme/app', INDEX_DIGEST)).resolves.toMatchObject({digest: INDEX_DIGEST});
    expect(sleeps).toEqual([2000]);
  });

  it('503 every time: 4 attempts, then an error naming registry, operation, status and attempts', async () => {
    const {host, seen} = await serve((_req, res) => errorBody(res, 503, 'UNAVAILABLE', 'down for maintenance'));
    const {c, sleeps} = client(host);
    await expect(c.getManifest('acme/app', 'v1')).rejects.toThrow(
      `registry ${host}: GET manifest acme/app:v1 failed: 503 Service Unavailable (UNAVAILABLE: down for maintenance) after 4 attempts`
    );
    expect(seen).toHaveLength(4);
    expect(sleeps).toEqual([500, 1000, 2000]);
  });

  it('a dropped connection (socket destroyed mid-request) is retried', async () => {
    const {host, seen} = await serve((req, res) => {
      if (seen.length === 1) req.socket.destroy();
      else manifest(res, req.method ?? '');
    });
    const {c, sleeps} = client(host);
    await expect(c.manifestDigest('acme/app', 'v1')).resolves.toBe(INDEX_DIGEST);
    expect(seen).toHaveLength(2);
    expect(sleeps).toEqual([500]);
  });

  it('a refused connection: retried, then an error naming the cause and the attempts', async () => {
    const probe = createNetServer();
    await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
    const {port} = probe.address() as {port: number};
    await new Promise(resolve => probe.close(resolve));
    const {c, sleeps} = client(`127.0.0.1:${port}`);
    await expect(c.blobExists('acme/app', INDEX_DIGEST)).rejects.toThrow(
      `registry 127.0.0.1:${port}: HEAD blob acme/app@${INDEX_DIGEST} failed: fetch failed: connect ECONNREFUSED 127.0.0.1:${port} after 4 attempts`
    );
    expect(sleeps).toEqual([500, 1000, 2000]);
  });

  it.each([400, 401, 403, 404, 405])('%i is not retried', async status => {
    const {host, seen} = await serve((_req, res) => errorBody(res, status, 'DENIED', 'no'));
    const {c, sleeps} = client(host);
    await expect(c.getManifest('acme/app', 'v1')).rejects.toThrow(`GET manifest acme/app:v1 failed: ${status} `);
    expect(seen).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });
});

describe('bearer token auth', () => {
  const PASSWORD = 's3cret-Pa55word';
  const TOKEN = 'tok-7f3a9c1e5b2d8f4a6c0e';

  /** A registry that demands a bearer token from its own /token endpoint (like GHCR, Quay, Hub). */
  async function tokenRegistry(opts: {refusePush?: boolean; tokenFailures?: number; accessToken?: boolean} = {}) {
    let tokenCalls = 0;
    const srv = await serve((req, res, s) => {
      const url = new URL(s.url, 'http://x');
      if (url.pathname === '/token') {
        if (++tokenCalls <= (opts.tokenFailures ?? 0)) return errorBody(res, 503, 'UNAVAILABLE', 'token service busy');
        const basic = `Basic ${Buffer.from(`ci:${PASSWORD}`).toString('base64')}`;
        if (s.authorization && s.authorization !== basic) return errorBody(res, 401, 'UNAUTHORIZED', 'bad credentials');
        if (opts.refusePush && url.searchParams.get('scope')?.endsWith('push'))
          return errorBody(res, 403, 'DENIED', 'requested access to the resource is denied');
        res.writeHead(200, {'Content-Type': 'application/json'});
        return res.end(JSON.stringify(opts.accessToken ? {access_token: TOKEN} : {token: TOKEN, expires_in: 300}));
      }
      if (s.authorization !== `Bearer ${TOKEN}`) {
        return errorBody(res, 401, 'UNAUTHORIZED', 'authentication required', {
          'WWW-Authenticate': `Bearer realm="http://${srv.host}/token",service="fake-registry",scope="repository:acme/app:pull"`
        });
      }
      if (req.method === 'PUT') {
        res.writeHead(201, {'Docker-Content-Digest': INDEX_DIGEST});
        return res.end();
      }
      manifest(res, req.method ?? '');
    });
    return srv;
  }

  it('anonymous, then a token for service + scope pull,push with Basic credentials, cached for the next call', async () => {
    const {host, seen} = await tokenRegistry();
    const {c, logs} = client(host, {credentials: {username: 'ci', password: PASSWORD}});
    await expect(c.tag('acme/app', INDEX_DIGEST, 'v2')).resolves.toBe(INDEX_DIGEST);
    await expect(c.manifestDigest('acme/app', 'v2')).resolves.toBe(INDEX_DIGEST);
    expect(seen.map(s => `${s.method} ${s.url} ${s.authorization?.split(' ')[0] ?? '-'}`)).toEqual([
      `GET /v2/acme/app/manifests/${INDEX_DIGEST} -`,
      'GET /token?service=fake-registry&scope=repository%3Aacme%2Fapp%3Apull%2Cpush Basic',
      `GET /v2/acme/app/manifests/${INDEX_DIGEST} Bearer`,
      'PUT /v2/acme/app/manifests/v2 Bearer',
      'HEAD /v2/acme/app/manifests/v2 Bearer'
    ]);
    const put = seen[3];
    expect(put.contentType).toBe('application/vnd.oci.image.index.v1+json');
    expect(put.body).toBe(INDEX.toString('utf8'));
    expect(seen[0].accept).toBe(
      'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json'
    );
    expect(logs.join('\n')).not.toContain(TOKEN);
    expect(logs.join('\n')).not.toContain(PASSWORD);
  });

  it('anonymous token when there are no credentials', async () => {
    const {host, seen} = await tokenRegistry();
    const {c} = client(host);
    await expect(c.manifestDigest('acme/app', 'v1')).resolves.toBe(INDEX_DIGEST);
    expect(seen[1].url).toMatch(/^\/token\?/);
    expect(seen[1].authorization).toBeUndefined();
  });

  it('a token server 503 is retried once by the request loop (not by a second, nested loop)', async () => {
    const {host, seen} = await tokenRegistry({tokenFailures: 1, accessToken: true});
    const {c, sleeps} = client(host);
    await expect(c.manifestDigest('acme/app', 'v1')).resolves.toBe(INDEX_DIGEST);
    expect(seen.map(s => `${s.method} ${s.url.split('?')[0]}`)).toEqual([
      'HEAD /v2/acme/app/manifests/v1',
      'GET /token',
      'GET /token',
      'HEAD /v2/acme/app/manifests/v1'
    ]);
    expect(sleeps).toEqual([500]);
  });

  it('a token server that stays down: the error names the token request', async () => {
    const {host, seen} = await tokenRegistry({tokenFailures: 99});
    const {c} = client(host);
    await expect(c.manifestDigest('acme/app', 'v1')).rejects.toThrow(
      `registry ${host}: HEAD manifest acme/app:v1: token for repository:acme/app:pull,push from http://${host}/token failed: 503 Service Unavailable (UNAVAILABLE: token service busy)`
    );
    expect(seen.filter(s => s.url.startsWith('/token'))).toHaveLength(4);
  });

  it('a read falls back to scope pull when pull,push is refused', async () => {
    const {host, seen} = await tokenRegistry({refusePush: true});
    const {c} = client(host);
    await expect(c.manifestDigest('acme/app', 'v1')).resolves.toBe(INDEX_DIGEST);
    expect(
      seen.filter(s => s.url.startsWith('/token')).map(s => new URL(s.url, 'http://x').searchParams.get('scope'))
    ).toEqual(['repository:acme/app:pull,push', 'repository:acme/app:pull']);
  });

  it('wrong credentials: the token error names registry, operation, realm and status, never the password', async () => {
    const {host} = await tokenRegistry();
    const {c, logs} = client(host, {credentials: {username: 'ci', password: 'wrong-Pa55word'}});
    const err = await c.putManifest('acme/app', 'v3', INDEX, 'application/vnd.oci.image.index.v1+json').then(
      () => undefined,
      (e: unknown) => e as Error
    );
    expect(err?.message).toBe(
      `registry ${host}: PUT manifest acme/app:v3: token for repository:acme/app:pull,push from http://${host}/token failed: 401 Unauthorized (UNAUTHORIZED: bad credentials)`
    );
    expect(`${err?.message}${logs.join('')}`).not.toContain('wrong-Pa55word');
  });
});

describe('registries that lie or leave things out', () => {
  it('HEAD without Docker-Content-Digest: the digest is the sha256 of the GET body', async () => {
    const {host, seen} = await serve((req, res) => manifest(res, req.method ?? '', null));
    const {c} = client(host);
    await expect(c.manifestDigest('acme/app', 'v1')).resolves.toBe(INDEX_DIGEST);
    expect(seen.map(s => s.method)).toEqual(['HEAD', 'GET']);
  });

  it('GET by digest returning other bytes is refused', async () => {
    const {host} = await serve((req, res) => manifest(res, req.method ?? '', null));
    const {c} = client(host);
    await expect(c.getManifest('acme/app', OTHER_DIGEST)).rejects.toThrow(
      `registry ${host}: GET manifest acme/app@${OTHER_DIGEST} failed: the manifest bytes hash to ${INDEX_DIGEST}, not ${OTHER_DIGEST} (the digest asked for)`
    );
  });

  it('GET by tag whose Docker-Content-Digest disagrees with the bytes is refused', async () => {
    const {host} = await serve((req, res) => manifest(res, req.method ?? '', OTHER_DIGEST));
    const {c} = client(host);
    await expect(c.getManifest('acme/app', 'v1')).rejects.toThrow('(the Docker-Content-Digest header)');
  });

  it('PUT answered with another digest is refused', async () => {
    const {host} = await serve((_req, res) => {
      res.writeHead(201, {'Docker-Content-Digest': OTHER_DIGEST});
      res.end();
    });
    const {c} = client(host);
    await expect(c.putManifest('acme/app', 'v1', INDEX, 'application/vnd.oci.image.index.v1+json')).rejects.toThrow(
      `registry ${host}: PUT manifest acme/app:v1 failed: the registry stored ${OTHER_DIGEST}, not the ${INDEX_DIGEST} that was sent`
    );
  });

  it('PUT under a digest the bytes do not hash to is refused before sending', async () => {
    const {host, seen} = await serve((_req, res) => res.end());
    const {c} = client(host);
    await expect(c.putManifest('acme/app', OTHER_DIGEST, INDEX, 'application/json')).rejects.toThrow(
      'the manifest bytes hash to'
    );
    expect(seen).toHaveLength(0);
  });

  it('Content-Type application/json: the media type comes from the body', async () => {
    const {host} = await serve((_req, res) => {
      res.writeHead(200, {'Content-Type': 'application/json'});
      res.end(INDEX);
    });
    const {c} = client(host);
    await expect(c.getManifest('acme/app', INDEX_DIGEST)).resolves.toEqual({
      digest: INDEX_DIGEST,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      body: INDEX
    });
  });
});

describe('tag list pagination', () => {
  it('follows relative and absolute Link headers to the end', async () => {
    const {host, seen} = await serve((req, res, s) => {
      const pages: Record<string, [string[], string | undefined]> = {
        '/v2/acme/app/tags/list?n=2': [['a', 'b'], '</v2/acme/app/tags/list?last=b&n=2>; rel="next"'],
        '/v2/acme/app/tags/list?last=b&n=2': [
          ['c', 'd'],
          `<http://${host}/v2/acme/app/tags/list?last=d&n=2>; rel="next"`
        ],
        '/v2/acme/app/tags/list?last=d&n=2': [['e'], undefined]
      };
      const [tags, link] = pages[s.url];
      res.writeHead(200, {'Content-Type': 'application/json', ...(link ? {Link: link} : {})});
      res.end(JSON.stringify({name: 'acme/app', tags}));
    });
    const {c} = client(host);
    await expect(c.listTags('acme/app', {pageSize: 2})).resolves.toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(seen).toHaveLength(3);
  });

  it('refuses a Link to another host (credentials would follow)', async () => {
    const {host} = await serve((_req, res) => {
      res.writeHead(200, {Link: '<https://evil.example/v2/acme/app/tags/list?last=b>; rel="next"'});
      res.end(JSON.stringify({tags: ['a']}));
    });
    const {c} = client(host);
    await expect(c.listTags('acme/app')).rejects.toThrow('pagination link leaves the registry: https://evil.example');
  });
});

describe('pure helpers', () => {
  it.each([
    ['</v2/a/tags/list?last=b&n=2>; rel="next"', '/v2/a/tags/list?last=b&n=2'],
    ['<https://r.example/v2/a/tags/list?last=b>; rel=next', 'https://r.example/v2/a/tags/list?last=b'],
    ['</x>; rel="prev", </y>; rel="next"', '/y'],
    ['</x>; rel="prev"', undefined],
    ['', undefined],
    [null, undefined]
  ])('parseLinkNext(%j) → %j', (header, expected) => {
    expect(parseLinkNext(header)).toBe(expected);
  });

  it.each([
    [
      '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":null}]}',
      'UNAUTHORIZED: authentication required'
    ],
    [
      '{"errors":[{"code":"MANIFEST_BLOB_UNKNOWN","message":"blob unknown to registry"},{"code":"MANIFEST_INVALID","message":"manifest invalid"}]}',
      'MANIFEST_BLOB_UNKNOWN: blob unknown to registry; MANIFEST_INVALID: manifest invalid'
    ],
    ['<html>\n<body>502 Bad Gateway</body>\n</html>', '<html> <body>502 Bad Gateway</body> </html>'],
    ['', ''],
    ['x'.repeat(300), `${'x'.repeat(200)}…`]
  ])('describeErrorBody(%j)', (text, expected) => {
    expect(describeErrorBody(text)).toBe(expected);
  });
});
