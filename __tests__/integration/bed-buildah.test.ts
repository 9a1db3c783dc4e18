// buildah builds two platforms and pushes the manifest list to the PROD registry (TLS + htpasswd auth);
// the digest read back from the registry equals buildah's --digestfile.
import {describe, it, expect, beforeAll, afterAll} from '@jest/globals';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {
  type Bed,
  type IndexManifest,
  loadBed,
  manifestRaw,
  platformsOf,
  registryDigest,
  run,
  runResult,
  tempDir,
  uniqueTag
} from './bed.js';

describe('bed: buildah -> prod registry (TLS + auth)', () => {
  let bed: Bed;
  const manifestName = `bed-test-${uniqueTag()}`;
  beforeAll(() => {
    bed = loadBed();
  });
  afterAll(() => {
    if (bed) runResult(bed, 'buildah', ['manifest', 'rm', manifestName]);
  });

  it('refuses anonymous pulls and accepts the bed credentials', () => {
    const anon = runResult(bed, 'curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '--cacert',
      bed.prodRegistry.caCert,
      `https://${bed.prodRegistry.host}/v2/`
    ]);
    expect(anon.stdout).toBe('401');
    const authed = runResult(bed, 'curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-u',
      `${bed.prodRegistry.username}:${bed.prodRegistry.password}`,
      `https://${bed.prodRegistry.host}/v2/`
    ]);
    expect(authed.stdout).toBe('200'); // system trust store has the bed CA
  });

  it('pushes exactly linux/amd64 + linux/arm64 and the digestfile matches the registry', () => {
    const ctx = tempDir('buildah');
    writeFileSync(path.join(ctx, 'hello-amd64.txt'), 'hello amd64\n');
    writeFileSync(path.join(ctx, 'hello-arm64.txt'), 'hello arm64\n');
    writeFileSync(
      path.join(ctx, 'Containerfile'),
      ['FROM scratch', 'ARG TARGETARCH', 'COPY hello-${TARGETARCH}.txt /hello.txt'].join('\n') + '\n'
    );
    const ref = `${bed.prodRegistry.host}/bed-test/buildah:${uniqueTag()}`;
    const digestFile = path.join(ctx, 'digest');

    run(bed, 'buildah', [
      'build',
      '--isolation',
      'chroot',
      '--platform',
      'linux/amd64,linux/arm64',
      '--manifest',
      manifestName,
      '-f',
      path.join(ctx, 'Containerfile'),
      ctx
    ]);
    run(bed, 'buildah', ['manifest', 'push', '--all', '--digestfile', digestFile, manifestName, `docker://${ref}`]);

    const index = manifestRaw<IndexManifest>(bed, ref);
    expect(index.manifests).toHaveLength(2);
    expect(platformsOf(index)).toEqual(['linux/amd64', 'linux/arm64']);
    const digest = registryDigest(bed, ref);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(readFileSync(digestFile, 'utf8').trim()).toBe(digest);
  });
});
