// The path most workflows take: engine buildx and NO `builder` input, so image-publish creates a
// docker-container builder (moby/buildkit in a container, as setup-buildx-action does), builds
// linux/amd64 + linux/arm64, pushes, tags, and the post step removes the builder and its
// container. The arm64 binfmt handler is removed first, so the run must register QEMU itself
// through the `binfmt-image` default (tonistiigi/binfmt:latest, the bed's local installer).
// The window without a handler lasts seconds; the host registration is restored in `finally`.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {errorsOf, runDist, type DistRun} from '../helpers/run-dist.js';
import {BINFMT_DIR, registeredEmulators} from '../../src/setup/qemu.js';
import {actionEnv} from './action-env.js';
import {
  type GrownBed,
  type IndexManifest,
  manifestRaw,
  platformsOf,
  registryDigest,
  requireGrownBed,
  runResult,
  tagsOf,
  tempDir,
  uniqueTag
} from './bed.js';

const handler = `${BINFMT_DIR}/qemu-aarch64`;

function restoreHostBinfmt(bed: GrownBed): void {
  // back to the host's own registration (Debian's update-binfmts), as bed-binfmt.test.ts does
  if (existsSync(handler)) writeFileSync(handler, '-1');
  runResult(bed, 'update-binfmts', ['--enable', 'qemu-aarch64']);
}

const buildkitContainers = (bed: GrownBed, builder: string) =>
  runResult(bed, 'docker', ['ps', '-a', '--format', '{{.Names}}'])
    .stdout.split('\n')
    .filter(n => n.startsWith(`buildx_buildkit_${builder}`));

describe('default builder: docker-container created by the run, QEMU registered by the run', () => {
  let bed: GrownBed;
  let image: string;
  let run: DistRun;
  let env: Record<string, string>;
  let hadHandlerDuringRun: boolean;
  beforeAll(async () => {
    bed = requireGrownBed();
    image = `${bed.devRegistry.host}/${uniqueTag('it16-default-builder')}/app`;
    const ctx = tempDir('it16-builder-ctx');
    writeFileSync(path.join(ctx, 'hello.txt'), 'default builder\n');
    // RUN executes in the arm64 image: the build needs the emulator the run registered.
    writeFileSync(
      path.join(ctx, 'Dockerfile'),
      [`FROM ${bed.images.busybox.ref}`, 'COPY hello.txt /hello.txt', 'RUN uname -m > /arch.txt', 'USER 1001'].join(
        '\n'
      ) + '\n'
    );
    env = actionEnv(bed, tempDir('runner'), 'ip_push_main');
    try {
      writeFileSync(handler, '-1');
      expect(registeredEmulators()).not.toContain('qemu-aarch64');
      run = await runDist(env, {
        images: image,
        tags: 'type=ref,event=branch\ntype=raw,value=default-builder',
        platforms: 'linux/amd64,linux/arm64',
        context: ctx,
        'builder-driver-opts': bed.containerBuilder.driverOpts.join('\n'),
        'buildkitd-config': bed.containerBuilder.buildkitdConfig,
        'insecure-registries': bed.devRegistry.host,
        provenance: 'false'
      });
      hadHandlerDuringRun = existsSync(handler) && /^flags: \S*F/m.test(readFileSync(handler, 'utf8'));
    } finally {
      restoreHostBinfmt(bed);
    }
  }, 900_000);

  afterAll(() => {
    // a failed post step must not leave a buildkit container running on the shared bed
    const state = run?.state.cleanup ? (JSON.parse(run.state.cleanup) as {builder?: string}) : {};
    if (state.builder) {
      runResult(bed, 'buildx', ['rm', '-f', state.builder], {env: {DOCKER_CONFIG: bed.docker.config}});
    }
  });

  it('succeeds and registered qemu-aarch64 through the binfmt installer image (F flag)', () => {
    expect({code: run.code, errors: errorsOf(run.stdout)}).toEqual({code: 0, errors: []});
    expect(run.stdout).toContain('QEMU: registered arm64 with docker.io/tonistiigi/binfmt:latest');
    expect(hadHandlerDuringRun).toBe(true);
  });

  it('built both platforms in the created docker-container builder, pushed and tagged', () => {
    const cleanup = JSON.parse(run.state.cleanup) as {builder: string};
    expect(cleanup.builder).toMatch(/^image-publish-[0-9a-f]{8}$/);
    expect(run.stdout).toContain(`--driver docker-container`);
    expect(tagsOf(bed, image)).toEqual(['default-builder', 'main']);
    expect(registryDigest(bed, `${image}:main`)).toBe(run.outputs.digest);
    const index = manifestRaw<IndexManifest>(bed, `${image}@${run.outputs.digest}`);
    expect(platformsOf(index)).toEqual(['linux/amd64', 'linux/arm64']);
    // the RUN step really ran per platform (arm64 under the emulator the run registered)
    for (const [arch, uname] of [
      ['amd64', 'x86_64'],
      ['arm64', 'aarch64']
    ]) {
      const digest = index.manifests.find(m => m.platform?.architecture === arch)?.digest;
      const out = runResult(bed, 'regctl', ['image', 'get-file', `${image}@${digest}`, 'arch.txt']);
      expect(out.stdout.trim()).toBe(uname);
    }
  });

  it('the post step removes the builder: no buildx_buildkit_* container of it is left', async () => {
    const cleanup = JSON.parse(run.state.cleanup) as {builder: string};
    expect(buildkitContainers(bed, cleanup.builder)).toEqual([`buildx_buildkit_${cleanup.builder}0`]);
    const post = await runDist({...env, STATE_isPost: 'true', STATE_cleanup: run.state.cleanup}, {});
    expect({code: post.code, errors: errorsOf(post.stdout)}).toEqual({code: 0, errors: []});
    expect(post.stdout).toContain(`removed builder ${cleanup.builder}`);
    expect(buildkitContainers(bed, cleanup.builder)).toEqual([]);
    const ls = runResult(bed, 'buildx', ['ls'], {env: {DOCKER_CONFIG: bed.docker.config}}).stdout;
    expect(ls).not.toContain(cleanup.builder);
  }, 120_000);
});
