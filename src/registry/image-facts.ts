import type {ImageFacts} from '../policy/types.js';
import type {RegistryClient} from './client.js';

export type {ImageFacts};
import {imageWeight, isIndex, platformString, platformsOfIndex} from './manifests.js';
import {userFromLayers} from './passwd.js';

interface ImageConfig {
  os?: string;
  architecture?: string;
  variant?: string;
  config?: {User?: string; Labels?: Record<string, string> | null};
}

export interface PushedImage {
  digest: string;
  mediaType: string;
  index: boolean;
  platforms: ImageFacts[];
  /**
   * Every manifest the index lists (platform images, BuildKit attestation manifests), as
   * `cosign sign --recursive` would sign them; empty for a single manifest.
   */
  listed: {digest: string; mediaType: string}[];
}

async function platformFacts(
  client: RegistryClient,
  repository: string,
  digest: string,
  platform: string | undefined
): Promise<ImageFacts> {
  const m = await client.getManifest(repository, digest);
  const body = JSON.parse(m.body.toString('utf8')) as {
    config?: {digest: string; size: number};
    layers?: {digest: string; size: number}[];
  };
  if (!body.config) throw new Error(`${client.registry}/${repository}@${digest} is not an image manifest`);
  const config = JSON.parse((await client.getBlob(repository, body.config.digest)).toString('utf8')) as ImageConfig;
  const weight = imageWeight(body);
  return {
    platform:
      platform ??
      platformString({
        os: config.os ?? 'linux',
        architecture: config.architecture ?? 'unknown',
        variant: config.variant
      }),
    digest,
    mediaType: m.mediaType,
    manifestSize: m.body.length,
    user: config.config?.User ?? '',
    labels: config.config?.Labels ?? {},
    compressedSize: weight.size,
    layers: weight.layers,
    layerDigests: (body.layers ?? []).map(l => l.digest)
  };
}

/** Reads an index (or single manifest) back from the registry with every platform's config. */
export async function readPushedImage(
  client: RegistryClient,
  repository: string,
  digest: string
): Promise<PushedImage> {
  const m = await client.getManifest(repository, digest);
  const body = JSON.parse(m.body.toString('utf8')) as {manifests?: {digest: string; mediaType?: string}[]};
  if (!isIndex(m.mediaType, body)) {
    return {
      digest: m.digest,
      mediaType: m.mediaType,
      index: false,
      platforms: [await platformFacts(client, repository, m.digest, undefined)],
      listed: []
    };
  }
  const platforms = await Promise.all(
    platformsOfIndex(body as Parameters<typeof platformsOfIndex>[0]).map(p =>
      platformFacts(client, repository, p.digest, p.platform)
    )
  );
  const listed = (body.manifests ?? []).map(d => ({digest: d.digest, mediaType: d.mediaType ?? ''}));
  return {digest: m.digest, mediaType: m.mediaType, index: true, platforms, listed};
}

/**
 * Each platform whose config.User is a name gets the uid its own /etc/passwd gives (streamed from
 * the layers in `repository`, top layer first). Numbers and root need no lookup and are left as they are.
 */
export async function resolveUsers(
  client: RegistryClient,
  repository: string,
  facts: ImageFacts[]
): Promise<ImageFacts[]> {
  const out: ImageFacts[] = [];
  for (const f of facts) {
    const resolved = await userFromLayers(
      f.user,
      f.layerDigests.map(digest => ({digest, open: async () => (await client.openBlob(repository, digest)).body}))
    );
    out.push(resolved ? {...f, resolvedUser: resolved} : f);
  }
  return out;
}
