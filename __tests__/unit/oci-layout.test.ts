// Reading an OCI layout (as buildah writes it) and annotating its index, on a layout built here.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {describe, expect, it} from '@jest/globals';
import {annotateIndex, readLayout} from '../../src/registry/oci-layout.js';

function layout(): {dir: string; index: string; manifests: string[]} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layout-'));
  fs.mkdirSync(path.join(dir, 'blobs/sha256'), {recursive: true});
  const put = (data: string | Buffer): {digest: string; size: number} => {
    const b = Buffer.from(data);
    const hex = crypto.createHash('sha256').update(b).digest('hex');
    fs.writeFileSync(path.join(dir, 'blobs/sha256', hex), b);
    return {digest: `sha256:${hex}`, size: b.length};
  };
  const manifests = ['amd64', 'arm64'].map(arch => {
    const config = put(JSON.stringify({architecture: arch, os: 'linux'}));
    const layer = put(`layer-${arch}`);
    const m = put(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {mediaType: 'application/vnd.oci.image.config.v1+json', ...config},
        layers: [{mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer}]
      })
    );
    return {arch, ...m, config: config.digest, layer: layer.digest};
  });
  const index = put(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: manifests.map(m => ({
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: m.digest,
        size: m.size,
        platform: {os: 'linux', architecture: m.arch}
      }))
    })
  );
  return {dir, index: index.digest, manifests: manifests.map(m => m.digest)};
}

describe('OCI layout', () => {
  it('reads an index and the blobs of every image', () => {
    const l = layout();
    const image = readLayout(l.dir, l.index);
    expect(image.digest).toBe(l.index);
    expect(image.manifests.map(m => m.digest)).toEqual(l.manifests);
    expect(image.manifests.every(m => m.blobs.length === 2)).toBe(true);
  });
  it('refuses a blob whose bytes do not match its digest', () => {
    const l = layout();
    const [, hex] = l.manifests[1].split(':');
    fs.writeFileSync(path.join(l.dir, 'blobs/sha256', hex), 'tampered');
    expect(() => readLayout(l.dir, l.index)).toThrow(`blob ${l.manifests[1]} does not match its digest`);
  });
  it('adds index annotations as new bytes with a new digest', () => {
    const l = layout();
    const image = readLayout(l.dir, l.index);
    const annotated = annotateIndex(image, {'org.opencontainers.image.title': 'gw'});
    expect(annotated.digest).not.toBe(image.digest);
    expect(annotated.digest).toBe(`sha256:${crypto.createHash('sha256').update(annotated.body).digest('hex')}`);
    expect(JSON.parse(annotated.body.toString()).annotations).toEqual({'org.opencontainers.image.title': 'gw'});
    expect(annotateIndex(image, {})).toBe(image);
  });
});
