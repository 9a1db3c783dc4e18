// Promotion: copy an image BY DIGEST from one repository to another (same or another registry),
// with what refers to it (signatures, attestations, SBOMs), so the target serves the very digest
// that was tested and signed. Nothing is rebuilt and no manifest is re-encoded: the exact bytes are
// PUT by digest, children before parents (a registry rejects an index whose children it lacks).
//
// Blobs: skipped when the target has them, mounted when both repositories live in one registry
// (no bytes move), else streamed from the source registry into the target's upload (the digest
// checked as the bytes pass; a retry resumes with a Range request; the download is read ahead of
// the upload so both run at once). The walk is concurrent: children, blobs and referrers a few at
// a time (limit.ts), each manifest PUT only once its children are in place; memory does not grow
// with the layer size.
import {readAhead, type BlobSource} from './blob-source.js';
import {MEDIA_TYPES, digestOf, type Descriptor, type Manifest, type RegistryClient} from './client.js';
import {DEFAULT_BLOB_CONCURRENCY, DEFAULT_REQUEST_CONCURRENCY, limit, type Limit} from './limit.js';
import {isDigest, registryApiHost} from './reference.js';
import {cosignLegacyTags, fallbackTag, mergeReferrersIndex, referrersIndex, referrersOfIndex} from './referrers.js';

/** What copyImage needs of a client (RegistryClient has it all; tests may bring a smaller one). */
export type CopyClient = Pick<
  RegistryClient,
  | 'registry'
  | 'manifestDigest'
  | 'getManifest'
  | 'putManifest'
  | 'listTags'
  | 'blobExists'
  | 'uploadBlob'
  | 'openBlob'
  | 'mountBlob'
  | 'referrers'
>;

export interface CopyEnd {
  client: CopyClient;
  repository: string;
}

/** What one copy did to the target; a repeated copy reports zeros everywhere. */
export interface CopyStats {
  /** Manifests PUT by digest (images, platform manifests, referrers). */
  manifests: number;
  blobsMounted: number;
  blobsUploaded: number;
  /** Blobs the target already had (shared base layers, an earlier partial copy). */
  blobsExisting: number;
  bytesUploaded: number;
  /** Tags (re)created in the target: `sha256-<hex>` tag-schema indexes and cosign's `.sig/.att/.sbom`. */
  tagsCopied: string[];
  /** Referrer manifests (signatures, attestations, SBOMs) PUT in the target. */
  referrers: number;
}

export interface CopyOptions {
  /** Also copy what refers to the image and to each of its platform manifests. Default true. */
  referrers?: boolean;
  log?: (msg: string) => void;
  /** Blobs in flight at once for this copy. Default 4 (the process-wide bound of limit.ts also holds). */
  blobConcurrency?: number;
  /** Manifest requests (HEAD, GET, PUT, referrers) in flight at once for this copy. Default 8. */
  requestConcurrency?: number;
}

/**
 * The source registry's blob as an upload source: reopened at an offset when a retry resumes, and
 * read ahead of the upload (blob-source.ts readAhead) so download and upload overlap.
 */
export function registryBlobSource(end: CopyEnd, d: Descriptor): BlobSource {
  return {
    size: d.size,
    origin: `${end.client.registry}/${end.repository}`,
    open: async offset => readAhead((await end.client.openBlob(end.repository, d.digest, offset)).body)
  };
}

/** Layers a registry is not expected to hold: they are fetched from their `urls`. */
const FOREIGN_LAYER = /(foreign|nondistributable)/;

