// custom-tag: a manual release under a non-semver tag; version stays the semver path.
import {describe, expect, it} from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {parsePolicy} from '../../src/policy/load.js';
import {planFor, ROOT} from '../helpers/fixtures.js';

const DD = parsePolicy(
  fs.readFileSync(path.join(ROOT, 'examples/policies/dd-registry-001.yml'), 'utf8'),
  'dd-registry-001.yml'
);
const KEY = {'cosign-key': 'awskms:///alias/release'};

describe('custom-tag', () => {
  it.each<[string, Record<string, string>, string[], string]>([
    // Added first (it is the version), the rules' tags follow as on any dispatch from main.
    ['ghcr-standard', {'tag-preset': 'ghcr-standard'}, ['hotfix-42', 'main', 'latest', '3f9c2ab'], 'hotfix-42'],
    ['semver-release', {'tag-preset': 'semver-release'}, ['hotfix-42', 'edge'], 'hotfix-42'],
    ['explicit rules', {tags: 'type=sha,prefix=,format=short'}, ['hotfix-42', '3f9c2ab'], 'hotfix-42'],
    [
      'tag-prefix applies',
      {tags: 'type=sha', 'tag-prefix': 'staging-'},
      ['staging-hotfix-42', 'staging-sha-3f9c2ab'],
      'hotfix-42'
    ]
  ])('%s', async (_name, inputs, tags, version) => {
    const plan = await planFor('ip_dispatch', {images: 'ghcr.io/acme/app', 'custom-tag': 'hotfix-42', ...inputs});
    expect(plan.images[0].tags).toEqual(tags);
    expect(plan.meta.version.main).toBe(version);
    expect(plan.buildArgs.VERSION).toBe('hotfix-42');
    expect(plan.meta.labels).toContain('org.opencontainers.image.version=hotfix-42');
  });

  it('every image gets it, per-image rules and presets included', async () => {
    const plan = await planFor('ip_dispatch', {
      images: 'ghcr.io/acme/app\nname=quay.io/acme/app,preset=production',
      'custom-tag': 'hotfix-42',
      tags: 'type=ref,event=branch'
    });
    expect(plan.refs).toEqual(['ghcr.io/acme/app:hotfix-42', 'ghcr.io/acme/app:main', 'quay.io/acme/app:hotfix-42']);
  });

  it.each([
    [
      'hotfix 42',
      'Input "custom-tag": "hotfix 42" is not a valid tag: a tag must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}'
    ],
    ['-hotfix', 'Input "custom-tag": "-hotfix" is not a valid tag'],
    ['feature/x', 'Input "custom-tag": "feature/x" is not a valid tag'],
    ['a'.repeat(129), `Input "custom-tag": "${'a'.repeat(129)}" is not a valid tag`],
    ['{{branch}}', 'Input "custom-tag": "{{branch}}" is not a valid tag'],
    ['v1.2.3', 'Input "custom-tag": "v1.2.3" is a semantic version; set it as version: instead'],
    ['1.2.3-rc.1', 'Input "custom-tag": "1.2.3-rc.1" is a semantic version; set it as version: instead']
  ])('refuses %s', async (tag, message) => {
    await expect(planFor('ip_dispatch', {images: 'a/b', 'custom-tag': tag})).rejects.toThrow(message);
  });

  it('refuses version and custom-tag together', async () => {
    await expect(planFor('ip_dispatch', {images: 'a/b', 'custom-tag': 'hotfix-42', version: '1.2.3'})).rejects.toThrow(
      'Inputs "version" and "custom-tag" are both set'
    );
  });

  it('the policy checks it like any tag: production allows only v{semver} tags', async () => {
    await expect(
      planFor(
        'ip_dispatch',
        {images: 'quay.io/kubernaut/gateway', 'custom-tag': 'hotfix-42', 'tag-preset': 'production', ...KEY},
        {},
        DD
      )
    ).rejects.toThrow(
      'Input "tags": the policy dd-registry-001.yml refuses a tag; nothing was built or pushed:\n' +
        '- policy "production" (quay.io/kubernaut/): tag "hotfix-42" of quay.io/kubernaut/gateway is not allowed: it matches none of v{semver}, v{semver}-rc{n}, v{semver}-beta{n}'
    );
  });
});
