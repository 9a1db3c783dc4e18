import * as fs from 'node:fs';
import * as path from 'node:path';
import type {Session} from '../login/session.js';
import type {Plan} from '../plan.js';
import {autoArgWarnings, parseDockerfileArgs} from '../plan/dockerfile-args.js';
import type {Secrets} from '../plan/registries.js';
import {assertOidcToken, isKmsRef, isPem} from '../supply/cosign-config.js';
import {KEY_NOT_FOUND, materializeKey, startPublicKey} from '../supply/cosign.js';
import {parseIgnoreFile, type GateSpec} from '../supply/gate.js';
import {toolPath} from '../tools/tool-path.js';
import type {Prepared} from './stage.js';

const DEFAULT_IGNORE_FILE = '.trivyignore';

/**
 * The files a run reads later (build context, Dockerfile, ignore file, key files), checked before
 * anything is logged into or built. A dry-run checks them too, so it refuses what a run refuses.
 */
export function checkFiles(plan: Plan, secrets: Pick<Secrets, 'cosignKey'>, exists = fs.existsSync): void {
  if (plan.mode === 'publish' || plan.mode === 'build') {
    const {context, file} = plan.build;
    // A remote context (git URL, tarball URL) is fetched by the builder itself.
    if (!isRemote(context)) {
      if (!exists(context)) throw new Error(`Input "context": the directory ${context} does not exist`);
      const dockerfile = file || path.join(context, 'Dockerfile');
      if (file !== '-' && !exists(dockerfile)) {
        throw new Error(
          `Input "file": ${dockerfile} does not exist${file ? '' : ' (the default is <context>/Dockerfile; set file: for a Containerfile)'}`
        );
      }
    }
  }
  if (plan.supply.scan && plan.scan.ignoreFile && !exists(plan.scan.ignoreFile)) {
    throw new Error(`Input "trivyignore": ${plan.scan.ignoreFile} does not exist`);
  }
  const s = plan.signing;
  if (s?.mode === 'key' && !isPem(secrets.cosignKey) && !exists(secrets.cosignKey.trim())) {
    throw new Error(KEY_NOT_FOUND);
  }
  if (s?.publicKey && !isKmsRef(s.publicKey) && !isPem(s.publicKey) && !exists(s.publicKey)) {
    throw new Error(`Input "cosign-public-key": the file ${s.publicKey} does not exist`);
  }
}

const isRemote = (context: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@');

/**
 * Warnings for automatic build args that replace a default the Dockerfile declares (issue: a
 * Dockerfile pinning `ARG VERSION=1.25` must not be rebuilt with VERSION=v1.8.0 unannounced).
 * Only a local Dockerfile is read; a remote context or stdin (`file: -`) is not looked into.
 */
export function dockerfileArgWarnings(
  plan: Plan,
  read: (file: string) => string | undefined = file => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined)
): string[] {
  const {context, file, autoArgs, warnAutoArgs, buildArgs} = plan.build;
  if (!warnAutoArgs || autoArgs.length === 0 || plan.mode === 'merge' || plan.mode === 'promote') return [];
  if (isRemote(context) || file === '-') return [];
  const dockerfile = file || path.join(context, 'Dockerfile');
  const text = read(dockerfile);
  if (text === undefined) return [];
  const auto = Object.fromEntries(autoArgs.map(k => [k, buildArgs[k]]));
  return autoArgWarnings(parseDockerfileArgs(text), auto, dockerfile);
}

/** The gate: the plan's limits plus the ignore file (`trivyignore`, else `.trivyignore` when present). */
function gateSpec(plan: Plan): GateSpec {
  const file = plan.scan.ignoreFile || (fs.existsSync(DEFAULT_IGNORE_FILE) ? DEFAULT_IGNORE_FILE : '');
  const ignore = file ? parseIgnoreFile(fs.readFileSync(file, 'utf8'), file) : [];
  return {max: plan.supply.gate.max, ignoreUnfixed: plan.supply.gate.ignoreUnfixed, ignore};
}

/**
 * Everything a later phase needs that can fail on the user's settings — the OIDC token, the tools
 * (found or downloaded and checked), the signing key and its password, the ignore file — resolved
 * before anything is built or pushed.
 */
export async function prepare(plan: Plan, secrets: Secrets, session: Session): Promise<Prepared> {
  if (plan.mode === 'build') return {tools: {}};
  const gate = plan.supply.scan ? gateSpec(plan) : undefined;
  if (plan.signing?.mode === 'keyless') assertOidcToken(process.env);
  // trivy and cosign are found (probed, or downloaded) side by side; the key derivation starts once cosign is.
  const trivyPath =
    plan.supply.scan || plan.supply.sbom !== 'none' ? toolPath('trivy', plan.tools, secrets) : undefined;
  const cosignSide = async (): Promise<{cosign?: string; signing?: Prepared['signing']}> => {
    if (!plan.signing) return {};
    const cosign = await toolPath('cosign', plan.tools, secrets);
    const signing = await materializeKey(
      plan.signing,
      {key: secrets.cosignKey, password: secrets.cosignPassword},
      session.dir
    );
    // Every run that signs verifies (publish after signing, promote the source or the target):
    // the derived public key is computed during the build instead of before the first verify.
    startPublicKey(cosign, signing);
    return {cosign, signing};
  };
  const [trivyResult, cosignResult] = await Promise.allSettled([trivyPath, cosignSide()]);
  if (trivyResult.status === 'rejected') throw trivyResult.reason;
  if (cosignResult.status === 'rejected') throw cosignResult.reason;
  const {cosign, signing} = cosignResult.value;
  return {tools: {trivy: trivyResult.value, cosign}, signing, gate};
}
