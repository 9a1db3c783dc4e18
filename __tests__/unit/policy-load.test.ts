// Loading a policy: what a good file turns into, and every refusal naming file, line and setting.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {describe, expect, it} from '@jest/globals';
import {DEFAULT_POLICY_PATH, parsePolicy, PolicyError, readPolicyFile} from '../../src/policy/load.js';
import {loadLocated} from '../../src/policy/locate.js';
import type {Policy} from '../../src/policy/types.js';

const F = 'p.yml';

function refusal(text: string): PolicyError | string {
  try {
    parsePolicy(text, F);
  } catch (e) {
    return e instanceof PolicyError ? e : `not a PolicyError: ${String(e)}`;
  }
  return 'accepted';
}

/** Pattern lists as their sources, so a parsed policy compares as plain data. */
function plain(policy: Policy): unknown {
  return JSON.parse(JSON.stringify(policy, (k, v) => (v instanceof RegExp ? undefined : v)));
}

describe('parsePolicy reads the designed format', () => {
  it('the design example', () => {
    const text = fs.readFileSync('__tests__/fixtures/policy/valid/design.yml', 'utf8');
    expect(plain(parsePolicy(text, 'design.yml'))).toEqual({
      version: 1,
      file: 'design.yml',
      registries: {
        development: {
          match: ['quay.io/jordigilh/'],
          immutable: false,
          tags: {
            forbid: [],
            allow: ['latest', 'dev', 'feature-*', 'test-*', '{sha}', 'pr-{n}'].map(source => ({source}))
          },
          expiresAfter: '2w',
          require: {signature: false, sbom: false, nonRoot: false, labels: []}
        },
        production: {
          match: ['quay.io/kubernaut/'],
          immutable: true,
          tags: {
            forbid: ['latest', 'dev', 'test-*', '{sha}'].map(source => ({source})),
            allow: ['v{semver}', 'v{semver}-rc{n}', 'v{semver}-beta{n}'].map(source => ({source}))
          },
          require: {
            signature: true,
            sbom: true,
            nonRoot: true,
            labels: ['org.opencontainers.image.source'],
            scan: {max: {CRITICAL: 0, HIGH: 0}, ignoreUnfixed: false},
            uids: [1000, 1001],
            maxSize: {bytes: 500_000_000, text: '500MB'}
          }
        }
      }
    });
  });
  it('defaults: mutable, any tag, nothing required', () => {
    expect(
      plain(parsePolicy('version: 1\nregistries:\n  any:\n    match: [GHCR.io/Acme/, " quay.io/a/ "]\n', F))
    ).toEqual({
      version: 1,
      file: F,
      registries: {
        any: {
          match: ['ghcr.io/acme/', 'quay.io/a/'],
          immutable: false,
          tags: {forbid: []},
          require: {signature: false, sbom: false, nonRoot: false, labels: []}
        }
      }
    });
  });
  it('reads every scan limit', () => {
    const text = fs.readFileSync('__tests__/fixtures/policy/valid/block-style.yml', 'utf8');
    expect(parsePolicy(text, F).registries['org-releases'].require.scan).toEqual({
      max: {CRITICAL: 0, HIGH: 2, MEDIUM: 10, LOW: 100, UNKNOWN: 100},
      ignoreUnfixed: true
    });
  });
  it.each([
    ['a byte order mark', '\uFEFFversion: 1\nregistries:\n  x:\n    match: 1\n'],
    ['CRLF line ends', 'version: 1\r\nregistries:\r\n  x:\r\n    match: 1\r\n']
  ])('keeps lines right with %s', (_, text) => {
    expect(refusal(text)).toMatchObject({
      message: 'p.yml:4: registries.x.match: must be an image name prefix or a list of them, got 1',
      line: 4,
      rule: 'registries.x.match'
    });
  });
});

const HEAD = 'version: 1\nregistries:\n  prod:\n    match: quay.io/k/\n';

