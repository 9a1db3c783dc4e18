import {canonicalName, parseReference} from '../registry/reference.js';
import type {ImageFacts} from './image-facts.js';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** One `digests` line of a merge run: `image@sha256:…` or a bare digest of the first image. */
export function parseMergeSources(lines: string[], images: string[]): {image: string; digest: string}[] {
  if (lines.length === 0) {
    throw new Error(
      'Input "digests" is required with mode: merge (the digest outputs of the build runs, one per line)'
    );
  }
  // Compared by canonical name (`acme/app` is `docker.io/acme/app`); the image is returned as the run spells it.
  const canonical = images.map(i => canonicalName(i));
  return lines.map(line => {
    if (/^sha256:[a-f0-9]{64}$/.test(line)) {
      if (images.length === 0) throw new Error('Input "digests": a bare digest needs an image in "images"');
      return {image: images[0], digest: line};
    }
    let ref;
    try {
      ref = parseReference(line);
    } catch (err: unknown) {
      throw new Error(`Input "digests": ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!ref.digest) throw new Error(`Input "digests": "${line}" is not image@sha256:<hex> or sha256:<hex>`);
    const at = canonical.indexOf(`${ref.registry}/${ref.repository}`);
    if (at < 0) {
      throw new Error(`Input "digests": "${line}" is not one of the images of this run (${images.join(', ')})`);
    }
    return {image: images[at], digest: ref.digest};
  });
}

/**
 * The OCI index of a distributed build (pure). Platforms must be distinct: two build runs for the
 * same platform would make the index ambiguous.
 */
export function buildIndex(platforms: ImageFacts[], annotations: Record<string, string>): Buffer {
  const seen = new Map<string, string>();
  for (const p of platforms) {
    const other = seen.get(p.platform);
    if (other && other !== p.digest) {
      throw new Error(`Input "digests": ${p.platform} is given twice (${other} and ${p.digest})`);
    }
    seen.set(p.platform, p.digest);
  }
  const unique = platforms.filter((p, i) => platforms.findIndex(q => q.digest === p.digest) === i);
  const manifests = unique.map(p => {
    const [os, architecture, variant] = p.platform.split('/');
    return {
      mediaType: p.mediaType,
      digest: p.digest,
      size: p.manifestSize,
      platform: {architecture, os, ...(variant ? {variant} : {})}
    };
  });
  const index: Record<string, unknown> = {schemaVersion: 2, mediaType: OCI_INDEX, manifests};
  if (Object.keys(annotations).length > 0) index.annotations = annotations;
  return Buffer.from(JSON.stringify(index));
}
