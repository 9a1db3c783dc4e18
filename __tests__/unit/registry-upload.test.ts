// Streaming blob uploads against the in-process fake registry: chunked PATCHes, the monolithic
// fallback, the digest checked as bytes pass, a progress deadline instead of a whole-request one,
// retries that never re-send to a dead session, resumption at the registry's offset, and a bound
// on blobs in flight. Sizes are small here; the bed test and scripts/bench measure GiB layers.
import {afterEach, describe, expect, it} from '@jest/globals';
import {createHash, randomBytes} from 'node:crypto';
import {mkdtempSync, mkdirSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pushLayout, type LayoutImage} from '../../src/registry/oci-layout.js';
import {bufferBlobSource, fileBlobSource} from '../../src/registry/blob-source.js';
import {RegistryClient, type RegistryClientOptions} from '../../src/registry/client.js';
import {copyImage} from '../../src/registry/copy.js';
import {addBlob, addManifest, fakeRegistry, type FakeOptions, type FakeRegistry} from '../helpers/fake-registry.js';

const MiB = 1024 * 1024;
const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const open: FakeRegistry[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map(r => r.close()));
});

async function registry(opts: FakeOptions = {}): Promise<FakeRegistry> {
  const r = await fakeRegistry(opts);
  open.push(r);
  return r;
}

function client(reg: FakeRegistry, opts: Partial<RegistryClientOptions> = {}) {
  const logs: string[] = [];
  const c = new RegistryClient({
    registry: reg.host,
    insecure: true,
    retry: {attempts: 3, baseDelayMs: 1, sleep: async () => undefined},
    log: m => logs.push(m),
    ...opts
  });
  return {c, logs};
}

/** The upload requests of the log, without the HEAD that asks whether the blob exists. */
const uploads = (reg: FakeRegistry): string[] =>
  reg.log.filter(l => !l.startsWith('HEAD')).map(l => l.replace(/uploads\/[0-9a-f-]+/, 'uploads/<id>'));

describe('streaming upload', () => {
  it('chunked: one POST, a PATCH per chunk, an empty PUT to commit; the registry holds the exact bytes', async () => {
    const reg = await registry();
    const {c} = client(reg, {chunkBytes: MiB});
    const data = randomBytes(2.5 * MiB);
    await expect(c.uploadBlob('acme/app', sha(data), bufferBlobSource(data))).resolves.toBe('uploaded');
    expect(uploads(reg)).toEqual([
      'POST /v2/acme/app/blobs/uploads/',
      'PATCH /v2/acme/app/blobs/uploads/<id>',
      'PATCH /v2/acme/app/blobs/uploads/<id>',
      'PATCH /v2/acme/app/blobs/uploads/<id>',
      'PUT /v2/acme/app/blobs/uploads/<id>'
    ]);
    expect(reg.repo('acme/app').blobs.get(sha(data))?.equals(data)).toBe(true);
    await expect(c.uploadBlob('acme/app', sha(data), bufferBlobSource(data))).resolves.toBe('exists');
  });

  it.each([
    // 64 MiB first; the fake registry takes it far faster than 16 MiB/s, so the rest goes in one
    ['the default size grows with the measured rate', 2, {}],
    ['a fixed size stays fixed', 4, {chunkBytes: 64 * MiB}]
  ])('%s: a 200 MiB blob in %d PATCHes', async (_name, patches, opts) => {
    const reg = await registry();
    const {c} = client(reg, opts);
    const data = Buffer.alloc(200 * MiB, 'layer');
    await c.uploadBlob('acme/app', sha(data), bufferBlobSource(data));
    expect(uploads(reg).filter(l => l.startsWith('PATCH'))).toHaveLength(patches);
    expect(reg.repo('acme/app').blobs.get(sha(data))?.length).toBe(data.length);
  });

  it('a registry refusing chunks gets one streaming PUT, and the next blob goes there at once', async () => {
    const reg = await registry({chunked: false});
    const {c, logs} = client(reg, {chunkBytes: MiB});
    const a = randomBytes(1.5 * MiB);
    const b = randomBytes(MiB / 2);
    await c.uploadBlob('acme/app', sha(a), bufferBlobSource(a));
    await c.uploadBlob('acme/app', sha(b), bufferBlobSource(b));
    expect(uploads(reg)).toEqual([
      'POST /v2/acme/app/blobs/uploads/',
      'PATCH /v2/acme/app/blobs/uploads/<id>',
      'DELETE /v2/acme/app/blobs/uploads/<id>',
      'POST /v2/acme/app/blobs/uploads/',
      'PUT /v2/acme/app/blobs/uploads/<id>',
      'POST /v2/acme/app/blobs/uploads/',
      'PUT /v2/acme/app/blobs/uploads/<id>'
    ]);
    expect(reg.repo('acme/app').blobs.get(sha(a))?.equals(a)).toBe(true);
    expect(reg.repo('acme/app').blobs.get(sha(b))?.equals(b)).toBe(true);
    expect(logs.join('\n')).toContain('no chunked uploads (416 Range Not Satisfiable (BLOB_UPLOAD_INVALID');
  });

  it.each([
    ['chunked', true],
    ['monolithic', false]
  ])(
    '%s: bytes that do not hash to the digest are never committed; the error names blob, source and step',
    async (_n, chunked) => {
      const reg = await registry({chunked});
      const {c} = client(reg, {chunkBytes: MiB});
      const data = randomBytes(1.5 * MiB);
      const claimed = sha(Buffer.from('something else'));
      const err = await c
        .uploadBlob('acme/app', claimed, bufferBlobSource(data, 'OCI layout /tmp/l'))
        .catch((e: Error) => e);
      expect((err as Error).message).toBe(
        `registry ${reg.host}: upload blob acme/app@${claimed} failed: the bytes of blob ${claimed} read from OCI layout /tmp/l hash to ${sha(data)}: nothing was committed`
      );
      expect(reg.repo('acme/app').blobs.size).toBe(0);
      expect(uploads(reg).at(-1)).toBe('DELETE /v2/acme/app/blobs/uploads/<id>');
    }
  );

  it('a source shorter than its size fails naming the byte it ended at', async () => {
    const reg = await registry();
    const {c} = client(reg, {chunkBytes: MiB});
    const data = randomBytes(1000);
    const source = {...bufferBlobSource(data, 'registry src/x'), size: 2000};
    await expect(c.uploadBlob('acme/app', sha(data), source)).rejects.toThrow(
      `upload blob acme/app@${sha(data)} failed: reading blob ${sha(data)} from registry src/x: it ended at byte 1000 of 2000`
    );
  });
});

