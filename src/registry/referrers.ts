// Where signatures and attestations of an image live when the registry has no referrers API:
// the OCI 1.1 referrers tag schema (`sha256-<hex>` → an index listing the referrers) and cosign's
// older `sha256-<hex>.sig|.att|.sbom` tags. Pure: names and index bytes, no I/O.
import {MEDIA_TYPES, type Descriptor} from './client.js';
import {isDigest, isValidTag} from './reference.js';

/** Suffixes of the tags cosign wrote before it used referrers (still its default in v2). */
export const COSIGN_TAG_SUFFIXES = ['.sig', '.att', '.sbom'] as const;

function splitDigest(digest: string): [string, string] {
  if (!isDigest(digest)) throw new Error(`"${digest}" is not a digest`);
  const colon = digest.indexOf(':');
  return [digest.slice(0, colon), digest.slice(colon + 1)];
}

/** The referrers tag schema's tag: `<alg>-<hex>`, truncated as the spec says so it is a valid tag. */
export function fallbackTag(digest: string): string {
  const [alg, hex] = splitDigest(digest);
  return `${alg.slice(0, 32)}-${hex.slice(0, 64)}`;
}

/** cosign's legacy tags for a digest; a sha512 digest gives none (the name would be too long). */
export function cosignLegacyTags(digest: string): string[] {
  const [alg, hex] = splitDigest(digest);
  return COSIGN_TAG_SUFFIXES.map(s => `${alg}-${hex}${s}`).filter(isValidTag);
}

/** The descriptors a referrers index lists; [] when the bytes are not an index. */
export function referrersOfIndex(body: Buffer): Descriptor[] {
  let parsed: {manifests?: unknown};
  try {
    parsed = JSON.parse(body.toString('utf8')) as {manifests?: unknown};
  } catch {
    return [];
  }
  if (!Array.isArray(parsed.manifests)) return [];
  return parsed.manifests.filter(
    (d): d is Descriptor =>
      typeof d === 'object' && d !== null && typeof (d as Descriptor).digest === 'string' && isDigest(d.digest)
  );
}

/** A fresh tag-schema index listing `descriptors` (for a target that lacks the API). */
export function referrersIndex(descriptors: Descriptor[]): Buffer {
  return Buffer.from(JSON.stringify({schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: descriptors}));
}

/**
 * The target's own tag-schema index with the missing `add` entries appended, or undefined when it
 * already lists them all. Entries are never dropped: the tag is shared by every client that signs
 * or attests the image in that repository, and a copy must not erase their work.
 */
export function mergeReferrersIndex(existing: Buffer, add: Descriptor[]): Buffer | undefined {
  const parsed = JSON.parse(existing.toString('utf8')) as Record<string, unknown> & {manifests?: unknown};
  const current = Array.isArray(parsed.manifests) ? (parsed.manifests as Descriptor[]) : [];
  const have = new Set(current.map(d => d.digest));
  const missing: Descriptor[] = [];
  for (const d of add) {
    if (have.has(d.digest)) continue;
    have.add(d.digest);
    missing.push(d);
  }
  if (missing.length === 0) return undefined;
  return Buffer.from(
    JSON.stringify({
      ...parsed,
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociIndex,
      manifests: [...current, ...missing]
    })
  );
}
