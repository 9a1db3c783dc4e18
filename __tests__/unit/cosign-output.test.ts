// Parsers on output captured from cosign v3.1.2 (see __tests__/fixtures/cosign/README.md).
import {describe, expect, it} from '@jest/globals';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {
  hasSignatureFor,
  parseCosignVersion,
  parseVerifyOutput,
  parseVerifyOutputs
} from '../../src/supply/cosign-output.js';

const fixture = (name: string): string => readFileSync(path.join('__tests__/fixtures/cosign', name), 'utf8');
const INDEX = 'sha256:54e9048f135fd307de0a1ea57b7f6ff90a890b73fcaa20e6bc758b531722b1de';
const AMD64 = 'sha256:79f435d972b1a00dcd1cd7634bd0c7011a14794848631d6c925f74a1d276b06b';
const BUSYBOX = 'sha256:fa369513ecc4ed940b12fd216d44fb1e18254915fdfd91887048175d615c5d02';
const SIGN = 'https://sigstore.dev/cosign/sign/v1';
const SPDX = 'https://spdx.dev/Document';
const LEGACY = 'cosign container image signature';

describe('parseVerifyOutput + hasSignatureFor', () => {
  it.each<[string, string, {type: string; digest: string}[], string, boolean]>([
    ['bundle signature of an index', 'verify-bundle.json', [{type: SIGN, digest: INDEX}], INDEX, true],
    ['…is no signature of another digest', 'verify-bundle.json', [{type: SIGN, digest: INDEX}], AMD64, false],
    [
      'signed platform with an SBOM attestation',
      'verify-bundle-with-sbom.json',
      [
        {type: SPDX, digest: AMD64},
        {type: SIGN, digest: AMD64}
      ],
      AMD64,
      true
    ],
    [
      'an SBOM attestation alone is no signature',
      'verify-sbom-only.json',
      [{type: SPDX, digest: BUSYBOX}],
      BUSYBOX,
      false
    ],
    ['legacy .sig signature', 'verify-legacy.json', [{type: LEGACY, digest: INDEX}], INDEX, true]
  ])('%s', (_name, file, payloads, digest, signed) => {
    const got = parseVerifyOutput(fixture(file));
    expect(got).toEqual(payloads);
    expect(hasSignatureFor(got, digest)).toBe(signed);
  });

  it('no JSON list → throws', () => {
    expect(() => parseVerifyOutput('\nError: no signatures found\n')).toThrow('no JSON payload list');
  });
});

describe('parseVerifyOutputs (several references in one cosign verify)', () => {
  // cosign prints each reference's list on its own line, in argument order.
  const two = fixture('verify-bundle.json') + fixture('verify-bundle-with-sbom.json');
  it('one payload list per reference, in order', () => {
    const got = parseVerifyOutputs(two, 2);
    expect(got).toEqual([
      [{type: SIGN, digest: INDEX}],
      [
        {type: SPDX, digest: AMD64},
        {type: SIGN, digest: AMD64}
      ]
    ]);
    expect(got && [hasSignatureFor(got[0], INDEX), hasSignatureFor(got[1], AMD64)]).toEqual([true, true]);
  });

  it('captured: two references in one call, each list names its own digest', () => {
    const got = parseVerifyOutputs(fixture('verify-two-refs.json'), 2);
    const A = 'sha256:0a77ffd2fecd5cb6fa2aef4712264bf052a84c43cb69d008693b837acbd5e4e1';
    const B = 'sha256:99fa2544b60cf1f018d05addddfdf45edd9e48c8216cd1927a8ff06e891d6e88';
    expect(got?.map(l => l.map(p => p.digest))).toEqual([[A], [B]]);
    expect(got && [hasSignatureFor(got[0], A), hasSignatureFor(got[1], B), hasSignatureFor(got[0], B)]).toEqual([
      true,
      true,
      false
    ]);
  });

  it.each<[string, string, number]>([
    ['fewer lists than references', fixture('verify-bundle.json'), 2],
    ['more lists than references', two, 1],
    ['no list at all', '\nError: no signatures found\n', 1]
  ])('%s → undefined (each reference is then verified alone)', (_name, stdout, count) => {
    expect(parseVerifyOutputs(stdout, count)).toBeUndefined();
  });
});

describe('parseCosignVersion', () => {
  it.each<[string, string]>([
    ['version.json', 'v3.1.2'],
    ['version.txt', 'v3.1.2']
  ])('%s → %s', (file, want) => {
    expect(parseCosignVersion(fixture(file))).toBe(want);
  });

  it('anything else throws', () => {
    expect(() => parseCosignVersion('cosign: command not found')).toThrow('cannot read the cosign version');
  });
});
