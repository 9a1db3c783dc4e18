// Exact cosign v3.1.2 argv per mode, the copy-pasteable verify line, the secret environment.
import {describe, expect, it} from '@jest/globals';
import {
  attestArgs,
  cosignEnv,
  publicKeyArgs,
  shellQuote,
  signArgs,
  verifyArgs,
  verifyAttestationArgs,
  verifyCommand,
  type SignConfig
} from '../../src/supply/cosign-config.js';

const REF = `ghcr.io/acme/app@sha256:${'a'.repeat(64)}`;
const KEY = '/run/ip/cosign.key';
const PUB = '/run/ip/cosign-derived.pub';
const ISSUER = 'https://token.actions.githubusercontent.com';
const IDENTITY = 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3';

const key: SignConfig = {
  mode: 'key',
  key: KEY,
  publicKey: PUB,
  derivePublicKey: true,
  password: 'hunter22',
  tlogUpload: true,
  recursive: true,
  signatureFormat: 'default',
  allowInsecureRegistry: false
};
const offline: SignConfig = {...key, tlogUpload: false};
const kms: SignConfig = {
  mode: 'kms',
  key: 'awskms:///alias/release',
  tlogUpload: true,
  recursive: true,
  signatureFormat: 'default',
  allowInsecureRegistry: false
};
const keyless: SignConfig = {
  mode: 'keyless',
  certificateIdentity: IDENTITY,
  certificateOidcIssuer: ISSUER,
  tlogUpload: true,
  recursive: true,
  signatureFormat: 'default',
  allowInsecureRegistry: false
};
const http = ['--allow-insecure-registry', '--allow-http-registry'];
const noLog = ['--tlog-upload=false', '--use-signing-config=false'];

describe('signArgs', () => {
  it.each<[string, SignConfig, string[]]>([
    ['key, tlog, recursive', key, ['sign', '--key', KEY, '--recursive', '--yes', REF]],
    ['key, no tlog', offline, ['sign', '--key', KEY, ...noLog, '--recursive', '--yes', REF]],
    ['key, one manifest', {...key, recursive: false}, ['sign', '--key', KEY, '--yes', REF]],
    [
      'key, bundle',
      {...key, signatureFormat: 'bundle'},
      ['sign', '--key', KEY, '--new-bundle-format=true', '--recursive', '--yes', REF]
    ],
    [
      'key, legacy (leaves the TUF signing config, which refuses it)',
      {...key, signatureFormat: 'legacy'},
      ['sign', '--key', KEY, '--new-bundle-format=false', '--use-signing-config=false', '--recursive', '--yes', REF]
    ],
    [
      'key, legacy, no tlog',
      {...offline, signatureFormat: 'legacy'},
      [
        'sign',
        '--key',
        KEY,
        '--tlog-upload=false',
        '--new-bundle-format=false',
        '--use-signing-config=false',
        '--recursive',
        '--yes',
        REF
      ]
    ],
    ['kms', kms, ['sign', '--key', 'awskms:///alias/release', '--recursive', '--yes', REF]],
    ['keyless', keyless, ['sign', '--recursive', '--yes', REF]],
    ['keyless, one manifest', {...keyless, recursive: false}, ['sign', '--yes', REF]],
    [
      'http registry',
      {...offline, allowInsecureRegistry: true},
      ['sign', '--key', KEY, ...noLog, '--recursive', ...http, '--yes', REF]
    ]
  ])('%s', (_name, c, want) => {
    expect(signArgs(c, REF)).toEqual(want);
  });

  it('refuses key content that materializeKey has not written yet', () => {
    expect(() => signArgs({...key, key: undefined}, REF)).toThrow('materializeKey');
  });
});

