// The plan's own values in build-args and labels (one step, one clock), and the opt-outs of
// the automatic build args, labels and annotations.
import {describe, expect, it} from '@jest/globals';
import {mergeBuildArgs, renderBuildArg} from '../../src/plan/build.js';
import {FIXED_DATE, planFor} from '../helpers/fixtures.js';

const VARS = {version: 'v1.0.0', created: '2020-01-10T00:30:00.000Z', sha: '3f9c2ab', commit_sha: '3f9c2ab1d2e4'};

describe('renderBuildArg', () => {
  it.each([
    ['{{created}}', '2020-01-10T00:30:00.000Z'],
    ['{{ version }}-{{sha}}', 'v1.0.0-3f9c2ab'],
    ['{{commit_sha}}', '3f9c2ab1d2e4'],
    // Not a plan value: passed as written (a Go template for the build, say).
    ['{{.Version}}', '{{.Version}}'],
    ['{{unknown}}', '{{unknown}}'],
    ["{{date 'YYYY'}}", "{{date 'YYYY'}}"],
    ['plain', 'plain'],
    ['', '']
  ])('%s → %s', (value, expected) => {
    expect(renderBuildArg(value, VARS)).toBe(expected);
  });

  it('mergeBuildArgs renders values, never keys, and refuses a line without =', () => {
    expect(mergeBuildArgs({VERSION: 'v1.0.0'}, ['BUILDTIME={{created}}', '{{sha}}=x'], VARS)).toEqual({
      VERSION: 'v1.0.0',
      BUILDTIME: '2020-01-10T00:30:00.000Z',
      '{{sha}}': 'x'
    });
    expect(() => mergeBuildArgs({}, ['{{created}}'], VARS)).toThrow(
      'Input "build-args": "{{created}}" is not KEY=value'
    );
  });
});

describe('one step: build args and labels from the plan', () => {
  it('build-args and labels see the same version, created and sha as the computed ones', async () => {
    const plan = await planFor('ip_tag_v1.0.0', {
      images: 'a/b',
      'tag-preset': 'semver-release',
      'build-args': 'BUILDTIME={{created}}\nAPP_VERSION={{version}}\nREV={{commit_sha}}\nSHORT={{sha}}',
      labels: 'org.example.built={{created}}\norg.example.release={{version}} ({{sha}})'
    });
    const created = FIXED_DATE.toISOString();
    expect(plan.buildArgs).toEqual({
      VERSION: 'v1.0.0',
      COMMIT_SHA: '3f9c2ab1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8',
      BUILD_DATE: created,
      BUILDTIME: created,
      APP_VERSION: 'v1.0.0',
      REV: '3f9c2ab1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8',
      SHORT: '3f9c2ab'
    });
    expect(plan.meta.labels).toContain(`org.example.built=${created}`);
    expect(plan.meta.labels).toContain('org.example.release=v1.0.0 (3f9c2ab)');
    expect(plan.meta.labels).toContain(`org.opencontainers.image.created=${created}`);
    expect(plan.now.toISOString()).toBe(created);
  });

  it('branch and tag values off a branch push', async () => {
    const plan = await planFor('ip_push_main', {images: 'a/b', 'build-args': 'B={{branch}}\nT=[{{tag}}]'});
    expect(plan.buildArgs.B).toBe('main');
    expect(plan.buildArgs.T).toBe('[]');
  });
});

describe('opt-outs', () => {
  it('auto-build-args: false passes only the user build args', async () => {
    const plan = await planFor('ip_tag_v1.0.0', {images: 'a/b', 'auto-build-args': 'false', 'build-args': 'X=1'});
    expect(plan.buildArgs).toEqual({X: '1'});
    expect(plan.build.autoArgs).toEqual([]);
  });
  it('the automatic args a user line replaces are no longer automatic', async () => {
    const plan = await planFor('ip_tag_v1.0.0', {images: 'a/b', 'build-args': 'VERSION=1.25'});
    expect(plan.buildArgs.VERSION).toBe('1.25');
    expect(plan.build.autoArgs).toEqual(['COMMIT_SHA', 'BUILD_DATE']);
    expect(plan.build.warnAutoArgs).toBe(true);
  });
  it('auto-build-args must be true or false', async () => {
    await expect(planFor('ip_tag_v1.0.0', {images: 'a/b', 'auto-build-args': 'no'})).rejects.toThrow(
      'Input "auto-build-args" must be true or false, got "no"'
    );
  });
  it.each<[Record<string, string>, string[], string[]]>([
    [
      {'auto-labels': 'false', labels: 'a=1'},
      ['a=1'],
      ['manifest:org.opencontainers.image.created=2020-01-10T00:30:00.000Z']
    ],
    [
      {'auto-annotations': 'false', annotations: 'b=2'},
      ['org.opencontainers.image.created=2020-01-10T00:30:00.000Z'],
      ['manifest:b=2']
    ],
    [{'auto-labels': 'false', 'auto-annotations': 'false'}, [], []]
  ])('%j', async (inputs, labels, annotations) => {
    const plan = await planFor('ip_tag_v1.0.0', {images: 'a/b', ...inputs});
    // Only the created entry is compared in full for the automatic side; the rest is the count.
    if (inputs['auto-labels'] === 'false') expect(plan.meta.labels).toEqual(labels);
    else expect(plan.meta.labels).toEqual(expect.arrayContaining(labels));
    if (inputs['auto-annotations'] === 'false') expect(plan.meta.annotations).toEqual(annotations);
    else expect(plan.meta.annotations).toEqual(expect.arrayContaining(annotations));
  });
});
