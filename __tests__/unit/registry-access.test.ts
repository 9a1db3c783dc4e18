// Auth and referrers edges against the in-process fake registry: a token server that cuts the
// push scope (insufficient_scope), wrong passwords found by checkPushAccess before any build,
// token realms judged by go-containerregistry's rules, and a referrers API answering an empty
// list as `"manifests": null`.
import {afterEach, describe, expect, it} from '@jest/globals';
import {createHash} from 'node:crypto';
import {createServer} from 'node:http';
import {RegistryClient, type RegistryClientOptions} from '../../src/registry/client.js';
import {copyImage} from '../../src/registry/copy.js';
import {checkPushAccess} from '../../src/registry/push-access.js';
import {isPrivateOrLinkLocal, realmProblem} from '../../src/registry/realm.js';
import {fallbackTag} from '../../src/registry/referrers.js';
import {addBlob, addManifest, fakeRegistry, type FakeOptions, type FakeRegistry} from '../helpers/fake-registry.js';

const open: {close: () => Promise<void>}[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map(r => r.close()));
});
async function registry(opts: FakeOptions = {}): Promise<FakeRegistry> {
  const r = await fakeRegistry(opts);
  open.push(r);
  return r;
}
function client(reg: {host: string}, opts: Partial<RegistryClientOptions> = {}) {
  const logs: string[] = [];
  const c = new RegistryClient({
    registry: reg.host,
    insecure: true,
    retry: {attempts: 1},
    log: m => logs.push(m),
    ...opts
  });
  return {c, logs};
}
const sha = (s: string): string => `sha256:${createHash('sha256').update(s).digest('hex')}`;
const ACCOUNTS = {
  ci: {password: 'ci-Pa55', grants: {'acme/app': ['pull', 'push']}},
  reader: {password: 'rd-Pa55', grants: {'acme/app': ['pull']}}
};

describe('push access (token server cutting scopes down)', () => {
  it('valid credentials without push: named as such, for the real operation, with one token request', async () => {
    const reg = await registry({accounts: ACCOUNTS});
    const {c} = client(reg, {credentials: {username: 'reader', password: 'rd-Pa55'}});
    const err = (await c.uploadBlob('acme/app', sha('x'), Buffer.from('x')).catch((e: Error) => e)) as Error;
    expect(err.message).toBe(
      `registry ${reg.host}: POST blob upload acme/app@${sha('x')} failed: credentials for ${reg.host} are valid but lack push access to acme/app: 401 Unauthorized (DENIED: requested access to the resource is denied)`
    );
    // HEAD (anonymous, then with the token); POST with the same token; no second, identical token.
    expect(reg.log.filter(l => l === 'GET /token')).toHaveLength(1);
  });

  it.each([
    ['push rights', {username: 'ci', password: 'ci-Pa55'}, undefined],
    [
      'no push right',
      {username: 'reader', password: 'rd-Pa55'},
      'push access check for acme/app failed: credentials for HOST are valid but lack push access to acme/app: 401 Unauthorized (DENIED: requested access to the resource is denied)'
    ],
    [
      'a wrong password',
      {username: 'ci', password: 'wrong'},
      'push access check for acme/app failed: the credentials for HOST were refused by its token server http://HOST/token: 401 Unauthorized (UNAUTHORIZED: bad credentials)'
    ],
    [
      'no credentials',
      undefined,
      'push access check for acme/app failed: no credentials given for HOST, and pushing to acme/app needs them: 401 Unauthorized (DENIED: requested access to the resource is denied)'
    ]
  ])('checkPushAccess with %s', async (_name, credentials, error) => {
    const reg = await registry({accounts: ACCOUNTS});
    const {c} = client(reg, {credentials});
    const got = checkPushAccess(c, 'acme/app');
    if (error) await expect(got).rejects.toThrow(`registry ${reg.host}: ${error.replaceAll('HOST', reg.host)}`);
    else await expect(got).resolves.toBeUndefined();
    // Nothing left behind: the one session opened (after the anonymous 401) is deleted, no blob or tag written.
    expect(reg.log.filter(l => l.startsWith('DELETE /v2/acme/app/blobs/uploads/'))).toHaveLength(error ? 0 : 1);
    expect(reg.repo('acme/app').blobs.size + reg.repo('acme/app').tags.size).toBe(0);
  });

  it('checkPushAccess with Basic auth: a refused password names the registry', async () => {
    const srv = createServer((req, res) => {
      const ok = req.headers.authorization === `Basic ${Buffer.from('u:right').toString('base64')}`;
      if (!ok) {
        res.writeHead(401, {'WWW-Authenticate': 'Basic realm="r"', 'Content-Type': 'application/json'});
        return res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      }
      res.writeHead(
        req.method === 'POST' ? 202 : 204,
        req.method === 'POST' ? {Location: '/v2/acme/app/blobs/uploads/1'} : {}
      );
      res.end();
    });
    await new Promise<void>(r => srv.listen(0, '127.0.0.1', r));
    open.push({close: () => new Promise<void>(r => srv.close(() => r()))});
    const host = `127.0.0.1:${(srv.address() as {port: number}).port}`;
    await expect(
      checkPushAccess(client({host}, {credentials: {username: 'u', password: 'right'}}).c, 'acme/app')
    ).resolves.toBeUndefined();
    await expect(
      checkPushAccess(client({host}, {credentials: {username: 'u', password: 'nope'}}).c, 'acme/app')
    ).rejects.toThrow(
      `registry ${host}: push access check for acme/app failed: the credentials for ${host} were refused: 401 Unauthorized (UNAUTHORIZED: authentication required)`
    );
  });
});