describe('slow and broken links', () => {
  it('a transfer that keeps moving outlives the deadline: it is on progress, not on the whole request', async () => {
    // 3 MiB at 2 MiB/s takes 1.5 s; the deadline is 1 s of NO progress.
    const reg = await registry({bytesPerSecond: 2 * MiB, dropBrokenSessions: true, chunked: false});
    const {c} = client(reg, {timeoutMs: 1000, retry: {attempts: 1}});
    const data = randomBytes(3 * MiB);
    await expect(c.uploadBlob('acme/app', sha(data), data)).resolves.toBe('uploaded');
    expect(reg.repo('acme/app').blobs.get(sha(data))?.equals(data)).toBe(true);
  });

  it('a stalled upload is cut after the idle deadline; the retry opens a NEW session, never the dead one', async () => {
    const reg = await registry({stall: {afterBytes: MiB, ms: 3000}, dropBrokenSessions: true, chunked: false});
    const {c, logs} = client(reg, {timeoutMs: 400});
    // Larger than the loopback socket buffers: the stall is seen while the body is still going out.
    const data = randomBytes(16 * MiB);
    await expect(c.uploadBlob('acme/app', sha(data), data)).resolves.toBe('uploaded');
    const ids = reg.log.filter(l => l.startsWith('PUT')).map(l => l.split('/').at(-1));
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
    expect(uploads(reg)).toEqual([
      'POST /v2/acme/app/blobs/uploads/',
      'PATCH /v2/acme/app/blobs/uploads/<id>', // 416: no chunks here
      'DELETE /v2/acme/app/blobs/uploads/<id>',
      'POST /v2/acme/app/blobs/uploads/',
      'PUT /v2/acme/app/blobs/uploads/<id>', // stalls, cut after 400 ms; the registry drops the session
      'DELETE /v2/acme/app/blobs/uploads/<id>', // best effort: the client cannot know it is gone
      'POST /v2/acme/app/blobs/uploads/',
      'PUT /v2/acme/app/blobs/uploads/<id>'
    ]);
    expect(logs.join('\n')).toMatch(/no progress for (0.4|2) s; attempt 2\/3/);
    expect(reg.repo('acme/app').blobs.get(sha(data))?.equals(data)).toBe(true);
  });

  it('a chunk that stalls resumes at the registry offset (GET on the upload URL): earlier chunks are not re-sent', async () => {
    const reg = await registry({stall: {afterBytes: 1.5 * MiB, ms: 3000}});
    const {c, logs} = client(reg, {timeoutMs: 400, chunkBytes: MiB});
    const data = randomBytes(3 * MiB);
    await expect(c.uploadBlob('acme/app', sha(data), data)).resolves.toBe('uploaded');
    expect(uploads(reg)).toEqual([
      'POST /v2/acme/app/blobs/uploads/',
      'PATCH /v2/acme/app/blobs/uploads/<id>',
      'PATCH /v2/acme/app/blobs/uploads/<id>',
      'GET /v2/acme/app/blobs/uploads/<id>',
      'PATCH /v2/acme/app/blobs/uploads/<id>',
      'PATCH /v2/acme/app/blobs/uploads/<id>',
      'PUT /v2/acme/app/blobs/uploads/<id>'
    ]);
    expect(logs.join('\n')).toContain(`resuming blob ${sha(data)} (${3 * MiB} B from memory) at byte ${MiB}`);
    expect(reg.repo('acme/app').blobs.get(sha(data))?.equals(data)).toBe(true);
  });

  it('a copy that breaks off re-reads the source from the resumed offset (Range), not from byte 0', async () => {
    const src = await registry();
    const dst = await registry({stall: {afterBytes: 1.5 * MiB, ms: 3000}});
    const layer = randomBytes(3 * MiB);
    const config = addBlob(src, 'dev/app', Buffer.from('{}'));
    const l = addBlob(src, 'dev/app', layer);
    const m = addManifest(src, 'dev/app', {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config,
      layers: [l]
    });
    const s = client(src).c;
    const d = client(dst, {timeoutMs: 400, chunkBytes: MiB}).c;
    const stats = await copyImage({client: s, repository: 'dev/app'}, {client: d, repository: 'prod/app'}, m.digest);
    expect(stats).toMatchObject({blobsUploaded: 2, bytesUploaded: layer.length + 2, manifests: 1});
    expect(dst.repo('prod/app').blobs.get(l.digest)?.equals(layer)).toBe(true);
    expect(src.log.filter(x => x === `GET /v2/dev/app/blobs/${l.digest}`)).toHaveLength(2);
  });
});

