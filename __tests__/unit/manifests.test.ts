// Pushed-manifest reading and the tag operations derived from it, on captured registry output.
import {describe, expect, it} from '@jest/globals';
import {formatBytes, imageWeight, platformsOfIndex, tagOps} from '../../src/registry/manifests.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
// An index as buildx pushes it with provenance on: two platforms and two attestation manifests.
const buildxIndex = {
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: d('a'),
      size: 673,
      platform: {architecture: 'amd64', os: 'linux'}
    },
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: d('b'),
      size: 673,
      platform: {architecture: 'arm64', os: 'linux'}
    },
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: d('c'),
      size: 566,
      annotations: {'vnd.docker.reference.digest': d('a'), 'vnd.docker.reference.type': 'attestation-manifest'},
      platform: {architecture: 'unknown', os: 'unknown'}
    },
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: d('e'),
      size: 566,
      platform: {architecture: 'arm', os: 'linux', variant: 'v7'}
    }
  ]
};

describe('pushed manifests', () => {
  it('lists the platform images of an index, without attestations', () => {
    expect(platformsOfIndex(buildxIndex)).toEqual([
      {platform: 'linux/amd64', digest: d('a')},
      {platform: 'linux/arm64', digest: d('b')},
      {platform: 'linux/arm/v7', digest: d('e')}
    ]);
  });
  it('weighs an image manifest', () => {
    expect(
      imageWeight({
        config: {digest: d('1'), size: 1000},
        layers: [
          {digest: d('2'), size: 2048},
          {digest: d('3'), size: 1200000}
        ]
      })
    ).toEqual({
      size: 1203048,
      layers: 2
    });
    expect([formatBytes(512), formatBytes(2048), formatBytes(1203048)]).toEqual(['512 B', '2.0 KiB', '1.1 MiB']);
  });
  it('plans index tags, then per-arch tags at their platform manifest', () => {
    const images = [
      {
        name: 'quay.io/takinosh/mcp',
        registry: 'quay.io',
        repository: 'takinosh/mcp',
        tags: ['v0.7.1', 'latest'],
        archTags: {'linux/amd64': ['v0.7.1-amd64'], 'linux/arm64': ['v0.7.1-arm64']}
      }
    ];
    expect(tagOps(images, d('f'), platformsOfIndex(buildxIndex))).toEqual([
      {image: 'quay.io/takinosh/mcp', registry: 'quay.io', repository: 'takinosh/mcp', tag: 'v0.7.1', digest: d('f')},
      {image: 'quay.io/takinosh/mcp', registry: 'quay.io', repository: 'takinosh/mcp', tag: 'latest', digest: d('f')},
      {
        image: 'quay.io/takinosh/mcp',
        registry: 'quay.io',
        repository: 'takinosh/mcp',
        tag: 'v0.7.1-amd64',
        digest: d('a'),
        platform: 'linux/amd64'
      },
      {
        image: 'quay.io/takinosh/mcp',
        registry: 'quay.io',
        repository: 'takinosh/mcp',
        tag: 'v0.7.1-arm64',
        digest: d('b'),
        platform: 'linux/arm64'
      }
    ]);
  });
  it('refuses a per-arch tag for a platform the index lacks', () => {
    expect(() =>
      tagOps(
        [{name: 'a/b', registry: 'docker.io', repository: 'a/b', tags: [], archTags: {'linux/s390x': ['v1-s390x']}}],
        d('f'),
        []
      )
    ).toThrow('per-arch tags for linux/s390x: the pushed index of a/b has no linux/s390x manifest');
  });
});
