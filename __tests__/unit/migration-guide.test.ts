// The README's migration guide is generated from action.yml and scripts/migration-map.yml: stale
// README sections and map entries naming inputs the action lacks both fail here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from '@jest/globals';
import {ROOT} from '../helpers/fixtures.js';
// @ts-expect-error: a plain .mjs script without types
import {renderGuide, withGuide, START, END} from '../../scripts/migration-guide.mjs';

const read = (f: string): string => fs.readFileSync(path.join(ROOT, f), 'utf8');
const render = renderGuide as (a: string, m: string) => string;

describe('migration guide', () => {
  it('the README section equals a fresh render (run node scripts/migration-guide.mjs)', () => {
    const readme = read('README.md');
    expect(
      (withGuide as (r: string, g: string) => string)(
        readme,
        render(read('action.yml'), read('scripts/migration-map.yml'))
      )
    ).toBe(readme);
    expect(readme).toContain(START);
    expect(readme).toContain(END);
  });
  it('covers every input and output of the five docker/* actions', () => {
    const guide = render(read('action.yml'), read('scripts/migration-map.yml'));
    for (const row of [
      '| `provenance` | `provenance` (input) |',
      '| `metadata` | `metadata` (output) |',
      '| `registry-auth` | `registry-auth` (input) |',
      '| `bake-file` | — | Not needed: no bake step follows. |',
      '| `image` | `binfmt-image` (input) | Same meaning. |'
    ])
      expect(guide).toContain(row);
    expect(guide.match(/^### /gm)).toHaveLength(5);
  });
  it('refuses a map entry naming an input action.yml lacks', () => {
    expect(() => render(read('action.yml'), 'docker/x:\n  inputs:\n    foo: {to: input.no-such-input}\n')).toThrow(
      'docker/x foo: input.no-such-input is not in action.yml'
    );
  });
});
