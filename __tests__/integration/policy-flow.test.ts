// Issue 6 through dist/index.js against the real bed, with DD-REGISTRY-001's policy on the bed's TLS
// registry: dev build → staging -rc1 → production by digest (signature carried, zero bytes
// re-uploaded within one registry), re-runs that push nothing, and every refusal before a push.
import {beforeAll, describe, expect, it} from '@jest/globals';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {errorsOf, runDist, type DistRun} from '../helpers/run-dist.js';
import {actionEnv, engineInputs} from './action-env.js';
import {type Bed, loadBed, registryDigest, runResult, tagsOf, tempDir, uniqueTag} from './bed.js';

const PLATFORMS = 'linux/amd64,linux/arm64';

interface Names {
  dev: string;
  prod: string;
  policy: string;
}

function names(bed: Bed): Names {
  const u = uniqueTag();
  const host = bed.prodRegistry.host;
  const policy = path.join(tempDir('policy'), 'image-publish-policy.yml');
  writeFileSync(
    policy,
    `version: 1
registries:
  development:
    match: ${host}/jordigilh-${u}/
    tags:
      allow: [latest, dev, 'feature-*', 'test-*', '{sha}']
  production:
    match: ${host}/kubernaut-${u}/
    immutable: true
    tags:
      allow: ['v{semver}', 'v{semver}-rc{n}', 'v{semver}-beta{n}']
      forbid: [latest, dev, 'test-*', '{sha}']
    require:
      scan: {max-critical: 0, max-high: 0}
      signature: true
      sbom: true
      non-root: true
      uids: [1001]
      labels: [org.opencontainers.image.source]
      max-size: 500MB
`
  );
  return {dev: `${host}/jordigilh-${u}/gateway`, prod: `${host}/kubernaut-${u}/gateway`, policy};
}

function context(bed: Bed, base: 'clean' | 'vulnerable', text: string, user = 'USER 1001'): string {
  const dir = tempDir('flow-ctx');
  writeFileSync(path.join(dir, 'hello.txt'), `${text}\n`);
  writeFileSync(
    path.join(dir, 'Dockerfile'),
    [`FROM ${bed.images[base].ref}`, 'COPY hello.txt /hello.txt', user].filter(Boolean).join('\n') + '\n'
  );
  return dir;
}

function common(bed: Bed, n: Names, signed = true): Record<string, string> {
  return {
    policy: n.policy,
    platforms: PLATFORMS,
    'insecure-registries': bed.devRegistry.host,
    'registry-auth': `- registry: ${bed.prodRegistry.host}\n  username: ${bed.prodRegistry.username}\n  password: ${bed.prodRegistry.password}\n`,
    'trivy-db-repository': bed.trivy.dbRepository,
    'trivy-cache-dir': path.join(tempDir('trivy-cache'), 'cache'),
    'tlog-upload': 'false',
    ...(signed ? {'cosign-key': readFileSync(bed.cosign.key, 'utf8'), 'cosign-password': bed.cosign.password} : {}),
    ...engineInputs(bed, 'buildx')
  };
}

const devBuild = (bed: Bed, n: Names, ctx: string, signed = true, event = 'ip_push_main') =>
  runDist(actionEnv(bed, tempDir('runner'), event), {
    ...common(bed, n, signed),
    images: n.dev,
    tags: 'type=raw,value=dev\ntype=sha,prefix=,format=short',
    scan: 'true',
    context: ctx
  });

const promote = (bed: Bed, n: Names, source: string, version: string, image = n.prod) =>
  runDist(actionEnv(bed, tempDir('runner'), 'ip_dispatch'), {
    ...common(bed, n),
    mode: 'promote',
    source,
    images: image,
    version,
    tags: 'type=semver,pattern={{version}},prefix=v',
    flavor: 'latest=false'
  });

const ok = (r: DistRun) => ({code: r.code, errors: errorsOf(r.stdout)});
const verifyArgs = (bed: Bed, ref: string) => ['verify', '--key', bed.cosign.pub, '--insecure-ignore-tlog', ref];

interface CopyStats {
  blobsMounted: number;
  blobsUploaded: number;
  bytesUploaded: number;
}

