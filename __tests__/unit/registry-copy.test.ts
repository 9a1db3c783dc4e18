// copyImage's pure helpers, and its walk over an in-memory registry for the orders and the cases
// registry 2.8 cannot show (a referrers API on either side, a target with referrers of its own,
// cosign's legacy .sig tags, a declined mount). The real registries are in integration/registry-copy.
import {describe, expect, it} from '@jest/globals';
import type {BlobSource} from '../../src/registry/blob-source.js';
import {MEDIA_TYPES, digestOf, type BlobStream, type Descriptor, type Manifest} from '../../src/registry/client.js';
import {copyImage, manifestChildren, type CopyClient} from '../../src/registry/copy.js';
import {cosignLegacyTags, fallbackTag, mergeReferrersIndex, referrersIndex} from '../../src/registry/referrers.js';

const HEX = 'ab'.repeat(32);
const HEX512 = 'cd'.repeat(64);
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

describe('tag names', () => {
  it.each([
    [`sha256:${HEX}`, `sha256-${HEX}`, [`sha256-${HEX}.sig`, `sha256-${HEX}.att`, `sha256-${HEX}.sbom`]],
    [`sha512:${HEX512}`, `sha512-${HEX512.slice(0, 64)}`, []]
  ])('%s → %s', (digest, tag, legacy) => {
    expect(fallbackTag(digest)).toBe(tag);
    expect(cosignLegacyTags(digest)).toEqual(legacy);
  });

  it('refuses what is not a digest', () => {
    expect(() => fallbackTag('latest')).toThrow('"latest" is not a digest');
  });
});