describe('token realm rules (go-containerregistry validateRealmURL)', () => {
  it.each([
    ['https://auth.example.com/token', 'r.example.com', false, undefined],
    [
      'http://auth.example.com/token',
      'r.example.com',
      false,
      'it is plain http and the registry is not listed as insecure; use https'
    ],
    ['http://auth.example.com/token', 'r.example.com', true, undefined],
    [
      'ftp://auth.example.com/token',
      'r.example.com',
      true,
      'its scheme "ftp" is neither https nor (for an insecure registry) http'
    ],
    ['https://127.0.0.1:5000/token', '127.0.0.1:5000', false, undefined],
    ['https://127.0.0.1:5001/token', '127.0.0.1:5000', false, 'its host 127.0.0.1 is a private or link-local address'],
    ['https://169.254.169.254/latest', 'r.example.com', false, 'its host 169.254.169.254 is a private'],
    ['https://10.1.2.3/token', 'r.example.com', false, 'its host 10.1.2.3 is a private'],
    ['https://[::ffff:192.168.1.1]/token', 'r.example.com', false, 'is a private'],
    ['https://8.8.8.8/token', 'r.example.com', false, undefined],
    ['not a url', 'r.example.com', false, 'it is not a URL']
  ])('%s for %s (insecure %s)', (realm, host, insecure, problem) => {
    const got = realmProblem(realm, host, insecure);
    if (problem) expect(got).toContain(problem);
    else expect(got).toBeUndefined();
  });

  it.each([
    ['127.0.0.1', true],
    ['127.255.0.1', true],
    ['10.0.0.1', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.0.1', true],
    ['169.254.1.1', true],
    ['224.0.0.251', true],
    ['224.0.1.1', false],
    ['0.0.0.0', true],
    ['8.8.8.8', false],
    ['::1', true],
    ['::', true],
    ['fe80::1', true],
    ['fd00:ec2::254', true],
    ['fc00::1', true],
    ['ff02::1', true],
    ['ff12::1', true],
    ['ff05::1', false],
    ['2001:db8::1', false],
    ['[::1]', true],
    ['::ffff:10.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    ['registry.example.com', false]
  ])('isPrivateOrLinkLocal(%s) = %s', (host, expected) => {
    expect(isPrivateOrLinkLocal(host)).toBe(expected);
  });

  it('a realm on another loopback port is refused before any credential is sent', async () => {
    const reg = await registry({accounts: ACCOUNTS});
    const other = createServer((_req, res) => {
      res.writeHead(401, {'WWW-Authenticate': `Bearer realm="http://${reg.host}/token",service="fake"`});
      res.end();
    });
    await new Promise<void>(r => other.listen(0, '127.0.0.1', r));
    open.push({close: () => new Promise<void>(r => other.close(() => r()))});
    const host = `127.0.0.1:${(other.address() as {port: number}).port}`;
    const {c} = client({host}, {credentials: {username: 'ci', password: 'ci-Pa55'}});
    await expect(c.manifestDigest('acme/app', 'v1')).rejects.toThrow(
      `refusing the token realm: its host 127.0.0.1 is a private or link-local address and not the registry's own host ${host}`
    );
    expect(reg.log).toEqual([]);
  });
});

describe('referrers API answering an empty list as "manifests": null', () => {
  it('null is an empty list, and the API stays on for the next subject', async () => {
    const reg = await registry({referrers: 'null'});
    const {c} = client(reg);
    await expect(c.referrers('acme/app', sha('nothing refers'))).resolves.toEqual([]);
  });

  it('a promotion copies every signature; no sha256- tag is written into a target with the API', async () => {
    const src = await registry({referrers: 'null'});
    const dst = await registry({referrers: 'null'});
    const config = addBlob(src, 'dev/app', Buffer.from('{}'));
    const image = (arch: string) =>
      addManifest(src, 'dev/app', {
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config,
        layers: [addBlob(src, 'dev/app', Buffer.from(`layer ${arch}`))]
      });
    const amd = image('amd64');
    const arm = image('arm64');
    const index = addManifest(src, 'dev/app', {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [amd, arm]
    });
    // The index has no referrers (answered null, as first); both platforms are signed and attested.
    const refs = [amd, amd, arm, arm, arm].map((subject, i) =>
      addManifest(src, 'dev/app', {
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        config: {mediaType: 'application/vnd.oci.empty.v1+json', digest: config.digest, size: 2},
        layers: [addBlob(src, 'dev/app', Buffer.from(`bundle ${i}`))],
        subject
      })
    );
    const stats = await copyImage(
      {client: client(src).c, repository: 'dev/app'},
      {client: client(dst).c, repository: 'prod/app'},
      index.digest
    );
    expect(stats.referrers).toBe(5);
    for (const r of refs) expect(dst.repo('prod/app').manifests.has(r.digest)).toBe(true);
    expect(stats.tagsCopied).toEqual([]);
    expect([...dst.repo('prod/app').tags.keys()].filter(t => t.startsWith('sha256-'))).toEqual([]);
  });

  it('a source tag-schema index is not copied into a target that has the API', async () => {
    const src = await registry();
    const dst = await registry({referrers: 'api'});
    const config = addBlob(src, 'dev/app', Buffer.from('{}'));
    const img = addManifest(src, 'dev/app', {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config,
      layers: []
    });
    const sig = addManifest(src, 'dev/app', {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config,
      layers: [],
      subject: img
    });
    addManifest(
      src,
      'dev/app',
      {schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [sig]},
      fallbackTag(img.digest)
    );
    const stats = await copyImage(
      {client: client(src).c, repository: 'dev/app'},
      {client: client(dst).c, repository: 'prod/app'},
      img.digest
    );
    expect(stats).toMatchObject({referrers: 1, tagsCopied: []});
    await expect(client(dst).c.referrers('prod/app', img.digest)).resolves.toEqual([
      {mediaType: sig.mediaType, digest: sig.digest, size: sig.size}
    ]);
  });
});
