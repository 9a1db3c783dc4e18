// cosign (offline, key pair from the bed) signs an image digest; verify passes for it and fails for
// a different digest and for a different key.
import {describe, it, expect, beforeAll} from '@jest/globals';
import path from 'node:path';
import {
  type Bed,
  copyToScratchRepo,
  cosignSignArgs,
  cosignVerifyArgs,
  loadBed,
  repoOf,
  run,
  runResult,
  tempDir
} from './bed.js';

describe('bed: cosign offline sign/verify', () => {
  let bed: Bed;
  beforeAll(() => {
    bed = loadBed();
  });

  it('runs the pinned cosign', () => {
    expect(run(bed, 'cosign', ['version'])).toContain(bed.versions.cosign);
  });

  it('signs a digest; verify passes for it, fails for another digest and another key', () => {
    const img = copyToScratchRepo(bed, bed.images.clean, 'cosign');
    const repo = repoOf(img.ref);
    const signed = `${repo}@${img.digest}`;
    run(bed, 'cosign', cosignSignArgs(bed, signed), {env: {COSIGN_PASSWORD: bed.cosign.password}});

    const ok = runResult(bed, 'cosign', cosignVerifyArgs(bed, signed));
    expect(`${ok.status}\n${ok.stderr}`).toMatch(/^0\n/);
    const payload = JSON.parse(ok.stdout) as {critical: {image: {'docker-manifest-digest': string}}}[];
    expect(payload.length).toBeGreaterThanOrEqual(1);
    expect(payload.map(p => p.critical.image['docker-manifest-digest'])).toContain(img.digest);

    // tampered: a different (unsigned) digest in the same repository
    const other = copyToScratchRepo(bed, bed.images.vulnerable, 'cosign');
    expect(other.digest).not.toBe(img.digest);
    const tampered = runResult(bed, 'cosign', cosignVerifyArgs(bed, `${repo}@${other.digest}`));
    expect(tampered.status).not.toBe(0);

    // wrong key
    const dir = tempDir('cosign-other-key');
    run(bed, 'cosign', ['generate-key-pair'], {cwd: dir, env: {COSIGN_PASSWORD: 'other'}});
    const wrongKey = runResult(bed, 'cosign', cosignVerifyArgs(bed, signed, path.join(dir, 'cosign.pub')));
    expect(wrongKey.status).not.toBe(0);
  });
});
