import type {RunContext} from '../context.js';
import {openSession, type Session} from '../login/session.js';
import type {Plan} from '../plan.js';
import type {Secrets} from '../plan/registries.js';
import {rerunDecision} from '../policy/decide.js';
import {readPushedImage, type PushedImage} from '../registry/image-facts.js';
import {checkPushAccess} from '../registry/push-access.js';
import {tagOps, type TagOp} from '../registry/manifests.js';
import {buildAndPush, buildLocal, warmEngine} from './build-stage.js';
import {reportDir} from '../plan.js';
import {scanAndSbom} from '../supply/pipeline.js';
import {keyProven} from '../supply/cosign.js';
import {existingImmutableTags} from './immutable.js';
import {mergeIndex} from './merge.js';
import {recordDigest} from './artifacts.js';
import {errorText} from '../errors.js';
import {policyChecks} from './policy-stage.js';
import {checkFiles, prepare} from './prepare.js';
import {promote} from './promote.js';
import {readBack} from './readback.js';
import {releaseStage} from './release-stage.js';
import {scanInsecure, scanStage, startDbPrefetch} from './scan-stage.js';
import {signStage} from './sign-stage.js';
import {phaser, required, type Progress, type PublishResult, type Stage} from './stage.js';
import {tagStage} from './tag-stage.js';
import * as log from '../report/log.js';

const PENDING = 'sha256:' + '0'.repeat(64);
const REVISION = 'org.opencontainers.image.revision';

/**
 * Before a build into an immutable registry: tags that exist already either prove a re-run of this
 * very release (nothing to build) or an overwrite, refused before anything is pushed.
 */
async function rerunOf(stage: Stage): Promise<string | undefined> {
  const {plan, session, ctx} = stage;
  const pre = tagOps(
    plan.images,
    PENDING,
    plan.platforms.map(platform => ({platform, digest: PENDING}))
  );
  const existing = await stage.phase('Immutable tags', async () => existingImmutableTags(pre, plan, session));
  if (existing.length === 0) return undefined;
  const revisionOf: Record<string, string> = {};
  for (const e of [...new Set(existing.map(x => x.existing))]) {
    const op = existing.find(x => x.existing === e)?.op as TagOp;
    const image = await readPushedImage(session.client(op.registry), op.repository, e);
    revisionOf[e] = image.platforms[0]?.labels[REVISION] ?? '';
  }
  const decision = rerunDecision(existing, revisionOf, ctx.sha);
  if (decision.refuse) throw new Error(decision.refuse);
  if (decision.rerun)
    log.info(`${decision.rerun} is already published from commit ${ctx.sha}: nothing to build or push`);
  return decision.rerun;
}

/** After the read-back: policy checks → scan + SBOM → gate → sign + attest → verify → tags → release assets. */
async function gateSignTag(stage: Stage, digest: string, pushed: PushedImage): Promise<void> {
  await policyChecks(stage, pushed.platforms);
  const rerun = stage.progress.result.rerun === true;
  // A re-run of a published release writes nothing: no new scan report, signature or attestation.
  const scan = rerun ? undefined : await scanStage(stage, pushed.platforms, digest.slice(7, 19));
  await signStage(stage, digest, pushed, scan, rerun);
  await tagStage(stage, digest, pushed.platforms);
  await releaseStage(stage);
}

/**
 * push: false — build every platform, optionally scan the local OCI output, and stop: no registry
 * is written, no tag made, nothing signed. The outputs carry the local digest and no tags.
 */
async function localRun(stage: Stage): Promise<void> {
  const {plan, progress} = stage;
  const built = await buildLocal(plan, stage.session, stage.phase);
  try {
    progress.result.digest = built.digest;
    progress.result.metadata = built.metadata;
    progress.result.tags = [];
    progress.result.unchanged = [];
    progress.result.registries = {};
    if (plan.supply.scan || plan.supply.sbom !== 'none') {
      const outcome = await stage.phase(plan.supply.scan ? 'Scan and SBOM (local)' : 'SBOM (local)', async () =>
        scanAndSbom({
          trivy: required(stage.tools.trivy, 'trivy'),
          scans: built.scans,
          sarifName: plan.images[0]?.name,
          outDir: reportDir(plan, built.digest.slice(7, 19)),
          cacheDir: plan.scan.cacheDir,
          dbRepositories: plan.scan.dbRepositories,
          insecure: scanInsecure(stage, true),
          sbomFormat: plan.supply.sbom,
          env: stage.session.env,
          gate: stage.gate,
          now: plan.now,
          db: stage.trivyDb
        })
      );
      progress.result.scan = outcome;
      if (outcome.verdict && !outcome.verdict.pass) {
        throw new Error(`the scan gate failed (built, not pushed):\n- ${outcome.verdict.violations.join('\n- ')}`);
      }
    }
    log.info(`push: false — ${built.digest} built, not pushed; would tag: ${plan.refs.join(', ') || '(no tags)'}`);
    // Release assets need no registry: a release run that does not publish the version again
    // (its tag push did) still attaches this build's SBOMs, reports and SARIF.
    await releaseStage(stage);
  } finally {
    built.cleanup();
  }
}

