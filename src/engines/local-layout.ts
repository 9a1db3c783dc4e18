// push: false — the build's OCI layout on disk, made scannable per platform. trivy `--input
// dir@<digest>` picks a manifest listed in index.json, and from a nested index it only takes the
// first image; so each platform manifest is listed in index.json itself (a layout we own, in temp).
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Desc {
  mediaType: string;
  digest: string;
  size: number;
  platform?: {os: string; architecture: string; variant?: string};
  annotations?: Record<string, string>;
}

const isIndex = (d: Desc): boolean =>
  d.mediaType === 'application/vnd.oci.image.index.v1+json' ||
  d.mediaType === 'application/vnd.docker.distribution.manifest.list.v2+json';

const blob = (dir: string, digest: string): string => path.join(dir, 'blobs', ...digest.split(':'));

/** The layout's top digest and its platform images (attestation manifests left out), index.json extended. */
export function platformInputs(dir: string): {digest: string; scans: {platform: string; ref: string; input: true}[]} {
  const indexFile = path.join(dir, 'index.json');
  const top = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as {manifests: Desc[]};
  const root = top.manifests[0];
  if (!root) throw new Error(`the build wrote no image to ${dir}`);
  const children = isIndex(root)
    ? (JSON.parse(fs.readFileSync(blob(dir, root.digest), 'utf8')) as {manifests: Desc[]}).manifests.filter(
        m => m.platform && m.platform.os !== 'unknown' && m.annotations?.['vnd.docker.reference.type'] === undefined
      )
    : [root];
  const listed = new Set(top.manifests.map(m => m.digest));
  top.manifests.push(...children.filter(c => !listed.has(c.digest)));
  fs.writeFileSync(indexFile, JSON.stringify(top));
  return {
    digest: root.digest,
    scans: children.map(c => ({
      platform: c.platform
        ? [c.platform.os, c.platform.architecture, c.platform.variant].filter(Boolean).join('/')
        : 'unknown',
      ref: `${dir}@${c.digest}`,
      input: true
    }))
  };
}
