// The action's main job against the real bed, for each engine: buildx (remote buildkitd) and buildah
// (vfs, chroot) build two platforms once, push by digest to the dev registry (http) and the prod
// registry (TLS + auth), read the digests back, and only then tag.
import {beforeAll, describe, expect, it} from '@jest/globals';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {errorsOf, runDist, type DistRun} from '../helpers/run-dist.js';
import {
  type Bed,
  type IndexManifest,
  loadBed,
  manifestRaw,
  platformsOf,
  registryDigest,
  runResult,
  tagsOf,
  tempDir,
  uniqueTag
} from './bed.js';
import {actionEnv, engineInputs} from './action-env.js';

function context(): string {
  const dir = tempDir('publish-ctx');
  writeFileSync(path.join(dir, 'hello-amd64.txt'), 'hello amd64\n');
  writeFileSync(path.join(dir, 'hello-arm64.txt'), 'hello arm64\n');
  return dir;
}

function dockerfile(bed: Bed, dir: string): void {
  writeFileSync(
    path.join(dir, 'Dockerfile'),
    [
      `FROM ${bed.images.busybox.ref}`,
      'ARG TARGETARCH',
      'ARG VERSION',
      'COPY hello-${TARGETARCH}.txt /hello.txt',
      'USER 1001'
    ].join('\n') + '\n'
  );
}

