// cosign adapter: key files, sign, attest, verify. Argv comes from cosign-args.ts, parsing from
// cosign-output.ts; secrets travel in the environment only (COSIGN_PASSWORD), never in argv.
// Registry credentials come with the caller's env (DOCKER_CONFIG).
import fs from 'node:fs';
import path from 'node:path';
import {runTool} from '../tools/exec.js';
import {attestArgs, cosignEnv, publicKeyArgs, signArgs, verifyArgs, verifyAttestationArgs} from './cosign-args.js';
import {hasSignatureFor, parseCosignVersion, parseVerifyOutput, parseVerifyOutputs} from './cosign-output.js';
import {isKmsRef, isPem, type SbomPredicateType, type SignConfig} from './cosign-types.js';
import * as log from '../report/log.js';

const DIGEST_REF = /@(sha256:[a-f0-9]{64})$/;

function digestOf(ref: string): string {
  const m = DIGEST_REF.exec(ref);
  // A tag can move between signing and pulling; only a digest names what was signed.
  if (!m) throw new Error(`cosign signs and verifies by digest only: "${ref}" has no @sha256:<digest>`);
  return m[1];
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Belt and braces: cosign does not echo the password, and it must never reach a message. */
function redact(text: string, c: SignConfig): string {
  return c.password ? text.split(c.password).join('***') : text;
}

function hint(message: string, c: SignConfig): string {
  if (c.mode === 'key' && /decrypt/i.test(message)) {
    return '\nThe private key did not decrypt: check cosign-password (and that cosign-key is a cosign private key).';
  }
  if (c.mode === 'keyless' && /certificate|identity|issuer/i.test(message)) {
    return '\nIn a reusable workflow the certificate names the called workflow: set certificate-identity to it.';
  }
  return '';
}

async function cosignRun(
  cosign: string,
  c: SignConfig,
  args: string[],
  env: Record<string, string>,
  label: string,
  failure: string,
  silent = false
): Promise<string> {
  try {
    return (await runTool(cosign, args, {env: {...env, ...cosignEnv(c)}, label, silent})).stdout;
  } catch (e) {
    const msg = messageOf(e);
    throw new Error(redact(`${failure}: ${msg}${hint(msg, c)}`, c));
  }
}

function signer(c: SignConfig): string {
  if (c.mode === 'keyless') {
    const id = c.certificateIdentityRegexp ?? c.certificateIdentity;
    return `certificate identity ${id} (issuer ${c.certificateOidcIssuer})`;
  }
  return c.publicKey ?? c.key ?? 'no key';
}

function writePrivate(file: string, content: string, mode: number): void {
  const text = content.replace(/\r\n/g, '\n').trim() + '\n';
  fs.writeFileSync(file, text, {mode});
  fs.chmodSync(file, mode); // the mode option applies only when the file is new
}

// Derivations in flight or done, per public key file: concurrent verifies wait for one derivation
// (0.2 s of key decryption) instead of each starting its own.
const deriving = new Map<string, Promise<void>>();

/** key mode without a public key: write it from the private key once, before the first verify. */
async function ensurePublicKey(cosign: string, c: SignConfig, env: Record<string, string>): Promise<void> {
  if (c.mode !== 'key' || !c.derivePublicKey || !c.publicKey || !c.key) return;
  const file = c.publicKey;
  const pending = deriving.get(file);
  if (pending) return pending;
  if (fs.existsSync(file) && fs.statSync(file).size > 0) return;
  const key = c.key;
  const run = cosignRun(
    cosign,
    c,
    publicKeyArgs(key, file),
    env,
    'cosign public-key',
    'Cannot read the public key from cosign-key',
    true
  ).then(() => undefined);
  deriving.set(file, run);
  // A failure must not stick (a corrected password tries again); success is remembered by the
  // file. cosign creates the output file before it decrypts: a failed run leaves it empty, and
  // an empty file must not pass for a derived key.
  run.then(
    () => deriving.delete(file),
    () => {
      fs.rmSync(file, {force: true});
      deriving.delete(file);
    }
  );
  return run;
}

/**
 * Starts deriving the public key (`cosign public-key`, the scrypt decryption of the private key:
 * about half a second) while the run builds, so the first verify finds it written or in flight.
 * A failure is not reported here: the deriving map forgets it, and keyProven (awaited before the
 * first push) derives again and fails with the message. Does nothing when a public key was given
 * or the mode is not key.
 */
export function startPublicKey(cosign: string, c: SignConfig): void {
  ensurePublicKey(cosign, c, {}).catch(() => undefined);
}

/**
 * The derivation startPublicKey began (or a new one after it failed), awaited before anything
 * is pushed: it proves cosign-key and cosign-password, so a wrong password fails before the
 * build pushes, not at the sign step after it. Resolves at once when nothing is derived.
 */
export function keyProven(cosign: string, c: SignConfig): Promise<void> {
  return ensurePublicKey(cosign, c, {});
}

/** The value of cosign-key is a secret: a message never shows it, even when it is not PEM. */
export const KEY_NOT_FOUND =
  'Input "cosign-key" is neither PEM content, a KMS URI nor an existing file (its value is a secret and is not shown)';

/**
 * Writes PEM key content into `dir` (our private credentials dir, removed in the post step) and plans
 * the public key for verification. With `cosign` given, derives the public key now, which also
 * checks cosign-password; otherwise startPublicKey or the first verify derives it.
 */
export async function materializeKey(
  c: SignConfig,
  secret: {key: string; password: string},
  dir: string,
  cosign?: string
): Promise<SignConfig> {
  const keyInput = secret.key;
  const out: SignConfig = c.mode === 'key' ? {...c, password: secret.password} : {...c};
  fs.mkdirSync(dir, {recursive: true, mode: 0o700});
  if (c.mode === 'key') {
    if (isPem(keyInput)) {
      out.key = path.join(dir, 'cosign.key');
      writePrivate(out.key, keyInput, 0o600);
    } else if (!out.key || !fs.existsSync(out.key)) {
      throw new Error(KEY_NOT_FOUND);
    }
  }
  if (out.publicKey && isPem(out.publicKey)) {
    const file = path.join(dir, 'cosign-given.pub');
    writePrivate(file, out.publicKey, 0o644);
    out.publicKey = file;
  } else if (out.publicKey && !isKmsRef(out.publicKey) && !fs.existsSync(out.publicKey)) {
    throw new Error(
      `Input "cosign-public-key": no file "${out.publicKey}" (give PEM content, a file path or a KMS URI)`
    );
  }
  if (out.mode === 'key' && !out.publicKey) {
    out.publicKey = path.join(dir, 'cosign-derived.pub');
    out.derivePublicKey = true;
    fs.rmSync(out.publicKey, {force: true}); // never verify with a key left from another run
    if (cosign) await ensurePublicKey(cosign, out, {});
  }
  return out;
}

/**
 * Signs every repo@digest in one cosign process (one key decryption, one start-up); with
 * `recursive`, cosign also signs every manifest an index lists.
 */
export async function signDigests(
  cosign: string,
  c: SignConfig,
  refs: string[],
  env: Record<string, string>
): Promise<void> {
  if (refs.length === 0) return;
  for (const ref of refs) digestOf(ref);
  const named = refs.join(', ');
  await cosignRun(cosign, c, signArgs(c, refs), env, `cosign sign ${named}`, `Signing ${named} failed`);
}

/** Attaches an SBOM (spdxjson or cyclonedx predicate) to one platform digest as a signed attestation. */
export async function attest(
  cosign: string,
  c: SignConfig,
  ref: string,
  predicateFile: string,
  type: SbomPredicateType,
  env: Record<string, string>
): Promise<void> {
  digestOf(ref);
  if (!fs.existsSync(predicateFile)) throw new Error(`Cannot attest ${ref}: no SBOM file ${predicateFile}`);
  await cosignRun(
    cosign,
    c,
    attestArgs(c, ref, predicateFile, type),
    env,
    `cosign attest ${ref}`,
    `Attesting ${type} to ${ref} failed`
  );
}

/** Throws naming the first ref whose signature does not verify with the configured key or identity. */
export async function verifyDigests(
  cosign: string,
  c: SignConfig,
  refs: string[],
  env: Record<string, string>
): Promise<void> {
  if (refs.length === 0) return;
  for (const ref of refs) digestOf(ref);
  await ensurePublicKey(cosign, c, env);
  if (refs.length > 1) {
    // One process for all; cosign stops at the first failure without saying which reference it
    // was, so a failed batch is verified again one by one, and the message names the culprit.
    const stdout = await cosignRun(cosign, c, verifyArgs(c, refs), env, 'cosign verify', 'batch', true).catch(
      () => undefined
    );
    const each = stdout === undefined ? undefined : parseVerifyOutputs(stdout, refs.length);
    if (each && refs.every((ref, i) => hasSignatureFor(each[i], digestOf(ref)))) {
      for (const ref of refs) log.info(`verified signature of ${ref}`);
      return;
    }
  }
  for (const ref of refs) await verifyOne(cosign, c, ref, env);
}

async function verifyOne(cosign: string, c: SignConfig, ref: string, env: Record<string, string>): Promise<void> {
  const digest = digestOf(ref);
  const failure = `Signature of ${ref} does not verify with ${signer(c)}`;
  const stdout = await cosignRun(cosign, c, verifyArgs(c, ref), env, `cosign verify ${ref}`, failure, true);
  const payloads = parseVerifyOutput(stdout);
  // cosign v3 also passes on attestation bundles alone: require a signature payload for this digest.
  if (!hasSignatureFor(payloads, digest)) {
    const found = payloads.map(p => `${p.type} for ${p.digest}`).join(', ') || 'nothing';
    throw new Error(`${failure}: no signature payload for ${digest} (verified: ${found})`);
  }
  log.info(`verified signature of ${ref}`);
}

export async function verifyAttestation(
  cosign: string,
  c: SignConfig,
  ref: string,
  type: SbomPredicateType,
  env: Record<string, string>
): Promise<void> {
  digestOf(ref);
  await ensurePublicKey(cosign, c, env);
  await cosignRun(
    cosign,
    c,
    verifyAttestationArgs(c, ref, type),
    env,
    `cosign verify-attestation ${ref}`,
    `The ${type} attestation of ${ref} does not verify with ${signer(c)}`,
    // stdout is the whole SBOM, base64 encoded: nothing a log reader wants
    true
  );
  log.info(`verified ${type} attestation of ${ref}`);
}

/** Every ref's `type` attestation in one process; a failed batch is retried one by one to name the ref. */
export async function verifyAttestations(
  cosign: string,
  c: SignConfig,
  refs: string[],
  type: SbomPredicateType,
  env: Record<string, string>
): Promise<void> {
  if (refs.length === 0) return;
  if (refs.length === 1) return verifyAttestation(cosign, c, refs[0], type, env);
  for (const ref of refs) digestOf(ref);
  await ensurePublicKey(cosign, c, env);
  const ok = await cosignRun(
    cosign,
    c,
    verifyAttestationArgs(c, refs, type),
    env,
    'cosign verify-attestation',
    'batch',
    true
  ).then(
    () => true,
    () => false
  );
  if (ok) {
    for (const ref of refs) log.info(`verified ${type} attestation of ${ref}`);
    return;
  }
  for (const ref of refs) await verifyAttestation(cosign, c, ref, type, env);
}

export async function cosignVersion(cosign: string): Promise<string> {
  const {stdout} = await runTool(cosign, ['version', '--json'], {silent: true, label: 'cosign version'});
  return parseCosignVersion(stdout);
}
