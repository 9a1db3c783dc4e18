// RegistryClient against the REAL registries of the test bed: the dev registry (plain http,
// anonymous) and the prod registry (TLS with the bed's CA, htpasswd Basic auth). Every digest the
// client reads is checked against regctl's reading of the same registry.
// The prod half needs NODE_EXTRA_CA_CERTS=<bed.prodRegistry.caCert> in jest's environment: Node
// reads it only at startup, so a test cannot set it for itself.
import {beforeAll, describe, expect, it} from '@jest/globals';
import path from 'node:path';
import {loadDockerCredentials} from '../../src/registry/auth.js';
import {MEDIA_TYPES, RegistryClient, RegistryError} from '../../src/registry/client.js';
import {parseReference} from '../../src/registry/reference.js';
import {
  type Bed,
  type IndexManifest,
  copyToScratchRepo,
  loadBed,
  manifestRaw,
  registryDigest,
  run,
  uniqueTag
} from './bed.js';

const fastRetry = {attempts: 2, baseDelayMs: 50};

/** repository and tag of a `host/repo:tag` ref the bed made. */
function repoTag(ref: string): {repository: string; tag: string} {
  const r = parseReference(ref);
  return {repository: r.repository, tag: r.tag ?? 'latest'};
}

function armChild(index: IndexManifest): {digest: string; mediaType: string} {
  const child = index.manifests.find(m => m.platform?.os === 'linux' && m.platform.architecture === 'arm64');
  if (!child) throw new Error('bed busybox index has no linux/arm64 manifest');
  return child;
}

describe('RegistryClient on the dev registry (http, anonymous)', () => {
  let bed: Bed;
  let dev: RegistryClient;
  let src: {ref: string; digest: string};
  let repository: string;
  let tag: string;
  beforeAll(() => {
    bed = loadBed();
    dev = new RegistryClient({registry: bed.devRegistry.host, insecure: true, retry: fastRetry});
    src = copyToScratchRepo(bed, bed.images.busybox, 'registry-client');
    ({repository, tag} = repoTag(src.ref));
  });

  it('reads the same digest as regctl, by tag and by digest', async () => {
    expect(src.digest).toBe(bed.images.busybox.digest);
    await expect(dev.manifestDigest(repository, tag)).resolves.toBe(registryDigest(bed, src.ref));
    await expect(dev.manifestDigest(repository, src.digest)).resolves.toBe(src.digest);
  });

  it('gets the exact index bytes regctl sees', async () => {
    const m = await dev.getManifest(repository, src.digest);
    expect(m.digest).toBe(src.digest);
    expect([MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList]).toContain(m.mediaType);
    expect(JSON.parse(m.body.toString('utf8'))).toEqual(manifestRaw(bed, src.ref));
  });

  it('a missing tag (and a missing repository) has no digest', async () => {
    await expect(dev.manifestDigest(repository, uniqueTag('missing'))).resolves.toBeUndefined();
    await expect(dev.manifestDigest(`bed-test/${uniqueTag('norepo')}`, 'v1')).resolves.toBeUndefined();
  });

  it('getManifest of a missing tag names registry, operation and the 404', async () => {
    const missing = uniqueTag('missing');
    await expect(dev.getManifest(repository, missing)).rejects.toThrow(
      `registry ${bed.devRegistry.host}: GET manifest ${repository}:${missing} failed: 404 Not Found (MANIFEST_UNKNOWN: manifest unknown)`
    );
  });

  it('tag() makes a new tag whose registry digest is the index digest', async () => {
    const newTag = uniqueTag('rc');
    await expect(dev.manifestDigest(repository, newTag)).resolves.toBeUndefined();
    await expect(dev.tag(repository, src.digest, newTag)).resolves.toBe(src.digest);
    expect(registryDigest(bed, `${bed.devRegistry.host}/${repository}:${newTag}`)).toBe(src.digest);
    await expect(dev.manifestDigest(repository, newTag)).resolves.toBe(src.digest);
  });

  it('tag() of one platform manifest taken from the index points the tag at that manifest', async () => {
    const child = armChild(manifestRaw<IndexManifest>(bed, src.ref));
    const archTag = `${uniqueTag('v1')}-arm64`;
    await expect(dev.tag(repository, child.digest, archTag)).resolves.toBe(child.digest);
    const ref = `${bed.devRegistry.host}/${repository}:${archTag}`;
    expect(registryDigest(bed, ref)).toBe(child.digest);
    const m = await dev.getManifest(repository, archTag);
    expect(m.mediaType).toBe(child.mediaType);
    expect([MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest]).toContain(m.mediaType);
  });

  // distribution 2.8 ignores `n` on tags/list (no Link header), so pageSize must change nothing here;
  // following Link pages is proven in unit/registry-client-edge.
  it('lists tags exactly as regctl does, with or without a page size', async () => {
    const extra = [uniqueTag('a'), uniqueTag('b')];
    for (const t of extra) await dev.tag(repository, src.digest, t);
    const all = await dev.listTags(repository);
    expect(all).toEqual(expect.arrayContaining([tag, ...extra]));
    expect(await dev.listTags(repository, {pageSize: 1})).toEqual(all);
    const regctlTags = run(bed, 'regctl', ['tag', 'ls', `${bed.devRegistry.host}/${repository}`])
      .trim()
      .split('\n');
    expect([...all].sort()).toEqual([...regctlTags].sort());
    await expect(dev.listTags(`bed-test/${uniqueTag('norepo')}`)).resolves.toEqual([]);
  });

  it('blobExists: the platform config blob is there, a made-up digest is not', async () => {
    const child = armChild(manifestRaw<IndexManifest>(bed, src.ref));
    const m = JSON.parse((await dev.getManifest(repository, child.digest)).body.toString('utf8')) as {
      config: {digest: string};
    };
    await expect(dev.blobExists(repository, m.config.digest)).resolves.toBe(true);
    await expect(dev.blobExists(repository, `sha256:${'0'.repeat(64)}`)).resolves.toBe(false);
  });
});

