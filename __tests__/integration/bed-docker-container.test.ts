// buildx's default builder path on a hosted runner: `docker buildx create --driver docker-container`
// runs BuildKit in a privileged container from moby/buildkit:buildx-stable-1 (the bed's local image,
// since nothing can be pulled). Build two platforms with an arm64 RUN step (QEMU), push to the dev
// registry and through token auth, remove the builder.
import {describe, it, expect, beforeAll} from '@jest/globals';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {
  type GrownBed,
  type IndexManifest,
  manifestRaw,
  platformsOf,
  requireGrownBed,
  run,
  runResult,
  tempDir,
  uniqueTag
} from './bed.js';
import {dockerConfigWith} from './bed-http.js';

let bed: GrownBed;
beforeAll(() => {
  bed = requireGrownBed();
});

describe('bed: docker-container buildx builder', () => {
  it('creates the builder from the local BuildKit image, builds linux/amd64+arm64 with RUN, pushes, removes it', () => {
    const origin = bed.tokenRegistries.origin.host;
    const config = dockerConfigWith(bed, {[origin]: bed.tokenRegistries.pusher});
    const env = {DOCKER_CONFIG: config};
    const name = `bed-dc-${uniqueTag('b')}`;
    const container = `buildx_buildkit_${name}0`;
    const docker = (args: string[]) => run(bed, 'docker', args, {env});
    try {
      docker([
        'buildx',
        'create',
        '--name',
        name,
        '--driver',
        'docker-container',
        ...bed.containerBuilder.driverOpts.flatMap(o => ['--driver-opt', o]),
        '--buildkitd-config',
        bed.containerBuilder.buildkitdConfig,
        '--bootstrap'
      ]);
      expect(
        docker([
          'inspect',
          '--format',
          '{{.Config.Image}} {{.HostConfig.Privileged}} {{.State.Running}}',
          container
        ]).trim()
      ).toBe(`${bed.containerBuilder.image} true true`);
      const platforms = docker(['buildx', 'inspect', name]).match(/^Platforms:\s*(.*)$/m)?.[1] ?? '';
      expect(platforms.split(/,\s*/)).toEqual(expect.arrayContaining(['linux/amd64', 'linux/arm64']));

      const ctx = tempDir('docker-container');
      const base = `${bed.images.busybox.ref.replace(/:[^:/]+$/, '')}@${bed.images.busybox.digest}`;
      writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${base}\nRUN uname -m > /arch\n`);
      const devRef = `${bed.devRegistry.host}/bed-test/docker-container:${uniqueTag()}`;
      const tokenRef = `${origin}/bed-test/docker-container:${uniqueTag()}`;
      const meta = path.join(ctx, 'metadata.json');
      docker([
        'buildx',
        'build',
        '--builder',
        name,
        '--platform',
        'linux/amd64,linux/arm64',
        '--provenance=false',
        '--metadata-file',
        meta,
        '-t',
        devRef,
        '-t',
        tokenRef,
        '--push',
        ctx
      ]);
      const built = (JSON.parse(readFileSync(meta, 'utf8')) as Record<string, string>)['containerimage.digest'];
      expect(built).toMatch(/^sha256:[0-9a-f]{64}$/);

      expect(run(bed, 'regctl', ['image', 'digest', devRef]).trim()).toBe(built);
      expect(run(bed, 'regctl', ['image', 'digest', tokenRef], {env}).trim()).toBe(built);
      expect(platformsOf(manifestRaw<IndexManifest>(bed, devRef))).toEqual(['linux/amd64', 'linux/arm64']);
      // the RUN step ran on each platform (arm64 under QEMU)
      for (const [platform, arch] of [
        ['linux/amd64', 'x86_64'],
        ['linux/arm64', 'aarch64']
      ]) {
        expect(run(bed, 'regctl', ['image', 'get-file', '--platform', platform, devRef, '/arch']).trim()).toBe(arch);
      }
    } finally {
      runResult(bed, 'docker', ['buildx', 'rm', '--force', name], {env});
    }
    expect(runResult(bed, 'docker', ['inspect', container], {env}).status).not.toBe(0);
    expect(runResult(bed, 'docker', ['buildx', 'inspect', name], {env}).status).not.toBe(0);
  });
});
