// Manual releases: a `version` input gives the tags a pushed tag of that name would.
import {describe, expect, it} from '@jest/globals';
import {planFor} from '../helpers/fixtures.js';

const rules =
  'type=ref,event=branch\ntype=ref,event=tag\ntype=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=semver,pattern={{major}}';

describe('version input', () => {
  it.each([
    ['v1.0.0', 'ip_tag_v1.0.0'],
    ['v1.0.0-rc1', 'ip_tag_v1.0.0-rc1']
  ])('dispatch with version=%s equals a push of %s', async (version, pushed) => {
    const dispatch = await planFor('ip_dispatch', {images: 'quay.io/kubernaut/gateway', tags: rules, version});
    const push = await planFor(pushed, {images: 'quay.io/kubernaut/gateway', tags: rules});
    expect(dispatch.refs).toEqual(push.refs);
    expect(dispatch.meta.version).toEqual(push.meta.version);
  });
  it('exact release tags of v1.0.0 from a dispatch', async () => {
    const plan = await planFor('ip_dispatch', {images: 'quay.io/kubernaut/gateway', tags: rules, version: 'v1.0.0'});
    expect(plan.meta.tagNames).toEqual(['1.0.0', '1.0', '1', 'v1.0.0', 'latest']);
    expect(plan.buildArgs.VERSION).toBe('1.0.0');
  });
  it.each(['1.0', 'release-1', 'v1.0.0.0', 'latest'])('refuses version=%s with the rule', async version => {
    await expect(planFor('ip_dispatch', {images: 'a/b', version})).rejects.toThrow(
      `Input "version" must be a semantic version such as v1.2.3 or 1.2.3-rc.1 (https://semver.org), got "${version}"`
    );
  });
});

describe('per-architecture tags', () => {
  it('plans <tag>-<arch> for every tag but latest, per platform', async () => {
    const plan = await planFor('ip_tag_v1.0.0', {
      images: 'quay.io/takinosh/mcp-server-qdrant',
      'tag-preset': 'semver-release',
      'arch-tags': 'true',
      platforms: 'linux/amd64,linux/arm64,linux/arm/v7'
    });
    expect(plan.images[0].archTags).toEqual({
      'linux/amd64': ['v1.0.0-amd64'],
      'linux/arm64': ['v1.0.0-arm64'],
      'linux/arm/v7': ['v1.0.0-armv7']
    });
    expect(plan.refs).toEqual([
      'quay.io/takinosh/mcp-server-qdrant:v1.0.0',
      'quay.io/takinosh/mcp-server-qdrant:latest',
      'quay.io/takinosh/mcp-server-qdrant:v1.0.0-amd64',
      'quay.io/takinosh/mcp-server-qdrant:v1.0.0-arm64',
      'quay.io/takinosh/mcp-server-qdrant:v1.0.0-armv7'
    ]);
  });
  it('none unless asked', async () => {
    const plan = await planFor('ip_tag_v1.0.0', {
      images: 'a/b',
      'tag-preset': 'semver-release',
      platforms: 'linux/amd64,linux/arm64'
    });
    expect(plan.images[0].archTags).toEqual({});
  });
});

describe('build args', () => {
  it('computes VERSION, COMMIT_SHA and BUILD_DATE; user values win', async () => {
    const plan = await planFor('ip_tag_v1.0.0', {
      images: 'a/b',
      'tag-preset': 'semver-release',
      'build-args': 'FOO=bar\nBUILD_DATE=pinned'
    });
    expect(plan.buildArgs).toEqual({
      VERSION: 'v1.0.0',
      COMMIT_SHA: '3f9c2ab1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8',
      BUILD_DATE: 'pinned',
      FOO: 'bar'
    });
  });
  it('refuses a line without =', async () => {
    await expect(planFor('ip_push_main', {images: 'a/b', 'build-args': 'NOVALUE'})).rejects.toThrow(
      'Input "build-args": "NOVALUE" is not KEY=value'
    );
  });
});
