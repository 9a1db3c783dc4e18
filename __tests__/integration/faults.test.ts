// Faults between our registry client and the registry (issue "Hostile input, faults and secrets"):
// promotions through a proxy that injects 429/5xx, resets, stalls and truncated bodies at 20% of our
// client's requests (seeded) still succeed; a registry that is down fails naming the registry, in
// bounded time; afterwards every tag of every production repository points at a signed digest.
// Publishing through the proxy: faults-publish.test.ts; stalls past the deadline: faults-stall.test.ts;
// main killed before post: kill-main.test.ts.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {startFaultProxy, type FaultProxy} from '../helpers/fault-proxy.js';
import {errorsOf, runDist} from '../helpers/run-dist.js';
import {actionEnv} from './action-env.js';
import {
  type Bed,
  copyToScratchRepo,
  cosignSignArgs,
  cosignVerifyArgs,
  loadBed,
  registryDigest,
  run,
  runResult,
  tagsOf,
  tempDir,
  uniqueTag
} from './bed.js';

const SEED = Number(process.env.FAULT_SEED ?? 20);

function signedSource(bed: Bed, u: string, host: string): {source: string; digest: string} {
  const src = copyToScratchRepo(bed, bed.images.clean, `${u}-src`);
  run(bed, 'cosign', cosignSignArgs(bed, `${src.ref.replace(/:[^:/]+$/, '')}@${src.digest}`), {
    env: {COSIGN_PASSWORD: bed.cosign.password}
  });
  // The same repository, reached through `host` (the proxy shares the dev registry's storage).
  const repo = src.ref.replace(/:[^:/]+$/, '').replace(bed.devRegistry.host, host);
  return {source: `${repo}@${src.digest}`, digest: src.digest};
}

function policyFor(prodMatch: string, devHosts: string[]): string {
  const file = path.join(tempDir('faults-policy'), 'image-publish-policy.yml');
  writeFileSync(
    file,
    `version: 1
registries:
  production:
    match: ${prodMatch}
    immutable: true
    tags:
      allow: ['v{semver}']
    require:
      signature: true
${devHosts.map((h, i) => `  dev${i}:\n    match: ${h}/\n`).join('')}`
  );
  return file;
}

function promote(bed: Bed, o: {source: string; image: string; policy: string; insecure: string[]}) {
  const started = Date.now();
  return runDist(actionEnv(bed, tempDir('faults-runner'), 'ip_dispatch'), {
    mode: 'promote',
    source: o.source,
    images: o.image,
    version: '3.0.0',
    tags: 'type=semver,pattern={{version}},prefix=v',
    flavor: 'latest=false',
    policy: o.policy,
    'insecure-registries': o.insecure.join(','),
    'registry-auth': `- registry: ${bed.prodRegistry.host}\n  username: ${bed.prodRegistry.username}\n  password: ${JSON.stringify(bed.prodRegistry.password)}\n`,
    'cosign-key': readFileSync(bed.cosign.key, 'utf8'),
    'cosign-password': bed.cosign.password,
    'tlog-upload': 'false',
    'trivy-db-repository': bed.trivy.dbRepository,
    'trivy-cache-dir': path.join(tempDir('faults-trivy'), 'cache')
  }).then(r => ({...r, ms: Date.now() - started}));
}

/** Every tag of each repository → its digest, which must verify with the bed's key. */
function unsignedTags(bed: Bed, repos: string[]): string[] {
  const bad: string[] = [];
  for (const repo of repos) {
    for (const tag of tagsOf(bed, repo)) {
      const digest = registryDigest(bed, `${repo}:${tag}`);
      const v = runResult(bed, 'cosign', cosignVerifyArgs(bed, `${repo}@${digest}`));
      if (v.status !== 0) bad.push(`${repo}:${tag} → ${digest} does not verify`);
    }
  }
  return bad;
}

