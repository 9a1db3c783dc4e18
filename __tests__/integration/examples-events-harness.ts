// Fires one event at an example workflow WITHOUT act: the workflow (as examples-harness.ts rewrites
// it for the bed) is evaluated for the event by __tests__/helpers/workflow-eval.ts — trigger filters,
// job `if:`, matrix, the step's `with:` expressions, action.yml defaults for what the step leaves out
// — and dist/index.js runs once per resulting step, in the example repository, with the event
// fixture (__tests__/fixtures/events/<name>.env + .json) as its GITHUB_* environment and payload.
// What act adds on top (the runner's process model, outputs between steps) is covered by
// examples.test.ts, which runs each workflow through act for one event.
import {spawn} from 'node:child_process';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import {FIXED_EPOCH, loadEvent, ROOT} from '../helpers/fixtures.js';
import {errorsOf, parseCommandFile} from '../helpers/run-dist.js';
import {
  actionRuns,
  interpolate,
  type Contexts,
  type StepRun,
  type Value,
  type Workflow
} from '../helpers/workflow-eval.js';
import type {ExampleRepo} from './examples-harness.js';
import {type Bed, tempDir} from './bed.js';

export interface ActionResult {
  run: StepRun;
  code: number;
  errors: string[];
  stdout: string;
  outputs: Record<string, string>;
}

export interface Fired {
  /** One entry per image-publish step the runner would start; [] when the workflow does not run. */
  results: ActionResult[];
}

export interface FireOptions {
  /** workflow_dispatch inputs (the workflow's defaults fill the rest). */
  inputs?: Record<string, string>;
  /** Fields merged into the fixture payload (e.g. a release upload_url on a local server). */
  payload?: Record<string, unknown>;
  /** Extra environment for the action (e.g. GITHUB_API_URL). */
  env?: Record<string, string>;
  /** Step inputs replaced after evaluation (a test's deliberate deviation from the workflow). */
  with?: Record<string, string>;
  /** Only the matrix entries this returns true for (one service of four keeps the bed's time down). */
  matrix?: (m: Record<string, Value>) => boolean;
}

const ACTION_DEFAULTS = (() => {
  const a = yaml.load(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, {default?: string}>;
  };
  return Object.fromEntries(Object.entries(a.inputs).map(([k, v]) => [k, v.default ?? '']));
})();

function secretsOf(bed: Bed): Record<string, string> {
  return {
    QUAY_USERNAME: bed.prodRegistry.username,
    QUAY_PASSWORD: bed.prodRegistry.password,
    QUAY_ROBOT_USERNAME: bed.prodRegistry.username,
    QUAY_ROBOT_TOKEN: bed.prodRegistry.password,
    COSIGN_PRIVATE_KEY: readFileSync(bed.cosign.key, 'utf8'),
    COSIGN_PASSWORD: bed.cosign.password,
    GITHUB_TOKEN: 'offline'
  };
}