describe('DD-REGISTRY-001 release flow: dev → staging -rc1 → production, by digest', () => {
  let bed: Bed;
  let n: Names;
  let dev: DistRun;
  let staging: DistRun;
  let production: DistRun;
  let again: DistRun;
  beforeAll(async () => {
    bed = loadBed();
    n = names(bed);
    dev = await devBuild(bed, n, context(bed, 'clean', 'release flow'));
    staging = await promote(bed, n, `${n.dev}:dev`, '1.0.0-rc1');
    production = await promote(bed, n, `${n.prod}:v1.0.0-rc1`, '1.0.0');
    again = await promote(bed, n, `${n.prod}:v1.0.0-rc1`, '1.0.0');
  }, 900_000);

  it('the dev build is published, scanned and signed in the development registry', () => {
    expect(ok(dev)).toEqual({code: 0, errors: []});
    expect(tagsOf(bed, n.dev)).toEqual(['3f9c2ab', 'dev']);
    expect(registryDigest(bed, `${n.dev}:dev`)).toBe(dev.outputs.digest);
  });

  it('staging gets the same digest as v1.0.0-rc1, with zero layer bytes re-uploaded (same registry)', () => {
    expect(ok(staging)).toEqual({code: 0, errors: []});
    expect(tagsOf(bed, n.prod)).toEqual(['v1.0.0', 'v1.0.0-rc1']);
    expect(registryDigest(bed, `${n.prod}:v1.0.0-rc1`)).toBe(dev.outputs.digest);
    const promoted = JSON.parse(staging.outputs.promoted) as {digest: string; targets: Record<string, CopyStats>};
    expect(promoted.digest).toBe(dev.outputs.digest);
    const stats = promoted.targets[n.prod];
    expect({uploaded: stats.blobsUploaded, bytes: stats.bytesUploaded}).toEqual({uploaded: 0, bytes: 0});
    expect(stats.blobsMounted).toBeGreaterThan(0);
  });

  it('the signature travelled along: cosign verifies the digest in the target', () => {
    const r = runResult(bed, 'cosign', verifyArgs(bed, `${n.prod}@${dev.outputs.digest}`));
    expect(r.status).toBe(0);
  });

  it('production gets v1.0.0 at the same digest, without a copy (same repository)', () => {
    expect(ok(production)).toEqual({code: 0, errors: []});
    expect(registryDigest(bed, `${n.prod}:v1.0.0`)).toBe(dev.outputs.digest);
    expect((JSON.parse(production.outputs.promoted) as {targets: object}).targets).toEqual({});
  });

  it('a re-run of the production promotion succeeds and writes nothing', () => {
    expect(ok(again)).toEqual({code: 0, errors: []});
    expect(again.summary).toContain('This release was published already');
    expect(again.summary).toContain('Already in place (immutable, unchanged)');
    expect(again.stdout).not.toContain('Copy by digest');
    expect(again.stdout).not.toMatch(/::group::Sign, attest and verify/);
  });
});

describe('refusals: nothing pushed, no production tag', () => {
  let bed: Bed;
  let n: Names;
  beforeAll(() => {
    bed = loadBed();
    n = names(bed);
  });

  it('a forbidden tag is refused before anything is built or pushed', async () => {
    const r = await runDist(actionEnv(bed, tempDir('runner'), 'ip_push_main'), {
      ...common(bed, n),
      images: n.prod,
      tags: 'type=raw,value=latest\ntype=raw,value=v1.0.0',
      context: context(bed, 'clean', 'forbidden')
    });
    expect(r.code).toBe(1);
    expect(errorsOf(r.stdout)[0]).toContain(`refuses a tag; nothing was built or pushed`);
    expect(errorsOf(r.stdout)[0]).toContain('forbids tag "latest"');
    expect(r.stdout).not.toContain('::group::Login');
    expect(tagsOf(bed, n.prod)).toEqual([]);
  });

  it('an image running as root is refused by the production policy, and not tagged', async () => {
    const r = await runDist(actionEnv(bed, tempDir('runner'), 'ip_tag_v1.0.0'), {
      ...common(bed, n),
      images: n.prod,
      tags: 'type=semver,pattern={{version}},prefix=v',
      flavor: 'latest=false',
      context: context(bed, 'clean', 'root', 'USER 0')
    });
    expect(r.code).toBe(1);
    expect(errorsOf(r.stdout)[0]).toMatch(
      /the policy refuses the image, nothing was tagged:\n- policy "production".*runs as root/
    );
    expect(tagsOf(bed, n.prod)).toEqual([]);
  });

  it('publishing a release twice from the same commit pushes nothing the second time', async () => {
    const inputs = {
      ...common(bed, n),
      images: n.prod,
      tags: 'type=semver,pattern={{version}},prefix=v',
      flavor: 'latest=false',
      scan: 'true',
      context: context(bed, 'clean', 'release v2')
    };
    const first = await runDist(actionEnv(bed, tempDir('runner'), 'ip_release'), inputs);
    expect(ok(first)).toEqual({code: 0, errors: []});
    const second = await runDist(actionEnv(bed, tempDir('runner'), 'ip_release'), inputs);
    expect(ok(second)).toEqual({code: 0, errors: []});
    expect(second.outputs.digest).toBe(first.outputs.digest);
    expect(second.stdout).not.toContain('::group::Build and push by digest');
    expect(second.summary).toContain('This release was published already');
  });

  it('overwriting an immutable tag from another commit is refused before any push', async () => {
    const before = registryDigest(bed, `${n.prod}:v2.3.4`);
    const env = {...actionEnv(bed, tempDir('runner'), 'ip_release'), GITHUB_SHA: 'a'.repeat(40)};
    const r = await runDist(env, {
      ...common(bed, n),
      images: n.prod,
      tags: 'type=semver,pattern={{version}},prefix=v',
      flavor: 'latest=false',
      context: context(bed, 'clean', 'another build')
    });
    expect(r.code).toBe(1);
    expect(errorsOf(r.stdout)[0]).toContain(`${n.prod}:v2.3.4 already points at ${before} (built from 3f9c2ab1d2e4)`);
    expect(r.stdout).not.toContain('::group::Build and push by digest');
    expect(registryDigest(bed, `${n.prod}:v2.3.4`)).toBe(before);
  });

  it('an unsigned image cannot be promoted', async () => {
    const built = await devBuild(bed, n, context(bed, 'clean', 'unsigned'), false);
    expect(ok(built)).toEqual({code: 0, errors: []});
    const r = await promote(bed, n, `${n.dev}@${built.outputs.digest}`, '3.0.0-rc1');
    expect(r.code).toBe(1);
    expect(errorsOf(r.stdout)[0]).toContain(
      `cannot promote ${n.dev}@${built.outputs.digest}: its signature does not verify`
    );
    expect(tagsOf(bed, n.prod)).not.toContain('v3.0.0-rc1');
  });

  it('an image failing the production scan gate cannot be promoted', async () => {
    const built = await devBuild(bed, n, context(bed, 'vulnerable', 'vulnerable', 'USER 1001'));
    expect(ok(built)).toEqual({code: 0, errors: []});
    const r = await promote(bed, n, `${n.dev}@${built.outputs.digest}`, '4.0.0-rc1');
    expect(r.code).toBe(1);
    expect(errorsOf(r.stdout)[0]).toContain(
      `cannot promote ${n.dev}@${built.outputs.digest}: the scan gate failed, nothing was tagged:\n- linux/amd64: 1 HIGH (max 0): CVE-2099-0001`
    );
    expect(tagsOf(bed, n.prod)).not.toContain('v4.0.0-rc1');
  });
});

