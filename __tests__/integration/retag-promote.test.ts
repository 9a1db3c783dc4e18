// Issue 11 flow 4 (Kubernaut standards): environment tags by RETAGGING the released digest within
// one repository. `mode: promote` from <repo>:v1.2.3 into the same repository with tag-prefix
// staging- adds staging-v1.2.3 at exactly v1.2.3's digest; nothing is built, nothing copied.
import {beforeAll, describe, expect, it} from '@jest/globals';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {errorsOf, runDist, type DistRun} from '../helpers/run-dist.js';
import {actionEnv, engineInputs} from './action-env.js';
import {type Bed, loadBed, registryDigest, tagsOf, tempDir, uniqueTag} from './bed.js';

function context(bed: Bed): string {
  const dir = tempDir('retag-ctx');
  writeFileSync(path.join(dir, 'hello.txt'), 'retag\n');
  writeFileSync(
    path.join(dir, 'Dockerfile'),
    [`FROM ${bed.images.clean.ref}`, 'COPY hello.txt /hello.txt', 'USER 1001'].join('\n') + '\n'
  );
  return dir;
}

describe('environment tags by retag within one repository', () => {
  let bed: Bed;
  let image: string;
  let release: DistRun;
  let staging: DistRun;
  let prod: DistRun;
  beforeAll(async () => {
    bed = loadBed();
    image = `${bed.devRegistry.host}/it-retag-${uniqueTag()}/gateway`;
    const common = {images: image, 'insecure-registries': bed.devRegistry.host, ...engineInputs(bed, 'buildx')};
    release = await runDist(actionEnv(bed, tempDir('runner'), 'ip_tag_v1.0.0'), {
      ...common,
      platforms: 'linux/amd64,linux/arm64',
      tags: 'type=raw,value=v1.2.3',
      flavor: 'latest=false',
      context: context(bed)
    });
    const retag = (prefix: string) =>
      runDist(actionEnv(bed, tempDir('runner'), 'ip_dispatch'), {
        ...common,
        mode: 'promote',
        source: `${image}:v1.2.3`,
        version: '1.2.3',
        tags: 'type=semver,pattern={{version}},prefix=v',
        'tag-prefix': prefix,
        flavor: 'latest=false'
      });
    staging = await retag('staging-');
    prod = await retag('prod-');
  }, 900_000);

  it('the release is published as v1.2.3 only', () => {
    expect({code: release.code, errors: errorsOf(release.stdout)}).toEqual({code: 0, errors: []});
    expect(registryDigest(bed, `${image}:v1.2.3`)).toBe(release.outputs.digest);
  });

  it('staging-v1.2.3 and prod-v1.2.3 have exactly the digest of v1.2.3', () => {
    for (const r of [staging, prod]) expect({code: r.code, errors: errorsOf(r.stdout)}).toEqual({code: 0, errors: []});
    expect(tagsOf(bed, image)).toEqual(['prod-v1.2.3', 'staging-v1.2.3', 'v1.2.3']);
    expect(registryDigest(bed, `${image}:staging-v1.2.3`)).toBe(release.outputs.digest);
    expect(registryDigest(bed, `${image}:prod-v1.2.3`)).toBe(release.outputs.digest);
  });

  it('the outputs say nothing was built or copied: same digest, no copy target, only the new tag', () => {
    // No policy asks for a signature here, so the source is not verified.
    expect(JSON.parse(staging.outputs.promoted)).toEqual({
      source: `${image}:v1.2.3`,
      digest: release.outputs.digest,
      sourceVerified: false,
      targets: {}
    });
    expect(staging.outputs.digest).toBe(release.outputs.digest);
    expect(staging.outputs.images.split('\n')).toEqual([`${image}:staging-v1.2.3@${release.outputs.digest}`]);
    expect(staging.stdout).not.toMatch(/::group::Build (and push by digest|\(not pushed\))/);
    // Same repository: the copy phase has nothing to do.
    expect(staging.stdout).toContain('::group::Copy by digest\n::endgroup::');
  });
});
