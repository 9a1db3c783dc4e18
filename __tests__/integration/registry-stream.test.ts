// A large blob through the client against the bed's real distribution registry, generated on the
// fly: streamed chunked upload, then a copy to another repository (a mount: 0 bytes) and one that
// really moves the bytes (mounting declined by naming another registry spelling). The process RSS
// is sampled throughout and must not grow with the blob (the old client held it 2-3 times).
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {RegistryClient} from '../../src/registry/client.js';
import {copyImage} from '../../src/registry/copy.js';
import {randomBlob} from '../../src/registry/random-blob.js';
import {type Bed, loadBed, uniqueTag} from './bed.js';
import {startThrottleProxy, type ThrottleProxy} from './throttle-proxy.js';

const MiB = 1024 * 1024;
const SIZE = 300 * MiB;
/** Headroom over the RSS before the transfer: pieces, sockets, GC slack; the blob is 300 MiB. */
const MAX_GROWTH = 120 * MiB;

/** Runs `fn`, sampling RSS every 25 ms; returns its result and the peak growth over the start. */
async function peakRss<T>(fn: () => Promise<T>): Promise<{value: T; growth: number}> {
  global.gc?.();
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 25);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return {value, growth: peak - start};
  } finally {
    clearInterval(timer);
  }
}

describe('a 300 MiB blob through the client, on the dev registry', () => {
  let bed: Bed;
  let dev: RegistryClient;
  const blob = randomBlob(uniqueTag('stream'), SIZE);
  let digest: string;
  const repo = `bed-test/${uniqueTag('stream')}`;
  beforeAll(() => {
    bed = loadBed();
    dev = new RegistryClient({registry: bed.devRegistry.host, insecure: true, retry: {attempts: 2, baseDelayMs: 50}});
    digest = blob.digest();
  });

  it('uploads streaming (chunked PATCH) with bounded RSS; the registry serves the exact size and digest', async () => {
    const {value, growth} = await peakRss(() => dev.uploadBlob(repo, digest, blob));
    expect(value).toBe('uploaded');
    expect(growth).toBeLessThan(MAX_GROWTH);
    const res = await fetch(`http://${bed.devRegistry.host}/v2/${repo}/blobs/${digest}`, {method: 'HEAD'});
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(SIZE));
    expect(res.headers.get('docker-content-digest')).toBe(digest);
  });

  it('copies it between repositories: mounted within the registry (0 bytes), streamed across with bounded RSS', async () => {
    const config = Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
    const {digestOf} = await import('../../src/registry/client.js');
    await dev.uploadBlob(repo, digestOf(config), config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length},
        layers: [{mediaType: 'application/vnd.oci.image.layer.v1.tar', digest, size: SIZE}]
      })
    );
    const m = await dev.putManifest(repo, digestOf(manifest), manifest, 'application/vnd.oci.image.manifest.v1+json');
    const mounted = await copyImage({client: dev, repository: repo}, {client: dev, repository: `${repo}-mounted`}, m);
    expect(mounted).toMatchObject({blobsMounted: 2, blobsUploaded: 0, bytesUploaded: 0, manifests: 1});
    // 127.0.0.1:<port> vs localhost:<port>: one registry, but the copier cannot know, so bytes move.
    const other = new RegistryClient({
      registry: bed.devRegistry.host.replace(/^127\.0\.0\.1/, 'localhost'),
      insecure: true,
      chunkBytes: 32 * MiB
    });
    const {value, growth} = await peakRss(() =>
      copyImage({client: dev, repository: repo}, {client: other, repository: `${repo}-copied`}, m)
    );
    expect(value).toMatchObject({blobsUploaded: 2, bytesUploaded: SIZE + config.length, manifests: 1});
    expect(growth).toBeLessThan(MAX_GROWTH);
    await expect(dev.manifestDigest(`${repo}-copied`, m)).resolves.toBe(m);
  });
});

// The slow link: a throttling TCP proxy in front of the same real registry. Each request's deadline
// (4 s without progress) is far shorter than the transfer (≈13 s for one 24 MiB PATCH at 2 MB/s):
// it succeeds only because the deadline is on progress, not on the whole request.
describe('over a throttled 2 MB/s link to the dev registry, with a 4 s per-request progress deadline', () => {
  const SLOW_SIZE = 24 * MiB;
  const RATE = 2e6;
  const DEADLINE_MS = 4000;
  let bed: Bed;
  let proxy: ThrottleProxy;
  let slow: RegistryClient;
  let dev: RegistryClient;
  const blob = randomBlob(uniqueTag('slow'), SLOW_SIZE);
  let digest: string;
  const repo = `bed-test/${uniqueTag('slow')}`;
  const log: string[] = [];
  beforeAll(async () => {
    bed = loadBed();
    proxy = await startThrottleProxy(bed.devRegistry.host, RATE);
    // no retries: a deadline hit would fail the test instead of being papered over
    slow = new RegistryClient({
      registry: proxy.host,
      insecure: true,
      timeoutMs: DEADLINE_MS,
      retry: {attempts: 1},
      log: m => log.push(m)
    });
    dev = new RegistryClient({registry: bed.devRegistry.host, insecure: true});
    digest = blob.digest();
  });
  afterAll(async () => {
    await proxy?.close();
  });

  async function served(repository: string): Promise<{status: number; digest: string | null; size: string | null}> {
    const res = await fetch(`http://${bed.devRegistry.host}/v2/${repository}/blobs/${digest}`, {method: 'HEAD'});
    return {
      status: res.status,
      digest: res.headers.get('docker-content-digest'),
      size: res.headers.get('content-length')
    };
  }

  it('uploads 24 MiB in one PATCH that takes over 2× the deadline; the registry serves the exact digest', async () => {
    const before = proxy.bytesUp();
    const t0 = performance.now();
    await expect(slow.uploadBlob(repo, digest, blob)).resolves.toBe('uploaded');
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThan(2 * DEADLINE_MS);
    expect(proxy.bytesUp() - before).toBeGreaterThanOrEqual(SLOW_SIZE);
    expect(log).toEqual([]);
    await expect(served(repo)).resolves.toEqual({status: 200, digest, size: String(SLOW_SIZE)});
  });

  it('copies it from the registry at full speed into the slow link: read ahead, bounded, no deadline hit', async () => {
    const config = Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
    const {digestOf} = await import('../../src/registry/client.js');
    await dev.uploadBlob(repo, digestOf(config), config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length},
        layers: [{mediaType: 'application/vnd.oci.image.layer.v1.tar', digest, size: SLOW_SIZE}]
      })
    );
    const m = await dev.putManifest(repo, digestOf(manifest), manifest, 'application/vnd.oci.image.manifest.v1+json');
    const t0 = performance.now();
    const stats = await copyImage({client: dev, repository: repo}, {client: slow, repository: `${repo}-slow`}, m);
    expect(performance.now() - t0).toBeGreaterThan(2 * DEADLINE_MS);
    expect(stats).toMatchObject({blobsUploaded: 2, bytesUploaded: SLOW_SIZE + config.length, manifests: 1});
    expect(log).toEqual([]);
    await expect(served(`${repo}-slow`)).resolves.toEqual({status: 200, digest, size: String(SLOW_SIZE)});
    await expect(dev.manifestDigest(`${repo}-slow`, m)).resolves.toBe(m);
  });
});