describe('faults between our client and the registry', () => {
  let bed: Bed;
  let proxy: FaultProxy;
  const production: string[] = [];
  beforeAll(async () => {
    bed = loadBed();
    proxy = await startFaultProxy({upstream: bed.devRegistry.host, rate: 0.2, seed: SEED});
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('promote within one registry succeeds through 20% injected faults', async () => {
    const u = uniqueTag('faults');
    const {source, digest} = signedSource(bed, u, proxy.host);
    const image = `${proxy.host}/${u}-prod/app`;
    const before = proxy.injected.length;
    const r = await promote(bed, {
      source,
      image,
      policy: policyFor(`${proxy.host}/${u}-prod/`, [bed.devRegistry.host, proxy.host]),
      insecure: [bed.devRegistry.host, proxy.host]
    });
    expect({code: r.code, errors: errorsOf(r.stdout)}).toEqual({code: 0, errors: []});
    expect(proxy.injected.length - before).toBeGreaterThan(0);
    const direct = image.replace(proxy.host, bed.devRegistry.host);
    production.push(direct);
    expect(tagsOf(bed, direct)).toEqual(['v3.0.0']);
    expect(registryDigest(bed, `${direct}:v3.0.0`)).toBe(digest);
  }, 600_000);

  it('promote across registries (faulty source, TLS target) succeeds', async () => {
    const u = uniqueTag('faults');
    const {source, digest} = signedSource(bed, u, proxy.host);
    const image = `${bed.prodRegistry.host}/${u}-prod/app`;
    const before = proxy.injected.length;
    const r = await promote(bed, {
      source,
      image,
      policy: policyFor(`${bed.prodRegistry.host}/${u}-prod/`, [bed.devRegistry.host, proxy.host]),
      insecure: [bed.devRegistry.host, proxy.host]
    });
    expect({code: r.code, errors: errorsOf(r.stdout)}).toEqual({code: 0, errors: []});
    expect(proxy.injected.length - before).toBeGreaterThan(0);
    production.push(image);
    expect(tagsOf(bed, image)).toEqual(['v3.0.0']);
    expect(registryDigest(bed, `${image}:v3.0.0`)).toBe(digest);
  }, 600_000);

  it('merge of per-platform digests succeeds through the faults', async () => {
    const u = uniqueTag('faults-merge');
    const src = copyToScratchRepo(bed, bed.images.clean, u);
    const index = JSON.parse(run(bed, 'regctl', ['manifest', 'get', '--format', 'raw-body', src.ref])) as {
      manifests: {digest: string; platform: {os: string; architecture: string}}[];
    };
    // The scratch tag goes: this repository is a production one, whose every tag must be signed.
    run(bed, 'regctl', ['tag', 'rm', src.ref]);
    const image = `${proxy.host}/bed-test/${u}`;
    const before = proxy.injected.length;
    const r = await runDist(actionEnv(bed, tempDir('faults-runner'), 'ip_dispatch'), {
      mode: 'merge',
      images: image,
      digests: index.manifests.map(m => `${image}@${m.digest}`).join('\n'),
      platforms: index.manifests.map(m => `${m.platform.os}/${m.platform.architecture}`).join(','),
      version: '3.0.0',
      tags: 'type=semver,pattern={{version}},prefix=v',
      flavor: 'latest=false',
      policy: policyFor(`${proxy.host}/bed-test/${u}`, [bed.devRegistry.host]),
      'insecure-registries': `${bed.devRegistry.host},${proxy.host}`,
      'cosign-key': readFileSync(bed.cosign.key, 'utf8'),
      'cosign-password': bed.cosign.password,
      'tlog-upload': 'false',
      'trivy-db-repository': bed.trivy.dbRepository,
      'trivy-cache-dir': path.join(tempDir('faults-trivy'), 'cache')
    });
    expect({code: r.code, errors: errorsOf(r.stdout)}).toEqual({code: 0, errors: []});
    expect(proxy.injected.length - before).toBeGreaterThan(0);
    const direct = image.replace(proxy.host, bed.devRegistry.host);
    production.push(direct);
    expect(tagsOf(bed, direct)).toEqual(['v3.0.0']);
    expect(registryDigest(bed, `${direct}:v3.0.0`)).toBe(r.outputs.digest);
  }, 600_000);

  it('a registry that is down fails naming the registry and the phase, in bounded time', async () => {
    const down = '127.0.0.1:9';
    const r = await promote(bed, {
      source: `${down}/acme/app@sha256:${'d'.repeat(64)}`,
      image: `${bed.prodRegistry.host}/${uniqueTag('down')}/app`,
      policy: policyFor(`${bed.prodRegistry.host}/`, [down]),
      insecure: [down]
    });
    expect(r.code).toBe(1);
    const errors = errorsOf(r.stdout).join('\n');
    expect(errors).toContain(`registry ${down}`);
    expect(r.stdout).toMatch(/::group::[^\n]*(Resolve the source|Verify the source|Copy|Login)/);
    expect(r.ms).toBeLessThan(120_000);
  }, 300_000);

  it('afterwards every tag in every production repository points at a signed digest', () => {
    expect(production.length).toBeGreaterThan(0);
    expect(unsignedTags(bed, production)).toEqual([]);
    // The numbers for the issue's closing note.
    const kinds = proxy.injected.reduce<Record<string, number>>((m, f) => ({...m, [f.kind]: (m[f.kind] ?? 0) + 1}), {});
    console.log(
      `faults: ${proxy.injected.length} of ${proxy.requests} requests (seed ${SEED}): ${JSON.stringify(kinds)}`
    );
  });
});