describe('mode: merge — an index from two single-platform build runs', () => {
  let bed: Bed;
  let amd: DistRun;
  let arm: DistRun;
  let merged: DistRun;
  let image: string;
  beforeAll(async () => {
    bed = loadBed();
    image = `${bed.devRegistry.host}/it/merge-${uniqueTag()}`;
    const ctx = context(bed, 'clean', 'merge');
    const base = {
      images: image,
      context: ctx,
      'insecure-registries': bed.devRegistry.host,
      ...engineInputs(bed, 'buildx')
    };
    const env = () => actionEnv(bed, tempDir('runner'), 'ip_tag_v1.0.0');
    [amd, arm] = [
      await runDist(env(), {...base, mode: 'build', platforms: 'linux/amd64'}),
      await runDist(env(), {...base, mode: 'build', platforms: 'linux/arm64'})
    ];
    merged = await runDist(env(), {
      ...base,
      mode: 'merge',
      platforms: PLATFORMS,
      digests: `${amd.outputs.digest}\n${image}@${arm.outputs.digest}`,
      'tag-preset': 'semver-release',
      'arch-tags': 'true',
      scan: 'true',
      'trivy-db-repository': bed.trivy.dbRepository,
      'trivy-cache-dir': path.join(tempDir('trivy-cache'), 'cache')
    });
  }, 900_000);

  it('the build runs push by digest and tag nothing', () => {
    expect([ok(amd), ok(arm)]).toEqual([
      {code: 0, errors: []},
      {code: 0, errors: []}
    ]);
    expect(amd.outputs.images).toBe('');
  });

  it('the merge run assembles, scans and tags an index of both platform images', () => {
    expect(ok(merged)).toEqual({code: 0, errors: []});
    expect(tagsOf(bed, image)).toEqual(['latest', 'v1.0.0', 'v1.0.0-amd64', 'v1.0.0-arm64']);
    const index = JSON.parse(
      runResult(bed, 'regctl', ['manifest', 'get', '--format', 'raw-body', `${image}:v1.0.0`]).stdout
    ) as {
      manifests: {digest: string; platform: {architecture: string}}[];
      annotations?: Record<string, string>;
    };
    expect(index.manifests.map(m => [m.platform.architecture, m.digest])).toEqual([
      ['amd64', amd.outputs.digest],
      ['arm64', arm.outputs.digest]
    ]);
    expect(index.annotations?.['org.opencontainers.image.version']).toBe('v1.0.0');
    expect(registryDigest(bed, `${image}:v1.0.0-arm64`)).toBe(arm.outputs.digest);
    expect(merged.outputs['scan-verdict']).toBe('pass');
  });
});
