// cosign v3.1.2 argv, one builder per command. Pure; flags checked against `cosign <cmd> --help`
// and the v3.1.2 sources (--tlog-upload and --new-bundle-format are deprecated there, hence hidden
// from --help, but still honoured).
import {isKmsRef, isPem, type SbomPredicateType, type SignConfig} from './cosign-types.js';

/** Shown in the verify command a user copies: our derived key file is gone after the job. */
export const PUBLIC_KEY_PLACEHOLDER = 'cosign.pub';

// --allow-http-registry is the one sign and attest need for plain http (--allow-insecure-registry
// alone only skips TLS checks there); both together match docker's notion of an insecure registry.
const registryFlags = (c: SignConfig): string[] =>
  c.allowInsecureRegistry ? ['--allow-insecure-registry', '--allow-http-registry'] : [];

function signingKey(c: SignConfig): string[] {
  if (c.mode === 'keyless') return [];
  if (!c.key) throw new Error('cosign-key content is not written to a file yet (materializeKey)');
  return ['--key', c.key];
}

/** Flags shared by the commands that write a signature: sign and attest. */
function writeFlags(c: SignConfig): string[] {
  const flags = signingKey(c);
  if (!c.tlogUpload) flags.push('--tlog-upload=false');
  if (c.signatureFormat === 'bundle') flags.push('--new-bundle-format=true');
  if (c.signatureFormat === 'legacy') flags.push('--new-bundle-format=false');
  // v3 takes service URLs from the TUF signing config by default, and that path refuses both
  // --tlog-upload=false and the legacy format; without it cosign uses its built-in public URLs.
  if (!c.tlogUpload || c.signatureFormat === 'legacy') flags.push('--use-signing-config=false');
  return flags;
}

function verifyKey(c: SignConfig): string {
  const k = c.publicKey ?? (c.mode === 'kms' ? c.key : undefined);
  if (!k || isPem(k)) throw new Error('no public key file to verify with yet (materializeKey)');
  return k;
}

/** Who must have signed: the key, or the certificate identity and issuer (keyless). */
function identityFlags(c: SignConfig, key: string): string[] {
  if (c.mode !== 'keyless') return ['--key', key];
  return [
    ...(c.certificateIdentityRegexp
      ? ['--certificate-identity-regexp', c.certificateIdentityRegexp]
      : ['--certificate-identity', c.certificateIdentity ?? '']),
    '--certificate-oidc-issuer',
    c.certificateOidcIssuer ?? ''
  ];
}

const tlogFlags = (c: SignConfig): string[] => (c.tlogUpload ? [] : ['--insecure-ignore-tlog']);

/** References as cosign takes them: several per call where the command loops over its arguments. */
const many = (refs: string | readonly string[]): string[] => {
  const list = typeof refs === 'string' ? [refs] : [...refs];
  if (list.length === 0) throw new Error('cosign needs at least one image reference');
  return list;
};

/** One `cosign sign` for several references: the key is decrypted once for all of them. */
export function signArgs(c: SignConfig, refs: string | readonly string[]): string[] {
  return [
    'sign',
    ...writeFlags(c),
    ...(c.recursive ? ['--recursive'] : []),
    ...registryFlags(c),
    '--yes',
    ...many(refs)
  ];
}

export function attestArgs(c: SignConfig, ref: string, predicateFile: string, type: SbomPredicateType): string[] {
  return ['attest', ...writeFlags(c), '--type', type, '--predicate', predicateFile, ...registryFlags(c), '--yes', ref];
}

/** `cosign verify` of several references prints one JSON line per reference, in argument order. */
export function verifyArgs(c: SignConfig, refs: string | readonly string[]): string[] {
  const key = c.mode === 'keyless' ? '' : verifyKey(c);
  return ['verify', ...identityFlags(c, key), ...tlogFlags(c), ...registryFlags(c), '--output', 'json', ...many(refs)];
}

export function verifyAttestationArgs(
  c: SignConfig,
  refs: string | readonly string[],
  type: SbomPredicateType
): string[] {
  const key = c.mode === 'keyless' ? '' : verifyKey(c);
  return [
    'verify-attestation',
    ...identityFlags(c, key),
    '--type',
    type,
    ...tlogFlags(c),
    ...registryFlags(c),
    '--output',
    'json',
    ...many(refs)
  ];
}

/** `cosign public-key`: writes the public half of a (password-protected) private key file. */
export function publicKeyArgs(keyFile: string, outFile: string): string[] {
  return ['public-key', '--key', keyFile, '--outfile', outFile];
}

/** POSIX shell quoting: bare when every character is safe, else single quotes. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_/.:@=+,%-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The line a user runs to check the signature; names a KMS URI or a key file, never a secret. */
export function verifyCommand(c: SignConfig, ref: string): string {
  const shown =
    c.publicKey && isKmsRef(c.publicKey)
      ? c.publicKey
      : c.mode === 'kms' && !c.publicKey && c.key
        ? c.key
        : PUBLIC_KEY_PLACEHOLDER;
  return ['cosign', 'verify', ...identityFlags(c, shown), ...tlogFlags(c), ...registryFlags(c), ref]
    .map(shellQuote)
    .join(' ');
}

/** The environment cosign reads secrets from; always set in key mode so cosign never prompts. */
export function cosignEnv(c: SignConfig): Record<string, string> {
  return c.mode === 'key' ? {COSIGN_PASSWORD: c.password ?? ''} : {};
}
