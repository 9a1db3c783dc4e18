// Digest hand-over by artifact (names, newest attempt, records) and build-push-action's outputs
// (metadata with every name:tag, imageid) for every mode.
import {describe, expect, it} from '@jest/globals';
import {artifactName, imagesKey, parseDigestRecord, pickArtifacts} from '../../src/plan/handover.js';
import {planRun} from '../../src/plan.js';
import type {TagOp} from '../../src/registry/manifests.js';
import {planOutputs} from '../../src/report/outputs.js';
import {publishOutputs} from '../../src/report/publish-report.js';
import {FIXED_DATE, inputsFrom, runContext} from '../helpers/fixtures.js';

const d = (c: string): string => `sha256:${c.repeat(64)}`;
const KEY = imagesKey(['r.example/app', 'ghcr.io/o/app']);

describe('digest artifacts', () => {
  it('keys by the canonical image names, order-free', () => {
    expect(imagesKey(['ghcr.io/o/app', 'r.example/app'])).toBe(KEY);
    expect(imagesKey(['acme/app'])).toBe(imagesKey(['docker.io/acme/app']));
    expect(imagesKey(['acme/app'])).not.toBe(KEY);
    expect(KEY).toMatch(/^[0-9a-f]{12}$/);
  });
  it.each([
    [['linux/amd64'], '1', `image-publish-digests-1-${KEY}-linux-amd64`],
    [['linux/arm/v7'], '3', `image-publish-digests-3-${KEY}-linux-arm-v7`],
    [['linux/amd64', 'linux/arm64'], '1', `image-publish-digests-1-${KEY}-linux-amd64_linux-arm64`]
  ])('%j attempt %s → %s', (platforms, attempt, want) => {
    expect(artifactName(['r.example/app', 'ghcr.io/o/app'], platforms, attempt)).toBe(want);
  });
  it('takes the newest attempt of each platform, and only these images', () => {
    const names = [
      `image-publish-digests-1-${KEY}-linux-amd64`,
      `image-publish-digests-2-${KEY}-linux-amd64`,
      `image-publish-digests-1-${KEY}-linux-arm64`,
      `image-publish-digests-10-${KEY}-linux-arm64`,
      'image-publish-digests-1-000000000000-linux-amd64',
      'digests-linux-amd64'
    ];
    expect(pickArtifacts(names, KEY)).toEqual([
      `image-publish-digests-10-${KEY}-linux-arm64`,
      `image-publish-digests-2-${KEY}-linux-amd64`
    ]);
  });
  it.each([
    ['{"digest":"sha256:x"}', 'artifact a: no sha256 digest in the record'],
    ['not json', 'artifact a: not a digest record (invalid JSON)']
  ])('refuses the record %j', (text, message) => {
    expect(() => parseDigestRecord(text, 'a')).toThrow(message);
  });
  it('reads a record', () => {
    expect(
      parseDigestRecord(JSON.stringify({digest: d('a'), platforms: ['linux/amd64'], images: ['r/x']}), 'a')
    ).toEqual({digest: d('a'), platforms: ['linux/amd64'], images: ['r/x']});
  });
});

function plan(inputs: Record<string, string>, vars: Record<string, string> = {}) {
  const {ctx, repo} = runContext('ip_push_main');
  return planRun(
    inputsFrom({images: 'r.example/app\nghcr.io/o/app', tags: 'type=raw,value=1.0\ntype=raw,value=latest', ...inputs}),
    {ctx, repo, now: FIXED_DATE, created: FIXED_DATE, switches: {}, runnerTemp: '/tmp', vars, actor: 'me'},
    'linux/amd64'
  ).plan;
}
const SERVICE = {ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'http://127.0.0.1:1/', GITHUB_RUN_ATTEMPT: '2'};

