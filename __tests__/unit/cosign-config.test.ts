// Signing settings from the inputs: every mode, every error naming its input, the early OIDC check.
import {describe, expect, it} from '@jest/globals';
import {
  assertCosignV3,
  assertOidcToken,
  signConfigFrom,
  type SignConfig,
  type SignInputs
} from '../../src/supply/cosign-config.js';

const none: SignInputs = {
  key: '',
  publicKey: '',
  keyless: false,
  tlogUpload: true,
  recursive: true,
  signatureFormat: '',
  certificateIdentity: '',
  certificateOidcIssuer: ''
};
const PEM = '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nc2VjcmV0\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n';
const PUB = '-----BEGIN PUBLIC KEY-----\nTUZrd0V3\n-----END PUBLIC KEY-----\n';
const gh = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.actions.githubusercontent.com/x/idtoken',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_WORKFLOW_REF: 'acme/app/.github/workflows/release.yml@refs/tags/v1.2.3'
};
const ISSUER = 'https://token.actions.githubusercontent.com';
const IDENTITY = 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3';
const defaults = {tlogUpload: true, recursive: true, signatureFormat: 'default', allowInsecureRegistry: false} as const;

describe('signConfigFrom', () => {
  it.each<[string, Partial<SignInputs>, Record<string, string>, SignConfig | undefined]>([
    ['signing off', {}, {}, undefined],
    ['a password alone does not turn signing on', {}, gh, undefined],
    ['key file path', {key: 'keys/cosign.key'}, {}, {mode: 'key', key: 'keys/cosign.key', ...defaults}],
    ['key PEM content stays out of the config', {key: PEM}, {}, {mode: 'key', ...defaults}],
    ['key content with surrounding blank lines', {key: `\n\n${PEM}\n`}, {}, {mode: 'key', ...defaults}],
    [
      'key path and public key path',
      {key: 'cosign.key', publicKey: 'cosign.pub'},
      {},
      {mode: 'key', key: 'cosign.key', publicKey: 'cosign.pub', ...defaults}
    ],
    [
      'public key as PEM content (written by materializeKey)',
      {key: PEM, publicKey: PUB},
      {},
      {mode: 'key', publicKey: PUB.trim(), ...defaults}
    ],
    ['awskms', {key: 'awskms:///alias/release'}, {}, {mode: 'kms', key: 'awskms:///alias/release', ...defaults}],
    [
      'gcpkms',
      {key: 'gcpkms://projects/p/locations/global/keyRings/r/cryptoKeys/k/versions/1'},
      {},
      {mode: 'kms', key: 'gcpkms://projects/p/locations/global/keyRings/r/cryptoKeys/k/versions/1', ...defaults}
    ],
    [
      'azurekms',
      {key: 'azurekms://vault.vault.azure.net/k'},
      {},
      {mode: 'kms', key: 'azurekms://vault.vault.azure.net/k', ...defaults}
    ],
    ['hashivault', {key: 'hashivault://release'}, {}, {mode: 'kms', key: 'hashivault://release', ...defaults}],
    ['k8s secret', {key: 'k8s://ci/cosign'}, {}, {mode: 'kms', key: 'k8s://ci/cosign', ...defaults}],
    [
      'kms with a public key file',
      {key: 'awskms:///alias/release', publicKey: 'release.pub'},
      {},
      {mode: 'kms', key: 'awskms:///alias/release', publicKey: 'release.pub', ...defaults}
    ],
    [
      'keyless on GitHub: identity from the workflow ref, GitHub issuer',
      {keyless: true},
      gh,
      {mode: 'keyless', certificateIdentity: IDENTITY, certificateOidcIssuer: ISSUER, ...defaults}
    ],
    [
      'keyless on GHES: the server URL prefixes the identity',
      {keyless: true},
      {...gh, GITHUB_SERVER_URL: 'https://ghe.acme.dev'},
      {
        mode: 'keyless',
        certificateIdentity: 'https://ghe.acme.dev/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3',
        certificateOidcIssuer: ISSUER,
        ...defaults
      }
    ],
    [
      'keyless with an explicit identity and issuer (reusable workflow)',
      {
        keyless: true,
        certificateIdentity: 'https://github.com/acme/ci/.github/workflows/publish.yml@refs/heads/main',
        certificateOidcIssuer: 'https://issuer.example'
      },
      gh,
      {
        mode: 'keyless',
        certificateIdentity: 'https://github.com/acme/ci/.github/workflows/publish.yml@refs/heads/main',
        certificateOidcIssuer: 'https://issuer.example',
        ...defaults
      }
    ],
    [
      'keyless identity starting with ^ is a regular expression',
      {keyless: true, certificateIdentity: '^https://github\\.com/acme/'},
      gh,
      {
        mode: 'keyless',
        certificateIdentityRegexp: '^https://github\\.com/acme/',
        certificateOidcIssuer: ISSUER,
        ...defaults
      }
    ],
    [
      'keyless with SIGSTORE_ID_TOKEN outside GitHub',
      {keyless: true, certificateIdentity: 'ci@acme.dev', certificateOidcIssuer: 'https://accounts.google.com'},
      {SIGSTORE_ID_TOKEN: 'eyJ'},
      {
        mode: 'keyless',
        certificateIdentity: 'ci@acme.dev',
        certificateOidcIssuer: 'https://accounts.google.com',
        ...defaults
      }
    ],
    [
      'signature-format bundle',
      {key: 'k', signatureFormat: 'bundle'},
      {},
      {mode: 'key', key: 'k', ...defaults, signatureFormat: 'bundle'}
    ],
    [
      'signature-format legacy',
      {key: 'k', signatureFormat: ' legacy '},
      {},
      {mode: 'key', key: 'k', ...defaults, signatureFormat: 'legacy'}
    ],
    ['signature-format default', {key: 'k', signatureFormat: 'default'}, {}, {mode: 'key', key: 'k', ...defaults}],
    [
      'tlog off, not recursive, insecure registry',
      {key: 'k', tlogUpload: false, recursive: false, insecureRegistry: true},
      {},
      {
        mode: 'key',
        key: 'k',
        tlogUpload: false,
        recursive: false,
        signatureFormat: 'default',
        allowInsecureRegistry: true
      }
    ]
  ])('%s', (_name, given, env, want) => {
    expect(signConfigFrom({...none, ...given}, env)).toEqual(want);
  });

  it.each<[string, Partial<SignInputs>, Record<string, string>, string]>([
    ['key and keyless', {key: 'cosign.key', keyless: true}, gh, 'Inputs "cosign-key" and "keyless"'],
    ['keyless with a public key', {keyless: true, publicKey: 'cosign.pub'}, gh, 'Input "cosign-public-key"'],
    ['keyless without the transparency log', {keyless: true, tlogUpload: false}, gh, 'Input "tlog-upload"'],
    [
      'keyless outside GitHub without identity',
      {keyless: true},
      {SIGSTORE_ID_TOKEN: 'eyJ'},
      'Input "certificate-identity"'
    ],
    [
      'keyless outside GitHub without issuer',
      {keyless: true, certificateIdentity: 'ci@acme.dev'},
      {SIGSTORE_ID_TOKEN: 'eyJ'},
      'Input "certificate-oidc-issuer"'
    ],
    ['key with a certificate identity', {key: 'k', certificateIdentity: 'x'}, {}, 'Input "certificate-identity"'],
    ['key with an issuer', {key: 'k', certificateOidcIssuer: ISSUER}, {}, 'Input "certificate-oidc-issuer"'],
    ['unknown signature format', {key: 'k', signatureFormat: 'sigstore'}, {}, 'Input "signature-format"'],
    ['unknown key scheme', {key: 'pkcs12://token/slot'}, {}, 'Input "cosign-key": unknown key reference "pkcs12://"'],
    ['a public key given as cosign-key', {key: PUB}, {}, 'Input "cosign-key" holds a public key'],
    ['unknown public key scheme', {key: 'k', publicKey: 'https://keys.acme.dev/pub'}, {}, 'Input "cosign-public-key"']
  ])('%s → error naming the input', (_name, given, env, message) => {
    const run = (): unknown => signConfigFrom({...none, ...given}, env);
    expect(run).toThrow(message);
    expect(run).not.toThrow('hunter22');
  });

  // The token is checked at the real run (a dry-run on a fork PR has none), not in the plan.
  it.each<[string, Record<string, string>, boolean]>([
    ['no token source at all', {}, false],
    ['the URL but no request token', {ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x'}, false],
    ['GitHub OIDC', gh, true],
    ['SIGSTORE_ID_TOKEN', {SIGSTORE_ID_TOKEN: 'eyJ'}, true]
  ])('assertOidcToken: %s → available %s', (_name, env, ok) => {
    const check = (): void => assertOidcToken(env);
    if (ok) expect(check).not.toThrow();
    else expect(check).toThrow('Input "keyless": this job gets no OIDC token');
  });

  it('the missing-permission message tells the fix', () => {
    expect(() => assertOidcToken({})).toThrow('permissions: id-token: write');
  });

  it('keyless in the plan needs no token yet: a dry-run on a fork pull request plans the signature', () => {
    expect(
      signConfigFrom(
        {...none, keyless: true},
        {GITHUB_ACTIONS: 'true', GITHUB_WORKFLOW_REF: 'acme/app/.github/workflows/r.yml@refs/pull/1/merge'}
      )
    ).toEqual({
      mode: 'keyless',
      certificateIdentity: 'https://github.com/acme/app/.github/workflows/r.yml@refs/pull/1/merge',
      certificateOidcIssuer: ISSUER,
      ...defaults
    });
  });
});

describe('assertCosignV3', () => {
  it.each<[string, boolean]>([
    ['v3.1.2', true],
    ['3.0.0', true],
    ['v2.6.4', false],
    ['v1.13.1', false],
    ['unknown', false]
  ])('%s → supported %s', (version, ok) => {
    const run = (): void => assertCosignV3(version);
    if (ok) expect(run).not.toThrow();
    else expect(run).toThrow('needs cosign v3');
  });
});
