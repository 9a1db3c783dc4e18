// Concurrent tag writes: every manifest read before any PUT, per-arch (child) tags before index
// tags, a bound per registry. The registry edge is a fake client that records what overlaps.
import {describe, expect, it} from '@jest/globals';
import type {Session} from '../../src/login/session.js';
import type {Manifest} from '../../src/registry/client.js';
import type {TagOp} from '../../src/registry/manifests.js';
import {manifestsToRead, tagWaves, writeTags} from '../../src/publish/tag-writes.js';

const IDX = `sha256:${'a'.repeat(64)}`;
const AMD = `sha256:${'b'.repeat(64)}`;
const ARM = `sha256:${'c'.repeat(64)}`;

function op(registry: string, tag: string, digest: string, platform?: string): TagOp {
  return {image: `${registry}/app`, registry, repository: 'app', tag, digest, ...(platform ? {platform} : {})};
}

/** Two registries × (4 index tags + 2 per-arch tags each of amd64 and arm64). */
function plannedOps(): TagOp[] {
  return ['dev', 'prod'].flatMap(r => [
    ...['v1', 'v1.0', 'v1.0.0', 'latest'].map(t => op(r, t, IDX)),
    op(r, 'v1-amd64', AMD, 'linux/amd64'),
    op(r, 'v1.0.0-amd64', AMD, 'linux/amd64'),
    op(r, 'v1-arm64', ARM, 'linux/arm64'),
    op(r, 'v1.0.0-arm64', ARM, 'linux/arm64')
  ]);
}

interface Event {
  at: number;
  kind: 'get-start' | 'get-end' | 'put-start' | 'put-end';
  registry: string;
  ref: string;
  digest: string;
}

function fakeSession(opts: {failTag?: string; delay?: (ref: string) => number} = {}): {
  session: Session;
  events: Event[];
  maxInFlight: Record<string, number>;
  reads: string[];
} {
  const events: Event[] = [];
  const inFlight: Record<string, number> = {};
  const maxInFlight: Record<string, number> = {};
  const reads: string[] = [];
  let clock = 0;
  const wait = (ref: string): Promise<void> =>
    new Promise(resolve => setTimeout(resolve, opts.delay ? opts.delay(ref) : 2));
  const enter = (registry: string): void => {
    inFlight[registry] = (inFlight[registry] ?? 0) + 1;
    maxInFlight[registry] = Math.max(maxInFlight[registry] ?? 0, inFlight[registry]);
  };
  const client = (registry: string): unknown => ({
    async getManifest(repository: string, digest: string): Promise<Manifest> {
      enter(registry);
      reads.push(`${registry}/${repository}@${digest}`);
      events.push({at: clock++, kind: 'get-start', registry, ref: digest, digest});
      await wait(digest);
      events.push({at: clock++, kind: 'get-end', registry, ref: digest, digest});
      inFlight[registry]--;
      return {digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', body: Buffer.from(digest)};
    },
    async tag(repository: string, digest: string, tag: string, read?: Manifest): Promise<string> {
      if (read?.digest !== digest) throw new Error(`tag ${tag}: no manifest read before the write`);
      enter(registry);
      events.push({at: clock++, kind: 'put-start', registry, ref: tag, digest});
      await wait(tag);
      events.push({at: clock++, kind: 'put-end', registry, ref: tag, digest});
      inFlight[registry]--;
      if (tag === opts.failTag) throw new Error(`PUT ${registry}/${repository}:${tag}: 500`);
      return digest;
    }
  });
  return {session: {client} as unknown as Session, events, maxInFlight, reads};
}

describe('tagWaves', () => {
  it.each([
    {name: 'mixed: per-arch tags first, index tags second', ops: plannedOps(), sizes: [8, 8]},
    {name: 'index tags only: one wave', ops: plannedOps().filter(o => !o.platform), sizes: [8]},
    {name: 'per-arch tags only: one wave', ops: plannedOps().filter(o => o.platform), sizes: [8]},
    {name: 'nothing to write: no wave', ops: [], sizes: []}
  ])('$name', ({ops, sizes}) => {
    const waves = tagWaves(ops);
    expect(waves.map(w => w.length)).toEqual(sizes);
    if (waves.length === 2) {
      expect(waves[0].every(o => o.platform)).toBe(true);
      expect(waves[1].every(o => !o.platform)).toBe(true);
    }
    // Planned order kept inside a wave, nothing lost or duplicated.
    expect(waves.flat().sort((a, b) => ops.indexOf(a) - ops.indexOf(b))).toEqual(ops);
  });
});

describe('manifestsToRead', () => {
  it('one read per registry/repository/digest', () => {
    expect(manifestsToRead(plannedOps()).map(o => `${o.registry}/${o.repository}@${o.digest}`)).toEqual([
      `dev/app@${IDX}`,
      `dev/app@${AMD}`,
      `dev/app@${ARM}`,
      `prod/app@${IDX}`,
      `prod/app@${AMD}`,
      `prod/app@${ARM}`
    ]);
  });
});

describe('writeTags', () => {
  it('reads every manifest once before any PUT, then children before indexes, at most 4 per registry', async () => {
    const {session, events, maxInFlight, reads} = fakeSession();
    const landed: string[] = [];
    await writeTags(plannedOps(), session, o => landed.push(`${o.registry}:${o.tag}`));
    expect(reads).toHaveLength(6);
    const lastGet = Math.max(...events.filter(e => e.kind === 'get-end').map(e => e.at));
    const firstPut = Math.min(...events.filter(e => e.kind === 'put-start').map(e => e.at));
    expect(lastGet).toBeLessThan(firstPut);
    // No index PUT starts while a child PUT is still running, in any registry.
    const lastChildEnd = Math.max(...events.filter(e => e.kind === 'put-end' && e.digest !== IDX).map(e => e.at));
    const firstIndexStart = Math.min(...events.filter(e => e.kind === 'put-start' && e.digest === IDX).map(e => e.at));
    expect(lastChildEnd).toBeLessThan(firstIndexStart);
    // Concurrent, and bounded per registry.
    expect(maxInFlight).toEqual({dev: 4, prod: 4});
    expect(landed.sort()).toEqual(
      plannedOps()
        .map(o => `${o.registry}:${o.tag}`)
        .sort()
    );
  });

  it('a bound of 1 writes one at a time per registry', async () => {
    const {session, maxInFlight} = fakeSession();
    await writeTags(plannedOps(), session, () => undefined, 1);
    expect(maxInFlight).toEqual({dev: 1, prod: 1});
  });

  it('a failed child tag: the wave settles, no index tag is written, the error is the PUT', async () => {
    // The failing write ends first; the others of its wave are slower, and still finish.
    const {session, events} = fakeSession({failTag: 'v1-arm64', delay: ref => (ref === 'v1-arm64' ? 1 : 10)});
    const landed: string[] = [];
    await expect(writeTags(plannedOps(), session, o => landed.push(`${o.registry}:${o.tag}`))).rejects.toThrow(
      'PUT dev/app:v1-arm64: 500'
    );
    expect(events.filter(e => e.kind === 'put-start' && e.digest === IDX)).toEqual([]);
    // Every started PUT ended before writeTags returned: nothing runs behind the error.
    expect(events.filter(e => e.kind === 'put-start').length).toBe(events.filter(e => e.kind === 'put-end').length);
    expect(landed.sort()).toEqual(
      plannedOps()
        .filter(o => o.platform && !(o.tag === 'v1-arm64'))
        .map(o => `${o.registry}:${o.tag}`)
        .sort()
    );
  });
});
