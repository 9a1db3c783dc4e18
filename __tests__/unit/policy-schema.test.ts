// The JSON schema and the loader must agree: every example and valid fixture passes both, every
// invalid fixture is refused by the loader with its exact message (and by the schema where a
// schema can express the rule).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from '@jest/globals';
import AjvModule from 'ajv';
import yaml from 'js-yaml';
import {parsePolicy} from '../../src/policy/load.js';

const Ajv = AjvModule.default;
const schema = JSON.parse(fs.readFileSync('schema/policy.schema.json', 'utf8'));
const validate = new Ajv({allErrors: true}).compile(schema);

const yamlFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.yml'))
    .sort()
    .map(f => path.join(dir, f));
const VALID = [...yamlFiles('examples/policies'), ...yamlFiles('__tests__/fixtures/policy/valid')];
const INVALID_DIR = '__tests__/fixtures/policy/invalid';

function refusal(text: string, file: string): string {
  try {
    parsePolicy(text, file);
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
}

describe('valid policies pass the schema and the loader', () => {
  it('finds the examples, one per seed', () => {
    expect(yamlFiles('examples/policies').map(f => path.basename(f))).toEqual([
      'adr-002-docker-podman.yml',
      'adr-003-quay.yml',
      'dd-registry-001.yml',
      'ghcr-multi-service.yml',
      'kubernaut-standards.yml'
    ]);
  });
  it.each(VALID)('%s', file => {
    const text = fs.readFileSync(file, 'utf8');
    const ok = validate(yaml.load(text));
    expect(ok ? [] : validate.errors).toEqual([]);
    expect(parsePolicy(text, file).version).toBe(1);
  });
});

// file → [exact loader message, whether the schema refuses it too]
const INVALID: Record<string, [string, boolean]> = {
  'bad-pattern.yml': [
    'bad-pattern.yml:7: registries.production.tags.forbid[2]: "{shaa}" is not a pattern: unknown class {shaa} (known: {semver}, {n}, {sha})',
    true
  ],
  'bad-regex.yml': [
    'bad-regex.yml:8: registries.production.tags.allow[1]: "/v[0-9+/" is not a pattern: invalid regular expression: Unterminated character class',
    false
  ],
  'bad-size.yml': [
    'bad-size.yml:7: registries.production.require.max-size: "500M" is not a size: write a number and a unit: B, KB, MB, GB (1000-based) or KiB, MiB, GiB (1024-based), e.g. 500MB',
    true
  ],
  'duplicate-match.yml': [
    'duplicate-match.yml:8: registries.staging.match[1]: "quay.io/kubernaut/" is already a match of registries.production (line 4); each prefix must belong to one entry (the longest matching prefix decides)',
    false
  ],
  'empty.yml': ['empty.yml:1: the file is empty; a policy needs "version: 1" and registries', true],
  'expiry-on-immutable.yml': [
    'expiry-on-immutable.yml:6: registries.production.expires-after: an immutable registry keeps its tags, and quay.expires-after would delete them; drop one of the two',
    true
  ],
  'immutable-string.yml': [
    'immutable-string.yml:5: registries.production.immutable: must be true or false, got "yes"',
    true
  ],
  'no-host.yml': [
    'no-host.yml:4: registries.hub.match: "acme/" must begin with a registry host (e.g. docker.io/acme/): prefixes are compared with the full image name',
    true
  ],
  'parse-error.yml': ['parse-error.yml:5: YAML syntax: bad indentation of a mapping entry (column 4)', true],
  'scan-without-limits.yml': [
    'scan-without-limits.yml:6: registries.production.require.scan: name at least one of max-critical, max-high, max-medium, max-low, max-unknown (e.g. max-critical: 0)',
    true
  ],
  'uid-root.yml': [
    'uid-root.yml:9: registries.production.require.uids[1]: 0 is root; list the non-root uids the image may run as',
    true
  ],
  'unknown-key.yml': [
    'unknown-key.yml:5: registries.production.imutable: unknown key; did you mean "immutable"? (allowed: match, immutable, tags, expires-after, require)',
    true
  ],
  'unquoted-sha.yml': [
    `unquoted-sha.yml:6: registries.production.tags.forbid[1]: must be a tag pattern string, got a mapping (quote patterns that begin with "{", e.g. '{sha}')`,
    true
  ],
  'unquoted-star.yml': [
    'unquoted-star.yml:8: YAML syntax: unidentified alias "-dev" (column 16) (quote tag patterns that begin with "*" or "{")',
    true
  ],
  'version-2.yml': ['version-2.yml:2: version: 2 is not supported; this action reads version 1', true]
};

describe('invalid policies are refused with file, line and rule', () => {
  it('every invalid fixture has an expectation', () => {
    expect(yamlFiles(INVALID_DIR).map(f => path.basename(f))).toEqual(Object.keys(INVALID).sort());
  });
  it.each(Object.entries(INVALID))('%s', (name, [message, schemaRefuses]) => {
    const text = fs.readFileSync(path.join(INVALID_DIR, name), 'utf8');
    expect(refusal(text, name)).toBe(message);
    let doc: unknown;
    try {
      doc = yaml.load(text);
    } catch {
      return; // not YAML: nothing for the schema to judge
    }
    expect(validate(doc)).toBe(!schemaRefuses);
  });
});
