// Labels and annotations are sorted by key in localeCompare's order (metadata-action's); keys of
// lowercase letters, digits and dots skip the collator, which must not change a single order.
import {describe, expect, it} from '@jest/globals';
import {compareKeys} from '../../src/meta/labels.js';

/** A deterministic generator: the same keys on every run, so a failure reproduces. */
function keys(alphabet: string, count: number, seed: number): string[] {
  let x = seed;
  const next = (): number => (x = (x * 1103515245 + 12345) % 2 ** 31);
  return Array.from({length: count}, () =>
    Array.from({length: 1 + (next() % 12)}, () => alphabet[next() % alphabet.length]).join('')
  );
}

const sign = (n: number): number => Math.sign(n);

describe('compareKeys orders as localeCompare does', () => {
  it.each<[string, string[]]>([
    [
      'OCI keys',
      [
        'org.opencontainers.image.created',
        'org.opencontainers.image.description',
        'org.opencontainers.image.version',
        'org.opencontainers.image',
        'org.opencontainers.image.',
        'org.opencontainers.image1',
        'org.opencontainers.image.url',
        'a',
        'a.',
        'a0',
        '0a',
        '.a',
        ''
      ]
    ],
    ['lowercase, digits, dots', keys('abcz0189.', 400, 7)],
    ['with the characters that take localeCompare', keys('aBz0._-:/Ä', 400, 11)]
  ])('%s: every pair', (_name, list) => {
    const differ: string[] = [];
    for (const a of list) {
      for (const b of list) if (sign(compareKeys(a, b)) !== sign(a.localeCompare(b))) differ.push(`${a} vs ${b}`);
    }
    expect(differ).toEqual([]);
  });
});
