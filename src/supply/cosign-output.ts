// Parsers for what cosign v3.1.2 prints. Pure; tested on captured output (__tests__/fixtures/cosign).

/** One verified payload of `cosign verify --output json` (simple-signing shape in both formats). */
export interface VerifiedPayload {
  type: string;
  digest: string;
}

/**
 * Payload types that mean "a signature", as opposed to an attestation: bundle format and legacy.
 * cosign v3.1.2 `verify` also lists (and passes on) attestation bundles such as an SBOM, so an
 * image with an attestation but no signature "verifies" unless the type is checked.
 */
export const SIGNATURE_TYPES = ['https://sigstore.dev/cosign/sign/v1', 'cosign container image signature'];

interface Raw {
  critical?: {type?: unknown; image?: {'docker-manifest-digest'?: unknown}};
}

export function parseVerifyOutput(stdout: string): VerifiedPayload[] {
  // stdout is one JSON array; tolerate stray lines around it.
  const line = stdout.split('\n').find(l => l.trimStart().startsWith('['));
  if (!line) throw new Error(`cosign verify printed no JSON payload list: ${stdout.slice(0, 200)}`);
  const list = JSON.parse(line) as Raw[];
  return list.map(p => ({
    type: String(p.critical?.type ?? ''),
    digest: String(p.critical?.image?.['docker-manifest-digest'] ?? '')
  }));
}

/**
 * `cosign verify` of several references: one JSON array line per reference, in argument order.
 * undefined when the lines do not pair up with the references (then each is verified alone).
 */
export function parseVerifyOutputs(stdout: string, count: number): VerifiedPayload[][] | undefined {
  const lines = stdout.split('\n').filter(l => l.trimStart().startsWith('['));
  if (lines.length !== count) return undefined;
  return lines.map(l => parseVerifyOutput(l));
}

/** Whether a verified payload is a signature (not only an attestation) for this digest. */
export function hasSignatureFor(payloads: VerifiedPayload[], digest: string): boolean {
  return payloads.some(p => p.digest === digest && SIGNATURE_TYPES.includes(p.type));
}

/** `cosign version --json` → "v3.1.2" (the text form's GitVersion line is accepted too). */
export function parseCosignVersion(stdout: string): string {
  try {
    const v = (JSON.parse(stdout) as {gitVersion?: unknown}).gitVersion;
    if (typeof v === 'string' && v) return v;
  } catch {
    // not JSON: the text form below
  }
  const m = /GitVersion:\s*(\S+)/.exec(stdout);
  if (!m) throw new Error(`cannot read the cosign version from: ${stdout.slice(0, 200)}`);
  return m[1];
}