/** Runs dist/index.js in the example repository, as the runner runs the step. */
function runAction(
  cwd: string,
  env: Record<string, string>,
  inputs: Record<string, string>
): Promise<Omit<ActionResult, 'run'>> {
  const dir = tempDir('ex-ev-runner');
  const files = {GITHUB_OUTPUT: 'output', GITHUB_STATE: 'state', GITHUB_ENV: 'env', GITHUB_STEP_SUMMARY: 'summary'};
  const full: Record<string, string> = {HOME: process.env.HOME ?? '/root', RUNNER_TEMP: dir, ...env};
  for (const [k, f] of Object.entries(files)) {
    full[k] = path.join(dir, f);
    writeFileSync(full[k], '');
  }
  for (const [name, value] of Object.entries(inputs)) full[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const child = spawn(process.execPath, [path.join(cwd, 'dist/index.js')], {env: full, cwd});
  let stdout = '';
  child.stdout.on('data', d => (stdout += String(d)));
  child.stderr.on('data', d => (stdout += String(d)));
  return new Promise(resolve =>
    child.on('close', c =>
      resolve({
        code: c ?? -1,
        stdout,
        errors: errorsOf(stdout),
        outputs: parseCommandFile(readFileSync(path.join(dir, 'output'), 'utf8'))
      })
    )
  );
}

/** The event `fixture` (events/<fixture>.env + .json) at the example repository's workflow. */
export async function fire(bed: Bed, repo: ExampleRepo, fixture: string, opts: FireOptions = {}): Promise<Fired> {
  const fx = loadEvent(fixture);
  const event = fx.env.GITHUB_EVENT_NAME;
  const ref = fx.env.GITHUB_REF;
  const full = String(repo.repository.full_name);
  const owner = full.split('/')[0];
  const payload: Record<string, unknown> = {...fx.payload, ...(opts.payload ?? {}), repository: repo.repository};
  if (event === 'workflow_dispatch')
    payload.inputs = {...((fx.payload.inputs as object) ?? {}), ...(opts.inputs ?? {})};
  for (const key of ['head_commit']) {
    if (payload[key]) payload[key] = {...(payload[key] as object), id: repo.sha};
  }
  const eventDir = tempDir('ex-ev-event');
  mkdirSync(eventDir, {recursive: true});
  const eventPath = path.join(eventDir, `${fixture}.json`);
  writeFileSync(eventPath, JSON.stringify(payload));

  const wf = yaml.load(readFileSync(path.join(repo.dir, `.github/workflows/${repo.example}.yml`), 'utf8')) as Workflow;
  const refName = ref.replace(/^refs\/(heads|tags)\//, '');
  const pr = payload.pull_request as {head?: {ref?: string}; base?: {ref?: string}} | undefined;
  const github = {
    event_name: event,
    ref,
    ref_name: refName,
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    sha: repo.sha,
    repository: full,
    repository_owner: owner,
    head_ref: pr?.head?.ref ?? '',
    base_ref: pr?.base?.ref ?? '',
    token: 'offline',
    event: payload as Value
  } as Value;
  const declared = (wf.on as {workflow_dispatch?: {inputs?: Record<string, {default?: Value}>}} | undefined)
    ?.workflow_dispatch?.inputs;
  const inputs: Record<string, Value> = {};
  if (event === 'workflow_dispatch') {
    for (const [k, d] of Object.entries(declared ?? {})) inputs[k] = d?.default ?? '';
    Object.assign(inputs, payload.inputs);
  }
  const ctx: Contexts = {github, inputs, secrets: secretsOf(bed)};
  const runs = actionRuns(wf, './', ctx, event, ref).filter(r => (opts.matrix ? opts.matrix(r.matrix) : true));

  const env: Record<string, string> = {
    ...fx.env,
    GITHUB_SHA: repo.sha,
    GITHUB_REPOSITORY: full,
    GITHUB_REPOSITORY_OWNER: owner,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: repo.dir,
    GITHUB_ACTIONS: 'true',
    PATH: `${bed.binDir}:${process.env.PATH ?? ''}`,
    DOCKER_CONFIG: bed.docker.config,
    NODE_EXTRA_CA_CERTS: bed.prodRegistry.caCert,
    SSL_CERT_FILE: bed.caBundle,
    SOURCE_DATE_EPOCH: FIXED_EPOCH,
    ...(opts.env ?? {})
  };
  const results: ActionResult[] = [];
  for (const run of runs) {
    const withDefaults: Record<string, string> = {};
    for (const [k, d] of Object.entries(ACTION_DEFAULTS))
      withDefaults[k] = interpolate(d, {...ctx, matrix: run.matrix});
    const r = await runAction(repo.dir, env, {...withDefaults, ...run.inputs, ...(opts.with ?? {})});
    results.push({run, ...r});
  }
  return {results};
}

/** Exit codes and errors of every step run: `[{code: 0, errors: []}, …]` is a success. */
export const outcomes = (f: Fired): {code: number; errors: string[]}[] =>
  f.results.map(r => ({code: r.code, errors: r.errors}));
