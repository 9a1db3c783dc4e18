// Issue 11 flow 2 (DD-REGISTRY-001): development images are unsigned; the staging promotion scans
// (CRITICAL=0 HIGH=0) and tags -rc1 without any key; the production promotion SIGNS the same digest
// and tags v1.0.0 only once the target holds a signature that verifies. A promotion whose signing
// fails (wrong cosign password) leaves no production tag.
import {beforeAll, describe, expect, it} from '@jest/globals';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {errorsOf, runDist, type DistRun} from '../helpers/run-dist.js';
import {actionEnv, engineInputs} from './action-env.js';
import {type Bed, loadBed, registryDigest, runResult, tagsOf, tempDir, uniqueTag} from './bed.js';

function policy(bed: Bed, u: string): string {
  const file = path.join(tempDir('sign-policy'), 'image-publish-policy.yml');
  writeFileSync(
    file,
    `version: 1
registries:
  development:
    match: ${bed.prodRegistry.host}/jordigilh-${u}/
    tags:
      allow: [dev, '{sha}']
  production:
    match: ${bed.prodRegistry.host}/kubernaut-${u}/
    immutable: true
    tags:
      allow: ['v{semver}', 'v{semver}-rc{n}']
    require:
      scan: {max-critical: 0, max-high: 0}
      signature: {at: promotion, tags: ['v{semver}']}
`
  );
  return file;
}

function context(bed: Bed): string {
  const dir = tempDir('sign-ctx');
  writeFileSync(path.join(dir, 'hello.txt'), 'sign at promotion\n');
  writeFileSync(
    path.join(dir, 'Dockerfile'),
    [`FROM ${bed.images.clean.ref}`, 'COPY hello.txt /hello.txt', 'USER 1001'].join('\n') + '\n'
  );
  return dir;
}

const ok = (r: DistRun) => ({code: r.code, errors: errorsOf(r.stdout)});

describe('DD-REGISTRY-001: unsigned dev image, scanned rc, signed production', () => {
  let bed: Bed;
  let dev: string;
  let prod: string;
  let built: DistRun;
  let staging: DistRun;
  let badKey: DistRun;
  let production: DistRun;
  const tagsAfter: Record<string, string[]> = {};
  const verifiesAfter: Record<string, number> = {};
  const verify = (ref: string) =>
    runResult(bed, 'cosign', ['verify', '--key', bed.cosign.pub, '--insecure-ignore-tlog', ref]).status;

  beforeAll(async () => {
    bed = loadBed();
    const u = uniqueTag();
    dev = `${bed.prodRegistry.host}/jordigilh-${u}/gateway`;
    prod = `${bed.prodRegistry.host}/kubernaut-${u}/gateway`;
    const common = {
      policy: policy(bed, u),
      'registry-auth': `- registry: ${bed.prodRegistry.host}\n  username: ${bed.prodRegistry.username}\n  password: ${bed.prodRegistry.password}\n`,
      'trivy-db-repository': bed.trivy.dbRepository,
      'trivy-cache-dir': path.join(tempDir('trivy-cache'), 'cache'),
      'insecure-registries': bed.devRegistry.host,
      'tlog-upload': 'false',
      ...engineInputs(bed, 'buildx')
    };
    const key = {'cosign-key': readFileSync(bed.cosign.key, 'utf8'), 'cosign-password': bed.cosign.password};
    const promote = (source: string, version: string, extra: Record<string, string>) =>
      runDist(actionEnv(bed, tempDir('runner'), 'ip_dispatch'), {
        ...common,
        ...extra,
        mode: 'promote',
        source,
        images: prod,
        version,
        tags: 'type=semver,pattern={{version}},prefix=v',
        flavor: 'latest=false'
      });
    built = await runDist(actionEnv(bed, tempDir('runner'), 'ip_push_main'), {
      ...common,
      images: dev,
      tags: 'type=raw,value=dev',
      platforms: 'linux/amd64,linux/arm64',
      context: context(bed)
    });
    staging = await promote(`${dev}:dev`, '1.0.0-rc1', {});
    tagsAfter.staging = tagsOf(bed, prod);
    verifiesAfter.staging = verify(`${prod}@${built.outputs.digest}`);
    badKey = await promote(`${prod}:v1.0.0-rc1`, '1.0.0', {...key, 'cosign-password': 'not-the-password'});
    tagsAfter.badKey = tagsOf(bed, prod);
    production = await promote(`${prod}:v1.0.0-rc1`, '1.0.0', key);
  }, 900_000);

  it('the dev build is published unsigned', () => {
    expect(ok(built)).toEqual({code: 0, errors: []});
    expect(tagsOf(bed, dev)).toEqual(['dev']);
    expect(verify(`${dev}@${built.outputs.digest}`)).not.toBe(0);
  });

  it('staging: -rc1 is promoted after the scan gate, with no key and no signature', () => {
    expect(ok(staging)).toEqual({code: 0, errors: []});
    expect(staging.outputs['scan-verdict']).toBe('pass');
    expect(tagsAfter.staging).toEqual(['v1.0.0-rc1']);
    expect(registryDigest(bed, `${prod}:v1.0.0-rc1`)).toBe(built.outputs.digest);
    expect(verifiesAfter.staging).not.toBe(0);
  });

  it('a production promotion whose signing fails leaves no production tag', () => {
    expect(badKey.code).toBe(1);
    // The key is checked with the tools, before anything is copied or tagged.
    expect(errorsOf(badKey.stdout)).toHaveLength(1);
    expect(errorsOf(badKey.stdout)[0]).toContain(
      'The private key did not decrypt: check cosign-password (and that cosign-key is a cosign private key).'
    );
    // Only the runner's mask commands may carry the password.
    const lines = badKey.stdout.split('\n').filter(l => !l.startsWith('::add-mask::'));
    expect(lines.filter(l => l.includes('not-the-password'))).toEqual([]);
    expect(tagsAfter.badKey).toEqual(['v1.0.0-rc1']);
  });

  it('production: the promotion signs the digest, then tags v1.0.0; cosign verifies it', () => {
    expect(ok(production)).toEqual({code: 0, errors: []});
    expect(tagsOf(bed, prod)).toEqual(['v1.0.0', 'v1.0.0-rc1']);
    expect(registryDigest(bed, `${prod}:v1.0.0`)).toBe(built.outputs.digest);
    expect(verify(`${prod}@${built.outputs.digest}`)).toBe(0);
  });
});