/**
 * Starts the push check of every repository the run writes to; resolves to the line that reports
 * it. The returned promise is marked handled: a run that fails before awaiting it (a source that
 * does not verify) reports its own failure, not this one.
 */
function startPushAccessCheck(plan: Plan, session: Session): Promise<string> {
  const targets = [...new Map(plan.images.map(i => [`${i.registry}/${i.repository}`, i])).values()];
  const check = Promise.all(targets.map(i => checkPushAccess(session.client(i.registry), i.repository))).then(
    () => `push access to ${targets.map(i => i.name).join(', ')}`
  );
  check.catch(() => undefined);
  return check;
}

/**
 * publish: build → push by digest → read back → policy checks → scan + SBOM → gate → sign + attest
 * → verify → tags. `build` stops after the read-back (a platform job of a distributed build),
 * `merge` starts from the digests of such jobs, `promote` from an existing image. No tag exists
 * before the last phase.
 */
export async function publish(
  plan: Plan,
  secrets: Secrets,
  ctx: RunContext,
  progress: Progress
): Promise<PublishResult> {
  if (plan.images.length === 0 && plan.push) {
    throw new Error(
      'Input "images" names no enabled image: there is nowhere to push (use dry-run: true to only compute tags)'
    );
  }
  checkFiles(plan, secrets);
  const phase = phaser(progress);
  const session = await phase('Login', async () => openSession(plan, secrets));
  // A wrong password or a missing push right fails in seconds, not after the build: the check
  // runs beside the tool probes and is awaited before the build. A promotion builds nothing: it
  // awaits the check before its first write (see promote.ts). push: false asks no registry
  // anything (a fork pull request has no push right to check).
  const pushAccess = plan.push ? startPushAccessCheck(plan, session) : undefined;
  if (plan.mode === 'publish' || plan.mode === 'build') warmEngine(plan, session);
  const prepared = await phase('Tools and settings', async () => prepare(plan, secrets, session));
  const stage: Stage = {plan, secrets, ctx, session, ...prepared, phase, progress};
  stage.trivyDb = startDbPrefetch(stage, !pushAccess);
  progress.result.checks = [];
  if (!pushAccess) {
    await localRun(stage);
    return progress.result as PublishResult;
  }
  if (plan.mode === 'promote') {
    await promote(stage, () => phase('Check push access', async () => log.info(await pushAccess)));
    return progress.result as PublishResult;
  }
  await phase('Check push access', async () => log.info(await pushAccess));

  let digest: string;
  // The signing key's derivation (started in prepare) proves cosign-password before anything is pushed.
  const keyChecked = async (): Promise<void> => {
    if (stage.signing && stage.tools.cosign) await keyProven(stage.tools.cosign, stage.signing);
  };
  if (plan.mode === 'merge') {
    await keyChecked();
    digest = await mergeIndex(stage);
  } else {
    const rerun = await rerunOf(stage);
    if (rerun) {
      digest = rerun;
      progress.result.rerun = true;
    } else {
      const built = await buildAndPush(plan, session, phase, keyChecked);
      digest = built.digest;
      progress.result.metadata = built.metadata;
    }
  }
  progress.result.digest = digest;
  const pushed = await readBack(stage, digest);
  if (plan.mode === 'build') {
    log.info(`mode: build — ${digest} pushed by digest, no tag (a merge run assembles and tags the index)`);
    if (plan.refs.length > 0) log.info(`planned for the merge run, not made here: ${plan.refs.join(', ')}`);
    log.info("the labels inside these platform images come from this build job's rules, not the merge job's");
    if (plan.handover) {
      const name = plan.handover.artifact;
      await phase('Record the digest', async () => {
        const record = {digest, platforms: plan.platforms, images: plan.images.map(i => i.name)};
        // The digest output still hands the digest over; a merge run without `digests` would miss it.
        await recordDigest(name, record).catch((err: unknown) =>
          log.warning(
            `could not record the digest as artifact ${name} (${errorText(err)}): pass it to the merge run in "digests"`
          )
        );
      });
    }
    progress.result.tags = [];
    progress.result.unchanged = [];
    return progress.result as PublishResult;
  }
  await gateSignTag(stage, digest, pushed);
  return progress.result as PublishResult;
}
