// Decisions taken from a policy: which entry an image belongs to, refused tags, image checks, gates.
import * as fs from 'node:fs';
import {describe, expect, it} from '@jest/globals';
import {
  checkImage,
  checkTags,
  expiryLabels,
  immutabilityDecision,
  parseSize,
  requiredGate,
  requiresSbom,
  requiresSignature,
  ruleFor,
  type ImageFacts
} from '../../src/policy/decide.js';
import {parsePolicy} from '../../src/policy/load.js';
import type {RegistryRule} from '../../src/policy/types.js';

const fixture = (name: string): string => fs.readFileSync(`__tests__/fixtures/policy/valid/${name}`, 'utf8');
const design = parsePolicy(fixture('design.yml'), 'design.yml');
const nested = parsePolicy(fixture('block-style.yml'), 'block-style.yml');
const dev = {name: 'development', rule: design.registries.development};
const prod = {name: 'production', rule: design.registries.production};

/** A rule with only the given requirements, the rest at their defaults. */
function rule(require: Partial<RegistryRule['require']> = {}, extra: Partial<RegistryRule> = {}): RegistryRule {
  return {
    match: ['x.io/'],
    immutable: false,
    tags: {forbid: []},
    require: {signature: false, sbom: false, nonRoot: false, labels: [], ...require},
    ...extra
  };
}

type Facts = Pick<ImageFacts, 'platform' | 'user' | 'labels' | 'compressedSize' | 'resolvedUser'>;

describe('ruleFor', () => {
  it.each([
    ['quay.io/kubernaut/gateway', design, 'production', 'quay.io/kubernaut/'],
    ['Quay.IO/Kubernaut/Gateway', design, 'production', 'quay.io/kubernaut/'],
    ['quay.io/jordigilh/gateway', design, 'development', 'quay.io/jordigilh/'],
    ['ghcr.io/acme/app', nested, 'org', 'ghcr.io/acme/'],
    ['ghcr.io/acme/release-app', nested, 'org-releases', 'ghcr.io/acme/release-'],
    ['acme/app', nested, 'org', 'docker.io/acme/'],
    ['docker.io/acme/app', nested, 'org', 'docker.io/acme/']
  ])('%s → %s', (image, policy, name, prefix) => {
    const bound = ruleFor(policy, image);
    expect(bound).toEqual({name, rule: policy.registries[name], prefix});
  });
  it.each([
    ['quay.io/kubernautx/gateway', design],
    ['quay.io/other/app', design],
    ['ghcr.io/acme', nested],
    ['nginx', nested]
  ])('%s belongs to no entry', (image, policy) => {
    expect(ruleFor(policy, image)).toBeUndefined();
  });
});

describe('checkTags', () => {
  const gw = 'quay.io/kubernaut/gateway';
  const notAllowed = (tag: string): string =>
    `policy "production" (quay.io/kubernaut/): tag "${tag}" of ${gw} is not allowed: it matches none of v{semver}, v{semver}-rc{n}, v{semver}-beta{n}`;
  const forbidden = (tag: string, pattern: string): string =>
    `policy "production" (quay.io/kubernaut/) forbids tag "${tag}" of ${gw}: matches forbid pattern "${pattern}"`;
  it.each([
    [['v1.0.0', 'v1.0.0-rc1', 'v1.0.0-beta2'], []],
    [['latest'], [forbidden('latest', 'latest')]],
    [['dev'], [forbidden('dev', 'dev')]],
    [['test-20251217'], [forbidden('test-20251217', 'test-*')]],
    [['3f9c2ab'], [forbidden('3f9c2ab', '{sha}')]],
    [['main'], [notAllowed('main')]],
    [['v1.0'], [notAllowed('v1.0')]],
    [
      ['v1.0.0', 'latest', 'main'],
      [forbidden('latest', 'latest'), notAllowed('main')]
    ]
  ])('production %j', (tags, refusals) => {
    expect(checkTags(prod, gw, tags)).toEqual(refusals);
  });
  it.each([
    [['latest', 'dev', 'feature-audit-v2', 'test-20251217', 'abc123f', 'pr-7'], []],
    [
      ['v1.0.0'],
      [
        'policy "development" (quay.io/jordigilh/): tag "v1.0.0" of quay.io/jordigilh/gateway is not allowed: ' +
          'it matches none of latest, dev, feature-*, test-*, {sha}, pr-{n}'
      ]
    ]
  ])('development %j', (tags, refusals) => {
    expect(checkTags(dev, 'quay.io/jordigilh/gateway', tags)).toEqual(refusals);
  });
  it('an entry without allow takes any tag not forbidden', () => {
    const org = {name: 'org', rule: nested.registries.org};
    expect(checkTags(org, 'acme/app', ['main', 'latest'])).toEqual([
      'policy "org" (docker.io/acme/) forbids tag "latest" of acme/app: matches forbid pattern "latest"'
    ]);
  });
  it('names the prefix ruleFor chose', () => {
    const bound = ruleFor(nested, 'ghcr.io/acme/release-x');
    expect(bound && checkTags(bound, 'ghcr.io/acme/release-x', ['v1'])).toEqual([
      'policy "org-releases" (ghcr.io/acme/release-): tag "v1" of ghcr.io/acme/release-x is not allowed: it matches none of v{semver}, /v\\d+\\.\\d+/'
    ]);
  });
});