describe('RegistryClient on the prod registry (TLS + htpasswd)', () => {
  let bed: Bed;
  let repository: string;
  let tag: string;
  let digest: string;
  beforeAll(() => {
    bed = loadBed();
    if (!process.env.NODE_EXTRA_CA_CERTS) {
      throw new Error(
        `NODE_EXTRA_CA_CERTS is not set: run jest with NODE_EXTRA_CA_CERTS=${bed.prodRegistry.caCert} (Node reads it at startup)`
      );
    }
    const src = copyToScratchRepo(bed, bed.images.busybox, 'registry-client-prod');
    repository = 'bed-test/registry-client';
    tag = uniqueTag();
    run(bed, 'regctl', ['image', 'copy', src.ref, `${bed.prodRegistry.host}/${repository}:${tag}`]);
    digest = src.digest;
  });

  const prod = (credentials?: {username: string; password: string}, log?: (m: string) => void): RegistryClient =>
    new RegistryClient({registry: bed.prodRegistry.host, credentials, retry: fastRetry, log});

  it('the bed Docker config holds the prod credentials', () => {
    const file = path.join(bed.docker.config, 'config.json');
    expect(loadDockerCredentials(bed.prodRegistry.host, file)).toEqual({
      username: bed.prodRegistry.username,
      password: bed.prodRegistry.password
    });
  });

  it('anonymous: 401 naming the registry and that no credentials were given', async () => {
    await expect(prod().manifestDigest(repository, tag)).rejects.toThrow(
      `registry ${bed.prodRegistry.host}: HEAD manifest ${repository}:${tag} failed: 401 Unauthorized (no credentials given for ${bed.prodRegistry.host})`
    );
  });

  it('wrong credentials: 401 naming registry and operation, never the password', async () => {
    const wrong = `${bed.prodRegistry.password}-wrong`;
    const logs: string[] = [];
    const c = prod({username: bed.prodRegistry.username, password: wrong}, m => logs.push(m));
    const err = await c.putManifest(repository, uniqueTag(), Buffer.from('{}'), MEDIA_TYPES.ociManifest).then(
      () => undefined,
      (e: unknown) => e
    );
    expect(err).toBeInstanceOf(RegistryError);
    const e = err as RegistryError;
    expect(e.message).toMatch(
      new RegExp(
        `^registry ${bed.prodRegistry.host.replace(/\./g, '\\.')}: PUT manifest ${repository}:\\S+ failed: 401 Unauthorized \\(UNAUTHORIZED: authentication required\\)$`
      )
    );
    expect(e.status).toBe(401);
    for (const secret of [
      wrong,
      bed.prodRegistry.password,
      Buffer.from(`${bed.prodRegistry.username}:${wrong}`).toString('base64')
    ]) {
      expect(e.message).not.toContain(secret);
      expect(logs.join('\n')).not.toContain(secret);
    }
    await expect(c.tag(repository, digest, uniqueTag())).rejects.toThrow(
      `registry ${bed.prodRegistry.host}: GET manifest ${repository}@${digest} failed: 401 Unauthorized (UNAUTHORIZED: authentication required)`
    );
  });

  it('right credentials (from the Docker config): reads and tags, digests equal regctl', async () => {
    const creds = loadDockerCredentials(bed.prodRegistry.host, path.join(bed.docker.config, 'config.json'));
    const c = prod(creds);
    await expect(c.manifestDigest(repository, tag)).resolves.toBe(digest);
    const newTag = uniqueTag('v1');
    await expect(c.manifestDigest(repository, newTag)).resolves.toBeUndefined();
    await expect(c.tag(repository, digest, newTag)).resolves.toBe(digest);
    expect(registryDigest(bed, `${bed.prodRegistry.host}/${repository}:${newTag}`)).toBe(digest);

    const child = armChild(manifestRaw<IndexManifest>(bed, `${bed.prodRegistry.host}/${repository}@${digest}`));
    const archTag = `${newTag}-arm64`;
    await expect(c.tag(repository, child.digest, archTag)).resolves.toBe(child.digest);
    expect(registryDigest(bed, `${bed.prodRegistry.host}/${repository}:${archTag}`)).toBe(child.digest);
    expect(await c.listTags(repository)).toEqual(expect.arrayContaining([tag, newTag, archTag]));
  });
});
