import * as fs from 'node:fs';
import * as path from 'node:path';
import {fileURLToPath} from 'node:url';
import {contextFromEnv, repoFromPayload, type Env, type RunContext} from '../../src/context.js';
import {readInputs, type Inputs} from '../../src/inputs.js';
import type {RepoInfo} from '../../src/meta/types.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(ROOT, '__tests__/fixtures');
/** The clock every table runs at: metadata-action's own tests mock this date. */
export const FIXED_DATE = new Date('2020-01-10T00:30:00.000Z');
export const FIXED_EPOCH = String(FIXED_DATE.getTime() / 1000);

export interface EventFixture {
  env: Record<string, string>;
  payload: Record<string, unknown>;
  payloadPath: string;
}

/** `<name>.env` (KEY=value lines, `#` comments) + `<name>.json` (the event payload). */
export function loadEvent(name: string): EventFixture {
  const base = path.join(FIXTURES, 'events', name);
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(`${base}.env`, 'utf8').split('\n')) {
    const m = line.match(/^([A-Z0-9_]+)=(.*)$/);
    // dotenv style: a value may be quoted to keep `#` and spaces.
    if (m) env[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  }
  const payloadPath = `${base}.json`;
  const payload = fs.existsSync(payloadPath)
    ? (JSON.parse(fs.readFileSync(payloadPath, 'utf8')) as Record<string, unknown>)
    : {};
  env.GITHUB_EVENT_PATH = payloadPath;
  return {env, payload, payloadPath};
}

/** The repository metadata-action's tests get from the API. */
export const PARITY_REPO: RepoInfo = {
  name: 'Hello-World',
  description: 'This your first repo!',
  htmlUrl: 'https://github.com/octocat/Hello-World',
  license: 'MIT',
  defaultBranch: 'master'
};

export function runContext(event: string, extraEnv: Env = {}): {ctx: RunContext; repo: RepoInfo; env: Env} {
  const fx = loadEvent(event);
  const env = {...fx.env, ...extraEnv};
  const ctx = contextFromEnv(env, fx.payload);
  ctx.commitDate = ctx.payloadCommitDate ?? FIXED_DATE;
  return {ctx, repo: repoFromPayload(fx.payload) ?? PARITY_REPO, env};
}

export function inputsFrom(map: Record<string, string>): Inputs {
  return readInputs((name, trim = true) => {
    const v = map[name] ?? '';
    return trim ? v.trim() : v;
  });
}

export function readJson<T>(rel: string): T {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, rel), 'utf8')) as T;
}

export interface ParityCase {
  name: string;
  source?: string;
  event: string;
  env?: Record<string, string>;
  inputs: Record<string, string>;
  expected: {
    version?: {main: string | undefined | null; partial: string[]; latest: boolean};
    tags?: string[];
    labels?: string[];
    annotations?: string[];
    json?: unknown;
    error?: string;
  };
}

/** Every case of every parity table (files whose entries name an event). */
export function parityCases(): {file: string; c: ParityCase}[] {
  const dir = path.join(FIXTURES, 'parity');
  const out: {file: string; c: ParityCase}[] = [];
  for (const file of fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.json'))
    .sort()) {
    const data = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as unknown;
    if (!Array.isArray(data)) continue;
    for (const c of data as ParityCase[]) {
      if (typeof c.event === 'string') out.push({file, c});
    }
  }
  return out;
}

/** The whole dry-run plan for an event fixture and a map of action inputs, at the fixed clock. */
export async function planFor(
  event: string,
  inputs: Record<string, string>,
  extraEnv: Env = {},
  policy?: import('../../src/policy/types.js').Policy
) {
  const {makePlan} = await import('../../src/plan.js');
  const {loadModulesFor, templateTexts} = await import('../../src/meta/lazy-modules.js');
  const {ctx, repo, env} = runContext(event, extraEnv);
  const given = inputsFrom(inputs);
  // As runEngine does: what these inputs' templates need is loaded by the scan the run uses.
  await loadModulesFor(templateTexts(given));
  return makePlan(
    given,
    {
      ctx,
      repo,
      now: FIXED_DATE,
      created: FIXED_DATE,
      switches: {
        shortShaLength: env.DOCKER_METADATA_SHORT_SHA_LENGTH,
        annotationLevels: env.DOCKER_METADATA_ANNOTATIONS_LEVELS
      }
    },
    'linux/amd64',
    policy
  );
}
