// Publishing through the fault proxy (issue "Hostile input, faults and secrets"): a buildx and a
// podman publish into a production repository behind a proxy that injects 429/5xx, resets, stalls
// and truncated bodies into 20% of our registry client's requests (seeded). Both succeed, and then
// every tag of the production repository is read back: it must point at a digest that is signed
// (cosign verify) and whose every platform carries the SBOM attestation of the scan (verify-attestation
// --type spdxjson), as the policy requires.
//
// Decisions: the builders push through the proxy as an insecure host:port registry; buildkit's own
// pushes are not faulted (the proxy faults only our client's User-Agent, as for cosign and trivy: their
// retry policies are not this action's to prove). With podman the blob uploads are ours and faulted.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {startFaultProxy, type FaultProxy} from '../helpers/fault-proxy.js';
import {errorsOf, runDist} from '../helpers/run-dist.js';
import {actionEnv, engineInputs} from './action-env.js';
import {
  type Bed,
  type IndexManifest,
  loadBed,
  manifestRaw,
  registryDigest,
  runResult,
  tagsOf,
  tempDir,
  uniqueTag
} from './bed.js';

const SEED = Number(process.env.FAULT_SEED ?? 21);
const PLATFORMS = ['linux/amd64', 'linux/arm64'];

function context(bed: Bed): string {
  const dir = tempDir('faults-publish-ctx');
  writeFileSync(path.join(dir, 'hello.txt'), 'hello through faults\n');
  writeFileSync(
    path.join(dir, 'Dockerfile'),
    [`FROM ${bed.images.clean.ref}`, 'COPY hello.txt /hello.txt', 'USER 1001'].join('\n') + '\n'
  );
  return dir;
}

function policyFor(prodMatch: string): string {
  const file = path.join(tempDir('faults-publish-policy'), 'image-publish-policy.yml');
  writeFileSync(
    file,
    `version: 1
registries:
  production:
    match: ${prodMatch}
    immutable: true
    tags:
      allow: ['v{semver}', 'v3.1']
    require:
      scan:
        max-critical: 0
        max-high: 0
      sbom: true
      signature: true
`
  );
  return file;
}

const VERIFY = (bed: Bed) => [
  '--key',
  bed.cosign.pub,
  '--insecure-ignore-tlog',
  '--allow-insecure-registry',
  '--allow-http-registry'
];

/** Each tag of `repo` → what is wrong with its digest per the policy (empty: every tag holds). */
function unscannedOrUnsigned(bed: Bed, repo: string): {checked: string[]; bad: string[]} {
  const checked: string[] = [];
  const bad: string[] = [];
  for (const tag of tagsOf(bed, repo)) {
    const digest = registryDigest(bed, `${repo}:${tag}`);
    checked.push(`${repo}:${tag}`);
    const v = runResult(bed, 'cosign', ['verify', ...VERIFY(bed), `${repo}@${digest}`]);
    if (v.status !== 0) bad.push(`${repo}:${tag} → ${digest}: no signature verifies`);
    const top = manifestRaw<IndexManifest & {mediaType?: string}>(bed, `${repo}@${digest}`);
    const platforms = Array.isArray(top.manifests)
      ? top.manifests.filter(m => m.platform && m.platform.os !== 'unknown').map(m => m.digest)
      : [digest];
    for (const p of platforms) {
      const a = runResult(bed, 'cosign', ['verify-attestation', '--type', 'spdxjson', ...VERIFY(bed), `${repo}@${p}`]);
      if (a.status !== 0) bad.push(`${repo}:${tag} → platform ${p}: no verified SBOM attestation (not scanned)`);
    }
  }
  return {checked, bad};
}

describe.each(['buildx', 'podman'])('publish with %s through 20%% injected faults', engine => {
  let bed: Bed;
  let proxy: FaultProxy;
  beforeAll(async () => {
    bed = loadBed();
    proxy = await startFaultProxy({upstream: bed.devRegistry.host, rate: 0.2, seed: SEED});
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('succeeds, and every production tag points at a scanned and signed digest', async () => {
    const u = uniqueTag(`faults-${engine}`);
    const image = `${proxy.host}/${u}-prod/app`;
    const r = await runDist(actionEnv(bed, tempDir('faults-publish-runner'), 'ip_dispatch'), {
      images: image,
      version: '3.1.0',
      tags: 'type=semver,pattern={{version}},prefix=v\ntype=semver,pattern={{major}}.{{minor}},prefix=v',
      flavor: 'latest=false',
      platforms: PLATFORMS.join(','),
      context: context(bed),
      policy: policyFor(`${proxy.host}/${u}-prod/`),
      'insecure-registries': `${bed.devRegistry.host},${proxy.host}`,
      'fail-on': 'high',
      'cosign-key': readFileSync(bed.cosign.key, 'utf8'),
      'cosign-password': bed.cosign.password,
      'tlog-upload': 'false',
      'trivy-db-repository': bed.trivy.dbRepository,
      'trivy-cache-dir': path.join(tempDir('faults-trivy'), 'cache'),
      ...engineInputs(bed, engine)
    });
    expect({code: r.code, errors: errorsOf(r.stdout)}).toEqual({code: 0, errors: []});
    const kinds = proxy.injected.reduce<Record<string, number>>((m, f) => ({...m, [f.kind]: (m[f.kind] ?? 0) + 1}), {});
    expect(proxy.injected.length).toBeGreaterThan(0);
    // Read back past the proxy: the repository as the registry holds it.
    proxy.setRate(0);
    const direct = image.replace(proxy.host, bed.devRegistry.host);
    expect(tagsOf(bed, direct)).toEqual(['v3.1', 'v3.1.0']);
    expect(registryDigest(bed, `${direct}:v3.1.0`)).toBe(r.outputs.digest);
    const {checked, bad} = unscannedOrUnsigned(bed, direct);
    expect(bad).toEqual([]);
    expect(checked).toHaveLength(2);
    expect(registryDigest(bed, `${direct}:v3.1`)).toBe(r.outputs.digest);
    console.log(
      `faults-publish ${engine}: ${proxy.injected.length} faults in ${proxy.requests} requests (seed ${SEED}) ${JSON.stringify(kinds)}; ${checked.length} tags checked`
    );
  }, 900_000);
});
