/** Reading pushed manifests: which platforms an index holds and what each platform image weighs. */

export const INDEX_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json'
];

export interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: {os: string; architecture: string; variant?: string};
  annotations?: Record<string, string>;
}

export interface PlatformImage {
  platform: string;
  digest: string;
}

export function isIndex(mediaType: string, body: unknown): boolean {
  return INDEX_TYPES.includes(mediaType) || Array.isArray((body as {manifests?: unknown}).manifests);
}

export const platformString = (p: {os: string; architecture: string; variant?: string}): string =>
  [p.os, p.architecture, p.variant].filter(Boolean).join('/');

/** Platform manifests of an index; attestation manifests (unknown/unknown, BuildKit) are not platforms. */
export function platformsOfIndex(index: {manifests?: Descriptor[]}): PlatformImage[] {
  return (index.manifests ?? [])
    .filter(
      m =>
        m.platform &&
        m.platform.os !== 'unknown' &&
        m.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest'
    )
    .map(m => ({platform: platformString(m.platform as NonNullable<Descriptor['platform']>), digest: m.digest}));
}

export const REFERENCE_DIGEST = 'vnd.docker.reference.digest';

/**
 * BuildKit's attestation manifests of an index (provenance, SBOM): `unknown/unknown` entries whose
 * `vnd.docker.reference.digest` names the platform manifest they describe. Kept verbatim, so a
 * merged index says the same as the build's own (as `docker buildx imagetools create` does).
 */
export function attestationsOfIndex(index: {manifests?: Descriptor[]}): Descriptor[] {
  return (index.manifests ?? []).filter(
    m => m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' && m.annotations[REFERENCE_DIGEST]
  );
}

/** Compressed size (config + layers, as pulled) and layer count of one image manifest. */
export function imageWeight(manifest: {config?: Descriptor; layers?: Descriptor[]}): {size: number; layers: number} {
  const layers = manifest.layers ?? [];
  return {size: layers.reduce((n, l) => n + l.size, 0) + (manifest.config?.size ?? 0), layers: layers.length};
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** One tag operation: `tag` in `repository` of `registry` made to point at `digest`. */
export interface TagOp {
  image: string;
  registry: string;
  repository: string;
  tag: string;
  digest: string;
  /** undefined for the index; the platform for a per-arch tag. */
  platform?: string;
}

/** Every tag of every image, index tags first, then per-arch tags at their platform manifest (pure). */
export function tagOps(
  images: {name: string; registry: string; repository: string; tags: string[]; archTags: Record<string, string[]>}[],
  indexDigest: string,
  platforms: PlatformImage[]
): TagOp[] {
  const ops: TagOp[] = [];
  for (const image of images) {
    const base = {image: image.name, registry: image.registry, repository: image.repository};
    for (const tag of image.tags) ops.push({...base, tag, digest: indexDigest});
    for (const [platform, tags] of Object.entries(image.archTags)) {
      const p = platforms.find(x => x.platform === platform);
      if (!p)
        throw new Error(`per-arch tags for ${platform}: the pushed index of ${image.name} has no ${platform} manifest`);
      for (const tag of tags) ops.push({...base, tag, digest: p.digest, platform});
    }
  }
  return ops;
}