describe.each(['buildx', 'buildah', 'podman'])('publish with %s', engine => {
  let bed: Bed;
  let run: DistRun;
  let dev: string;
  let prod: string;
  let runnerTemp: string;
  beforeAll(async () => {
    bed = loadBed();
    const repo = `it/${engine}-${uniqueTag()}`;
    dev = `${bed.devRegistry.host}/${repo}`;
    prod = `${bed.prodRegistry.host}/${repo}`;
    runnerTemp = tempDir('runner');
    const ctx = context();
    dockerfile(bed, ctx);
    run = await runDist(actionEnv(bed, runnerTemp), {
      images: `${dev}\n${prod}`,
      'tag-preset': 'semver-release',
      'arch-tags': 'true',
      platforms: 'linux/amd64,linux/arm64',
      context: ctx,
      'insecure-registries': bed.devRegistry.host,
      'registry-auth': `- registry: ${bed.prodRegistry.host}\n  username: ${bed.prodRegistry.username}\n  password: ${bed.prodRegistry.password}\n`,
      ...engineInputs(bed, engine)
    });
  }, 600_000);

  it('succeeds', () => {
    expect({code: run.code, errors: errorsOf(run.stdout)}).toEqual({code: 0, errors: []});
  });

  it('lands in both registries under exactly the planned tags', () => {
    expect(tagsOf(bed, dev)).toEqual(['latest', 'v1.0.0', 'v1.0.0-amd64', 'v1.0.0-arm64']);
    expect(tagsOf(bed, prod)).toEqual(['latest', 'v1.0.0', 'v1.0.0-amd64', 'v1.0.0-arm64']);
  });

  it('the digest output is the registry digest, in both registries', () => {
    expect(run.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(registryDigest(bed, `${prod}:v1.0.0`)).toBe(run.outputs.digest);
    expect(registryDigest(bed, `${dev}:v1.0.0`)).toBe(run.outputs.digest);
    expect(registryDigest(bed, `${prod}:latest`)).toBe(run.outputs.digest);
  });

  it('is an index of exactly linux/amd64 and linux/arm64, and per-arch tags point at their platform manifest', () => {
    const index = manifestRaw<IndexManifest>(bed, `${prod}@${run.outputs.digest}`);
    expect(platformsOf(index)).toEqual(['linux/amd64', 'linux/arm64']);
    // Each platform image holds its own file: the build really ran per platform.
    for (const arch of ['amd64', 'arm64']) {
      const config = JSON.parse(runResult(bed, 'regctl', ['image', 'config', `${prod}:v1.0.0-${arch}`]).stdout) as {
        architecture: string;
      };
      expect(config.architecture).toBe(arch);
    }
    for (const arch of ['amd64', 'arm64']) {
      const entry = index.manifests.find(m => m.platform?.architecture === arch);
      expect(registryDigest(bed, `${prod}:v1.0.0-${arch}`)).toBe(entry?.digest);
      expect(registryDigest(bed, `${dev}:v1.0.0-${arch}`)).toBe(entry?.digest);
    }
    const digests = JSON.parse(run.outputs.digests) as {
      index: string;
      registries: Record<string, string>;
      platforms: Record<string, string>;
    };
    expect(digests).toEqual({
      index: run.outputs.digest,
      registries: {[dev]: run.outputs.digest, [prod]: run.outputs.digest},
      platforms: Object.fromEntries(index.manifests.map(m => [`linux/${m.platform?.architecture}`, m.digest]))
    });
    expect(run.outputs.images.split('\n')).toEqual([
      `${dev}:v1.0.0@${run.outputs.digest}`,
      `${dev}:latest@${run.outputs.digest}`,
      `${dev}:v1.0.0-amd64@${digests.platforms['linux/amd64']}`,
      `${dev}:v1.0.0-arm64@${digests.platforms['linux/arm64']}`,
      `${prod}:v1.0.0@${run.outputs.digest}`,
      `${prod}:latest@${run.outputs.digest}`,
      `${prod}:v1.0.0-amd64@${digests.platforms['linux/amd64']}`,
      `${prod}:v1.0.0-arm64@${digests.platforms['linux/arm64']}`
    ]);
  });

  it('the summary shows tags, digests, sizes and phases; no secret anywhere', () => {
    expect(run.summary).toContain('## image-publish — published');
    expect(run.summary).toContain(`| \`${prod}\` | \`v1.0.0-arm64\` |`);
    expect(run.summary).toMatch(/\| linux\/arm64 \| `sha256:[0-9a-f]{12}…` \| [0-9.]+ (KiB|MiB) \| 2 \|/);
    expect(run.summary).toMatch(/\| Build and push by digest \| [0-9.]+ s \|/);
    // `::add-mask::` is the masking command itself; the runner never prints it.
    const log = run.stdout
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
      .join('\n');
    for (const text of [log, run.summary, JSON.stringify(run.outputs), JSON.stringify(run.state)]) {
      expect(text).not.toContain(bed.prodRegistry.password);
    }
  });

  it('the post step removes the credentials file', async () => {
    const cleanup = JSON.parse(run.state.cleanup) as {credentialsDir: string};
    expect(cleanup.credentialsDir.startsWith(runnerTemp)).toBe(true);
    const config = JSON.parse(readFileSync(path.join(cleanup.credentialsDir, 'config.json'), 'utf8')) as {
      auths: Record<string, unknown>;
    };
    expect(Object.keys(config.auths)).toContain(bed.prodRegistry.host);
    // Credentials files and buildx builders are this run's only leftovers.
    const post = await runDist(
      {...actionEnv(bed, runnerTemp), STATE_isPost: 'true', STATE_cleanup: run.state.cleanup},
      {}
    );
    expect({code: post.code, errors: errorsOf(post.stdout)}).toEqual({code: 0, errors: []});
    expect(existsSync(cleanup.credentialsDir)).toBe(false);
  });
});

describe('a failed push leaves no tag behind', () => {
  it('wrong prod credentials: the run fails at the push-access check, before any build, and no registry has a tag', async () => {
    const bed = loadBed();
    const repo = `it/buildx-fail-${uniqueTag()}`;
    const dev = `${bed.devRegistry.host}/${repo}`;
    const prod = `${bed.prodRegistry.host}/${repo}`;
    const runnerTemp = tempDir('runner');
    const ctx = context();
    dockerfile(bed, ctx);
    const run = await runDist(actionEnv(bed, runnerTemp), {
      images: `${dev}\n${prod}`,
      'tag-preset': 'semver-release',
      platforms: 'linux/amd64,linux/arm64',
      context: ctx,
      builder: bed.buildkit.builder,
      'insecure-registries': bed.devRegistry.host,
      'registry-auth': `- registry: ${bed.prodRegistry.host}\n  username: ${bed.prodRegistry.username}\n  password: wrong-password\n`,
      provenance: 'false'
    });
    expect(run.code).toBe(1);
    expect(errorsOf(run.stdout).join('\n')).toBe(
      `registry ${bed.prodRegistry.host}: push access check for ${repo} failed: the credentials for ${bed.prodRegistry.host} were refused: 401 Unauthorized (UNAUTHORIZED: authentication required)`
    );
    // Found in seconds: the build never started.
    expect(run.stdout).toContain('::group::Check push access');
    expect(run.stdout).not.toContain('::group::Build and push by digest');
    expect(tagsOf(bed, dev)).toEqual([]);
    expect(tagsOf(bed, prod)).toEqual([]);
    expect(run.outputs.digest).toBeUndefined();
    expect(run.summary).toContain('## image-publish — failed');
    // Only the masking commands (the value and its derived forms) carry it; nothing prints it.
    const carrying = run.stdout.split('\n').filter(l => l.includes('wrong-password'));
    expect(carrying.length).toBeGreaterThan(0);
    expect(carrying.filter(l => !l.startsWith('::add-mask::'))).toEqual([]);
  }, 600_000);
});

describe('a wrong cosign-password', () => {
  it('fails before the build pushes anything (the key derivation runs beside Setup and is awaited first)', async () => {
    const bed = loadBed();
    const dev = `${bed.devRegistry.host}/it/bad-cosign-password-${uniqueTag()}`;
    const ctx = context();
    dockerfile(bed, ctx);
    const run = await runDist(actionEnv(bed, tempDir('runner')), {
      images: dev,
      tags: 'type=raw,value=v1',
      platforms: 'linux/amd64,linux/arm64',
      context: ctx,
      builder: bed.buildkit.builder,
      'insecure-registries': bed.devRegistry.host,
      provenance: 'false',
      scan: 'false',
      'cosign-key': readFileSync(bed.cosign.key, 'utf8'),
      'cosign-password': 'not-the-password',
      'tlog-upload': 'false'
    });
    expect(run.code).toBe(1);
    expect(errorsOf(run.stdout).join('\n')).toMatch(/^Cannot read the public key from cosign-key: .*cosign-password/s);
    expect(run.stdout).toContain('::group::Build and push by digest');
    expect(run.stdout).not.toContain('[command]buildx build');
    expect(tagsOf(bed, dev)).toEqual([]);
    expect(run.outputs.digest).toBeUndefined();
  }, 300_000);
});

describe('a builder image-publish creates', () => {
  it('is a remote-driver builder created for the run and removed by the post step', async () => {
    const bed = loadBed();
    const dev = `${bed.devRegistry.host}/it/created-builder-${uniqueTag()}`;
    const runnerTemp = tempDir('runner');
    const ctx = context();
    dockerfile(bed, ctx);
    const env = actionEnv(bed, runnerTemp, 'ip_push_main');
    const run = await runDist(env, {
      images: dev,
      tags: 'type=ref,event=branch',
      platforms: 'linux/amd64,linux/arm64',
      context: ctx,
      'builder-driver': 'remote',
      'builder-endpoint': bed.buildkit.address,
      'insecure-registries': bed.devRegistry.host,
      provenance: 'false'
    });
    expect({code: run.code, errors: errorsOf(run.stdout)}).toEqual({code: 0, errors: []});
    const cleanup = JSON.parse(run.state.cleanup) as {builder: string; buildx: string[]; dockerConfig: string};
    expect(cleanup.builder).toMatch(/^image-publish-[0-9a-f]{8}$/);
    const ls = () => runResult(bed, 'buildx', ['ls'], {env: {DOCKER_CONFIG: bed.docker.config}}).stdout;
    expect(ls()).toContain(cleanup.builder);
    expect(tagsOf(bed, dev)).toEqual(['main']);
    const post = await runDist({...env, STATE_isPost: 'true', STATE_cleanup: run.state.cleanup}, {});
    expect({code: post.code, errors: errorsOf(post.stdout)}).toEqual({code: 0, errors: []});
    expect(post.stdout).toContain(`removed builder ${cleanup.builder}`);
    expect(ls()).not.toContain(cleanup.builder);
    expect(existsSync(cleanup.dockerConfig)).toBe(false);
  }, 600_000);
});
