// push: false — the plan of a build that reaches no registry: no login, steps saying "built, not
// pushed", no signing key required by a policy, and load refused where it cannot work.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from '@jest/globals';
import {buildxBuildArgs} from '../../src/engines/buildx/args.js';
import {parsePolicy} from '../../src/policy/load.js';
import {planFor, ROOT} from '../helpers/fixtures.js';

const DD = parsePolicy(
  fs.readFileSync(path.join(ROOT, 'examples/policies/dd-registry-001.yml'), 'utf8'),
  'dd-registry-001.yml'
);
const DEV = 'quay.io/jordigilh/gateway';

describe('push: false', () => {
  it('plans no login, the build into a local layout, the scan from it, and the tags it would make', async () => {
    const plan = await planFor('ip_pull_request', {
      images: DEV,
      push: 'false',
      scan: 'true',
      platforms: 'linux/amd64,linux/arm64',
      tags: 'type=ref,event=pr',
      'registry-auth': `- registry: quay.io\n  username: u\n  password: p\n`
    });
    expect(plan.push).toBe(false);
    expect(plan.registries).toEqual([]);
    expect(plan.steps).toEqual([
      {phase: 'setup', what: 'QEMU emulation for linux/arm64'},
      {phase: 'setup', what: 'buildx builder'},
      {phase: 'build', what: 'buildx build . for linux/amd64, linux/arm64 into a local OCI layout (built, not pushed)'},
      {phase: 'scan', what: 'trivy per platform from the OCI layout, gate no limit'},
      {phase: 'scan', what: 'SBOM per platform (spdx-json)'},
      {phase: 'tag', what: `${DEV}: would tag pr-123 (built, not pushed)`}
    ]);
  });

  it('a policy requiring a signature needs no key when nothing is pushed; forbidden tags are still refused', async () => {
    const plan = await planFor(
      'ip_tag_v1.0.0',
      {images: 'quay.io/kubernaut/gateway', 'tag-preset': 'production', push: 'false'},
      {},
      DD
    );
    expect(plan.supply.sign).toBe(false);
    expect(plan.steps.map(s => s.phase)).not.toContain('sign');
    await expect(
      planFor(
        'ip_push_main',
        {images: 'quay.io/kubernaut/gateway', tags: 'type=raw,value=latest', push: 'false'},
        {},
        DD
      )
    ).rejects.toThrow('Input "tags": the policy dd-registry-001.yml refuses a tag; nothing was built or pushed');
  });

  it('load: one platform into the daemon under the refs it would tag', async () => {
    const plan = await planFor('ip_pull_request', {
      images: DEV,
      push: 'false',
      load: 'true',
      tags: 'type=ref,event=pr'
    });
    expect(plan.steps.filter(s => s.phase === 'build')).toEqual([
      {phase: 'build', what: 'buildx build . for linux/amd64 into a local OCI layout (built, not pushed)'},
      {phase: 'build', what: `docker load ${DEV}:pr-123 (built, not pushed)`}
    ]);
  });

  it.each([
    [
      {push: 'false', load: 'true', platforms: 'linux/amd64,linux/arm64'},
      'Input "load": the docker daemon holds one platform, but input "platforms" names 2 (linux/amd64, linux/arm64); build one platform with load: true, or drop load'
    ],
    [{load: 'true'}, 'Input "load": loading into the docker daemon is for builds that push nothing; set push: false'],
    [
      {push: 'false', load: 'true', engine: 'podman'},
      'Input "load": engine podman keeps its result in its own storage; load needs engine: buildx'
    ],
    [
      {push: 'false', mode: 'promote', source: 'quay.io/jordigilh/gateway:dev'},
      'Input "push": false builds without pushing; mode: promote builds nothing (use push: true)'
    ],
    [{push: 'no'}, 'Input "push" must be true or false, got "no"']
  ])('refuses %j', async (inputs, message) => {
    await expect(planFor('ip_pull_request', {images: DEV, ...inputs})).rejects.toThrow(message);
  });
});

describe('buildx argv for a build that pushes nothing', () => {
  const spec = {
    context: '.',
    file: '',
    target: '',
    platforms: ['linux/amd64', 'linux/arm64'],
    buildArgs: {},
    labels: [],
    annotations: [],
    secrets: [],
    cacheFrom: [],
    cacheTo: [],
    provenance: '',
    sbom: '',
    pull: false,
    noCache: false,
    repositories: []
  };
  const opts = {builder: 'b', metadataFile: '/t/m.json'};
  const head = ['build', '--builder', 'b', '--platform', 'linux/amd64,linux/arm64', '--metadata-file', '/t/m.json'];
  it.each([
    [{type: 'oci' as const, dest: '/t/layout'}, ['--output', 'type=oci,dest=/t/layout,tar=false']],
    [
      {type: 'docker' as const, dest: '/t/image.tar', names: ['r/a:pr-7', 'r/a:x']},
      ['--output', 'type=docker,dest=/t/image.tar,"name=r/a:pr-7,r/a:x"']
    ],
    [{type: 'docker' as const, dest: '/t/image.tar', names: []}, ['--output', 'type=docker,dest=/t/image.tar']]
  ])('%j', (local, output) => {
    expect(buildxBuildArgs({...spec, local}, opts)).toEqual([...head, ...output, '.']);
  });
});