describe('blobs in flight', () => {
  it('pushLayout streams the files from disk, at most 4 at a time, then the manifest', async () => {
    const reg = await registry({bytesPerSecond: 8 * MiB});
    const dir = mkdtempSync(path.join(tmpdir(), 'layout-'));
    mkdirSync(path.join(dir, 'blobs', 'sha256'), {recursive: true});
    const blobs = Array.from({length: 10}, (_, i) => randomBytes(MiB / 2 + i));
    for (const b of blobs) writeFileSync(path.join(dir, 'blobs', 'sha256', sha(b).slice(7)), b);
    const body = Buffer.from(JSON.stringify({schemaVersion: 2, layers: blobs.map(b => ({digest: sha(b)}))}));
    const image: LayoutImage = {
      digest: sha(body),
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      body,
      manifests: [
        {digest: sha(body), mediaType: 'application/vnd.oci.image.manifest.v1+json', body, blobs: blobs.map(sha)}
      ]
    };
    const {c} = client(reg);
    await expect(pushLayout(dir, image, c, 'acme/app')).resolves.toEqual({uploaded: 10, existing: 0});
    expect(reg.peakUploads()).toBeGreaterThan(1);
    expect(reg.peakUploads()).toBeLessThanOrEqual(4);
    expect(reg.log.at(-1)).toBe(`PUT /v2/acme/app/manifests/${sha(body)}`);
    for (const b of blobs) expect(reg.repo('acme/app').blobs.get(sha(b))?.equals(b)).toBe(true);
  });

  it('a layout file that does not match its digest fails naming blob and layout; nothing is committed', async () => {
    const reg = await registry();
    const dir = mkdtempSync(path.join(tmpdir(), 'layout-'));
    mkdirSync(path.join(dir, 'blobs', 'sha256'), {recursive: true});
    const good = randomBytes(1000);
    writeFileSync(path.join(dir, 'blobs', 'sha256', sha(good).slice(7)), 'tampered');
    const source = fileBlobSource(path.join(dir, 'blobs', 'sha256', sha(good).slice(7)), `OCI layout ${dir}`);
    const {c} = client(reg);
    await expect(c.uploadBlob('acme/app', sha(good), source)).rejects.toThrow(
      `the bytes of blob ${sha(good)} read from OCI layout ${dir} hash to ${sha(Buffer.from('tampered'))}: nothing was committed`
    );
    expect(reg.repo('acme/app').blobs.size).toBe(0);
  });
});
