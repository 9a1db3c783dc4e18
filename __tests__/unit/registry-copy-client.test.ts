// The client calls copyImage adds (getBlob, mountBlob, referrers) against a tiny in-process HTTP
// server, ONLY for what registry 2.8 of the test bed cannot show: a referrers API, a Bearer token
// server that must grant pull on a mount's source, a registry serving wrong blob bytes. Mounting
// (201 and 202) on a real registry is in integration/registry-copy.
import {afterEach, describe, expect, it} from '@jest/globals';
import {createHash} from 'node:crypto';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import {RegistryClient} from '../../src/registry/client.js';

interface Seen {
  method: string;
  url: string;
  authorization?: string;
}

const servers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(close => close()));
});

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse, seen: Seen[], host: string) => void
): Promise<{host: string; seen: Seen[]}> {
  const seen: Seen[] = [];
  let host = '';
  const server = createServer((req, res) => {
    seen.push({method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization});
    req.resume();
    req.on('end', () => handler(req, res, seen, host));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  servers.push(
    () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  );
  host = `127.0.0.1:${(server.address() as {port: number}).port}`;
  return {host, seen};
}

const sha = (s: string): string => `sha256:${createHash('sha256').update(s).digest('hex')}`;
const BLOB = 'layer bytes';
const SUBJECT = sha('subject');
const SIG = {mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha('sig'), size: 3};
const SBOM = {...SIG, digest: sha('sbom'), artifactType: 'application/spdx+json'};
const noRetry = {attempts: 1};
const json = (res: ServerResponse, status: number, body: unknown, headers = {}): void => {
  res.writeHead(status, {'Content-Type': 'application/json', ...headers});
  res.end(JSON.stringify(body));
};

describe('referrers()', () => {
  it.each([
    ['404 (no API: distribution 2.8)', 404, 'text/plain', '404 page not found', undefined],
    ['200 that is not an index', 200, 'text/html', '<html>hello</html>', undefined],
    ['200 empty index (API, nothing refers)', 200, 'application/vnd.oci.image.index.v1+json', '{"manifests":[]}', []]
  ])('%s', async (_name, status, type, body, expected) => {
    const {host} = await serve((_req, res) => {
      res.writeHead(status, {'Content-Type': type});
      res.end(body);
    });
    const c = new RegistryClient({registry: host, insecure: true, retry: noRetry});
    await expect(c.referrers('acme/app', SUBJECT)).resolves.toEqual(expected);
  });

  it('follows Link pages and keeps only valid descriptors', async () => {
    const {host, seen} = await serve((req, res) => {
      if (req.url === `/v2/acme/app/referrers/${SUBJECT}`) {
        json(
          res,
          200,
          {manifests: [SIG, {digest: 'nonsense'}]},
          {Link: `</v2/acme/app/referrers/${SUBJECT}?n=1&last=a>; rel="next"`}
        );
      } else json(res, 200, {manifests: [SBOM]});
    });
    const c = new RegistryClient({registry: host, insecure: true, retry: noRetry});
    await expect(c.referrers('acme/app', SUBJECT)).resolves.toEqual([SIG, SBOM]);
    expect(seen.map(s => s.url)).toEqual([
      `/v2/acme/app/referrers/${SUBJECT}`,
      `/v2/acme/app/referrers/${SUBJECT}?n=1&last=a`
    ]);
  });
});

describe('getBlob()', () => {
  it.each([
    ['right bytes', BLOB, undefined],
    ['bytes that hash to another digest', 'tampered', 'the blob bytes hash to']
  ])('%s', async (_name, served, error) => {
    const {host} = await serve((_req, res) => {
      res.writeHead(200, {'Content-Type': 'application/octet-stream'});
      res.end(served);
    });
    const c = new RegistryClient({registry: host, insecure: true, retry: noRetry});
    const got = c.getBlob('acme/app', sha(BLOB));
    if (error) await expect(got).rejects.toThrow(`GET blob acme/app@${sha(BLOB)} failed: ${error}`);
    else await expect(got).resolves.toEqual(Buffer.from(BLOB));
  });
});

describe('mountBlob() behind a Bearer token server', () => {
  const TOKEN = 'tok-abcdef';
  /** Token server granting whatever scopes are asked unless `refuse` matches one; registry mounting on `mountStatus`. */
  async function registry(mountStatus: 201 | 202, refuse?: RegExp) {
    const scopes: string[][] = [];
    const srv = await serve((req, res, _seen, host) => {
      const url = new URL(req.url ?? '/', `http://${host}`);
      if (url.pathname === '/token') {
        const asked = url.searchParams.getAll('scope');
        scopes.push(asked);
        if (refuse && asked.some(s => refuse.test(s))) return json(res, 403, {errors: [{code: 'DENIED'}]});
        return json(res, 200, {token: TOKEN, expires_in: 300});
      }
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401, {'WWW-Authenticate': `Bearer realm="http://${host}/token",service="fake"`});
        return res.end();
      }
      if (req.method === 'POST' && mountStatus === 201) {
        res.writeHead(201, {'Docker-Content-Digest': url.searchParams.get('mount') ?? ''});
        return res.end();
      }
      if (req.method === 'POST') {
        res.writeHead(202, {Location: `http://${host}/v2/acme/prod/blobs/uploads/u-1?_state=x`});
        return res.end();
      }
      res.writeHead(204);
      res.end();
    });
    const c = new RegistryClient({
      registry: srv.host,
      insecure: true,
      retry: noRetry,
      credentials: {username: 'ci', password: 'secret-pw'}
    });
    return {c, scopes, seen: srv.seen};
  }

  it('201: mounted; the token asked for push on the target AND pull on the source', async () => {
    const {c, scopes, seen} = await registry(201);
    await expect(c.mountBlob('acme/prod', sha(BLOB), 'acme/staging')).resolves.toBe(true);
    expect(scopes).toEqual([['repository:acme/prod:pull,push', 'repository:acme/staging:pull']]);
    expect(seen.filter(s => s.authorization?.startsWith('Bearer ')).map(s => `${s.method} ${s.url}`)).toEqual([
      `POST /v2/acme/prod/blobs/uploads/?mount=${encodeURIComponent(sha(BLOB))}&from=${encodeURIComponent('acme/staging')}`
    ]);
  });

  it('202: declined; the upload session it opened is cancelled (DELETE)', async () => {
    const {c, seen} = await registry(202);
    await expect(c.mountBlob('acme/prod', sha(BLOB), 'acme/staging')).resolves.toBe(false);
    expect(seen.filter(s => s.authorization?.startsWith('Bearer ')).map(s => s.method)).toEqual(['POST', 'DELETE']);
    expect(seen.at(-1)?.url).toBe('/v2/acme/prod/blobs/uploads/u-1?_state=x');
  });

  it('no pull right on the source: the token is asked without it, the mount declined, no error', async () => {
    const {c, scopes} = await registry(202, /acme\/staging/);
    await expect(c.mountBlob('acme/prod', sha(BLOB), 'acme/staging')).resolves.toBe(false);
    expect(scopes).toEqual([
      ['repository:acme/prod:pull,push', 'repository:acme/staging:pull'],
      ['repository:acme/prod:pull,push']
    ]);
  });

  it('an ordinary write still asks for one scope only', async () => {
    const {c, scopes} = await registry(201);
    await expect(c.blobExists('acme/prod', sha(BLOB))).resolves.toBe(true);
    expect(scopes).toEqual([['repository:acme/prod:pull,push']]);
  });
});