describe('parsePolicy refuses with file:line: setting: problem', () => {
  it.each([
    // syntax errors keep js-yaml's line
    [
      'tab indentation',
      'version: 1\nregistries:\n\tprod: {}\n',
      'p.yml:3: YAML syntax: tab characters must not be used in indentation (column 1)'
    ],
    [
      'duplicate key',
      `${HEAD}    immutable: true\n    immutable: false\n`,
      'p.yml:6: YAML syntax: duplicated mapping key (column 5)'
    ],
    [
      'two documents',
      'version: 1\n---\nversion: 1\n',
      'p.yml:2: YAML syntax: expected a single document in the stream, but found more'
    ],
    [
      'two documents after a marker',
      '# c\n---\nversion: 1\n...\n---\nversion: 1\n',
      'p.yml:5: YAML syntax: expected a single document in the stream, but found more'
    ],
    // the document
    ['a list', '- version: 1\n', 'p.yml:1: the policy must be a mapping with version and registries, got a list'],
    [
      'a word',
      '# x\nhello\n',
      'p.yml:2: the policy must be a mapping with version and registries, got text (not shown: is this a policy file?)'
    ],
    [
      'no version',
      'registries: {}\n',
      'p.yml:1: version is missing; write "version: 1" (the format this action reads)'
    ],
    ['version as text', 'version: "1"\n', 'p.yml:1: version: "1" is not supported; this action reads version 1'],
    ['no registries', 'version: 1\n', 'p.yml:1: registries is missing; map environment names to their rules'],
    ['empty registries', 'version: 1\nregistries: {}\n', 'p.yml:2: registries: must name at least one environment'],
    [
      'registries as list',
      'version: 1\nregistries:\n  - prod\n',
      'p.yml:2: registries: must map environment names to rules, got a list'
    ],
    [
      'top-level typo',
      'version: 1\nregistry: {}\n',
      'p.yml:2: registry: unknown key; did you mean "registries"? (allowed: version, registries)'
    ],
    // an entry
    [
      'bad name',
      'version: 1\nregistries:\n  "prod env":\n    match: quay.io/\n',
      'p.yml:3: registries.prod env: "prod env" is not an environment name: use letters, digits, "-" and "_"'
    ],
    [
      'entry not a mapping',
      'version: 1\nregistries:\n  prod: quay.io/k/\n',
      'p.yml:3: registries.prod: must be a mapping (match, immutable, tags, expires-after, require), got "quay.io/k/"'
    ],
    [
      'no match',
      'version: 1\nregistries:\n  prod:\n    immutable: true\n',
      'p.yml:3: registries.prod: match is missing; give the image name prefix, e.g. quay.io/acme/'
    ],
    [
      'empty match list',
      'version: 1\nregistries:\n  prod:\n    match: []\n',
      'p.yml:4: registries.prod.match: must be an image name prefix or a list of them, got a list'
    ],
    [
      'match item not text',
      'version: 1\nregistries:\n  prod:\n    match:\n      - quay.io/a/\n      - 7\n',
      'p.yml:6: registries.prod.match[1]: must be an image name prefix such as quay.io/acme/, got 7'
    ],
    [
      'match with digest',
      'version: 1\nregistries:\n  prod:\n    match: quay.io/a@sha256:1\n',
      'p.yml:4: registries.prod.match: "quay.io/a@sha256:1" is not an image name prefix (no spaces or digests)'
    ],
    [
      'same prefix twice in one entry',
      'version: 1\nregistries:\n  prod:\n    match: [quay.io/a/, quay.io/A/]\n',
      'p.yml:4: registries.prod.match[1]: "quay.io/a/" is already a match of registries.prod (line 4); each prefix must belong to one entry (the longest matching prefix decides)'
    ],
    [
      'one prefix in two Docker Hub spellings',
      'version: 1\nregistries:\n  a:\n    match: docker.io/acme/\n  b:\n    match: index.docker.io/acme/\n',
      'p.yml:6: registries.b.match: "docker.io/acme/" is already a match of registries.a (line 4); each prefix must belong to one entry (the longest matching prefix decides)'
    ],
    [
      'a lone Docker Hub name as prefix',
      'version: 1\nregistries:\n  prod:\n    match: docker.io/nginx\n',
      'p.yml:4: registries.prod.match: "docker.io/nginx": Docker Hub\'s "nginx" is ambiguous as a prefix: write docker.io/library/nginx for the official image or docker.io/nginx/ for the namespace'
    ],
    [
      'unknown entry key',
      `${HEAD}    tag: {}\n`,
      'p.yml:5: registries.prod.tag: unknown key; did you mean "tags"? (allowed: match, immutable, tags, expires-after, require)'
    ],
    [
      'unknown key, no guess',
      `${HEAD}    owner: me\n`,
      'p.yml:5: registries.prod.owner: unknown key (allowed: match, immutable, tags, expires-after, require)'
    ],
    [
      'immutable as number',
      `${HEAD}    immutable: 1\n`,
      'p.yml:5: registries.prod.immutable: must be true or false, got 1'
    ],
    [
      'expiry unit',
      `${HEAD}    expires-after: 2m\n`,
      'p.yml:5: registries.prod.expires-after: must be a duration such as 12h, 7d or 2w (quay.expires-after), got "2m"'
    ],
    [
      'expiry zero',
      `${HEAD}    expires-after: 0d\n`,
      'p.yml:5: registries.prod.expires-after: must be a duration such as 12h, 7d or 2w (quay.expires-after), got "0d"'
    ],
    [
      'expiry number',
      `${HEAD}    expires-after: 14\n`,
      'p.yml:5: registries.prod.expires-after: must be a duration such as 12h, 7d or 2w (quay.expires-after), got 14'
    ],
    // tags
    [
      'tags as list',
      `${HEAD}    tags: [latest]\n`,
      'p.yml:5: registries.prod.tags: must be a mapping with allow and/or forbid, got a list'
    ],
    [
      'tags key typo',
      `${HEAD}    tags:\n      alow: [x]\n`,
      'p.yml:6: registries.prod.tags.alow: unknown key; did you mean "allow"? (allowed: allow, forbid)'
    ],
    [
      'allow as text',
      `${HEAD}    tags:\n      allow: latest\n`,
      'p.yml:6: registries.prod.tags.allow: must be a list of tag patterns, got "latest"'
    ],
    [
      'allow unquoted class',
      `${HEAD}    tags:\n      allow: {sha}\n`,
      `p.yml:6: registries.prod.tags.allow: must be a list of tag patterns, got a mapping (quote patterns that begin with "{", e.g. '{sha}')`
    ],
    [
      'empty allow',
      `${HEAD}    tags:\n      allow: []\n`,
      'p.yml:6: registries.prod.tags.allow: an empty allow list refuses every tag; leave allow out to allow any'
    ],
    [
      'numeric pattern',
      `${HEAD}    tags:\n      forbid:\n        - latest\n\n        # a comment between items\n        - 1.0\n`,
      'p.yml:10: registries.prod.tags.forbid[1]: must be a tag pattern string, got 1'
    ],
    [
      'pattern in a multi-line flow list',
      `${HEAD}    tags:\n      allow: [\n        latest,\n        'v{semver',\n      ]\n`,
      'p.yml:8: registries.prod.tags.allow[1]: "v{semver" is not a pattern: "{" is not closed (known classes: {semver}, {n}, {sha})'
    ],
    [
      'unquoted star',
      `${HEAD}    tags:\n      allow: [*]\n`,
      'p.yml:6: YAML syntax: name of an alias node must contain at least one character (column 16) (quote tag patterns that begin with "*" or "{")'
    ],
    // require
    [
      'require as list',
      `${HEAD}    require: [sbom]\n`,
      'p.yml:5: registries.prod.require: must be a mapping of requirements, got a list'
    ],
    [
      'require key typo',
      `${HEAD}    require:\n      nonroot: true\n`,
      'p.yml:6: registries.prod.require.nonroot: unknown key; did you mean "non-root"? (allowed: scan, signature, sbom, non-root, uids, labels, max-size)'
    ],
    [
      'signature as text',
      `${HEAD}    require:\n      signature: cosign\n`,
      'p.yml:6: registries.prod.require.signature: must be true, false or a mapping (at, tags), got "cosign"'
    ],
    [
      'scan as boolean',
      `${HEAD}    require:\n      scan: true\n`,
      'p.yml:6: registries.prod.require.scan: must be a mapping (max-critical, max-high, max-medium, max-low, max-unknown, ignore-unfixed), got true'
    ],
    [
      'scan key typo',
      `${HEAD}    require:\n      scan:\n        max-criticals: 0\n`,
      'p.yml:7: registries.prod.require.scan.max-criticals: unknown key; did you mean "max-critical"? (allowed: max-critical, max-high, max-medium, max-low, max-unknown, ignore-unfixed)'
    ],
    [
      'negative limit',
      `${HEAD}    require:\n      scan:\n        max-critical: 0\n        max-high: -1\n`,
      'p.yml:8: registries.prod.require.scan.max-high: must be a whole number of findings, 0 or more, got -1'
    ],
    [
      'fractional limit',
      `${HEAD}    require:\n      scan: {max-high: 0.5}\n`,
      'p.yml:6: registries.prod.require.scan.max-high: must be a whole number of findings, 0 or more, got 0.5'
    ],
    [
      'ignore-unfixed as text',
      `${HEAD}    require:\n      scan: {max-high: 0, ignore-unfixed: "yes"}\n`,
      'p.yml:6: registries.prod.require.scan.ignore-unfixed: must be true or false, got "yes"'
    ],
    [
      'uids as number',
      `${HEAD}    require:\n      uids: 1001\n`,
      'p.yml:6: registries.prod.require.uids: must be a list of uids such as [1001], got 1001'
    ],
    [
      'uid as text',
      `${HEAD}    require:\n      uids: [1001, "app"]\n`,
      'p.yml:6: registries.prod.require.uids[1]: must be a uid from 1 to 4294967294, got "app"'
    ],
    [
      'uid too large',
      `${HEAD}    require:\n      uids:\n        - 4294967295\n`,
      'p.yml:7: registries.prod.require.uids[0]: must be a uid from 1 to 4294967294, got 4294967295'
    ],
    [
      'labels as text',
      `${HEAD}    require:\n      labels: org.opencontainers.image.source\n`,
      'p.yml:6: registries.prod.require.labels: must be a list of label keys, got "org.opencontainers.image.source"'
    ],
    [
      'label with a value',
      `${HEAD}    require:\n      labels:\n        - a\n        - team=x\n`,
      'p.yml:8: registries.prod.require.labels[1]: must be a label key such as org.opencontainers.image.source, got "team=x"'
    ],
    [
      'size as number',
      `${HEAD}    require:\n      max-size: 500\n`,
      'p.yml:6: registries.prod.require.max-size: must be a size with a unit, e.g. 500MB, got 500'
    ],
    [
      'size zero',
      `${HEAD}    require:\n      max-size: 0MB\n`,
      'p.yml:6: registries.prod.require.max-size: must be more than 0, got "0MB"'
    ],
    [
      'size in bits',
      `${HEAD}    require:\n      max-size: 500Mb\n`,
      'p.yml:6: registries.prod.require.max-size: "500Mb" is not a size: write a number and a unit: B, KB, MB, GB (1000-based) or KiB, MiB, GiB (1024-based), e.g. 500MB'
    ]
  ])('%s', (_, text, message) => {
    const error = refusal(text);
    expect(error instanceof PolicyError ? error.message : error).toBe(message);
  });

  it('carries file, line and rule as fields', () => {
    expect(refusal(`${HEAD}    tags:\n      forbid: [latest, '{shaa}']\n`)).toMatchObject({
      name: 'PolicyError',
      file: F,
      line: 6,
      rule: 'registries.prod.tags.forbid[1]'
    });
    expect(refusal('a: [\n')).toMatchObject({file: F, line: 2, rule: 'YAML syntax'});
    expect(refusal('')).toMatchObject({file: F, line: 1, rule: ''});
  });
});

