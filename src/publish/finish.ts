import * as core from '@actions/core';
import * as os from 'node:os';
import * as path from 'node:path';
import {assetName, releaseOf, uploadReleaseAssets} from '../github/release-assets.js';
import {checkImage} from '../policy/decide.js';
import {verifyDigests} from '../supply/cosign.js';
import {verifyCommand} from '../supply/cosign-config.js';
import type {ImageFacts, PushedImage} from '../registry/image-facts.js';
import {decideTags} from './immutable.js';
import {tagOps} from '../registry/manifests.js';
import type {Stage} from './publish.js';
import {scanAndSbom, signAndVerify, type ScanOutcome} from './supply.js';

const EXPIRY_LABEL = 'quay.expires-after';
/** A tool the prepare phase resolved; missing means a phase ran that the plan did not announce. */
export function required(tool: string | undefined, name: string): string {
  if (!tool) throw new Error(`internal: ${name} was not prepared for this run`);
  return tool;
}

const runnerTemp = (): string => process.env.RUNNER_TEMP || os.tmpdir();

/** The policy rules on what the registry holds: user, labels, size per platform. Throws on a violation. */
export async function policyChecks(stage: Stage, platforms: ImageFacts[]): Promise<void> {
  const bindings = stage.plan.policy?.bindings ?? [];
  if (bindings.length === 0) return;
  await stage.phase('Policy checks', async () => {
    const violations: string[] = [];
    for (const b of bindings) {
      violations.push(...checkImage({name: b.env, rule: b.rule}, b.image, platforms));
      // An expiry label travels with the digest (promotion copies it): Quay would expire the tags.
      const expiring = platforms.filter(p => p.labels[EXPIRY_LABEL]);
      if (b.rule.immutable && expiring.length > 0) {
        violations.push(
          `policy "${b.env}": ${b.image} ${expiring[0].platform} carries ${EXPIRY_LABEL}=${expiring[0].labels[EXPIRY_LABEL]}; ` +
            'an immutable registry must not receive an image that Quay will expire (build it without the label)'
        );
      }
    }
    if (violations.length > 0) {
      throw new Error(`the policy refuses the image, nothing was tagged:\n- ${violations.join('\n- ')}`);
    }
    for (const b of bindings) {
      const line = `${b.image}: policy "${b.env}" checks passed on ${platforms.map(p => p.platform).join(', ')}`;
      stage.progress.result.checks?.push(line);
      core.info(line);
    }
  });
}

/** Scan + SBOM of every platform manifest (from the first image's registry: same digest everywhere). */
export async function scanStage(
  stage: Stage,
  platforms: ImageFacts[],
  label: string
): Promise<ScanOutcome | undefined> {
  const {plan, inputs, session} = stage;
  if (!plan.supply.scan && plan.supply.sbom === 'none') return undefined;
  const first = plan.mode === 'promote' && plan.source ? plan.source : plan.images[0];
  const outcome = await stage.phase(plan.supply.scan ? 'Scan and SBOM' : 'SBOM', async () =>
    scanAndSbom({
      trivy: required(stage.tools.trivy, 'trivy'),
      scans: platforms.map(p => ({platform: p.platform, ref: `${first.name}@${p.digest}`})),
      outDir: inputs.reportDir || path.join(runnerTemp(), 'image-publish', 'reports', label),
      cacheDir: inputs.trivyCacheDir || path.join(runnerTemp(), 'image-publish', 'trivy-cache'),
      dbRepositories: inputs.trivyDbRepositories,
      insecure: session.insecure(first.registry),
      sbomFormat: plan.supply.sbom,
      env: session.env,
      gate: stage.gate,
      now: new Date()
    })
  );
  stage.progress.result.scan = outcome;
  const verdict = outcome.verdict;
  if (verdict && !verdict.pass) {
    throw new Error(`the scan gate failed, nothing was tagged:\n- ${verdict.violations.join('\n- ')}`);
  }
  return outcome;
}

