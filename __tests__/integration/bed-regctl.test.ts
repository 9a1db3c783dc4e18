// regctl copies a signed image with its signature (--referrers --digest-tags) from the dev registry
// to the prod registry (TLS + auth); the digest is unchanged and cosign verifies the prod copy.
import {describe, it, expect, beforeAll} from '@jest/globals';
import {
  type Bed,
  type IndexManifest,
  copyToScratchRepo,
  cosignSignArgs,
  cosignVerifyArgs,
  loadBed,
  manifestRaw,
  platformsOf,
  registryDigest,
  repoOf,
  run,
  runResult,
  uniqueTag
} from './bed.js';

describe('bed: regctl copy dev -> prod with signatures', () => {
  let bed: Bed;
  beforeAll(() => {
    bed = loadBed();
  });

  it('runs the pinned regctl', () => {
    expect(run(bed, 'regctl', ['version', '--format', '{{.VCSTag}}']).trim()).toBe(bed.versions.regctl);
  });

  it('carries the cosign signature to prod; digest identical; verify passes on prod', () => {
    const src = copyToScratchRepo(bed, bed.images.clean, 'regctl');
    run(bed, 'cosign', cosignSignArgs(bed, `${repoOf(src.ref)}@${src.digest}`), {
      env: {COSIGN_PASSWORD: bed.cosign.password}
    });

    const dst = `${bed.prodRegistry.host}/bed-test/regctl:${uniqueTag()}`;
    run(bed, 'regctl', ['image', 'copy', '--referrers', '--digest-tags', src.ref, dst]);

    const dstDigest = registryDigest(bed, dst);
    expect(dstDigest).toBe(src.digest);
    expect(platformsOf(manifestRaw<IndexManifest>(bed, dst))).toEqual(['linux/amd64', 'linux/arm64']);

    const signedOnProd = `${repoOf(dst)}@${dstDigest}`;
    const ok = runResult(bed, 'cosign', cosignVerifyArgs(bed, signedOnProd));
    expect(`${ok.status}\n${ok.stderr}`).toMatch(/^0\n/);
    const payload = JSON.parse(ok.stdout) as {critical: {image: {'docker-manifest-digest': string}}}[];
    expect(payload.map(p => p.critical.image['docker-manifest-digest'])).toContain(src.digest);

    // an unsigned copy (no referrers/digest tags) must not verify on prod
    const bare = `${bed.prodRegistry.host}/bed-test/regctl-bare:${uniqueTag()}`;
    run(bed, 'regctl', ['image', 'copy', src.ref, bare]);
    const unsigned = runResult(bed, 'cosign', cosignVerifyArgs(bed, `${repoOf(bare)}@${registryDigest(bed, bare)}`));
    expect(unsigned.status).not.toBe(0);
  });
});
