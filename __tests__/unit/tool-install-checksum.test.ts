// The tool-checksums input and file hashing.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {describe, expect, it} from '@jest/globals';
import {parseChecksumInput, sha256File} from '../../src/tools/checksum.js';

const A = 'a'.repeat(64);
const B = '0123456789abcdef'.repeat(4);

describe('parseChecksumInput', () => {
  it.each<[string, string, Record<string, string>]>([
    ['empty', '', {}],
    ['one tool', `cosign=${A}`, {cosign: A}],
    ['both, spaces, CRLF', ` cosign = ${A} \r\ntrivy=${B}\r\n`, {cosign: A, trivy: B}],
    ['comments and blanks', `# mirror sums\n\ntrivy=${B}\n`, {trivy: B}],
    ['upper case and sha256: prefix', `trivy=sha256:${B.toUpperCase()}`, {trivy: B}]
  ])('%s', (_name, text, sums) => {
    expect(parseChecksumInput(text, 'tool-checksums')).toEqual(sums);
  });

  it.each<[string, string, RegExp]>([
    ['no =', `cosign ${A}`, /Input "tool-checksums" line 1: expected "<tool>=<sha256>"/],
    ['unknown tool', `\ngrype=${A}`, /Input "tool-checksums" line 2: unknown tool "grype" \(known: cosign, trivy\)/],
    ['short sum', 'cosign=abc', /Input "tool-checksums" line 1: cosign sum is not 64 hex digits/],
    ['not hex', `trivy=${'g'.repeat(64)}`, /line 1: trivy sum is not 64 hex/],
    ['twice', `cosign=${A}\ncosign=${B}`, /Input "tool-checksums" line 2: cosign is listed twice/],
    ['prototype key', `__proto__=${A}`, /unknown tool "__proto__"/]
  ])('rejects %s', (_name, text, error) => {
    expect(() => parseChecksumInput(text, 'tool-checksums')).toThrow(error);
  });
});

describe('sha256File', () => {
  it.each<[string, string, string]>([
    ['empty', '', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad']
  ])('%s', async (_name, content, sum) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sha-')), 'f');
    fs.writeFileSync(file, content);
    await expect(sha256File(file)).resolves.toBe(sum);
  });
});
