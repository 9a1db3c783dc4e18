// Signing types and key-reference tests shared by the cosign modules (no imports, so no cycles).

export type SignMode = 'key' | 'kms' | 'keyless';
/**
 * How cosign v3.1.2 stores a signature (checked against its sources and on registry 2.8):
 * - default: no flag, cosign's own default. v3: a Sigstore bundle attached as an OCI referrer,
 *   on registries without the referrers API under the fallback tag `sha256-<hex>`.
 * - bundle: `--new-bundle-format=true`, the same bundle pinned explicitly.
 * - legacy: `--new-bundle-format=false`: a simple-signing payload under the tag `sha256-<hex>.sig`
 *   (`.att` for attestations), readable by cosign v1/v2 and older policy controllers.
 * `cosign verify` detects the format itself, so verification takes no format flag.
 */
export type SignatureFormat = 'default' | 'bundle' | 'legacy';
export type SbomPredicateType = 'spdxjson' | 'cyclonedx';

export interface SignConfig {
  mode: SignMode;
  /** key mode: a private key file (after materializeKey for PEM content); kms mode: the KMS URI. */
  key?: string;
  /** For verify: a public key file, PEM content (until materializeKey writes it) or a KMS URI. */
  publicKey?: string;
  /** publicKey is a file still to be written from the private key with `cosign public-key`. */
  derivePublicKey?: boolean;
  /** Decrypts the private key; reaches cosign only as COSIGN_PASSWORD, never in argv. */
  password?: string;
  tlogUpload: boolean;
  recursive: boolean;
  signatureFormat: SignatureFormat;
  certificateIdentity?: string;
  certificateIdentityRegexp?: string;
  certificateOidcIssuer?: string;
  /** Plain-http or untrusted-TLS registry: cosign needs --allow-http-registry (and --allow-insecure-registry). */
  allowInsecureRegistry: boolean;
}

/** Key references cosign resolves itself (its `--key` help lists these). */
export const KMS_SCHEMES = ['awskms://', 'gcpkms://', 'azurekms://', 'hashivault://', 'k8s://'] as const;

export const isKmsRef = (s: string): boolean => KMS_SCHEMES.some(p => s.startsWith(p));
export const isPem = (s: string): boolean => /-----BEGIN [A-Z0-9 ]+-----/.test(s);
