// A promotion to several targets is all or nothing for tags: src/publish/promote.ts copies to every
// target, verifies the signature in each (sign stage), and only then tags (tag stage). A refusal at
// the second target therefore leaves no tag in the first. Proven here against the bed, through
// dist/index.js, with the second target refusing two ways: a wrong password (the copy or login
// there fails) and an immutable tag that already points at another digest (refused before any copy).
import {beforeAll, describe, expect, it} from '@jest/globals';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
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

interface Setup {
  source: string;
  digest: string;
  /** First target: the dev registry (no auth). */
  a: string;
  /** Second target: the TLS registry with auth. */
  b: string;
  policy: string;
}

function setup(bed: Bed, immutableB: boolean): Setup {
  const u = uniqueTag('atomic');
  const src = copyToScratchRepo(bed, bed.images.clean, `${u}-src`);
  const source = `${src.ref.replace(/:[^:/]+$/, '')}@${src.digest}`;
  run(bed, 'cosign', cosignSignArgs(bed, source), {env: {COSIGN_PASSWORD: bed.cosign.password}});
  const a = `${bed.devRegistry.host}/${u}-a/app`;
  const b = `${bed.prodRegistry.host}/${u}-b/app`;
  const policy = path.join(tempDir('atomic-policy'), 'image-publish-policy.yml');
  writeFileSync(
    policy,
    `version: 1
registries:
  development:
    match: ${bed.devRegistry.host}/
    tags:
      allow: ['v{semver}', '*']
  production:
    match: ${bed.prodRegistry.host}/${u}-b/
    immutable: ${immutableB}
    tags:
      allow: ['v{semver}']
`
  );
  return {source, digest: src.digest, a, b, policy};
}

function promote(bed: Bed, s: Setup, password = bed.prodRegistry.password) {
  return runDist(actionEnv(bed, tempDir('atomic-runner'), 'ip_dispatch'), {
    mode: 'promote',
    source: s.source,
    images: `${s.a}\n${s.b}`,
    version: '2.0.0',
    tags: 'type=semver,pattern={{version}},prefix=v',
    flavor: 'latest=false',
    policy: s.policy,
    'insecure-registries': bed.devRegistry.host,
    'registry-auth': `- registry: ${bed.prodRegistry.host}\n  username: ${bed.prodRegistry.username}\n  password: ${JSON.stringify(password)}\n`,
    'cosign-key': readFileSync(bed.cosign.key, 'utf8'),
    'cosign-password': bed.cosign.password,
    'tlog-upload': 'false',
    // A promotion re-checks the scan gate of the source; the bed serves the trivy DB.
    'trivy-db-repository': bed.trivy.dbRepository,
    'trivy-cache-dir': path.join(tempDir('atomic-trivy'), 'cache')
  });
}

const verified = (bed: Bed, ref: string): boolean =>
  runResult(bed, 'cosign', cosignVerifyArgs(bed, ref), {env: {COSIGN_PASSWORD: bed.cosign.password}}).status === 0;

describe('promotion to several targets: tags only when every target holds the verified digest', () => {
  let bed: Bed;
  beforeAll(() => {
    bed = loadBed();
  });

  it('both targets accept: both tagged at the source digest, each signature verifies there', async () => {
    const s = setup(bed, true);
    const r = await promote(bed, s);
    expect({code: r.code, errors: errorsOf(r.stdout)}).toEqual({code: 0, errors: []});
    for (const target of [s.a, s.b]) {
      expect(tagsOf(bed, target)).toEqual(['v2.0.0']);
      expect(registryDigest(bed, `${target}:v2.0.0`)).toBe(s.digest);
      expect(verified(bed, `${target}@${s.digest}`)).toBe(true);
    }
  }, 600_000);

  it('a wrong password at the second target leaves no tag in the first', async () => {
    const s = setup(bed, false);
    const r = await promote(bed, s, 'not-the-password');
    expect(r.code).toBe(1);
    const errors = errorsOf(r.stdout);
    expect(errors.join('\n')).toContain(bed.prodRegistry.host);
    expect(tagsOf(bed, s.a)).toEqual([]);
    expect(tagsOf(bed, s.b)).toEqual([]);
    // The wrong password is printed only to the runner's masker (`::add-mask::`), never shown.
    const shown = r.stdout.split('\n').filter(l => !l.startsWith('::add-mask::'));
    expect(shown.join('\n')).not.toContain('not-the-password');
  }, 600_000);

  it('an immutable tag at the second target pointing elsewhere is refused before any copy; the first stays untagged', async () => {
    const s = setup(bed, true);
    // v2.0.0 already exists in the second target, at another image (the bed's busybox).
    const other = bed.images.busybox;
    run(bed, 'regctl', ['image', 'copy', `${other.ref.replace(/:[^:/]+$/, '')}@${other.digest}`, `${s.b}:v2.0.0`]);
    const before = registryDigest(bed, `${s.b}:v2.0.0`);
    expect(before).not.toBe(s.digest);
    const r = await promote(bed, s);
    expect(r.code).toBe(1);
    expect(errorsOf(r.stdout).join('\n')).toContain(`${s.b}:v2.0.0`);
    expect(tagsOf(bed, s.a)).toEqual([]);
    expect(runResult(bed, 'regctl', ['image', 'digest', `${s.a}@${s.digest}`]).status).not.toBe(0);
    expect(registryDigest(bed, `${s.b}:v2.0.0`)).toBe(before);
  }, 600_000);
});
