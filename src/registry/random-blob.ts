// Deterministic incompressible bytes of any size, generated on the fly (AES-128-CTR keystream of
// a seed): the large-layer test and benchmark hash them once for the digest and stream them again
// as the upload source, so a multi-GiB layer never exists in memory or on disk.
import {createCipheriv, createHash} from 'node:crypto';
import type {BlobSource} from './blob-source.js';

const PIECE = 1024 * 1024;

function keystream(seed: string): (offset: number) => Generator<Buffer> {
  const key = createHash('sha256').update(seed).digest().subarray(0, 16);
  return function* (offset: number) {
    // CTR: the counter of block n is n, so any 16-byte-aligned offset can start a stream.
    const block = Math.floor(offset / 16);
    const iv = Buffer.alloc(16);
    iv.writeBigUInt64BE(BigInt(block), 8);
    const cipher = createCipheriv('aes-128-ctr', key, iv);
    let skip = offset - block * 16;
    const zeros = Buffer.alloc(PIECE);
    for (;;) {
      let piece = cipher.update(zeros);
      if (skip) {
        piece = piece.subarray(skip);
        skip = 0;
      }
      yield piece;
    }
  };
}

/** `size` pseudo-random bytes from `seed`, as an upload source; its digest costs one pass. */
export function randomBlob(seed: string, size: number): BlobSource & {digest(): string} {
  const stream = keystream(seed);
  async function* open(offset: number): AsyncGenerator<Uint8Array> {
    let left = size - offset;
    for (const piece of stream(offset)) {
      if (left <= 0) return;
      const out = piece.length > left ? piece.subarray(0, left) : piece;
      left -= out.length;
      yield await Promise.resolve(out);
    }
  }
  return {
    size,
    origin: `random ${seed}`,
    open,
    digest() {
      const hash = createHash('sha256');
      let left = size;
      for (const piece of stream(0)) {
        if (left <= 0) break;
        const out = piece.length > left ? piece.subarray(0, left) : piece;
        hash.update(out);
        left -= out.length;
      }
      return `sha256:${hash.digest('hex')}`;
    }
  };
}