describe('plan of a distributed build', () => {
  it('a build run inside a job records its digest as an artifact, and plans tags it does not make', () => {
    const p = plan({mode: 'build', platforms: 'linux/arm64'}, SERVICE);
    expect(p.handover).toEqual({artifact: `image-publish-digests-2-${KEY}-linux-arm64`});
    expect(p.steps.at(-1)).toEqual({
      phase: 'push',
      what: `digest recorded as workflow artifact image-publish-digests-2-${KEY}-linux-arm64`
    });
    const out = planOutputs(p, p.separators);
    expect(out.refs).toBe('');
    expect(out.tags).toBe('r.example/app:1.0\nr.example/app:latest\nghcr.io/o/app:1.0\nghcr.io/o/app:latest');
    expect((JSON.parse(out.plan) as {refs: string[]}).refs).toEqual([
      'r.example/app:1.0',
      'r.example/app:latest',
      'ghcr.io/o/app:1.0',
      'ghcr.io/o/app:latest'
    ]);
  });
  it('outside a job (no artifact service) a build run records nothing', () => {
    expect(plan({mode: 'build'}).handover).toBeUndefined();
  });
  it('a merge run without digests collects the artifacts of its images', () => {
    const p = plan({mode: 'merge', platforms: 'linux/amd64,linux/arm64'}, SERVICE);
    expect(p.merge).toEqual({sources: [], collect: KEY});
    expect(p.steps.find(s => s.phase === 'merge')?.what).toBe(
      `r.example/app: index of linux/amd64, linux/arm64 from the build runs' digest artifacts (image-publish-digests-*-${KEY}-*)`
    );
    expect(planOutputs(p, p.separators).refs.split('\n')).toHaveLength(4);
  });
  it('outside a job (no artifact service) a merge run without digests is refused naming the input', () => {
    expect(() => plan({mode: 'merge', platforms: 'linux/amd64'})).toThrow(
      'Input "digests" is required with mode: merge'
    );
  });
  it('a merge run with digests uses them', () => {
    expect(plan({mode: 'merge', platforms: 'linux/amd64', digests: d('a')}).merge).toEqual({
      sources: [{image: 'r.example/app', digest: d('a')}]
    });
  });
});

const op = (image: string, tag: string, digest: string, platform?: string): TagOp => ({
  image,
  registry: image.split('/')[0],
  repository: image.split('/').slice(1).join('/'),
  tag,
  digest,
  ...(platform ? {platform} : {})
});

describe('build-push-action outputs', () => {
  const buildx = JSON.stringify({
    'buildx.build.ref': 'b/b/x',
    'containerimage.digest': d('f'),
    'containerimage.config.digest': d('c'),
    'image.name': 'r.example/app,ghcr.io/o/app'
  });
  it.each([
    [
      'publish (buildx, single platform): every name:tag, config digest as imageid',
      {
        digest: d('f'),
        metadata: buildx,
        tags: [op('r.example/app', '1.0', d('f')), op('ghcr.io/o/app', '1.0', d('f'))]
      },
      {
        'buildx.build.ref': 'b/b/x',
        'containerimage.digest': d('f'),
        'containerimage.config.digest': d('c'),
        'image.name': 'r.example/app:1.0,ghcr.io/o/app:1.0'
      },
      d('c')
    ],
    [
      'build: no tag made, the pushed repositories stay',
      {digest: d('f'), metadata: buildx, tags: []},
      JSON.parse(buildx) as Record<string, unknown>,
      d('c')
    ],
    [
      'merge: descriptor and digest, tags made and already in place, per-arch tags left out',
      {
        digest: d('e'),
        metadata: JSON.stringify({'containerimage.digest': d('e')}),
        tags: [op('r.example/app', 'latest', d('e')), op('r.example/app', 'latest-arm64', d('b'), 'linux/arm64')],
        unchanged: [op('r.example/app', '1.0', d('e'))]
      },
      {'containerimage.digest': d('e'), 'image.name': 'r.example/app:latest,r.example/app:1.0'},
      d('e')
    ],
    [
      'promote: no metadata of its own, the digest and the tags',
      {digest: d('p'), tags: [op('ghcr.io/o/app', 'stable', d('p'))]},
      {'containerimage.digest': d('p'), 'image.name': 'ghcr.io/o/app:stable'},
      d('p')
    ]
  ])('%s', (_name, result, metadata, imageid) => {
    const out = publishOutputs(result);
    expect(JSON.parse(out.metadata)).toEqual(metadata);
    expect(out.imageid).toBe(imageid);
    expect(out.digest).toBe(result.digest);
  });
  it('no digest, no metadata (a run that failed before pushing)', () => {
    expect(publishOutputs({})).not.toHaveProperty('metadata');
  });
});