describe('checkImage', () => {
  const gw = 'quay.io/kubernaut/gateway';
  const facts = (user: string, more: Partial<Facts> = {}): Facts[] => [
    {
      platform: 'linux/arm64',
      user,
      labels: {'org.opencontainers.image.source': 'https://github.com/jordigilh/kubernaut'},
      compressedSize: 100_000_000,
      ...more
    }
  ];
  const at = `policy "production": ${gw} linux/arm64`;
  const needs = 'the policy requires non-root (uids 1000, 1001)';
  it.each([
    ['', [`${at} runs as root (config.User is empty); ${needs}`]],
    ['root', [`${at} runs as root (config.User is "root"); ${needs}`]],
    ['0', [`${at} runs as root (config.User is "0"); ${needs}`]],
    ['0:0', [`${at} runs as root (config.User is "0:0"); ${needs}`]],
    ['root:1001', [`${at} runs as root (config.User is "root:1001"); ${needs}`]],
    ['1001', []],
    ['1001:1001', []],
    ['1000:0', []],
    ['1002', [`${at} runs as uid 1002 (config.User is "1002"); ${needs}`]],
    [
      'app',
      [
        `${at} runs as user "app" (config.User is "app"), a name whose uid the image does not give; ` +
          `${needs}: add the user to the image's /etc/passwd or give USER a numeric uid, e.g. USER 1000`
      ]
    ]
  ])('user %j with uids', (user, refusals) => {
    expect(checkImage(prod, gw, facts(user))).toEqual(refusals);
  });

  // A named USER counts by the uid the image's own /etc/passwd gives (registry/passwd.ts).
  const line = (n: number, text: string): string => `/etc/passwd line ${n}: ${text}`;
  it.each([
    ['mcp', {uid: 1000, source: line(12, 'mcp:x:1000:1000')}, []],
    ['mcp:mcp', {uid: 1001, source: line(3, 'mcp:x:1001:1001')}, []],
    [
      'mcp',
      {uid: 1002, source: line(12, 'mcp:x:1002:1002')},
      [`${at} runs as uid 1002 (config.User is "mcp", /etc/passwd line 12: mcp:x:1002:1002); ${needs}`]
    ],
    [
      'toor',
      {uid: 0, source: line(2, 'toor:x:0:0')},
      [`${at} runs as root (config.User is "toor", /etc/passwd line 2: toor:x:0:0); ${needs}`]
    ],
    [
      'ghost',
      {source: '/etc/passwd (9 lines) has no user "ghost"'},
      [
        `${at} runs as user "ghost" (config.User is "ghost", /etc/passwd (9 lines) has no user "ghost"), a name whose uid the image does not give; ` +
          `${needs}: add the user to the image's /etc/passwd or give USER a numeric uid, e.g. USER 1000`
      ]
    ]
  ])('named user %j resolved as %j', (user, resolvedUser, refusals) => {
    expect(checkImage(prod, gw, facts(user, {resolvedUser}))).toEqual(refusals);
  });
  it('a name that /etc/passwd gives uid 0 is root for non-root too', () => {
    const r = {uid: 0, source: line(1, 'admin:x:0:0')};
    expect(checkImage({name: 'p', rule: rule({nonRoot: true})}, gw, facts('admin', {resolvedUser: r}))).toEqual([
      `policy "p": ${gw} linux/arm64 runs as root (config.User is "admin", /etc/passwd line 1: admin:x:0:0); the policy requires non-root`
    ]);
  });

  const nonRootOnly = {name: 'p', rule: rule({nonRoot: true})};
  const at2 = `policy "p": ${gw} linux/arm64`;
  it.each([
    ['', [`${at2} runs as root (config.User is empty); the policy requires non-root`]],
    ['root', [`${at2} runs as root (config.User is "root"); the policy requires non-root`]],
    ['0:0', [`${at2} runs as root (config.User is "0:0"); the policy requires non-root`]],
    ['app', []],
    ['app:app', []],
    ['1002', []]
  ])('user %j without uids', (user, refusals) => {
    expect(checkImage(nonRootOnly, gw, facts(user))).toEqual(refusals);
  });

  it('uids alone imply non-root', () => {
    const uidsOnly = {name: 'p', rule: rule({uids: [1001]})};
    expect(checkImage(uidsOnly, gw, facts(''))).toEqual([
      `${at2} runs as root (config.User is empty); the policy requires non-root (uids 1001)`
    ]);
  });
  it('no user requirement, no user check', () => {
    expect(checkImage({name: 'p', rule: rule()}, gw, facts(''))).toEqual([]);
  });

  it.each([
    [
      {},
      [
        `${at} lacks label org.opencontainers.image.source (no value in config.Labels); the policy requires labels org.opencontainers.image.source`
      ]
    ],
    [
      {'org.opencontainers.image.source': ''},
      [
        `${at} lacks label org.opencontainers.image.source (no value in config.Labels); the policy requires labels org.opencontainers.image.source`
      ]
    ],
    [{'org.opencontainers.image.source': 'https://github.com/a/b'}, []]
  ])('labels %j', (labels, refusals) => {
    expect(checkImage(prod, gw, facts('1001', {labels}))).toEqual(refusals);
  });
  it('lists every missing label once per platform', () => {
    const p = {name: 'p', rule: rule({labels: ['a', 'b', 'c']})};
    expect(checkImage(p, 'x.io/y', [{platform: 'linux/amd64', user: '', labels: {b: '1'}, compressedSize: 1}])).toEqual(
      [
        'policy "p": x.io/y linux/amd64 lacks labels a, c (no value in config.Labels); the policy requires labels a, b, c'
      ]
    );
  });

  it.each([
    [500_000_000, []],
    [612_400_000, [`${at} is 612.4MB compressed (612400000 bytes); the policy allows at most 500MB per platform`]]
  ])('size %d', (compressedSize, refusals) => {
    expect(checkImage(prod, gw, facts('1001', {compressedSize}))).toEqual(refusals);
  });
  it('shows the size in the unit of the limit', () => {
    const p = {name: 'p', rule: rule({maxSize: {bytes: 1024 ** 3, text: '1GiB'}})};
    expect(
      checkImage(p, 'x.io/y', [{platform: 'linux/amd64', user: '', labels: {}, compressedSize: 2 * 1024 ** 3}])
    ).toEqual([
      'policy "p": x.io/y linux/amd64 is 2GiB compressed (2147483648 bytes); the policy allows at most 1GiB per platform'
    ]);
  });

  it('checks every platform and names each', () => {
    const both: Facts[] = [
      {platform: 'linux/amd64', user: '1001', labels: {}, compressedSize: 1},
      {platform: 'linux/arm64', user: '', labels: {'org.opencontainers.image.source': 'u'}, compressedSize: 600_000_000}
    ];
    expect(checkImage(prod, gw, both)).toEqual([
      `policy "production": ${gw} linux/amd64 lacks label org.opencontainers.image.source (no value in config.Labels); the policy requires labels org.opencontainers.image.source`,
      `${at} runs as root (config.User is empty); ${needs}`,
      `${at} is 600MB compressed (600000000 bytes); the policy allows at most 500MB per platform`
    ]);
  });
});

