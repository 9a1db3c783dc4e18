import * as core from '@actions/core';
import {contextFromEnv, createdDate, readPayload} from './context.js';
import {removeBuilder} from './engines/buildx/run.js';
import {loadCommitDate, loadRepoInfo, loadRepoPrivate} from './github/repo.js';
import {getInputs} from './inputs.js';
import {endLogin} from './login/docker-config.js';
import {planRun, type Plan} from './plan.js';
import {readPolicyFile} from './policy/load.js';
import {checkFiles, dockerfileArgWarnings} from './publish/prepare.js';
import {publish} from './publish/publish.js';
import type {Progress} from './publish/stage.js';
import {METADATA_OUTPUTS, outputEnvEnabled, outputEnvName, planOutputs} from './report/outputs.js';
import {publishOutputs, publishSummary} from './report/publish-report.js';
import {planSummary} from './report/summary.js';
import {errorText} from './errors.js';
import {hostPlatform, runnerTemp} from './runner.js';
import {isPost, markMainStarted, readCleanup} from './state.js';
import * as log from './report/log.js';

async function timed<T>(title: string, fn: () => Promise<T>): Promise<T> {
  const start = Date.now();
  return core.group(title, async () => {
    try {
      return await fn();
    } finally {
      log.info(`(${((Date.now() - start) / 1000).toFixed(1)}s)`);
    }
  });
}

function setOutputs(plan: Plan): void {
  const exportEnv = outputEnvEnabled(process.env.DOCKER_METADATA_SET_OUTPUT_ENV);
  for (const [name, value] of Object.entries(planOutputs(plan, plan.separators))) {
    core.setOutput(name, value);
    if (exportEnv && METADATA_OUTPUTS.includes(name)) {
      core.exportVariable(outputEnvName(name), value);
    }
  }
}

export async function runMain(): Promise<void> {
  markMainStarted();
  const inputs = getInputs();
  const env = process.env;
  // SOURCE_DATE_EPOCH pins the whole run's clock (created label, BUILD_DATE and {{date}}), so a
  // rebuild of the same commit yields the same tags and labels.
  const now = createdDate(env, new Date());
  const ctx = contextFromEnv(env, readPayload(env));
  const [repo, commitDate, repoPrivate] = await Promise.all([
    loadRepoInfo(ctx, inputs.githubToken),
    loadCommitDate(ctx, inputs.githubToken, now),
    loadRepoPrivate(ctx, inputs.githubToken)
  ]);
  ctx.commitDate = commitDate;

  await timed('Context', async () => {
    log.info(`event: ${ctx.eventName}  ref: ${ctx.ref}  sha: ${ctx.sha}`);
    log.info(`repository: ${ctx.repository}  default branch: ${repo.defaultBranch || '(unknown)'}`);
    log.info(`commit date: ${commitDate.toISOString()}`);
  });

  const policy = readPolicyFile(inputs.policy, inputs.policyGiven);
  if (policy) log.info(`policy: ${inputs.policy} (${Object.keys(policy.registries).join(', ')})`);
  const {plan, secrets} = await timed('Plan', async () => {
    const planned = planRun(
      inputs,
      {
        ctx,
        repo,
        now,
        created: now,
        switches: {
          shortShaLength: env.DOCKER_METADATA_SHORT_SHA_LENGTH,
          annotationLevels: env.DOCKER_METADATA_ANNOTATIONS_LEVELS
        },
        runnerTemp: runnerTemp(),
        vars: env,
        actor: ctx.actor,
        repoPrivate
      },
      hostPlatform(),
      policy
    );
    const p = planned.plan;
    // A dry-run refuses what a real run refuses: the files the run would read are checked too
    // (a real run checks them in publish). Without images a dry-run only computes tags.
    if (p.dryRun && p.images.length > 0) checkFiles(p, planned.secrets);
    log.info(`version: ${p.meta.version.main ?? '(none)'}`);
    log.info(`platforms: ${p.platforms.join(', ')}`);
    p.steps.forEach((s, i) => log.info(`${i + 1}. ${s.phase}: ${s.what}`));
    return planned;
  });

  // Read before the build: an automatic build arg that replaces a Dockerfile ARG default is announced.
  const warnings = [...plan.meta.warnings, ...dockerfileArgWarnings(plan)];
  for (const w of warnings) core.warning(w);
  if (!plan.meta.version.main) core.warning('No Docker image version has been generated. Check tags input.');
  if (plan.meta.tags.length === 0) core.warning('No Docker tag has been generated. Check tags input.');

  await core.group('Docker tags', async () => plan.meta.tags.forEach(t => log.info(t)));
  await core.group('Docker labels', async () => plan.meta.labels.forEach(l => log.info(l)));
  await core.group('Annotations', async () => plan.meta.annotations.forEach(a => log.info(a)));
  await core.group('Build args', async () => Object.entries(plan.buildArgs).forEach(([k, v]) => log.info(`${k}=${v}`)));

  setOutputs(plan);
  const planText = planSummary(plan, warnings);
  if (plan.dryRun) {
    await writeSummary(planText);
    return;
  }

  // Deferred failure: whatever happens, the outputs and the summary say how far the run got.
  const progress: Progress = {result: {durations: {}}};
  let failure: unknown;
  try {
    await publish(plan, secrets, ctx, progress);
  } catch (err: unknown) {
    failure = err;
  }
  for (const [name, value] of Object.entries(publishOutputs(progress.result))) core.setOutput(name, value);
  await writeSummary(
    publishSummary(progress.result, failure === undefined ? undefined : errorText(failure)) + '\n' + planText
  );
  if (failure !== undefined) throw failure;
}

async function writeSummary(text: string): Promise<void> {
  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(text).write();
  } else {
    await core.group('Summary', async () => log.info(text));
  }
}

/** Undo what main set up, even when main failed; every step on its own, none fails the job. */
export async function runPost(): Promise<void> {
  const cleanup = readCleanup();
  if (cleanup.builder && cleanup.buildx) {
    try {
      await removeBuilder(
        cleanup.buildx,
        cleanup.dockerConfig ? {DOCKER_CONFIG: cleanup.dockerConfig} : {},
        cleanup.builder
      );
      log.info(`removed builder ${cleanup.builder}`);
    } catch (err: unknown) {
      core.warning(`could not remove builder ${cleanup.builder}: ${errorText(err)}`);
    }
  }
  if (cleanup.credentialsDir) {
    endLogin(cleanup.credentialsDir);
    log.info('removed the temporary registry credentials');
  }
}

export async function run(): Promise<void> {
  if (isPost()) {
    try {
      await runPost();
    } catch (err: unknown) {
      core.warning(`post: ${errorText(err)}`);
    }
    return;
  }
  try {
    await runMain();
  } catch (err: unknown) {
    core.setFailed(errorText(err));
  }
}
