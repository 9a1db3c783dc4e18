// Each preset × event → the exact tag names (the seeds' strategies, see README "Tag presets").
import {describe, expect, it} from '@jest/globals';
import {planFor} from '../helpers/fixtures.js';

const table: [preset: string, event: string, tags: string[]][] = [
  // ADR-003: vX.Y.Z, latest only on a final release, edge on the default branch.
  ['semver-release', 'ip_tag_v1.0.0', ['v1.0.0', 'latest']],
  ['semver-release', 'ip_tag_v1.0.0-rc1', ['v1.0.0-rc1']],
  ['semver-release', 'ip_push_main', ['edge']],
  ['semver-release', 'ip_push_feature', []],
  ['semver-release', 'ip_pull_request', []],
  // GHCR guide: branch, pr-N, v1.2.3 + 1.2.3 + 1.2 + 1, short SHA, latest on main.
  ['ghcr-standard', 'ip_push_main', ['main', 'latest', '3f9c2ab']],
  ['ghcr-standard', 'ip_push_feature', ['feature-audit-v2', '3f9c2ab']],
  ['ghcr-standard', 'ip_pull_request', ['pr-123', '3f9c2ab']],
  ['ghcr-standard', 'ip_tag_v1.0.0', ['v1.0.0', '1.0.0', '1.0', '1', '3f9c2ab', 'latest']],
  ['ghcr-standard', 'ip_tag_v1.0.0-rc1', ['v1.0.0-rc1', '1.0.0-rc1', '3f9c2ab']],
  ['ghcr-standard', 'ip_release', ['v2.3.4', '2.3.4', '2.3', '2', '3f9c2ab', 'latest']],
  ['ghcr-standard', 'ip_release_pre', ['v2.4.0-beta.1', '2.4.0-beta.1', '3f9c2ab']],
  // DD-REGISTRY-001 development registry.
  ['development', 'ip_push_main', ['main', 'latest', 'dev', 'main-3f9c2ab', '3f9c2ab']],
  ['development', 'ip_push_feature', ['feature-audit-v2', 'feature-audit-v2-3f9c2ab', '3f9c2ab']],
  ['development', 'ip_pull_request', ['pr-123', '3f9c2ab']],
  ['development', 'ip_schedule', ['test-20200110', 'main', 'latest', 'dev', 'main-3f9c2ab', '3f9c2ab']],
  // Off a branch `{{branch}}-` renders empty: the `-3f9c2ab` is cleaned to `3f9c2ab`, never emitted invalid.
  ['development', 'ip_tag_v1.0.0', ['3f9c2ab']],
  // DD-REGISTRY-001 staging (rc only) and production (final only, never latest).
  ['staging', 'ip_tag_v1.0.0-rc1', ['v1.0.0-rc1']],
  ['staging', 'ip_tag_v1.0.0', []],
  ['staging', 'ip_push_main', []],
  ['production', 'ip_tag_v1.0.0', ['v1.0.0']],
  ['production', 'ip_tag_v1.0.0-rc1', []],
  ['production', 'ip_push_main', []],
  ['production', 'ip_release', ['v2.3.4']]
];

describe('tag presets', () => {
  it.each(table)('%s on %s', async (preset, event, tags) => {
    const plan = await planFor(event, {images: 'quay.io/kubernaut/gateway', 'tag-preset': preset});
    expect(plan.meta.tagNames).toEqual(tags);
    expect(plan.refs).toEqual(tags.map(t => `quay.io/kubernaut/gateway:${t}`));
  });

  it('explicit tags win over a preset', async () => {
    const plan = await planFor('ip_tag_v1.0.0', {
      images: 'a/b',
      'tag-preset': 'ghcr-standard',
      tags: 'type=raw,value=only'
    });
    expect(plan.meta.tagNames).toEqual(['only']);
  });

  it('a per-image preset gives that registry its own tag set', async () => {
    const plan = await planFor('ip_tag_v1.0.0', {
      images: 'name=127.0.0.1:5000/dev/gateway,preset=development\nname=quay.io/kubernaut/gateway,preset=production',
      'tag-preset': 'ghcr-standard'
    });
    expect(plan.images.map(i => [i.name, i.tags])).toEqual([
      ['127.0.0.1:5000/dev/gateway', ['3f9c2ab']],
      ['quay.io/kubernaut/gateway', ['v1.0.0']]
    ]);
    // version/tag-names come from the run's own rules (here the ghcr-standard preset).
    expect(plan.meta.tagNames).toEqual(['v1.0.0', '1.0.0', '1.0', '1', '3f9c2ab', 'latest']);
  });

  it('an unknown preset names the input and the choices', async () => {
    await expect(planFor('ip_push_main', {images: 'a/b', 'tag-preset': 'prod'})).rejects.toThrow(
      'Input "tag-preset": unknown preset "prod"; choose one of semver-release, ghcr-standard, development, staging, production'
    );
  });

  it('tag-prefix puts an environment prefix on every tag, latest included', async () => {
    const plan = await planFor('ip_tag_v1.0.0', {images: 'a/b', 'tag-preset': 'semver-release', 'tag-prefix': 'prod-'});
    expect(plan.meta.tagNames).toEqual(['prod-v1.0.0', 'prod-latest']);
  });

  it('tag-prefix must be a valid tag start', async () => {
    await expect(planFor('ip_push_main', {images: 'a/b', 'tag-prefix': 'stag ing-'})).rejects.toThrow(
      'Input "tag-prefix" must be the start of a valid tag'
    );
  });
});
