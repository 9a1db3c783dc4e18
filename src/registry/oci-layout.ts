import * as fs from 'node:fs';
import * as path from 'node:path';
import {fileBlobSource} from './blob-source.js';
import {digestOf, type RegistryClient} from './client.js';
import {DEFAULT_BLOB_CONCURRENCY, limit} from './limit.js';

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

/** An image (or index with its images) read from an OCI layout directory, bytes and all. */
export interface LayoutImage {
  digest: string;
  mediaType: string;
  body: Buffer;
  manifests: {digest: string; mediaType: string; body: Buffer; blobs: string[]}[];
}

const blobPath = (dir: string, digest: string): string => path.join(dir, 'blobs', ...digest.split(':'));

/** Manifests and indexes only: small JSON. Layers are streamed from disk by pushLayout. */
function readBlob(dir: string, digest: string): Buffer {
  const data = fs.readFileSync(blobPath(dir, digest));
  if (digestOf(data) !== digest) throw new Error(`OCI layout ${dir}: blob ${digest} does not match its digest`);
  return data;
}

/** Reads the index `digest` of an OCI layout and every image it lists. */
export function readLayout(dir: string, digest: string): LayoutImage {
  const body = readBlob(dir, digest);
  const index = JSON.parse(body.toString('utf8')) as {
    mediaType?: string;
    manifests?: Descriptor[];
    config?: Descriptor;
    layers?: Descriptor[];
  };
  const imageOf = (d: Descriptor, b: Buffer) => {
    const m = JSON.parse(b.toString('utf8')) as {config: Descriptor; layers: Descriptor[]};
    return {
      digest: d.digest,
      mediaType: d.mediaType,
      body: b,
      blobs: [m.config.digest, ...m.layers.map(l => l.digest)]
    };
  };
  if (!index.manifests) {
    const mediaType = index.mediaType ?? 'application/vnd.oci.image.manifest.v1+json';
    return {digest, mediaType, body, manifests: [imageOf({digest, mediaType, size: body.length}, body)]};
  }
  return {
    digest,
    mediaType: index.mediaType ?? 'application/vnd.oci.image.index.v1+json',
    body,
    manifests: index.manifests.map(d => imageOf(d, readBlob(dir, d.digest)))
  };
}

/** Adds index-level annotations (which buildah 1.28 cannot set) to the index bytes: a new digest. */
export function annotateIndex(image: LayoutImage, annotations: Record<string, string>): LayoutImage {
  if (
    Object.keys(annotations).length === 0 ||
    image.manifests.length === 0 ||
    image.body.equals(image.manifests[0].body)
  )
    return image;
  const index = JSON.parse(image.body.toString('utf8')) as {annotations?: Record<string, string>};
  index.annotations = {...(index.annotations ?? {}), ...annotations};
  const body = Buffer.from(JSON.stringify(index));
  return {...image, body, digest: digestOf(body)};
}

/**
 * Pushes the image by digest (blobs, then image manifests, then the index); no tag is written.
 * Blobs stream from disk a few at a time; each is hashed as it is read, so a layout file that
 * does not match its digest fails its upload (naming blob and layout) before the registry commits.
 */
export async function pushLayout(
  dir: string,
  image: LayoutImage,
  client: Pick<RegistryClient, 'uploadBlob' | 'putManifest'>,
  repository: string
): Promise<{uploaded: number; existing: number}> {
  let uploaded = 0;
  let existing = 0;
  const blobs = [...new Set(image.manifests.flatMap(m => m.blobs))];
  const inFlight = limit(DEFAULT_BLOB_CONCURRENCY);
  await Promise.all(
    blobs.map(blob =>
      inFlight(async () => {
        const source = fileBlobSource(blobPath(dir, blob), `OCI layout ${dir}`);
        if ((await client.uploadBlob(repository, blob, source)) === 'uploaded') uploaded++;
        else existing++;
      })
    )
  );
  for (const m of image.manifests) await client.putManifest(repository, m.digest, m.body, m.mediaType);
  if (image.manifests.length !== 1 || image.manifests[0].digest !== image.digest) {
    await client.putManifest(repository, image.digest, image.body, image.mediaType);
  }
  return {uploaded, existing};
}
