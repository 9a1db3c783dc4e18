// examples/STATEMENTS.md maps every checkable statement of the five strategy documents to a test.
// A renamed or deleted test would leave the table pointing at nothing: every row names a test
// file that exists and a test name that file contains, or says "out of scope" / "not yet" with a reason.
import {describe, expect, it} from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import {ROOT} from '../helpers/fixtures.js';
import {checkTags} from '../../src/policy/decide.js';
import {parsePolicy} from '../../src/policy/load.js';

const TABLE = fs.readFileSync(path.join(ROOT, 'examples/STATEMENTS.md'), 'utf8');
const rows = TABLE.split('\n').filter(l => l.startsWith('| ') && !l.startsWith('| Statement') && !l.startsWith('|---'));
const REF = /`(__tests__\/[^`]+\.test\.ts)` › "((?:[^"\\]|\\.)*)"/g;

/** Test names as written in the sources, with string escapes and quote kinds normalised. */
function namesIn(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/\\(['"`])/g, '$1');
}

describe('examples/STATEMENTS.md', () => {
  it('has a section per document and rows in each', () => {
    const sections = TABLE.split('\n').filter(l => l.startsWith('## '));
    expect(sections.map(s => s.split(':')[0])).toEqual([
      '## ADR-003',
      '## ADR-002',
      '## GHCR guide',
      '## Kubernaut',
      '## DD-REGISTRY-001'
    ]);
    expect(rows.length).toBeGreaterThan(60);
  });

  it.each(rows.map(r => [r.split(' | ')[0].slice(2), r]))('%s', (_statement, row) => {
    const refs = [...row.matchAll(REF)];
    if (refs.length === 0) {
      // No test: the row must say why.
      expect(row).toMatch(/\| (out of scope|not yet asserted)[^|]*: [^|]{10,}\|$/);
      return;
    }
    for (const [, file, name] of refs) {
      expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
      const unescaped = name.replace(/\\"/g, '"');
      expect({file, found: namesIn(file).includes(unescaped)}).toEqual({file, found: true});
    }
  });
});

describe('the example policies behind the table', () => {
  it('DD-REGISTRY-001 example policy: quay.io/kubernaut/ takes vX.Y.Z, -rcN and -betaN, refuses the forbidden tags', () => {
    const file = path.join(ROOT, 'examples/policies/dd-registry-001.yml');
    const policy = parsePolicy(fs.readFileSync(file, 'utf8'), file);
    const prod = {name: 'production', rule: policy.registries.production};
    const gw = 'quay.io/kubernaut/gateway';
    expect(checkTags(prod, gw, ['v1.0.0', 'v1.0.0-rc1', 'v1.0.0-beta1', 'v1.0.0-beta12'])).toEqual([]);
    for (const tag of ['latest', 'dev', 'test-20251217', 'abc1234']) {
      expect(checkTags(prod, gw, [tag])).toEqual([expect.stringContaining(`forbids tag "${tag}"`)]);
    }
    expect(checkTags(prod, gw, ['feature-x'])).toEqual([expect.stringContaining('is not allowed')]);
  });
});
