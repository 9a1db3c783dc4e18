// buildx (remote driver -> the bed's buildkitd) builds a two-platform COPY-only image
// FROM the bed's busybox base and pushes it to the dev registry (plain HTTP).
import {describe, it, expect, beforeAll} from '@jest/globals';
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
  tempDir,
  uniqueTag
} from './bed.js';

describe('bed: buildx + buildkitd (remote driver)', () => {
  let bed: Bed;
  beforeAll(() => {
    bed = loadBed();
  });

  it('runs the pinned buildx, also as a docker cli plugin', () => {
    expect(run(bed, 'buildx', ['version'])).toContain(bed.versions.buildx);
    expect(run(bed, 'docker', ['buildx', 'version'])).toContain(bed.versions.buildx);
    const inspect = run(bed, 'buildx', ['inspect', bed.buildkit.builder]);
    expect(inspect).toMatch(/Driver:\s+remote/);
    expect(inspect).toContain(bed.buildkit.address);
  });

  it('pushes an index with exactly linux/amd64 and linux/arm64', () => {
    const ctx = tempDir('buildx');
    writeFileSync(path.join(ctx, 'hello-amd64.txt'), 'hello amd64\n');
    writeFileSync(path.join(ctx, 'hello-arm64.txt'), 'hello arm64\n');
    writeFileSync(
      path.join(ctx, 'Dockerfile'),
      [
        `FROM ${bed.images.busybox.ref}`,
        'ARG TARGETARCH',
        'COPY hello-${TARGETARCH}.txt /hello.txt',
        'LABEL org.opencontainers.image.source=https://example.invalid/bed'
      ].join('\n') + '\n'
    );
    const ref = `${bed.devRegistry.host}/bed-test/buildx:${uniqueTag()}`;
    const meta = path.join(ctx, 'metadata.json');
    run(bed, 'buildx', [
      'build',
      '--builder',
      bed.buildkit.builder,
      '--platform',
      'linux/amd64,linux/arm64',
      '--provenance=false',
      '--sbom=false',
      '--metadata-file',
      meta,
      '--push',
      '-t',
      ref,
      ctx
    ]);

    const index = manifestRaw<IndexManifest>(bed, ref);
    expect(index.manifests).toHaveLength(2);
    expect(platformsOf(index)).toEqual(['linux/amd64', 'linux/arm64']);

    const digest = registryDigest(bed, ref);
    const metadata = JSON.parse(readFileSync(meta, 'utf8')) as Record<string, unknown>;
    expect(metadata['containerimage.digest']).toBe(digest);

    // each child carries its own architecture and the per-arch file
    for (const arch of ['amd64', 'arm64']) {
      const cfg = JSON.parse(
        run(bed, 'regctl', ['image', 'config', '--platform', `linux/${arch}`, '--format', '{{json .}}', ref])
      ) as {
        architecture: string;
        os: string;
        config: {Labels?: Record<string, string>};
      };
      expect(cfg.architecture).toBe(arch);
      expect(cfg.os).toBe('linux');
      expect(cfg.config.Labels?.['org.opencontainers.image.source']).toBe('https://example.invalid/bed');
    }
  });
});