/** The child manifests (of an index) and the blobs (of an image manifest) a manifest needs. */
export function manifestChildren(body: Buffer): {manifests: Descriptor[]; blobs: Descriptor[]} {
  const parsed = JSON.parse(body.toString('utf8')) as {
    schemaVersion?: unknown;
    manifests?: unknown;
    config?: unknown;
    layers?: unknown;
  };
  if (parsed.schemaVersion === 1) throw new Error('Docker schema 1 manifests cannot be copied by digest');
  const check = (d: unknown, where: string): Descriptor => {
    const desc = d as Descriptor;
    if (typeof desc !== 'object' || desc === null || typeof desc.digest !== 'string' || !isDigest(desc.digest)) {
      throw new Error(`manifest ${where} has no valid digest`);
    }
    return desc;
  };
  if (Array.isArray(parsed.manifests)) {
    return {manifests: parsed.manifests.map((d, i) => check(d, `manifests[${i}]`)), blobs: []};
  }
  const blobs: Descriptor[] = [];
  const seen = new Set<string>();
  const add = (d: Descriptor): void => {
    if (seen.has(d.digest)) return;
    if (d.urls?.length && FOREIGN_LAYER.test(d.mediaType ?? '')) return;
    seen.add(d.digest);
    blobs.push(d);
  };
  if (parsed.config !== undefined) add(check(parsed.config, 'config'));
  if (Array.isArray(parsed.layers)) parsed.layers.forEach((d, i) => add(check(d, `layers[${i}]`)));
  return {manifests: [], blobs};
}

function sameRegistry(a: CopyClient, b: CopyClient): boolean {
  return registryApiHost(a.registry).toLowerCase() === registryApiHost(b.registry).toLowerCase();
}

/** Waits for every promise (no request is left running behind an error), then throws the first failure. */
async function settle(work: (Promise<unknown> | undefined)[]): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

class Copier {
  readonly stats: CopyStats = {
    manifests: 0,
    blobsMounted: 0,
    blobsUploaded: 0,
    blobsExisting: 0,
    bytesUploaded: 0,
    tagsCopied: [],
    referrers: 0
  };
  /**
   * One promise per manifest digest: settled once the target has it (PUT, or found there), with
   * the digests of its child manifests. A parent waits on its children's; that graph is acyclic
   * (a manifest names its children by digest), so the walk can go wide without deadlocking.
   */
  private readonly placed = new Map<string, Promise<string[]>>();
  /** Digests whose children and referrers are walked: referrers may lead back, so never awaited twice. */
  private readonly walked = new Set<string>();
  private readonly blobsDone = new Map<string, Promise<void>>();
  private readonly mount: boolean;
  private readonly log: (msg: string) => void;
  private readonly blobLimit: Limit;
  private readonly requestLimit: Limit;
  /** The first failure: no new request starts after it (those running finish, see settle). */
  private failure?: unknown;
  private sourceTags?: Promise<Set<string>>;
  /**
   * Decided by the first answer (clients decide once per registry too): a registry with the API
   * answers every subject, and an empty answer is no reason to stop asking.
   */
  private sourceHasApi?: boolean;
  private targetHasApi?: Promise<boolean>;

  constructor(
    private readonly src: CopyEnd,
    private readonly dst: CopyEnd,
    private readonly withReferrers: boolean,
    log: ((msg: string) => void) | undefined,
    blobConcurrency: number,
    requestConcurrency: number
  ) {
    this.mount = sameRegistry(src.client, dst.client) && src.repository !== dst.repository;
    this.log = log ?? (() => undefined);
    this.blobLimit = limit(blobConcurrency);
    this.requestLimit = limit(requestConcurrency);
  }

  /** The manifest, its children and what refers to each, concurrently; see `placed` and `walked`. */
  async image(digest: string, asReferrer: boolean): Promise<void> {
    if (this.walked.has(digest)) return;
    this.walked.add(digest);
    // Referrers are looked up while the manifest is placed, not after: they need only the
    // subject's digest (a registry takes a referrer before its subject), and finding them costs
    // a tag listing and a few requests per subject.
    await settle([
      // Walked even when the target has the parent: a child may have gained a signature since.
      this.place(digest, asReferrer).then(children => settle(children.map(child => this.image(child, false)))),
      this.withReferrers ? this.referrersOf(digest) : undefined
    ]);
  }

