// Promotion against the REAL registries of the test bed, signed by the real cosign: a signed
// 2-platform index goes dev → staging (same registry: blobs mounted, zero bytes uploaded) as -rc1,
// then staging → prod (TLS + htpasswd: bytes uploaded) as the final tag; cosign verifies the SAME
// digest in each target, and a repeated copy writes nothing.
// The prod half needs NODE_EXTRA_CA_CERTS with the bed's CA in jest's environment (see
// registry-client.test.ts: Node reads it only at startup).
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import path from 'node:path';
import {loadDockerCredentials} from '../../src/registry/auth.js';
import {RegistryClient} from '../../src/registry/client.js';
import {copyImage, type CopyStats} from '../../src/registry/copy.js';
import {fallbackTag} from '../../src/registry/referrers.js';
import {
  type Bed,
  type IndexManifest,
  copyToScratchRepo,
  cosignSignArgs,
  cosignVerifyArgs,
  loadBed,
  manifestRaw,
  registryDigest,
  repoOf,
  run,
  runResult,
  uniqueTag
} from './bed.js';

const fastRetry = {attempts: 3, baseDelayMs: 200};
const ZERO: Omit<CopyStats, 'tagsCopied'> = {
  manifests: 0,
  blobsMounted: 0,
  blobsUploaded: 0,
  blobsExisting: 0,
  bytesUploaded: 0,
  referrers: 0
};