describe('loadLocated finds the line of a setting', () => {
  const text = [
    '# policy', //                                   1
    'version: 1', //                                 2
    'registries:', //                                3
    '  dev:', //                                     4
    '    match: &m quay.io/x/', //                   5
    '    tags:', //                                  6
    '      allow: [latest, dev,', //                 7
    "        'feature-*']", //                       8
    '      forbid:', //                              9
    '      - a', //                                  10
    '      -   # empty line follows', //             11
    '', //                                           12
    '        b', //                                  13
    '  prod:', //                                    14
    '    "match": *m', //                            15
    '    require: {scan: {max-high: 1},', //         16
    '      labels: [x,', //                          17
    '        y]}', //                                18
    '    list:', //                                  19
    '      - name: one', //                          20
    '        uid: 1', //                             21
    '      - {name: two,', //                        22
    '         uid: 2}' //                            23
  ].join('\n');
  const located = loadLocated(text, 'x.yml');
  it.each([
    [[], 2],
    [['version'], 2],
    [['registries'], 3],
    [['registries', 'dev'], 4],
    [['registries', 'dev', 'match'], 5],
    [['registries', 'dev', 'tags'], 6],
    [['registries', 'dev', 'tags', 'allow'], 7],
    [['registries', 'dev', 'tags', 'allow', 1], 7],
    [['registries', 'dev', 'tags', 'allow', 2], 8],
    [['registries', 'dev', 'tags', 'forbid', 0], 10],
    [['registries', 'dev', 'tags', 'forbid', 1], 13],
    [['registries', 'prod', 'match'], 15],
    [['registries', 'prod', 'require', 'scan', 'max-high'], 16],
    [['registries', 'prod', 'require', 'labels', 1], 18],
    [['registries', 'prod', 'list', 0, 'uid'], 21],
    [['registries', 'prod', 'list', 1, 'name'], 22],
    [['registries', 'prod', 'list', 1, 'uid'], 23],
    // absent settings fall back to the nearest ancestor that is written down
    [['registries', 'prod', 'tags', 'allow'], 14],
    [['registries', 'dev', 'tags', 'forbid', 9], 9],
    [['registries', 'dev', 'match', 'deeper'], 5]
  ])('%j → line %d', (at, line) => {
    expect(located.lineOf(at)).toBe(line);
  });
  it('returns the parsed value', () => {
    expect(located.value).toMatchObject({registries: {prod: {match: 'quay.io/x/', require: {labels: ['x', 'y']}}}});
  });
});

