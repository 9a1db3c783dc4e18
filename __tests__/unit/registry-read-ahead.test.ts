// readAhead between a blob download and its upload: the bytes unchanged and in order, small reads
// joined, the source read ahead of a waiting consumer but never past the bound, a source failure
// delivered after the bytes before it, and an early exit closing the source.
import {describe, expect, it} from '@jest/globals';
import {readAhead} from '../../src/registry/blob-source.js';

const KiB = 1024;
const tick = (): Promise<void> => new Promise(resolve => setTimeout(resolve, 1));

/** Pieces of the given sizes, byte i of the whole being i % 251; counts what was pulled. */
function source(sizes: number[], opts: {failAfter?: number} = {}) {
  const state = {pulled: 0, closed: false};
  let at = 0;
  const pieces = (async function* () {
    try {
      for (const [n, size] of sizes.entries()) {
        if (opts.failAfter === n) throw new Error('connection reset by the source registry');
        await Promise.resolve();
        const piece = Buffer.alloc(size);
        for (let i = 0; i < size; i++) piece[i] = (at + i) % 251;
        at += size;
        state.pulled += size;
        yield piece;
      }
    } finally {
      state.closed = true;
    }
  })();
  return {pieces, state};
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const p of it) out.push(p);
  return out;
}

describe('readAhead', () => {
  it.each([
    // the first read goes on at once (the consumer is waiting); what queued behind it is joined
    ['64 KiB reads joined into 256 KiB pieces', Array(10).fill(64 * KiB), 256 * KiB, [64, 256, 256, 64]],
    ['a piece larger than the join size passes whole', [16 * KiB, 600 * KiB, 16 * KiB], 256 * KiB, [16, 600, 16]],
    ['empty reads are dropped', [0, 10 * KiB, 0, 10 * KiB, 10 * KiB], 256 * KiB, [10, 20]],
    ['nothing at all', [], 256 * KiB, []]
  ])('%s', async (_name, sizes, join, expectedKiB) => {
    const {pieces, state} = source(sizes);
    // a slow consumer: everything the producer can read is queued before each take
    const out: Uint8Array[] = [];
    for await (const p of readAhead(pieces, 64 * 1024 * KiB, join)) {
      out.push(p);
      await tick();
    }
    expect(out.map(p => p.length / KiB)).toEqual(expectedKiB);
    const all = Buffer.concat(out);
    expect(all.length).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(all.every((b, i) => b === i % 251)).toBe(true);
    expect(state.closed).toBe(true);
  });

  it('reads ahead of a consumer that waits, up to the bound and no further', async () => {
    const {pieces, state} = source(Array(100).fill(64 * KiB));
    const it = readAhead(pieces, 1024 * KiB, 64 * KiB)[Symbol.asyncIterator]();
    await it.next();
    for (let i = 0; i < 20; i++) await tick();
    // one piece handed on, 1 MiB queued behind it (the read that crosses the bound is kept)
    expect(state.pulled).toBeGreaterThanOrEqual(1024 * KiB);
    expect(state.pulled).toBeLessThanOrEqual(64 * KiB + 1024 * KiB + 64 * KiB);
    await it.return?.(undefined);
  });

  it('a source failure comes after the bytes read before it', async () => {
    const {pieces} = source([10, 20, 30], {failAfter: 2});
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const p of readAhead(pieces, 1024, 1)) got.push(p.length);
      })()
    ).rejects.toThrow('connection reset by the source registry');
    expect(got).toEqual([10, 20]);
  });

  it('leaving early stops reading and closes the source', async () => {
    const {pieces, state} = source(Array(1000).fill(KiB));
    for await (const p of readAhead(pieces, 8 * KiB, KiB)) {
      expect(p.length).toBe(KiB);
      break;
    }
    for (let i = 0; i < 5; i++) await tick();
    expect(state.closed).toBe(true);
    expect(state.pulled).toBeLessThan(20 * KiB);
  });

  it('collects a whole source unchanged', async () => {
    const {pieces} = source([1, 2, 3, 4, 5]);
    expect(Buffer.concat(await collect(readAhead(pieces, 4, 6))).length).toBe(15);
  });
});