describe('copyImage: promote a signed index dev → staging → prod', () => {
  let bed: Bed;
  let dev: RegistryClient;
  let prod: RegistryClient;
  let digest: string;
  let children: string[];
  let srcRepo: string;
  let schemaTags: string[];
  const stagingRepo = `bed-test/promote-staging-${uniqueTag('r')}`;
  const prodRepo = `bed-test/promote-prod-${uniqueTag('r')}`;
  const measured: string[] = [];

  const timed = async (label: string, f: () => Promise<CopyStats>): Promise<CopyStats> => {
    const start = Date.now();
    const stats = await f();
    measured.push(`${label}: ${Date.now() - start} ms ${JSON.stringify(stats)}`);
    return stats;
  };
  const verify = (ref: string): void => {
    const r = runResult(bed, 'cosign', cosignVerifyArgs(bed, ref));
    expect(`${r.status}\n${r.stderr}`).toMatch(/^0\n/);
    const payload = JSON.parse(r.stdout) as {critical: {image: {'docker-manifest-digest': string}}}[];
    expect(payload.map(p => p.critical.image['docker-manifest-digest'])).toContain(ref.split('@')[1]);
  };

  beforeAll(() => {
    bed = loadBed();
    if (!process.env.NODE_EXTRA_CA_CERTS) {
      throw new Error(
        `NODE_EXTRA_CA_CERTS is not set: run jest with NODE_EXTRA_CA_CERTS=${bed.prodRegistry.caCert} (Node reads it at startup)`
      );
    }
    // A repository of its own, so earlier runs' signatures are not in the source.
    const src = copyToScratchRepo(bed, bed.images.clean, uniqueTag('promote-src'));
    digest = src.digest;
    srcRepo = repoOf(src.ref).slice(bed.devRegistry.host.length + 1);
    run(bed, 'cosign', cosignSignArgs(bed, `${repoOf(src.ref)}@${digest}`), {
      env: {COSIGN_PASSWORD: bed.cosign.password}
    });
    children = manifestRaw<IndexManifest>(bed, src.ref).manifests.map(m => m.digest);
    schemaTags = [digest, ...children].map(fallbackTag);
    dev = new RegistryClient({registry: bed.devRegistry.host, insecure: true, retry: fastRetry});
    const creds = loadDockerCredentials(bed.prodRegistry.host, path.join(bed.docker.config, 'config.json'));
    prod = new RegistryClient({registry: bed.prodRegistry.host, credentials: creds, retry: fastRetry});
  });

  afterAll(() => {
    // The numbers the promotion story is judged by, in the test log.
    console.log(`registry-copy measured:\n${measured.join('\n')}`);
  });

  it('cosign v3 on registry 2.8 left one sha256-<hex> tag per signed digest (no referrers API)', async () => {
    await expect(dev.referrers(srcRepo, digest)).resolves.toBeUndefined();
    const tags = await dev.listTags(srcRepo);
    expect(tags).toEqual(expect.arrayContaining(schemaTags));
    expect(tags.filter(t => /\.(sig|att|sbom)$/.test(t))).toEqual([]);
  });

  it('dev → staging (same registry): same digest, blobs mounted, zero bytes uploaded, signature verifies', async () => {
    const stats = await timed('dev→staging', () =>
      copyImage({client: dev, repository: srcRepo}, {client: dev, repository: stagingRepo}, digest)
    );
    expect(stats).toMatchObject({blobsUploaded: 0, bytesUploaded: 0, blobsExisting: 0, referrers: 3});
    expect(stats.blobsMounted).toBeGreaterThan(0);
    expect(stats.manifests).toBe(3 + 3); // index + 2 platforms + one signature each
    expect([...stats.tagsCopied].sort()).toEqual([...schemaTags].sort());

    await dev.tag(stagingRepo, digest, 'v1.0.0-rc1');
    expect(registryDigest(bed, `${bed.devRegistry.host}/${stagingRepo}:v1.0.0-rc1`)).toBe(digest);
    verify(`${bed.devRegistry.host}/${stagingRepo}@${digest}`);
    verify(`${bed.devRegistry.host}/${stagingRepo}@${children[1]}`);
    for (const tag of schemaTags) {
      expect(registryDigest(bed, `${bed.devRegistry.host}/${stagingRepo}:${tag}`)).toBe(
        registryDigest(bed, `${bed.devRegistry.host}/${srcRepo}:${tag}`)
      );
    }
  });

  it('a mount the registry declines (blob not in the source repository) returns false', async () => {
    const m = JSON.parse((await dev.getManifest(srcRepo, children[0])).body.toString('utf8')) as {
      config: {digest: string};
    };
    await expect(
      dev.mountBlob(`bed-test/${uniqueTag('nomount')}`, m.config.digest, 'bed-test/nothing-here')
    ).resolves.toBe(false);
  });

  it('staging → prod (TLS + auth): same digest, bytes uploaded, signature verifies', async () => {
    const stats = await timed('staging→prod', () =>
      copyImage({client: dev, repository: stagingRepo}, {client: prod, repository: prodRepo}, digest)
    );
    expect(stats.bytesUploaded).toBeGreaterThan(0);
    expect(stats).toMatchObject({blobsMounted: 0, manifests: 6, referrers: 3});
    expect([...stats.tagsCopied].sort()).toEqual([...schemaTags].sort());

    await prod.tag(prodRepo, digest, 'v1.0.0');
    expect(registryDigest(bed, `${bed.prodRegistry.host}/${prodRepo}:v1.0.0`)).toBe(digest);
    verify(`${bed.prodRegistry.host}/${prodRepo}@${digest}`);
    for (const tag of schemaTags) {
      expect(registryDigest(bed, `${bed.prodRegistry.host}/${prodRepo}:${tag}`)).toBe(
        registryDigest(bed, `${bed.devRegistry.host}/${srcRepo}:${tag}`)
      );
    }
  });

  it('copying again writes nothing, in either registry', async () => {
    const again = await timed('dev→staging again', () =>
      copyImage({client: dev, repository: srcRepo}, {client: dev, repository: stagingRepo}, digest)
    );
    expect(again).toEqual({...ZERO, tagsCopied: []});
    const againProd = await timed('staging→prod again', () =>
      copyImage({client: dev, repository: stagingRepo}, {client: prod, repository: prodRepo}, digest)
    );
    expect(againProd).toEqual({...ZERO, tagsCopied: []});
  });

  it('referrers: false copies the image alone', async () => {
    const bare = `bed-test/promote-bare-${uniqueTag('r')}`;
    const stats = await copyImage({client: dev, repository: srcRepo}, {client: dev, repository: bare}, digest, {
      referrers: false
    });
    expect(stats).toMatchObject({manifests: 3, referrers: 0, tagsCopied: [], blobsUploaded: 0});
    expect(await dev.listTags(bare)).toEqual([]);
  });
});
