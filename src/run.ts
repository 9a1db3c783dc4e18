import {createdDate, type Env, type RunContext} from './context.js';
import type {Inputs} from './inputs.js';
import {loadModulesFor, templateTexts} from './meta/lazy-modules.js';
import type {RepoInfo} from './meta/types.js';
import type {Credentials} from './registry/auth.js';
import {planRun, type Plan} from './plan.js';
import {readPolicyFile} from './policy/load.js';
import {checkFiles, dockerfileArgWarnings} from './publish/prepare.js';
import {publish} from './publish/publish.js';
import type {Progress, PublishResult} from './publish/stage.js';
import {planOutputs} from './report/outputs.js';
import {publishOutputs, publishSummary} from './report/publish-report.js';
import {planSummary} from './report/summary.js';
import {errorText} from './errors.js';
import {hostPlatform, runnerTemp} from './runner.js';
import * as log from './report/log.js';

/**
 * Where the engine runs: the GitHub runner (main.ts) or a terminal / GitLab job (cli.ts). The engine
 * itself (plan → publish → outputs + summary) is the same for both; a host only says where the
 * inputs and the run's context come from and where groups, outputs and the summary go.
 */
export interface Host {
  /** Every input, parsed and with its secrets already masked. */
  inputs(): Inputs;
  /** The run's context and the repository data for labels, commit date resolved. */
  context(inputs: Inputs, now: Date): Promise<{ctx: RunContext; repo: RepoInfo; repoPrivate?: boolean}>;
  env: Env;
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  warning(text: string): void;
  setOutput(name: string, value: string): void;
  summary(text: string): Promise<void>;
  /**
   * Credentials the host finds on its own for a registry no input logs in to (the CLI: auth files,
   * credential helpers, GitLab's CI_REGISTRY_*); masked by the host. The action has none: the runner
   * starts clean, and docker/login-action logins are merged by the login step itself.
   */
  ambientCredentials?(registry: string): Credentials | undefined;
}

/** Adds credentials for registries the inputs leave anonymous, as registry-auth entries. */
function withAmbient(inputs: Inputs, plan: Plan, host: Host): Inputs | undefined {
  const found = plan.registries
    .filter(r => !r.login)
    .map(r => ({registry: r.registry, ...host.ambientCredentials?.(r.registry)}))
    .filter((c): c is {registry: string} & Credentials => 'username' in c && 'password' in c);
  if (found.length === 0) return undefined;
  const entries = found.map(c => ({registry: c.registry, username: c.username, password: c.password}));
  const existing = inputs.registryAuth.trim();
  const registryAuth =
    existing === '' ? JSON.stringify(entries) : `${existing}\n${entries.map(e => `- ${JSON.stringify(e)}`).join('\n')}`;
  return {...inputs, registryAuth};
}

export interface EngineResult {
  plan: Plan;
  result?: Partial<PublishResult>;
}

async function timed<T>(host: Host, title: string, fn: () => Promise<T>): Promise<T> {
  const start = Date.now();
  return host.group(title, async () => {
    try {
      return await fn();
    } finally {
      log.info(`(${((Date.now() - start) / 1000).toFixed(1)}s)`);
    }
  });
}

/** One run of the engine. Deferred failure: outputs and the summary first, then the error is thrown. */
export async function runEngine(host: Host): Promise<EngineResult> {
  const inputs = host.inputs();
  const env = host.env;
  // SOURCE_DATE_EPOCH pins the whole run's clock (created label, BUILD_DATE and {{date}}), so a
  // rebuild of the same commit yields the same tags and labels.
  const now = createdDate(env, new Date());
  // The plan is sync and pure: what its templates need (handlebars, moment, pep440) is loaded
  // first, while the context waits on the GitHub API. Awaited below; the catch only keeps a
  // failure that comes after a failing context from being an unhandled rejection.
  const modules = loadModulesFor(templateTexts(inputs));
  modules.catch(() => undefined);
  const {ctx, repo, repoPrivate} = await host.context(inputs, now);

  await timed(host, 'Context', async () => {
    log.info(`event: ${ctx.eventName}  ref: ${ctx.ref}  sha: ${ctx.sha}`);
    log.info(`repository: ${ctx.repository}  default branch: ${repo.defaultBranch || '(unknown)'}`);
    log.info(`commit date: ${ctx.commitDate.toISOString()}`);
  });

  await modules;
  const policy = readPolicyFile(inputs.policy, inputs.policyGiven);
  if (policy) log.info(`policy: ${inputs.policy} (${Object.keys(policy.registries).join(', ')})`);
  const {plan, secrets} = await timed(host, 'Plan', async () => {
    const planOf = (given: Inputs): ReturnType<typeof planRun> =>
      planRun(
        given,
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
    let planned = planOf(inputs);
    const ambient = host.ambientCredentials ? withAmbient(inputs, planned.plan, host) : undefined;
    if (ambient) planned = planOf(ambient);
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
  for (const w of warnings) host.warning(w);
  if (!plan.meta.version.main) host.warning('No Docker image version has been generated. Check tags input.');
  if (plan.meta.tags.length === 0) host.warning('No Docker tag has been generated. Check tags input.');

  await host.group('Docker tags', async () => plan.meta.tags.forEach(t => log.info(t)));
  await host.group('Docker labels', async () => plan.meta.labels.forEach(l => log.info(l)));
  await host.group('Annotations', async () => plan.meta.annotations.forEach(a => log.info(a)));
  await host.group('Build args', async () => Object.entries(plan.buildArgs).forEach(([k, v]) => log.info(`${k}=${v}`)));

  for (const [name, value] of Object.entries(planOutputs(plan, plan.separators))) host.setOutput(name, value);
  const planText = planSummary(plan, warnings);
  if (plan.dryRun) {
    await host.summary(planText);
    return {plan};
  }

  const progress: Progress = {result: {durations: {}}};
  let failure: unknown;
  try {
    await publish(plan, secrets, ctx, progress);
  } catch (err: unknown) {
    failure = err;
  }
  for (const [name, value] of Object.entries(publishOutputs(progress.result))) host.setOutput(name, value);
  await host.summary(
    publishSummary(progress.result, failure === undefined ? undefined : errorText(failure)) + '\n' + planText
  );
  if (failure !== undefined) throw failure;
  return {plan, result: progress.result};
}