describe('requiredGate', () => {
  const scan = (max: Record<string, number>, ignoreUnfixed = false): RegistryRule => rule({scan: {max, ignoreUnfixed}});
  it.each([
    ['nothing touched', [], {max: {}, ignoreUnfixed: false}],
    ['no scan required', [rule(), rule()], {max: {}, ignoreUnfixed: false}],
    ['one registry', [scan({CRITICAL: 0, HIGH: 0})], {max: {CRITICAL: 0, HIGH: 0}, ignoreUnfixed: false}],
    [
      'strictest per severity',
      [scan({CRITICAL: 1, HIGH: 5}), scan({CRITICAL: 0, MEDIUM: 10}), rule()],
      {max: {CRITICAL: 0, HIGH: 5, MEDIUM: 10}, ignoreUnfixed: false}
    ],
    [
      'ignore-unfixed when all say so',
      [scan({HIGH: 0}, true), scan({LOW: 3}, true), rule()],
      {max: {HIGH: 0, LOW: 3}, ignoreUnfixed: true}
    ],
    ['not when one does not', [scan({HIGH: 0}, true), scan({HIGH: 1}, false)], {max: {HIGH: 0}, ignoreUnfixed: false}]
  ])('%s', (_, rules, gate) => {
    expect(requiredGate(rules)).toEqual(gate);
  });
  it('reads the design policy', () => {
    expect(requiredGate([dev.rule, prod.rule])).toEqual({max: {CRITICAL: 0, HIGH: 0}, ignoreUnfixed: false});
  });
});

