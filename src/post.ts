// The post step: what cleanup needs and nothing else. index.ts loads this module alone in post
// mode, so the step does not parse the main bundle (plan, registry client, Octokit, templates)
// nor @actions/core (its HTTP client is a megabyte; report/commands.ts prints the runner commands).
import {removeBuilder} from './engines/buildx/run.js';
import {errorText} from './errors.js';
import {endLogin} from './login/end-login.js';
import {readCleanup} from './state.js';
import * as log from './report/log.js';

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
      log.warning(`could not remove builder ${cleanup.builder}: ${errorText(err)}`);
    }
  }
  if (cleanup.credentialsDir) {
    endLogin(cleanup.credentialsDir);
    log.info('removed the temporary registry credentials');
  }
}

/** The post step as the runner starts it: a failure is a warning, never a failed job. */
export async function runPostStep(): Promise<void> {
  try {
    await runPost();
  } catch (err: unknown) {
    log.warning(`post: ${errorText(err)}`);
  }
}
