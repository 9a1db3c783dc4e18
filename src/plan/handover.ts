import {createHash} from 'node:crypto';
import {canonicalName} from '../registry/reference.js';

/**
 * Distributed builds hand their digests to the merge run as workflow artifacts (docker's own
 * multi-platform guide does the same), so a matrix of `mode: build` jobs needs no unrolling.
 * Name: `image-publish-digests-<run attempt>-<image hash>-<platforms>`. The hash is over the
 * image names only (build and merge jobs share `images`; tags may be given to the merge job alone).
 * The attempt keeps a re-run from colliding with the artifact of an earlier attempt (artifact
 * names are unique per workflow run); the merge run takes the newest attempt per platform.
 */
export const ARTIFACT_PREFIX = 'image-publish-digests-';

export interface DigestRecord {
  digest: string;
  platforms: string[];
  images: string[];
}

export function imagesKey(images: string[]): string {
  const names = [...new Set(images.map(i => canonicalName(i)))].sort();
  return createHash('sha256').update(names.join('\n')).digest('hex').slice(0, 12);
}

/** Artifact names may not hold `/` (nor `" : < > | * ? \\`): linux/arm/v7 → linux-arm-v7. */
export const platformsKey = (platforms: string[]): string =>
  platforms.map(p => p.replace(/[/\\":<>|*?\s]/g, '-')).join('_');

export function artifactName(images: string[], platforms: string[], attempt: string): string {
  return `${ARTIFACT_PREFIX}${attempt}-${imagesKey(images)}-${platformsKey(platforms)}`;
}

/** The artifacts a merge run takes: those of its images, the newest attempt of each platform set. */
export function pickArtifacts(names: string[], key: string): string[] {
  const newest = new Map<string, {attempt: number; name: string}>();
  const re = new RegExp(`^${ARTIFACT_PREFIX}(\\d+)-${key}-(.+)$`);
  for (const name of names) {
    const m = re.exec(name);
    if (!m) continue;
    const attempt = Number(m[1]);
    const seen = newest.get(m[2]);
    if (!seen || seen.attempt < attempt) newest.set(m[2], {attempt, name});
  }
  return [...newest.values()].map(v => v.name).sort();
}

/** The record a build run writes (JSON), checked when the merge run reads it back. */
export function parseDigestRecord(text: string, from: string): DigestRecord {
  let r: Partial<DigestRecord>;
  try {
    r = JSON.parse(text) as Partial<DigestRecord>;
  } catch {
    throw new Error(`artifact ${from}: not a digest record (invalid JSON)`);
  }
  if (typeof r.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(r.digest)) {
    throw new Error(`artifact ${from}: no sha256 digest in the record`);
  }
  return {
    digest: r.digest,
    platforms: Array.isArray(r.platforms) ? r.platforms.map(String) : [],
    images: Array.isArray(r.images) ? r.images.map(String) : []
  };
}

/** Artifacts exist only inside a GitHub Actions job (or act) that has the runtime token and results URL. */
export const artifactServiceAvailable = (vars: Record<string, string | undefined>): boolean =>
  Boolean(vars.ACTIONS_RUNTIME_TOKEN && vars.ACTIONS_RESULTS_URL);