describe('readPolicyFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-'));
  const good = path.join(dir, 'good.yml');
  fs.writeFileSync(good, 'version: 1\nregistries:\n  x:\n    match: ghcr.io/\n');
  const bad = path.join(dir, 'bad.yml');
  fs.writeFileSync(bad, 'version: 1\nregistries:\n  x:\n    match: ghcr.io/\n    sbom: true\n');
  const missing = path.join(dir, 'missing.yml');

  it('the default location is .github/image-publish-policy.yml', () => {
    expect(DEFAULT_POLICY_PATH).toBe('.github/image-publish-policy.yml');
  });
  it.each([true, false])('reads a file (required %s)', required => {
    expect(readPolicyFile(good, required, dir)?.registries.x.match).toEqual(['ghcr.io/']);
  });
  it('a missing default file means no policy', () => {
    expect(readPolicyFile(missing, false, dir)).toBeUndefined();
  });
  it('a missing file the policy input named is an error', () => {
    expect(() => readPolicyFile(missing, true, dir)).toThrow(`${missing}: input "policy": the file does not exist`);
  });
  it('a directory is an error either way', () => {
    expect(() => readPolicyFile(dir, false, dir)).toThrow(
      `${dir}: read: EISDIR: illegal operation on a directory, read`
    );
  });
  it('names the file it read in a refusal', () => {
    expect(() => readPolicyFile(bad, false, dir)).toThrow(
      `${bad}:5: registries.x.sbom: unknown key (allowed: match, immutable, tags, expires-after, require)`
    );
  });
});
