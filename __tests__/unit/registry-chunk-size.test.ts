// The next PATCH's size: about CHUNK_SECONDS of sending at the rate the last one measured,
// bounded by the first size (or the registry's minimum) below and MAX_CHUNK_BYTES above.
import {describe, expect, it} from '@jest/globals';
import {CHUNK_SECONDS, MAX_CHUNK_BYTES, nextChunkBytes} from '../../src/registry/upload.js';

const MiB = 1024 * 1024;

describe('nextChunkBytes', () => {
  it.each([
    ['a fast link grows to CHUNK_SECONDS of sending', 64 * MiB, 0.5, 64 * MiB, 64 * MiB * 2 * CHUNK_SECONDS],
    ['a very fast link stops at the largest size', 64 * MiB, 0.05, 64 * MiB, MAX_CHUNK_BYTES],
    ['a slow link (5 MB/s) stays at the floor', 64 * MiB, 13.4, 64 * MiB, 64 * MiB],
    ['a registry minimum above the aim holds', 64 * MiB, 4, 128 * MiB, 128 * MiB],
    ['no time measured keeps the floor', 64 * MiB, 0, 64 * MiB, 64 * MiB],
    ['nothing sent keeps the floor', 0, 1, 64 * MiB, 64 * MiB]
  ])('%s', (_name, sent, seconds, floor, expected) => {
    expect(nextChunkBytes(sent, seconds, floor)).toBe(expected);
  });
});