describe('attestArgs', () => {
  const sbom = '/tmp/sbom linux-arm64.spdx.json';
  it.each<[string, SignConfig, 'spdxjson' | 'cyclonedx', string[]]>([
    ['key, spdx', key, 'spdxjson', ['attest', '--key', KEY, '--type', 'spdxjson', '--predicate', sbom, '--yes', REF]],
    [
      'key, no tlog, cyclonedx',
      offline,
      'cyclonedx',
      ['attest', '--key', KEY, ...noLog, '--type', 'cyclonedx', '--predicate', sbom, '--yes', REF]
    ],
    [
      'kms',
      kms,
      'spdxjson',
      ['attest', '--key', 'awskms:///alias/release', '--type', 'spdxjson', '--predicate', sbom, '--yes', REF]
    ],
    [
      'keyless (never --recursive)',
      keyless,
      'spdxjson',
      ['attest', '--type', 'spdxjson', '--predicate', sbom, '--yes', REF]
    ],
    [
      'legacy, http registry',
      {...key, signatureFormat: 'legacy', allowInsecureRegistry: true},
      'spdxjson',
      [
        'attest',
        '--key',
        KEY,
        '--new-bundle-format=false',
        '--use-signing-config=false',
        '--type',
        'spdxjson',
        '--predicate',
        sbom,
        ...http,
        '--yes',
        REF
      ]
    ]
  ])('%s', (_name, c, type, want) => {
    expect(attestArgs(c, REF, sbom, type)).toEqual(want);
  });
});

describe('verifyArgs', () => {
  it.each<[string, SignConfig, string[]]>([
    ['key, tlog', key, ['verify', '--key', PUB, '--output', 'json', REF]],
    ['key, no tlog', offline, ['verify', '--key', PUB, '--insecure-ignore-tlog', '--output', 'json', REF]],
    [
      'format does not matter',
      {...offline, signatureFormat: 'legacy'},
      ['verify', '--key', PUB, '--insecure-ignore-tlog', '--output', 'json', REF]
    ],
    ['kms: the KMS URI verifies', kms, ['verify', '--key', 'awskms:///alias/release', '--output', 'json', REF]],
    [
      'kms with a public key file',
      {...kms, publicKey: 'release.pub'},
      ['verify', '--key', 'release.pub', '--output', 'json', REF]
    ],
    [
      'keyless',
      keyless,
      ['verify', '--certificate-identity', IDENTITY, '--certificate-oidc-issuer', ISSUER, '--output', 'json', REF]
    ],
    [
      'keyless regexp',
      {...keyless, certificateIdentity: undefined, certificateIdentityRegexp: '^https://github\\.com/acme/'},
      [
        'verify',
        '--certificate-identity-regexp',
        '^https://github\\.com/acme/',
        '--certificate-oidc-issuer',
        ISSUER,
        '--output',
        'json',
        REF
      ]
    ],
    [
      'http registry',
      {...offline, allowInsecureRegistry: true},
      ['verify', '--key', PUB, '--insecure-ignore-tlog', ...http, '--output', 'json', REF]
    ]
  ])('%s', (_name, c, want) => {
    expect(verifyArgs(c, REF)).toEqual(want);
  });

  it.each<[string, SignConfig]>([
    ['no public key yet', {...key, publicKey: undefined}],
    [
      'public key content not written yet',
      {...key, publicKey: '-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----'}
    ]
  ])('%s → throws', (_name, c) => {
    expect(() => verifyArgs(c, REF)).toThrow('materializeKey');
  });
});

describe('verifyAttestationArgs', () => {
  it.each<[string, SignConfig, 'spdxjson' | 'cyclonedx', string[]]>([
    [
      'key, no tlog',
      offline,
      'spdxjson',
      ['verify-attestation', '--key', PUB, '--type', 'spdxjson', '--insecure-ignore-tlog', '--output', 'json', REF]
    ],
    [
      'keyless, cyclonedx',
      keyless,
      'cyclonedx',
      [
        'verify-attestation',
        '--certificate-identity',
        IDENTITY,
        '--certificate-oidc-issuer',
        ISSUER,
        '--type',
        'cyclonedx',
        '--output',
        'json',
        REF
      ]
    ],
    [
      'kms, http registry',
      {...kms, allowInsecureRegistry: true},
      'spdxjson',
      ['verify-attestation', '--key', 'awskms:///alias/release', '--type', 'spdxjson', ...http, '--output', 'json', REF]
    ]
  ])('%s', (_name, c, type, want) => {
    expect(verifyAttestationArgs(c, REF, type)).toEqual(want);
  });
});

