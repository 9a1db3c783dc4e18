import type {ImageFacts} from './image-facts.js';
import {REFERENCE_DIGEST, type Descriptor} from './manifests.js';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/**
 * The index annotations of a merged image: the `index:` ones, or, when the tag engine produced
 * none (metadata-action's default level is manifest), the manifest ones, so the index still says
 * what it is.
 */
export function indexAnnotations(annotations: string[]): Record<string, string> {
  const pick = (level: string): [string, string][] =>
    annotations
      .filter(a => a.startsWith(`${level}:`))
      .map(a => a.slice(level.length + 1))
      .map(a => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]);
  const index = pick('index');
  return Object.fromEntries(index.length > 0 ? index : pick('manifest'));
}

/**
 * The OCI index of a distributed build (pure). Platforms must be distinct: two build runs for the
 * same platform would make the index ambiguous. Attestation manifests of the sources follow the
 * platform manifests, verbatim (annotations included), once each; one whose reference digest is
 * no platform of this index would dangle and is refused.
 */
export function buildIndex(
  platforms: ImageFacts[],
  annotations: Record<string, string>,
  attestations: Descriptor[] = []
): Buffer {
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
  const kept = new Set(unique.map(p => p.digest));
  const extra = attestations.filter((a, i) => attestations.findIndex(b => b.digest === a.digest) === i);
  for (const a of extra) {
    const ref = a.annotations?.[REFERENCE_DIGEST] ?? '';
    if (!kept.has(ref)) {
      throw new Error(
        `attestation manifest ${a.digest} describes ${ref || 'no image'}, which is not a platform of the merged index`
      );
    }
  }
  const index: Record<string, unknown> = {schemaVersion: 2, mediaType: OCI_INDEX, manifests: [...manifests, ...extra]};
  if (Object.keys(annotations).length > 0) index.annotations = annotations;
  return Buffer.from(JSON.stringify(index));
}
