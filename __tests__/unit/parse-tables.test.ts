// The mini-language parsers against metadata-action's parse tables (fixtures/parity/*-parse.json).
import {beforeAll, describe, expect, it} from '@jest/globals';
import {isRawStatement} from '../../src/meta/expressions.js';
import {loadModulesFor} from '../../src/meta/lazy-modules.js';
import {parseFlavor} from '../../src/meta/flavor.js';
import {parseImages} from '../../src/meta/images.js';
import {parseTagRule, parseTagRules} from '../../src/meta/tag-rules.js';
import {readJson} from '../helpers/fixtures.js';

interface TagRow {
  input?: string;
  transform?: string[];
  expected?: unknown;
  error?: string;
}

const strip = (r: {type: string; attrs: Record<string, string>}) => ({type: r.type, attrs: r.attrs});

describe('tag rule parser', () => {
  const rows = readJson<TagRow[]>('parity/tag-parse.json');
  it.each(rows.filter(r => r.input !== undefined).map(r => [r.input as string, r] as const))('%s', (input, row) => {
    if (row.error !== undefined) {
      expect(() => parseTagRule(input)).toThrow(row.error);
    } else {
      expect(strip(parseTagRule(input))).toEqual(row.expected);
    }
  });
  it.each(rows.filter(r => r.transform).map(r => [r.transform?.join(' | ') ?? '', r] as const))(
    'sorts %s',
    (_n, row) => {
      expect(parseTagRules(row.transform as string[]).map(strip)).toEqual(row.expected);
    }
  );
  it.each([
    ['type=semver,patern={{version}}', 'Unknown tag attribute "patern" in tags entry "type=semver,patern={{version}}"'],
    ['type=sha,event=branch', 'Unknown tag attribute "event" in tags entry "type=sha,event=branch"'],
    ['type=semvr,pattern={{version}}', 'Input "tags": entry "type=semvr,pattern={{version}}": unknown tag type "semvr"']
  ])('refuses %s', (input, message) => {
    expect(() => parseTagRule(input)).toThrow(message);
  });
});

describe('flavor parser', () => {
  const rows = readJson<{input: string[]; expected?: unknown; error?: string}[]>('parity/flavor-parse.json');
  it.each(rows.map(r => [r.input.join(' | '), r] as const))('%s', (_n, row) => {
    if (row.error !== undefined) expect(() => parseFlavor(row.input)).toThrow(row.error);
    else expect(parseFlavor(row.input)).toEqual(row.expected);
  });
});

describe('images parser', () => {
  const rows = readJson<{input: string[]; expected?: unknown; error?: string}[]>('parity/image-parse.json');
  it.each(rows.map(r => [r.input.join(' | '), r] as const))('%s', (_n, row) => {
    if (row.error !== undefined) expect(() => parseImages(row.input)).toThrow(row.error);
    else expect(parseImages(row.input)).toEqual(row.expected);
  });
  it('reads a per-image preset', () => {
    expect(parseImages(['name=quay.io/a/b,preset=production'])).toEqual([
      {name: 'quay.io/a/b', enable: true, preset: 'production'}
    ]);
  });
});

describe('raw statement', () => {
  // A pattern beyond `{{raw}}` itself is parsed by handlebars, which the run loads for such a pattern.
  beforeAll(async () => {
    await loadModulesFor(['{{ raw }}']);
  });
  const rows = readJson<{pattern: string; expected: boolean}[]>('parity/raw-statement.json');
  it.each(rows.map(r => [r.pattern, r.expected] as const))('%s → %s', (pattern, expected) => {
    expect(isRawStatement(pattern)).toBe(expected);
  });
});