describe('manifestChildren', () => {
  const d = (n: number, extra: Partial<Descriptor> = {}): Descriptor => ({
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    digest: `sha256:${String(n).repeat(64)}`,
    size: n,
    ...extra
  });
  it.each([
    ['index: its manifests, no blobs', {schemaVersion: 2, manifests: [d(1), d(2)]}, [1, 2], []],
    ['image: config then layers', {schemaVersion: 2, config: d(1), layers: [d(2), d(3)]}, [], [1, 2, 3]],
    ['a layer twice is one blob', {schemaVersion: 2, config: d(1), layers: [d(2), d(2)]}, [], [1, 2]],
    [
      'foreign layers stay where their urls point',
      {
        schemaVersion: 2,
        config: d(1),
        layers: [d(2, {mediaType: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', urls: ['https://x']})]
      },
      [],
      [1]
    ],
    ['an artifact without layers: its config only', {schemaVersion: 2, config: d(4), subject: d(5)}, [], [4]]
  ])('%s', (_name, body, manifests, blobs) => {
    const got = manifestChildren(json(body));
    expect(got.manifests.map(m => m.size)).toEqual(manifests);
    expect(got.blobs.map(b => b.size)).toEqual(blobs);
  });

  it.each([
    ['schema 1', {schemaVersion: 1, fsLayers: []}, 'Docker schema 1'],
    ['a bad digest', {schemaVersion: 2, manifests: [{digest: 'sha256:nope'}]}, 'manifests[0] has no valid digest']
  ])('refuses %s', (_name, body, message) => {
    expect(() => manifestChildren(json(body))).toThrow(message);
  });
});

describe('mergeReferrersIndex', () => {
  const a = {mediaType: MEDIA_TYPES.ociManifest, digest: `sha256:${'a'.repeat(64)}`, size: 1};
  const b = {...a, digest: `sha256:${'b'.repeat(64)}`};
  it.each([
    ['appends what is missing, keeps what is there', [a], [b, a], [a, b]],
    ['nothing missing: no new bytes', [a, b], [b], undefined]
  ])('%s', (_name, existing, add, expected) => {
    const merged = mergeReferrersIndex(referrersIndex(existing), add);
    expect(merged && (JSON.parse(merged.toString()) as {manifests: Descriptor[]}).manifests).toEqual(expected);
  });
});

// ---- an in-memory registry ---------------------------------------------------------------

interface Repo {
  manifests: Map<string, {body: Buffer; mediaType: string}>;
  tags: Map<string, string>;
  blobs: Map<string, Buffer>;
}

/** Just enough of a registry for copyImage; `writes` records every change in order. */
class MemRegistry implements CopyClient {
  readonly writes: string[] = [];
  /** Writes and tag listings, in order: when the walk looked for referrers. */
  readonly events: string[] = [];
  private readonly repos = new Map<string, Repo>();
  constructor(
    readonly registry: string,
    private readonly features: {referrersApi?: boolean; mount?: boolean} = {}
  ) {}

  repo(name: string): Repo {
    let r = this.repos.get(name);
    if (!r) this.repos.set(name, (r = {manifests: new Map(), tags: new Map(), blobs: new Map()}));
    return r;
  }
  private resolve(repository: string, reference: string): string | undefined {
    const r = this.repo(repository);
    return reference.includes(':') ? (r.manifests.has(reference) ? reference : undefined) : r.tags.get(reference);
  }
  async manifestDigest(repository: string, reference: string): Promise<string | undefined> {
    return this.resolve(repository, reference);
  }
  async getManifest(repository: string, reference: string): Promise<Manifest> {
    const digest = this.resolve(repository, reference);
    const m = digest && this.repo(repository).manifests.get(digest);
    if (!digest || !m) throw new Error(`404 ${repository}:${reference}`);
    return {digest, ...m};
  }
  async putManifest(repository: string, reference: string, body: Buffer, mediaType: string): Promise<string> {
    const digest = digestOf(body);
    const r = this.repo(repository);
    const {manifests, blobs} = manifestChildren(body);
    for (const c of manifests) if (!r.manifests.has(c.digest)) throw new Error(`child ${c.digest} missing`);
    for (const b of blobs) if (!r.blobs.has(b.digest)) throw new Error(`blob ${b.digest} missing`);
    r.manifests.set(digest, {body, mediaType});
    if (!reference.includes(':')) r.tags.set(reference, digest);
    this.writes.push(`PUT ${repository}:${reference.includes(':') ? digest : reference}`);
    this.events.push(`PUT ${repository}:${reference.includes(':') ? digest : reference}`);
    return digest;
  }
  async listTags(repository: string): Promise<string[]> {
    this.events.push(`TAGS ${repository}`);
    return [...this.repo(repository).tags.keys()];
  }
  async blobExists(repository: string, digest: string): Promise<boolean> {
    return this.repo(repository).blobs.has(digest);
  }
  async uploadBlob(repository: string, digest: string, data: Buffer | BlobSource): Promise<'exists' | 'uploaded'> {
    if (await this.blobExists(repository, digest)) return 'exists';
    const parts: Buffer[] = [];
    if (Buffer.isBuffer(data)) parts.push(data);
    else for await (const piece of await data.open(0)) parts.push(Buffer.from(piece));
    this.repo(repository).blobs.set(digest, Buffer.concat(parts));
    this.writes.push(`UPLOAD ${repository} ${digest}`);
    return 'uploaded';
  }
  async openBlob(repository: string, digest: string, offset = 0): Promise<BlobStream> {
    const b = this.repo(repository).blobs.get(digest);
    if (!b) throw new Error(`404 blob ${digest}`);
    return {
      size: b.length,
      body: (async function* () {
        yield await Promise.resolve(b.subarray(offset));
      })()
    };
  }
  async mountBlob(repository: string, digest: string, from: string): Promise<boolean> {
    const b = this.repo(from).blobs.get(digest);
    if (this.features.mount === false || !b) return false;
    this.repo(repository).blobs.set(digest, b);
    this.writes.push(`MOUNT ${repository} ${digest}`);
    return true;
  }
  async referrers(repository: string, digest: string): Promise<Descriptor[] | undefined> {
    if (!this.features.referrersApi) return undefined;
    return [...this.repo(repository).manifests.entries()]
      .filter(([, m]) => (JSON.parse(m.body.toString()) as {subject?: {digest: string}}).subject?.digest === digest)
      .map(([d, m]) => ({mediaType: m.mediaType, digest: d, size: m.body.length}));
  }
}

/** Every call takes a few ms and is counted while it runs: how wide the walk goes. */
class SlowRegistry extends MemRegistry {
  inFlight = 0;
  maxInFlight = 0;
  constructor(
    registry: string,
    private readonly slow: {failUpload?: string} = {}
  ) {
    super(registry);
  }
  private async slowly<T>(fn: () => Promise<T>): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise(resolve => setTimeout(resolve, 5));
      return await fn();
    } finally {
      this.inFlight--;
    }
  }
  override manifestDigest(repository: string, reference: string): Promise<string | undefined> {
    return this.slowly(() => super.manifestDigest(repository, reference));
  }
  override getManifest(repository: string, reference: string): Promise<Manifest> {
    return this.slowly(() => super.getManifest(repository, reference));
  }
  override putManifest(repository: string, reference: string, body: Buffer, mediaType: string): Promise<string> {
    return this.slowly(() => super.putManifest(repository, reference, body, mediaType));
  }
  override uploadBlob(repository: string, digest: string, data: Buffer | BlobSource): Promise<'exists' | 'uploaded'> {
    return this.slowly(async () => {
      const failing = this.slow.failUpload;
      if (failing !== undefined && digest === digestOf(Buffer.from(failing))) {
        await new Promise(resolve => setTimeout(resolve, 20));
        throw new Error(`upload of "${failing}" refused`);
      }
      return super.uploadBlob(repository, digest, data);
    });
  }
}

/** Pushes blobs and an image manifest; returns its descriptor. */
function pushImage(reg: MemRegistry, repo: string, layers: string[], extra: Record<string, unknown> = {}): Descriptor {
  const r = reg.repo(repo);
  const desc = (s: string): Descriptor => {
    const b = Buffer.from(s);
    r.blobs.set(digestOf(b), b);
    return {mediaType: 'application/octet-stream', digest: digestOf(b), size: b.length};
  };
  const body = json({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: desc('{}'),
    layers: layers.map(desc),
    ...extra
  });
  r.manifests.set(digestOf(body), {body, mediaType: MEDIA_TYPES.ociManifest});
  return {mediaType: MEDIA_TYPES.ociManifest, digest: digestOf(body), size: body.length};
}

/** A 2-platform index sharing one base layer; the index signed via the tag schema (or the API), arm64 via cosign's .sig tag. */
function signedIndex(reg: MemRegistry, repo: string, schema: 'tag' | 'api') {
  const amd = pushImage(reg, repo, ['base', 'amd64 app']);
  const arm = pushImage(reg, repo, ['base', 'arm64 app']);
  const body = json({schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [amd, arm]});
  const index = digestOf(body);
  reg.repo(repo).manifests.set(index, {body, mediaType: MEDIA_TYPES.ociIndex});
  const sig = pushImage(reg, repo, ['signature of index'], {
    artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    subject: {mediaType: MEDIA_TYPES.ociIndex, digest: index, size: body.length}
  });
  if (schema === 'tag') {
    const tagIndex = referrersIndex([sig]);
    reg.repo(repo).manifests.set(digestOf(tagIndex), {body: tagIndex, mediaType: MEDIA_TYPES.ociIndex});
    reg.repo(repo).tags.set(fallbackTag(index), digestOf(tagIndex));
  }
  const legacy = pushImage(reg, repo, ['cosign simple signing layer']);
  reg.repo(repo).tags.set(`${fallbackTag(arm.digest)}.sig`, legacy.digest);
  return {index, amd: amd.digest, arm: arm.digest, sig: sig.digest, legacy: legacy.digest};
}

describe('copyImage over an in-memory registry', () => {
  it('same registry: children before parents, tag-schema index after its referrers, every blob mounted once', async () => {
    const reg = new MemRegistry('r.example');
    const img = signedIndex(reg, 'dev/app', 'tag');
    const stats = await copyImage(
      {client: reg, repository: 'dev/app'},
      {client: reg, repository: 'stage/app'},
      img.index
    );
    const puts = reg.writes.filter(w => w.startsWith('PUT')).map(w => w.slice('PUT stage/app:'.length));
    // The walk is concurrent: what must hold is each write after what it names.
    expect([...puts].sort()).toEqual(
      [img.amd, img.arm, img.legacy, `${fallbackTag(img.arm)}.sig`, img.index, img.sig, fallbackTag(img.index)].sort()
    );
    const before = (a: string, b: string): void => expect(puts.indexOf(a)).toBeLessThan(puts.indexOf(b));
    before(img.amd, img.index);
    before(img.arm, img.index);
    before(img.legacy, `${fallbackTag(img.arm)}.sig`);
    before(img.sig, fallbackTag(img.index));
    // Referrers are looked for while the index is placed, not once it is there.
    expect(reg.events.indexOf('TAGS dev/app')).toBeGreaterThanOrEqual(0);
    expect(reg.events.indexOf('TAGS dev/app')).toBeLessThan(reg.events.indexOf(`PUT stage/app:${img.index}`));
    // '{}' config, base, amd64 app, arm64 app, index signature, legacy signature
    expect(stats).toEqual({
      manifests: 5,
      blobsMounted: 6,
      blobsUploaded: 0,
      blobsExisting: 0,
      bytesUploaded: 0,
      tagsCopied: [`${fallbackTag(img.arm)}.sig`, fallbackTag(img.index)].sort(),
      referrers: 2
    });
    expect(reg.repo('stage/app').tags.get(fallbackTag(img.index))).toBe(
      reg.repo('dev/app').tags.get(fallbackTag(img.index))
    );
  });

  it.each([
    ['another registry', new MemRegistry('other.example'), 0],
    ['same registry, mount declined', undefined, 0]
  ])('%s: bytes uploaded, then a repeated copy writes nothing', async (_name, other, mounted) => {
    const src = new MemRegistry('r.example', {mount: false});
    const dst = other ?? src;
    const img = signedIndex(src, 'dev/app', 'tag');
    const first = await copyImage(
      {client: src, repository: 'dev/app'},
      {client: dst, repository: 'prod/app'},
      img.index
    );
    expect(first).toMatchObject({manifests: 5, blobsMounted: mounted, blobsUploaded: 6, referrers: 2});
    const bytes = [...src.repo('dev/app').blobs.values()].reduce((n, b) => n + b.length, 0);
    expect(first.bytesUploaded).toBe(bytes);
    const before = dst.writes.length;
    const again = await copyImage(
      {client: src, repository: 'dev/app'},
      {client: dst, repository: 'prod/app'},
      img.index
    );
    expect(again).toEqual({
      manifests: 0,
      blobsMounted: 0,
      blobsUploaded: 0,
      blobsExisting: 0,
      bytesUploaded: 0,
      tagsCopied: [],
      referrers: 0
    });
    expect(dst.writes.length).toBe(before);
  });

  it.each([
    ['target without the API: a tag-schema index is made for it', false, 1],
    ['target with the API: no tag needed', true, 0]
  ])('source with the referrers API, %s', async (_name, targetApi, tags) => {
    const src = new MemRegistry('a.example', {referrersApi: true});
    const dst = new MemRegistry('b.example', {referrersApi: targetApi});
    const img = signedIndex(src, 'dev/app', 'api');
    const stats = await copyImage(
      {client: src, repository: 'dev/app'},
      {client: dst, repository: 'prod/app'},
      img.index
    );
    expect(stats.referrers).toBe(2);
    expect(stats.tagsCopied.filter(t => !t.endsWith('.sig'))).toHaveLength(tags);
    const made = dst.repo('prod/app').tags.get(fallbackTag(img.index));
    if (tags) {
      const body = dst.repo('prod/app').manifests.get(made ?? '')?.body ?? Buffer.from('{}');
      expect((JSON.parse(body.toString()) as {manifests: Descriptor[]}).manifests.map(d => d.digest)).toEqual([
        img.sig
      ]);
    } else expect(made).toBeUndefined();
  });

  it("merges into the target's own tag-schema index instead of replacing it", async () => {
    const src = new MemRegistry('a.example');
    const dst = new MemRegistry('b.example');
    const img = signedIndex(src, 'dev/app', 'tag');
    const theirs = pushImage(dst, 'prod/app', ['an attestation made in prod']);
    const own = referrersIndex([theirs]);
    dst.repo('prod/app').manifests.set(digestOf(own), {body: own, mediaType: MEDIA_TYPES.ociIndex});
    dst.repo('prod/app').tags.set(fallbackTag(img.index), digestOf(own));
    await copyImage({client: src, repository: 'dev/app'}, {client: dst, repository: 'prod/app'}, img.index);
    const tagged = await dst.getManifest('prod/app', fallbackTag(img.index));
    expect((JSON.parse(tagged.body.toString()) as {manifests: Descriptor[]}).manifests.map(d => d.digest)).toEqual([
      theirs.digest,
      img.sig
    ]);
  });

  it('referrers: false copies the image alone', async () => {
    const reg = new MemRegistry('r.example');
    const img = signedIndex(reg, 'dev/app', 'tag');
    const stats = await copyImage({client: reg, repository: 'dev/app'}, {client: reg, repository: 'x/app'}, img.index, {
      referrers: false
    });
    expect(stats).toMatchObject({manifests: 3, referrers: 0, tagsCopied: [], blobsMounted: 4});
  });

  it('goes wide over the platforms of an index, never past the request bound', async () => {
    const reg = new SlowRegistry('r.example');
    const platforms = Array.from({length: 12}, (_, i) => pushImage(reg, 'dev/app', [`layer ${i}`]));
    const body = json({schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: platforms});
    reg.repo('dev/app').manifests.set(digestOf(body), {body, mediaType: MEDIA_TYPES.ociIndex});
    const stats = await copyImage(
      {client: reg, repository: 'dev/app'},
      {client: reg, repository: 'prod/app'},
      digestOf(body),
      {requestConcurrency: 3}
    );
    expect(stats).toMatchObject({manifests: 13, blobsMounted: 13});
    expect(reg.maxInFlight).toBe(3);
    expect(reg.writes.at(-1)).toBe(`PUT prod/app:${digestOf(body)}`);
  });

  it('referrers that lead back to where the walk came from end (cosign .sig tags pointing at each other)', async () => {
    const src = new MemRegistry('a.example');
    const dst = new MemRegistry('b.example');
    const a = pushImage(src, 'dev/app', ['a']);
    const b = pushImage(src, 'dev/app', ['b']);
    src.repo('dev/app').tags.set(`${fallbackTag(a.digest)}.sig`, b.digest);
    src.repo('dev/app').tags.set(`${fallbackTag(b.digest)}.sig`, a.digest);
    const stats = await copyImage(
      {client: src, repository: 'dev/app'},
      {client: dst, repository: 'prod/app'},
      a.digest
    );
    expect(stats.tagsCopied).toEqual([`${fallbackTag(a.digest)}.sig`, `${fallbackTag(b.digest)}.sig`].sort());
    expect(dst.repo('prod/app').tags.get(`${fallbackTag(b.digest)}.sig`)).toBe(a.digest);
  });

  it('a failed blob: the copy rejects with it once nothing is in flight, and the image manifest is never PUT', async () => {
    const src = new SlowRegistry('a.example');
    const dst = new SlowRegistry('b.example', {failUpload: 'amd64 app'});
    const img = signedIndex(src, 'dev/app', 'tag');
    await expect(
      copyImage({client: src, repository: 'dev/app'}, {client: dst, repository: 'prod/app'}, img.index)
    ).rejects.toThrow('upload of "amd64 app" refused');
    expect(src.inFlight + dst.inFlight).toBe(0);
    const put = dst.writes.filter(w => w.startsWith('PUT')).map(w => w.slice('PUT prod/app:'.length));
    expect(put).not.toContain(img.amd);
    expect(put).not.toContain(img.index);
  });

  it('refuses a reference that is not a digest', async () => {
    const reg = new MemRegistry('r.example');
    await expect(
      copyImage({client: reg, repository: 'a/b'}, {client: reg, repository: 'c/d'}, 'latest')
    ).rejects.toThrow('copyImage: "latest" is not a digest');
  });
});
