// mode: merge keeps BuildKit's attestation manifests, as `docker buildx imagetools create` does:
// verbatim, once each, after the platform manifests, each still naming its platform manifest.
import {describe, expect, it} from '@jest/globals';
import {buildIndex} from '../../src/registry/index-manifest.js';
import type {ImageFacts} from '../../src/registry/image-facts.js';
import {attestationsOfIndex, platformsOfIndex, type Descriptor} from '../../src/registry/manifests.js';

const d = (c: string): string => `sha256:${c.repeat(64)}`;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const facts = (platform: string, digest: string): ImageFacts => ({
  platform,
  digest,
  mediaType: OCI_MANIFEST,
  manifestSize: 500,
  user: '',
  labels: {},
  compressedSize: 1000,
  layers: 1,
  layerDigests: []
});
const attestation = (digest: string, of: string): Descriptor => ({
  mediaType: OCI_MANIFEST,
  digest,
  size: 840,
  platform: {os: 'unknown', architecture: 'unknown'},
  annotations: {'vnd.docker.reference.digest': of, 'vnd.docker.reference.type': 'attestation-manifest'}
});
// What one `mode: build` run of buildx pushes: its platform manifest and the attestation of it.
const buildRunIndex = (platform: string, image: string, att: string) => ({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    {
      mediaType: OCI_MANIFEST,
      digest: image,
      size: 500,
      platform: {os: platform.split('/')[0], architecture: platform.split('/')[1]}
    },
    attestation(att, image)
  ]
});

describe('attestationsOfIndex', () => {
  it.each([
    [
      'a buildx index: the attestation only',
      buildRunIndex('linux/amd64', d('a'), d('1')),
      [attestation(d('1'), d('a'))]
    ],
    ['no manifests', {}, []],
    [
      'an unknown/unknown entry without the attestation type is not one',
      {
        manifests: [
          {mediaType: OCI_MANIFEST, digest: d('9'), size: 1, platform: {os: 'unknown', architecture: 'unknown'}}
        ]
      },
      []
    ],
    [
      'an attestation without a reference digest is not kept',
      {
        manifests: [
          {...attestation(d('2'), d('a')), annotations: {'vnd.docker.reference.type': 'attestation-manifest'}}
        ]
      },
      []
    ]
  ])('%s', (_name, index, want) => {
    expect(attestationsOfIndex(index as {manifests?: Descriptor[]})).toEqual(want);
  });
});

describe('buildIndex with attestations', () => {
  it('two build runs → both platform manifests, then both attestations pointing at their platform', () => {
    const amd = buildRunIndex('linux/amd64', d('a'), d('1'));
    const arm = buildRunIndex('linux/arm64', d('b'), d('2'));
    const body = buildIndex(
      [...platformsOfIndex(amd), ...platformsOfIndex(arm)].map(p => facts(p.platform, p.digest)),
      {},
      [...attestationsOfIndex(amd), ...attestationsOfIndex(arm)]
    );
    const index = JSON.parse(body.toString()) as {manifests: Descriptor[]};
    expect(index.manifests.map(m => [m.digest, m.platform, m.annotations?.['vnd.docker.reference.digest']])).toEqual([
      [d('a'), {architecture: 'amd64', os: 'linux'}, undefined],
      [d('b'), {architecture: 'arm64', os: 'linux'}, undefined],
      [d('1'), {os: 'unknown', architecture: 'unknown'}, d('a')],
      [d('2'), {os: 'unknown', architecture: 'unknown'}, d('b')]
    ]);
    expect(index.manifests[2]).toEqual(attestation(d('1'), d('a')));
    // Read back, the merged index has the same platforms and attestations as its sources.
    expect(platformsOfIndex(index)).toEqual([
      {platform: 'linux/amd64', digest: d('a')},
      {platform: 'linux/arm64', digest: d('b')}
    ]);
    expect(attestationsOfIndex(index).map(a => a.digest)).toEqual([d('1'), d('2')]);
  });
  it('the same source given twice keeps each attestation once', () => {
    const amd = buildRunIndex('linux/amd64', d('a'), d('1'));
    const body = buildIndex([facts('linux/amd64', d('a')), facts('linux/amd64', d('a'))], {}, [
      ...attestationsOfIndex(amd),
      ...attestationsOfIndex(amd)
    ]);
    expect((JSON.parse(body.toString()) as {manifests: Descriptor[]}).manifests.map(m => m.digest)).toEqual([
      d('a'),
      d('1')
    ]);
  });
  it('refuses an attestation of an image that is not in the index', () => {
    expect(() => buildIndex([facts('linux/amd64', d('a'))], {}, [attestation(d('1'), d('c'))])).toThrow(
      `attestation manifest ${d('1')} describes ${d('c')}, which is not a platform of the merged index`
    );
  });
  it('without attestations the index is what it was', () => {
    const body = buildIndex([facts('linux/amd64', d('a'))], {});
    expect(JSON.parse(body.toString())).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{mediaType: OCI_MANIFEST, digest: d('a'), size: 500, platform: {architecture: 'amd64', os: 'linux'}}]
    });
  });
});
