// action.yml declares exactly the inputs the code reads, each with a description and a default.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from '@jest/globals';
import yaml from 'js-yaml';
import {ROOT} from '../helpers/fixtures.js';

const action = yaml.load(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, {description?: string; default?: unknown}>;
  outputs: Record<string, {description?: string}>;
  runs: {using: string; main: string; post: string};
  branding: {icon: string; color: string};
};
const source = fs.readFileSync(path.join(ROOT, 'src/inputs.ts'), 'utf8');
const read = [...new Set([...source.matchAll(/(?:get|list|bool|count|lines)\('([a-z-]+)'/g)].map(m => m[1]))].sort();

describe('action.yml', () => {
  it('declares exactly the inputs src/inputs.ts reads', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(read);
  });
  it.each(Object.entries(action.inputs))('input %s has a description and a default', (_name, input) => {
    expect(typeof input.description).toBe('string');
    expect(input.description?.length).toBeGreaterThan(10);
    expect(input).toHaveProperty('default');
  });
  // act (and the runner's manifest reader) refuse an expression outside a default: "expressions
  // are not allowed here" fails every step using the action.
  it.each([...Object.entries(action.inputs), ...Object.entries(action.outputs)])(
    '%s has no ${{ }} expression in its description',
    (_name, entry) => {
      expect(entry.description).not.toContain('${{');
    }
  );
  it('every output has a description', () => {
    for (const o of Object.values(action.outputs)) expect(o.description?.length).toBeGreaterThan(10);
  });
  it('runs main and post from one node24 bundle, with branding', () => {
    expect(action.runs).toEqual({using: 'node24', main: 'dist/index.js', post: 'dist/index.js'});
    expect(action.branding).toEqual({icon: 'package', color: 'blue'});
  });
});