  /** A manifest request (HEAD, GET, PUT) under the copy's bound; none starts after a failure. */
  private req<T>(fn: () => Promise<T>): Promise<T> {
    return this.requestLimit(async () => {
      if (this.failure !== undefined) throw this.failure;
      try {
        return await fn();
      } catch (err) {
        this.failure ??= err;
        throw err;
      }
    });
  }

  private place(digest: string, asReferrer: boolean): Promise<string[]> {
    let done = this.placed.get(digest);
    if (!done) {
      done = this.put(digest, asReferrer);
      this.placed.set(digest, done);
    }
    return done;
  }

  /** Children (placed first: a registry rejects an index whose children it lacks), blobs, then the manifest. */
  private async put(digest: string, asReferrer: boolean): Promise<string[]> {
    const manifest = await this.req(() => this.src.client.getManifest(this.src.repository, digest));
    const {manifests, blobs} = manifestChildren(manifest.body);
    const children = manifests.map(c => c.digest);
    let present = false;
    await settle([
      this.req(() => this.dst.client.manifestDigest(this.dst.repository, digest)).then(d => {
        present = d === digest;
      }),
      ...children.map(c => this.place(c, false))
    ]);
    if (present) return children;
    await settle(blobs.map(b => this.blob(b)));
    await this.req(() => this.dst.client.putManifest(this.dst.repository, digest, manifest.body, manifest.mediaType));
    this.stats.manifests++;
    if (asReferrer) this.stats.referrers++;
    this.log(`copy: manifest ${digest} (${manifest.mediaType})`);
    return children;
  }

  /** One transfer per digest, however many manifests share the blob. */
  private blob(d: Descriptor): Promise<void> {
    let done = this.blobsDone.get(d.digest);
    if (!done) {
      done = this.blobLimit(async () => {
        if (this.failure !== undefined) throw this.failure;
        try {
          await this.transfer(d);
        } catch (err) {
          this.failure ??= err;
          throw err;
        }
      });
      this.blobsDone.set(d.digest, done);
    }
    return done;
  }

  private async transfer(d: Descriptor): Promise<void> {
    const {client, repository} = this.dst;
    if (await client.blobExists(repository, d.digest)) {
      this.stats.blobsExisting++;
      return;
    }
    if (this.mount && (await client.mountBlob(repository, d.digest, this.src.repository))) {
      this.stats.blobsMounted++;
      this.log(`copy: mounted blob ${d.digest} from ${this.src.repository}`);
      return;
    }
    if ((await client.uploadBlob(repository, d.digest, registryBlobSource(this.src, d))) === 'exists') {
      this.stats.blobsExisting++;
      return;
    }
    this.stats.blobsUploaded++;
    this.stats.bytesUploaded += d.size;
    this.log(`copy: uploaded blob ${d.digest} (${d.size} B)`);
  }

