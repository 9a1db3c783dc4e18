// Issue 11 flow 1: push: false through dist/index.js on the bed (a pull request without secrets).
// A broken Dockerfile fails the job; a good one builds both platforms and gives a digest while the
// registries' tag lists stay as they were; scan: true scans the build's OCI output, not a registry.
import {beforeAll, describe, expect, it} from '@jest/globals';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {errorsOf, runDist, type DistRun} from '../helpers/run-dist.js';
import {actionEnv, engineInputs} from './action-env.js';
import {type Bed, copyToScratchRepo, loadBed, registryDigest, repoOf, tagsOf, tempDir} from './bed.js';

const PLATFORMS = 'linux/amd64,linux/arm64';

function context(bed: Bed, base: 'clean' | 'vulnerable', extra: string[] = []): string {
  const dir = tempDir('push-false-ctx');
  writeFileSync(path.join(dir, 'hello.txt'), `push false ${base}\n`);
  writeFileSync(
    path.join(dir, 'Dockerfile'),
    [`FROM ${bed.images[base].ref}`, 'COPY hello.txt /hello.txt', ...extra, 'USER 1001'].join('\n') + '\n'
  );
  return dir;
}

interface Snapshot {
  tags: Record<string, string[]>;
  digests: Record<string, string>;
}

describe('push: false — built, never pushed', () => {
  let bed: Bed;
  let repos: string[];
  let before: Snapshot;
  let broken: DistRun;
  let good: DistRun;
  let scanned: DistRun;
  let runnerTemp: string;
  // Existing repositories in both registries (the prod one without credentials: no login is needed).
  const snapshot = (): Snapshot => ({
    tags: Object.fromEntries(repos.map(r => [r, tagsOf(bed, r)])),
    digests: Object.fromEntries(
      repos.flatMap(r => tagsOf(bed, r).map(t => [`${r}:${t}`, registryDigest(bed, `${r}:${t}`)]))
    )
  });
  beforeAll(async () => {
    bed = loadBed();
    const seeded = copyToScratchRepo(bed, bed.images.clean, 'push-false');
    repos = [repoOf(seeded.ref), `${bed.prodRegistry.host}/it-push-false/${seeded.ref.split(':').pop()}`];
    before = snapshot();
    const inputs = (ctx: string, extra: Record<string, string> = {}) => ({
      push: 'false',
      images: repos.join('\n'),
      tags: 'type=ref,event=pr\ntype=raw,value=latest',
      platforms: PLATFORMS,
      context: ctx,
      'insecure-registries': bed.devRegistry.host,
      ...engineInputs(bed, 'buildx'),
      ...extra
    });
    broken = await runDist(
      actionEnv(bed, tempDir('runner'), 'ip_pull_request'),
      inputs(context(bed, 'clean', ['RUN ["/bin/sh", "-c", "echo broken-step; exit 7"]']))
    );
    good = await runDist(actionEnv(bed, tempDir('runner'), 'ip_pull_request'), inputs(context(bed, 'clean')));
    runnerTemp = tempDir('runner');
    scanned = await runDist(
      actionEnv(bed, runnerTemp, 'ip_pull_request'),
      inputs(context(bed, 'vulnerable'), {
        scan: 'true',
        'trivy-db-repository': bed.trivy.dbRepository,
        'trivy-cache-dir': path.join(tempDir('trivy-cache'), 'cache')
      })
    );
  }, 900_000);

  it('a broken Dockerfile fails the job, naming the build step', () => {
    expect(broken.code).not.toBe(0);
    const errors = errorsOf(broken.stdout);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/build/i);
    expect(errors[0]).toContain('exit 7');
  });

  it('a good Dockerfile builds both platforms and outputs the local digest, with no tags made', () => {
    expect({code: good.code, errors: errorsOf(good.stdout)}).toEqual({code: 0, errors: []});
    expect(good.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(good.stdout).toContain(`built ${good.outputs.digest} for linux/amd64, linux/arm64 (built, not pushed)`);
    // No login is planned (the Login phase is empty) and no push right is checked.
    expect(good.stdout).toContain('::group::Login\n::endgroup::');
    expect(good.stdout).not.toContain('Check push access');
    expect(good.outputs.images).toBe('');
  });

  it("the registries' tag lists and digests are unchanged", () => {
    expect(snapshot()).toEqual(before);
    expect(before.tags[repos[1]]).toEqual([]);
  });

  it('scan: true scans the OCI output and reports CVE-2099-0001', () => {
    expect({code: scanned.code, errors: errorsOf(scanned.stdout)}).toEqual({code: 0, errors: []});
    const counts = JSON.parse(scanned.outputs['scan-counts']) as Record<string, {HIGH: number}>;
    expect(Object.keys(counts).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    expect(counts['linux/amd64'].HIGH).toBe(1);
    const sarif = readFileSync(scanned.outputs.sarif, 'utf8');
    expect(sarif).toContain('CVE-2099-0001');
    expect(snapshot()).toEqual(before);
  });
});