/** Sign every image by digest, attest each platform's SBOM, verify; or only verify (re-run, promotion). */
export async function signStage(
  stage: Stage,
  digest: string,
  platforms: ImageFacts[],
  scan: ScanOutcome | undefined,
  verifyOnly: boolean
): Promise<void> {
  const {plan, session, signing} = stage;
  if (!signing) return;
  const cosign = required(stage.tools.cosign, 'cosign');
  const refs = plan.images.map(i => `${i.name}@${digest}`);
  const platformRefs = plan.images.flatMap(i => platforms.map(p => `${i.name}@${p.digest}`));
  if (verifyOnly) {
    // Nothing is signed by this run: `signed` lists what was verified, with the same key/identity.
    const verified = signing.recursive ? [...refs, ...platformRefs] : refs;
    await stage.phase('Verify signatures', async () => verifyDigests(cosign, signing, verified, session.env));
    stage.progress.result.sign = {signed: verified, attested: [], verifyCommand: verifyCommand(signing, refs[0])};
    return;
  }
  const sboms = scan?.sboms ?? {};
  stage.progress.result.sign = await stage.phase('Sign, attest and verify', async () =>
    signAndVerify({
      cosign,
      config: signing,
      refs,
      attestations: plan.images.flatMap(i =>
        platforms.filter(p => sboms[p.platform]).map(p => ({ref: `${i.name}@${p.digest}`, sbom: sboms[p.platform]}))
      ),
      sbomType: plan.supply.sbom === 'cyclonedx' ? 'cyclonedx' : 'spdxjson',
      platformRefs,
      env: session.env
    })
  );
}

/** Tags last: immutable tags already in place are left alone, an overwrite is refused before any write. */
export async function tagStage(stage: Stage, digest: string, platforms: ImageFacts[]): Promise<void> {
  const {plan, session} = stage;
  const ops = tagOps(
    plan.images,
    digest,
    platforms.map(p => ({platform: p.platform, digest: p.digest}))
  );
  await stage.phase('Tag', async () => {
    const {write, unchanged} = await decideTags(ops, plan, session);
    for (const op of unchanged) core.info(`${op.image}:${op.tag} already → ${op.digest} (immutable, unchanged)`);
    for (const op of write) {
      await session.client(op.registry).tag(op.repository, op.digest, op.tag);
      core.info(`${op.image}:${op.tag} → ${op.digest}${op.platform ? ` (${op.platform})` : ''}`);
    }
    stage.progress.result.tags = write;
    stage.progress.result.unchanged = unchanged;
  });
}

async function releaseStage(stage: Stage): Promise<void> {
  const {inputs, ctx, progress} = stage;
  if (!inputs.releaseAssets) return;
  if (!releaseOf(ctx)) {
    core.info('release-assets: not a release event, nothing uploaded');
    return;
  }
  const scan = progress.result.scan;
  if (!scan) return;
  const image = stage.plan.images[0].name;
  const files = [...Object.values(scan.sboms), ...Object.values(scan.reports), scan.sarif].map(file => ({
    file,
    name: assetName(image, file)
  }));
  progress.result.assets = await stage.phase('Release assets', async () =>
    uploadReleaseAssets(ctx, inputs.githubToken, files)
  );
}

/** After the read-back: policy checks → scan + SBOM → gate → sign + attest → verify → tags → release assets. */
export async function finish(stage: Stage, digest: string, pushed: PushedImage): Promise<void> {
  await policyChecks(stage, pushed.platforms);
  const rerun = stage.progress.result.rerun === true;
  // A re-run of a published release writes nothing: no new scan report, signature or attestation.
  const scan = rerun ? undefined : await scanStage(stage, pushed.platforms, digest.slice(7, 19));
  await signStage(stage, digest, pushed.platforms, scan, rerun);
  await tagStage(stage, digest, pushed.platforms);
  await releaseStage(stage);
}