  private async referrersOf(subject: string): Promise<void> {
    const ask = this.sourceHasApi !== false;
    const [tags, api] = await Promise.all([
      this.tagsOfSource(),
      ask ? this.req(() => this.src.client.referrers(this.src.repository, subject)) : undefined
    ]);
    if (ask) this.sourceHasApi ??= api !== undefined;
    const found: Descriptor[] = [...(api ?? [])];
    // Read even beside the API: clients that pushed before the registry had it left the tag.
    const schemaTag = fallbackTag(subject);
    let tagIndex: Manifest | undefined;
    if (tags.has(schemaTag)) {
      tagIndex = await this.req(() => this.src.client.getManifest(this.src.repository, schemaTag));
      const known = new Set(found.map(d => d.digest));
      found.push(...referrersOfIndex(tagIndex.body).filter(d => !known.has(d.digest)));
    }
    const legacy = cosignLegacyTags(subject).filter(tag => tags.has(tag));
    await settle([
      ...found.map(d => this.image(d.digest, true)),
      ...legacy.map(async tag => {
        const digest = await this.req(() => this.src.client.manifestDigest(this.src.repository, tag));
        if (!digest) return; // deleted since the listing
        await this.image(digest, true);
        await this.place(digest, true); // walked elsewhere: image() returned before it was there
        await this.ensureTag(tag, digest);
      })
    ]);
    if (found.length === 0) return;
    // A target with the API lists the copied referrers itself (they name their subject); the
    // tag-schema index would only be a second, drifting copy of that list.
    if (await this.targetSupportsApi(subject)) return;
    // The index names them: each must be in the target first.
    await settle(found.map(d => this.place(d.digest, true)));
    if (tagIndex) {
      await this.ensureSchemaTag(schemaTag, tagIndex, found);
    } else {
      const body = referrersIndex(found);
      await this.ensureSchemaTag(schemaTag, {digest: digestOf(body), mediaType: MEDIA_TYPES.ociIndex, body}, found);
    }
  }

  /** Same bytes as the source's tag when the target has none, so both tags share one digest. */
  private async ensureSchemaTag(tag: string, wanted: Manifest, entries: Descriptor[]): Promise<void> {
    const {client, repository} = this.dst;
    const current = await this.req(() => client.manifestDigest(repository, tag));
    if (current === wanted.digest) return;
    let body = wanted.body;
    if (current !== undefined) {
      const merged = mergeReferrersIndex((await this.req(() => client.getManifest(repository, tag))).body, entries);
      if (!merged) return;
      body = merged;
      this.log(`copy: ${repository}:${tag} had referrers of its own; merged, none dropped`);
    }
    await this.req(() => client.putManifest(repository, tag, body, MEDIA_TYPES.ociIndex));
    this.stats.tagsCopied.push(tag);
  }

  /**
   * cosign's legacy tags hold one manifest, not a list: the source's wins (promotion makes the
   * target match the source), and a replaced target digest is logged.
   */
  private async ensureTag(tag: string, digest: string): Promise<void> {
    const {client, repository} = this.dst;
    const current = await this.req(() => client.manifestDigest(repository, tag));
    if (current === digest) return;
    if (current !== undefined) this.log(`copy: ${repository}:${tag} pointed at ${current}; now ${digest}`);
    const m = await this.req(() => client.getManifest(repository, digest));
    await this.req(() => client.putManifest(repository, tag, m.body, m.mediaType));
    this.stats.tagsCopied.push(tag);
  }

  /** Asked once per copy (the first subject with referrers); the answer holds for the registry. */
  private targetSupportsApi(subject: string): Promise<boolean> {
    this.targetHasApi ??= this.req(() => this.dst.client.referrers(this.dst.repository, subject)).then(
      r => r !== undefined
    );
    return this.targetHasApi;
  }

  private tagsOfSource(): Promise<Set<string>> {
    this.sourceTags ??= this.req(() => this.src.client.listTags(this.src.repository)).then(t => new Set(t));
    return this.sourceTags;
  }
}

/** Copies the index or manifest `digest` (and, by default, its referrers) from `src` to `dst`. */
export async function copyImage(
  src: CopyEnd,
  dst: CopyEnd,
  digest: string,
  opts: CopyOptions = {}
): Promise<CopyStats> {
  if (!isDigest(digest)) throw new Error(`copyImage: "${digest}" is not a digest`);
  const copier = new Copier(
    src,
    dst,
    opts.referrers ?? true,
    opts.log,
    opts.blobConcurrency ?? DEFAULT_BLOB_CONCURRENCY,
    opts.requestConcurrency ?? DEFAULT_REQUEST_CONCURRENCY
  );
  await copier.image(digest, false);
  // The walk is concurrent: sorted, the list does not depend on which answer came first.
  copier.stats.tagsCopied.sort();
  return copier.stats;
}