describe('requiresSignature and requiresSbom', () => {
  it.each([
    [[], false, false],
    [[dev.rule], false, false],
    [[dev.rule, prod.rule], true, true],
    [[rule({signature: true})], true, false],
    [[rule({sbom: true}), rule()], false, true]
  ])('%#', (rules, signature, sbom) => {
    expect(requiresSignature(rules)).toBe(signature);
    expect(requiresSbom(rules)).toBe(sbom);
  });
});

describe('immutabilityDecision', () => {
  const a = 'sha256:' + 'a'.repeat(64);
  const b = 'sha256:' + 'b'.repeat(64);
  it.each([
    ['v1.0.0', undefined, a, 'create'],
    ['v1.0.0', a, a, 'same'],
    [
      'quay.io/kubernaut/gateway:v1.0.0',
      a,
      b,
      {
        refuse: `tag quay.io/kubernaut/gateway:v1.0.0 is immutable and already points to ${a}; refusing to move it to ${b} (publish under a new version tag instead)`
      }
    ]
  ])('%s %s → %s', (tag, existing, next, decision) => {
    expect(immutabilityDecision(tag, existing, next)).toEqual(decision);
  });
});

describe('expiryLabels', () => {
  const expiring = (expiresAfter: string): RegistryRule => rule({}, {expiresAfter});
  it.each([
    ['nothing touched', [], {}],
    ['development', [dev.rule], {'quay.expires-after': '2w'}],
    ['development and production', [dev.rule, prod.rule], {}],
    ['longest wins', [expiring('36h'), expiring('1d'), expiring('2d')], {'quay.expires-after': '2d'}],
    ['weeks beat days', [expiring('13d'), expiring('2w')], {'quay.expires-after': '2w'}]
  ])('%s', (_, rules, labels) => {
    expect(expiryLabels(rules)).toEqual(labels);
  });
});

describe('parseSize', () => {
  it.each([
    ['500MB', 500_000_000],
    ['500 MB', 500_000_000],
    ['1B', 1],
    ['2KB', 2000],
    ['1GB', 1_000_000_000],
    ['1KiB', 1024],
    ['1.5MiB', 1_572_864],
    ['2GiB', 2_147_483_648],
    ['0.5KB', 500]
  ])('%s → %d', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });
  it.each(['500', '500M', '500mb', '500 Mb', 'MB', '-1MB', '1.MB', '1TB', '', '5 00MB'])('refuses %j', text => {
    expect(() => parseSize(text)).toThrow(
      `"${text}" is not a size: write a number and a unit: B, KB, MB, GB (1000-based) or KiB, MiB, GiB (1024-based), e.g. 500MB`
    );
  });
});
