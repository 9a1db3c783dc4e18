// Signing settings from the action inputs: which cosign mode, which key or identity, which format.
// Pure: the environment comes in as a plain record, so the OIDC check is testable without a runner.
// The argv builders live in cosign-args.ts and are re-exported here, callers import one module.
import {isKmsRef, isPem, KMS_SCHEMES, type SignatureFormat, type SignConfig} from './cosign-types.js';

export type {SbomPredicateType, SignatureFormat, SignConfig, SignMode} from './cosign-types.js';
export {isKmsRef, isPem, KMS_SCHEMES} from './cosign-types.js';

export interface SignInputs {
  /** cosign-key: PEM content, a file path or a KMS URI. */
  key: string;
  publicKey: string;
  keyless: boolean;
  tlogUpload: boolean;
  recursive: boolean;
  signatureFormat: string;
  /** A value starting with ^ is a regular expression (--certificate-identity-regexp). */
  certificateIdentity: string;
  certificateOidcIssuer: string;
  insecureRegistry?: boolean;
}

export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

function formatFrom(raw: string): SignatureFormat {
  const v = raw.trim() || 'default';
  if (v === 'default' || v === 'bundle' || v === 'legacy') return v;
  throw new Error(`Input "signature-format" must be default, bundle or legacy, got "${raw}"`);
}

function publicKeyFrom(raw: string): string | undefined {
  const v = raw.trim();
  if (!v) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) && !isKmsRef(v)) {
    throw new Error(
      `Input "cosign-public-key": unknown key reference "${v.split('://')[0]}://" (use PEM content, a file path or ${KMS_SCHEMES.join(', ')})`
    );
  }
  return v;
}

/**
 * undefined: signing is off (neither cosign-key nor keyless). Errors name the input to fix. Only the
 * structure is checked here (the plan, so a dry-run refuses what a real run refuses); the password
 * is added by materializeKey and the OIDC token is checked by assertOidcToken, at the real run.
 */
export function signConfigFrom(i: SignInputs, env: Record<string, string | undefined>): SignConfig | undefined {
  const key = i.key.trim();
  if (key && i.keyless) {
    throw new Error(
      'Inputs "cosign-key" and "keyless" exclude each other: sign with a key or KMS reference, or keyless'
    );
  }
  if (!key && !i.keyless) return undefined;
  const common = {
    tlogUpload: i.tlogUpload,
    recursive: i.recursive,
    signatureFormat: formatFrom(i.signatureFormat),
    allowInsecureRegistry: i.insecureRegistry ?? false
  };
  if (i.keyless) return keylessConfig(i, env, common);
  for (const [name, value] of [
    ['certificate-identity', i.certificateIdentity],
    ['certificate-oidc-issuer', i.certificateOidcIssuer]
  ] as const) {
    if (value.trim()) {
      throw new Error(`Input "${name}" applies only with keyless: true (a key signature carries no certificate)`);
    }
  }
  const publicKey = publicKeyFrom(i.publicKey);
  if (isKmsRef(key)) return {mode: 'kms', key, ...(publicKey ? {publicKey} : {}), ...common};
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(key)) {
    throw new Error(
      `Input "cosign-key": unknown key reference "${key.split('://')[0]}://" (use PEM content, a file path or ${KMS_SCHEMES.join(', ')})`
    );
  }
  if (isPem(key) && /-----BEGIN PUBLIC KEY-----/.test(key)) {
    throw new Error(
      'Input "cosign-key" holds a public key: give the private key (the public one goes to cosign-public-key)'
    );
  }
  return {
    mode: 'key',
    // PEM content stays out of the config: materializeKey writes it to a private file.
    ...(isPem(key) ? {} : {key}),
    ...(publicKey ? {publicKey} : {}),
    ...common
  };
}

const hasGithubOidc = (env: Record<string, string | undefined>): boolean =>
  Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);

/** Keyless signing needs an OIDC token now; without one cosign waits for an interactive login until it times out. */
export function assertOidcToken(env: Record<string, string | undefined>): void {
  if (hasGithubOidc(env) || env.SIGSTORE_ID_TOKEN) return;
  throw new Error(
    'Input "keyless": this job gets no OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL/ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set). ' +
      'Add `permissions: id-token: write` to the job (or the workflow). Pull requests from forks never get a token: ' +
      'sign on push or release, or use cosign-key.'
  );
}

function keylessConfig(
  i: SignInputs,
  env: Record<string, string | undefined>,
  common: Pick<SignConfig, 'tlogUpload' | 'recursive' | 'signatureFormat' | 'allowInsecureRegistry'>
): SignConfig {
  const githubOidc = hasGithubOidc(env);
  if (i.publicKey.trim()) {
    throw new Error(
      'Input "cosign-public-key" applies to key or KMS signing; keyless signatures are checked by certificate-identity and certificate-oidc-issuer'
    );
  }
  if (!i.tlogUpload) {
    // The Fulcio certificate lives 10 minutes; only the log entry proves the signature was made within them.
    throw new Error(
      'Input "tlog-upload": keyless signatures need the transparency log (without it they stop verifying when the 10-minute certificate expires); sign with cosign-key to skip the log'
    );
  }
  const identity =
    i.certificateIdentity.trim() ||
    (env.GITHUB_WORKFLOW_REF ? `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_WORKFLOW_REF}` : '');
  if (!identity) {
    throw new Error('Input "certificate-identity" is required for keyless signing outside GitHub Actions');
  }
  const issuer =
    i.certificateOidcIssuer.trim() || (githubOidc || env.GITHUB_ACTIONS === 'true' ? GITHUB_OIDC_ISSUER : '');
  if (!issuer) {
    throw new Error('Input "certificate-oidc-issuer" is required when the OIDC token comes from SIGSTORE_ID_TOKEN');
  }
  return {
    mode: 'keyless',
    ...(identity.startsWith('^') ? {certificateIdentityRegexp: identity} : {certificateIdentity: identity}),
    certificateOidcIssuer: issuer,
    ...common
  };
}

/** The flags used here are cosign v3's (v2 lacks --use-signing-config and defaults to the legacy format). */
export function assertCosignV3(version: string): void {
  const major = /^v?(\d+)\./.exec(version.trim())?.[1];
  if (major === undefined || Number(major) < 3) {
    throw new Error(`cosign ${version} is not supported: signing needs cosign v3 (input cosign-version)`);
  }
}

export {
  attestArgs,
  cosignEnv,
  publicKeyArgs,
  shellQuote,
  signArgs,
  verifyArgs,
  verifyAttestationArgs,
  verifyCommand
} from './cosign-args.js';