describe('verifyCommand', () => {
  it.each<[string, SignConfig, string]>([
    ['key: a placeholder file, not our temp path', key, `cosign verify --key cosign.pub ${REF}`],
    ['key, no tlog', offline, `cosign verify --key cosign.pub --insecure-ignore-tlog ${REF}`],
    ['key with a KMS public key', {...key, publicKey: 'k8s://ci/cosign'}, `cosign verify --key k8s://ci/cosign ${REF}`],
    ['kms', kms, `cosign verify --key awskms:///alias/release ${REF}`],
    ['kms with a public key file', {...kms, publicKey: '/tmp/x/release.pub'}, `cosign verify --key cosign.pub ${REF}`],
    ['keyless', keyless, `cosign verify --certificate-identity ${IDENTITY} --certificate-oidc-issuer ${ISSUER} ${REF}`],
    [
      'keyless regexp is quoted',
      {...keyless, certificateIdentity: undefined, certificateIdentityRegexp: '^https://github\\.com/acme/.*$'},
      `cosign verify --certificate-identity-regexp '^https://github\\.com/acme/.*$' --certificate-oidc-issuer ${ISSUER} ${REF}`
    ],
    [
      'http registry',
      {...offline, allowInsecureRegistry: true},
      `cosign verify --key cosign.pub --insecure-ignore-tlog --allow-insecure-registry --allow-http-registry ${REF}`
    ]
  ])('%s', (_name, c, want) => {
    const line = verifyCommand(c, REF);
    expect(line).toBe(want);
    expect(line).not.toContain('hunter22');
  });
});

describe('shellQuote', () => {
  it.each<[string, string]>([
    ['ghcr.io/acme/app@sha256:abc', 'ghcr.io/acme/app@sha256:abc'],
    ['awskms:///alias/x', 'awskms:///alias/x'],
    ['a b', "'a b'"],
    ["it's", "'it'\\''s'"],
    ['$HOME', "'$HOME'"],
    ['', "''"]
  ])('%s → %s', (s, want) => {
    expect(shellQuote(s)).toBe(want);
  });
});

describe('cosignEnv and publicKeyArgs', () => {
  it.each<[string, SignConfig, Record<string, string>]>([
    ['key: the password, never in argv', key, {COSIGN_PASSWORD: 'hunter22'}],
    ['key without a password: empty, so cosign never prompts', {...key, password: undefined}, {COSIGN_PASSWORD: ''}],
    ['kms', kms, {}],
    ['keyless', keyless, {}]
  ])('%s', (_name, c, want) => {
    expect(cosignEnv(c)).toEqual(want);
    expect(JSON.stringify([signArgs(c, REF), verifyArgs(c, REF)])).not.toContain('hunter22');
  });

  it('public-key writes the derived key to a file', () => {
    expect(publicKeyArgs(KEY, PUB)).toEqual(['public-key', '--key', KEY, '--outfile', PUB]);
  });
});

describe('several references per call', () => {
  const REF2 = `registry.example/acme/app@sha256:${'b'.repeat(64)}`;
  it.each<[string, () => string[], string[]]>([
    ['sign', () => signArgs(key, [REF, REF2]), ['sign', '--key', KEY, '--recursive', '--yes', REF, REF2]],
    ['verify', () => verifyArgs(key, [REF, REF2]), ['verify', '--key', PUB, '--output', 'json', REF, REF2]],
    [
      'verify-attestation',
      () => verifyAttestationArgs(key, [REF, REF2], 'spdxjson'),
      ['verify-attestation', '--key', PUB, '--type', 'spdxjson', '--output', 'json', REF, REF2]
    ],
    ['a list of one is one reference', () => signArgs(key, [REF]), ['sign', '--key', KEY, '--recursive', '--yes', REF]]
  ])('%s', (_name, args, want) => {
    expect(args()).toEqual(want);
  });

  it.each<[string, () => string[]]>([
    ['sign', () => signArgs(key, [])],
    ['verify', () => verifyArgs(key, [])],
    ['verify-attestation', () => verifyAttestationArgs(key, [], 'cyclonedx')]
  ])('%s of no reference throws (cosign would print its usage)', (_name, args) => {
    expect(args).toThrow('at least one image reference');
  });
});
