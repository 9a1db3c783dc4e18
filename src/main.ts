import * as core from '@actions/core';
import {contextFromEnv, readPayload} from './context.js';
import {removeBuilder} from './engines/buildx/run.js';
import {loadCommitDate, loadRepoInfo, loadRepoPrivate} from './github/repo.js';
import {getInputs} from './inputs.js';
import {endLogin} from './login/docker-config.js';
import {METADATA_OUTPUTS, outputEnvEnabled, outputEnvName} from './report/outputs.js';
import {errorText} from './errors.js';
import {runEngine, type Host} from './run.js';
import {isPost, markMainStarted, readCleanup} from './state.js';
import * as log from './report/log.js';

/** The GitHub host: inputs from INPUT_*, the context from the event, outputs and summary to the runner. */
export const githubHost: Host = {
  inputs: getInputs,
  async context(inputs, now) {
    const env = process.env;
    const ctx = contextFromEnv(env, readPayload(env));
    const [repo, commitDate, repoPrivate] = await Promise.all([
      loadRepoInfo(ctx, inputs.githubToken),
      loadCommitDate(ctx, inputs.githubToken, now),
      loadRepoPrivate(ctx, inputs.githubToken)
    ]);
    ctx.commitDate = commitDate;
    return {ctx, repo, repoPrivate};
  },
  env: process.env,
  group: async (title, fn) => core.group(title, fn),
  warning: text => core.warning(text),
  setOutput(name, value) {
    core.setOutput(name, value);
    if (outputEnvEnabled(process.env.DOCKER_METADATA_SET_OUTPUT_ENV) && METADATA_OUTPUTS.includes(name)) {
      core.exportVariable(outputEnvName(name), value);
    }
  },
  async summary(text) {
    if (process.env.GITHUB_STEP_SUMMARY) {
      await core.summary.addRaw(text).write();
    } else {
      await core.group('Summary', async () => log.info(text));
    }
  }
};

export async function runMain(): Promise<void> {
  markMainStarted();
  await runEngine(githubHost);
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
