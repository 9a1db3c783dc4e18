// Pure parts of the merge and immutability phases: the index a merge PUTs, its annotations, and the
// decision taken before a build when immutable tags exist already.
import {describe, expect, it} from '@jest/globals';
import {parseMergeSources} from '../../src/plan/merge-sources.js';
import {rerunDecision, type ExistingTag} from '../../src/policy/decide.js';
import {buildIndex, indexAnnotations} from '../../src/registry/index-manifest.js';
import type {ImageFacts} from '../../src/registry/image-facts.js';

const d = (c: string): string => `sha256:${c.repeat(64)}`;
const facts = (platform: string, digest: string): ImageFacts => ({
  platform,
  digest,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  manifestSize: 500,
  user: '1001',
  labels: {},
  compressedSize: 1000,
  layers: 1,
  layerDigests: []
});

describe('merge', () => {
  it('builds an OCI index of the platform images, in order, with index annotations', () => {
    const body = buildIndex([facts('linux/amd64', d('a')), facts('linux/arm/v7', d('b'))], {
      'org.opencontainers.image.version': 'v1'
    });
    expect(JSON.parse(body.toString())).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: d('a'),
          size: 500,
          platform: {architecture: 'amd64', os: 'linux'}
        },
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: d('b'),
          size: 500,
          platform: {architecture: 'arm', os: 'linux', variant: 'v7'}
        }
      ],
      annotations: {'org.opencontainers.image.version': 'v1'}
    });
  });

  it('refuses one platform from two different builds', () => {
    expect(() => buildIndex([facts('linux/amd64', d('a')), facts('linux/amd64', d('b'))], {})).toThrow(
      `Input "digests": linux/amd64 is given twice (${d('a')} and ${d('b')})`
    );
  });

  it('reads digests bare or as image@digest of an image of the run', () => {
    expect(parseMergeSources([d('a'), `ghcr.io/acme/app@${d('b')}`], ['ghcr.io/acme/app', 'quay.io/acme/app'])).toEqual(
      [
        {image: 'ghcr.io/acme/app', digest: d('a')},
        {image: 'ghcr.io/acme/app', digest: d('b')}
      ]
    );
  });

  it.each([
    [['index:a=1', 'manifest:b=2'], {a: '1'}],
    [['manifest:b=2', 'manifest:c=x=y'], {b: '2', c: 'x=y'}],
    [[], {}]
  ])('index annotations of %j are %j', (annotations, want) => {
    expect(indexAnnotations(annotations)).toEqual(want);
  });
});

describe('immutable tags before a build', () => {
  const op = (tag: string, platform?: string) => ({
    image: 'quay.io/kubernaut/gateway',
    registry: 'quay.io',
    repository: 'kubernaut/gateway',
    tag,
    digest: d('0'),
    ...(platform ? {platform} : {})
  });
  const sha = '3f9c2ab1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8';
  it.each<[string, ExistingTag[], Record<string, string>, {rerun?: string; refuse?: string}]>([
    ['nothing exists', [], {}, {}],
    ['the release from this commit exists', [{op: op('v1.0.0'), existing: d('e')}], {[d('e')]: sha}, {rerun: d('e')}],
    [
      'the tag exists from another commit',
      [{op: op('v1.0.0'), existing: d('e')}],
      {[d('e')]: 'a'.repeat(40)},
      {
        refuse:
          `the policy makes these tags immutable and this run (commit 3f9c2ab1d2e4) would overwrite them; nothing was built or pushed:\n` +
          `- quay.io/kubernaut/gateway:v1.0.0 already points at ${d('e')} (built from aaaaaaaaaaaa)`
      }
    ],
    [
      'two tags at two digests',
      [
        {op: op('v1.0.0'), existing: d('e')},
        {op: op('v1.0'), existing: d('f')}
      ],
      {[d('e')]: sha, [d('f')]: sha},
      {
        refuse:
          `the policy makes these tags immutable and this run (commit 3f9c2ab1d2e4) would overwrite them; nothing was built or pushed:\n` +
          `- quay.io/kubernaut/gateway:v1.0.0 already points at ${d('e')} (built from 3f9c2ab1d2e4)\n` +
          `- quay.io/kubernaut/gateway:v1.0 already points at ${d('f')} (built from 3f9c2ab1d2e4)`
      }
    ]
  ])('%s', (_name, existing, revisions, want) => {
    expect(rerunDecision(existing, revisions, sha)).toEqual(want);
  });
});
