// examples/workflows/environment-retag.yml through act against the bed (see examples-harness.ts):
// a dispatch with version 1.2.3 and environment staging adds staging-v1.2.3 at exactly the digest
// v1.2.3 has, for both services of the matrix; nothing is rebuilt.
import {describe, expect, it} from '@jest/globals';
import {act, exampleRepo, outcome, quayHosts} from './examples-harness.js';
import {copyToScratchRepo, loadBed, registryDigest, run, tagsOf, uniqueTag} from './bed.js';

describe('examples/workflows/environment-retag.yml through act', () => {
  it('staging-v1.2.3 and then prod-v1.2.3 point at the digest of v1.2.3, for every service', () => {
    const bed = loadBed();
    const ns = `${bed.prodRegistry.host}/jordigilh-${uniqueTag()}`;
    const services = ['gateway', 'datastorage'];
    // The released images: v1.2.3 of each service, as an earlier release run left them.
    const released: Record<string, string> = {};
    for (const s of services) {
      const seed = copyToScratchRepo(bed, bed.images.clean, `retag-${s}`);
      run(bed, 'regctl', ['image', 'copy', seed.ref, `${ns}/${s}:v1.2.3`]);
      released[s] = registryDigest(bed, `${ns}/${s}:v1.2.3`);
      expect(released[s]).toBe(seed.digest);
    }
    const repo = exampleRepo(bed, 'environment-retag', {
      owner: 'jordigilh',
      name: 'kubernaut',
      hosts: quayHosts(bed, 'jordigilh', ns),
      files: {}
    });
    for (const environment of ['staging', 'prod']) {
      const r = act(bed, repo, 'workflow_dispatch', 'refs/heads/main', {version: '1.2.3', environment});
      expect(outcome(r)).toEqual({status: 0, errors: []});
      expect(r.log).not.toContain('Build and push by digest');
    }
    for (const s of services) {
      expect(tagsOf(bed, `${ns}/${s}`)).toEqual(['prod-v1.2.3', 'staging-v1.2.3', 'v1.2.3']);
      for (const tag of ['staging-v1.2.3', 'prod-v1.2.3']) {
        expect(registryDigest(bed, `${ns}/${s}:${tag}`)).toBe(released[s]);
      }
    }
  }, 600_000);
});
