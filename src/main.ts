import {contextFromEnv, readPayload} from './context.js';
import {loadCommitDate, loadRepoInfo, loadRepoPrivate} from './github/repo.js';
import {getInputs} from './inputs.js';
import {METADATA_OUTPUTS, outputEnvEnabled, outputEnvName} from './report/outputs.js';
import {errorText} from './errors.js';
import {runEngine, type Host} from './run.js';
import {runPostStep} from './post.js';
import {markMainStarted} from './state-save.js';
import {isPost} from './state.js';
import {appendSummary, exportVariable, group, setFailed, setOutput, warning} from './report/commands.js';
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
  group: async (title, fn) => group(title, fn),
  warning: text => warning(text),
  setOutput(name, value) {
    setOutput(name, value);
    if (outputEnvEnabled(process.env.DOCKER_METADATA_SET_OUTPUT_ENV) && METADATA_OUTPUTS.includes(name)) {
      exportVariable(outputEnvName(name), value);
    }
  },
  async summary(text) {
    if (process.env.GITHUB_STEP_SUMMARY) {
      await appendSummary(text);
    } else {
      await group('Summary', async () => log.info(text));
    }
  }
};

export async function runMain(): Promise<void> {
  markMainStarted();
  await runEngine(githubHost);
}

export async function run(): Promise<void> {
  if (isPost()) return runPostStep();
  try {
    await runMain();
  } catch (err: unknown) {
    setFailed(errorText(err));
  }
}
