// The GitLab template as GitLab would run it: its jobs per pipeline kind (rules evaluated with the
// pipeline's predefined variables), each job's script line run through dist/cli.js as a dry-run.
import {spawnSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {describe, expect, it} from '@jest/globals';
import {evalIf, renderPipeline, scriptArgv, type Vars} from '../helpers/gitlab-ci.js';
import {ROOT} from '../helpers/fixtures.js';

const TEMPLATE = fs.readFileSync(path.join(ROOT, 'templates/gitlab/image-publish.gitlab-ci.yml'), 'utf8');
const IMAGE = 'registry.gitlab.example/group/app';

/** Predefined variables GitLab sets in every pipeline of this project, plus the including project's. */
const project: Vars = {
  GITLAB_CI: 'true',
  CI_PROJECT_PATH: 'group/app',
  CI_PROJECT_NAME: 'app',
  CI_PROJECT_NAMESPACE: 'group',
  CI_PROJECT_URL: 'https://gitlab.example/group/app',
  CI_SERVER_URL: 'https://gitlab.example',
  CI_DEFAULT_BRANCH: 'main',
  CI_COMMIT_SHA: '3f9c2ab1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8',
  CI_COMMIT_TIMESTAMP: '2020-01-10T00:30:00+00:00',
  CI_PIPELINE_ID: '1001',
  CI_PIPELINE_IID: '7',
  CI_REGISTRY: 'registry.gitlab.example',
  CI_REGISTRY_IMAGE: IMAGE,
  // The include's `variables: IMAGE_PUBLISH_IMAGES: $CI_REGISTRY_IMAGE`, expanded as GitLab does.
  IMAGE_PUBLISH_IMAGES: IMAGE
};

const pipelines: Record<string, Vars> = {
  tag: {...project, CI_PIPELINE_SOURCE: 'push', CI_COMMIT_TAG: 'v1.2.3', CI_COMMIT_REF_NAME: 'v1.2.3'},
  'tag with a promotion source': {
    ...project,
    CI_PIPELINE_SOURCE: 'push',
    CI_COMMIT_TAG: 'v1.2.3',
    CI_COMMIT_REF_NAME: 'v1.2.3',
    IMAGE_PUBLISH_SOURCE: `${IMAGE}/staging`
  },
  'default branch': {...project, CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main', CI_COMMIT_REF_NAME: 'main'},
  'other branch': {
    ...project,
    CI_PIPELINE_SOURCE: 'push',
    CI_COMMIT_BRANCH: 'feature/x',
    CI_COMMIT_REF_NAME: 'feature/x'
  },
  // GitLab sets no CI_COMMIT_BRANCH in merge request pipelines.
  'merge request': {
    ...project,
    CI_PIPELINE_SOURCE: 'merge_request_event',
    CI_MERGE_REQUEST_IID: '42',
    CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main',
    CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'feature/x',
    CI_COMMIT_REF_NAME: 'feature/x'
  }
};

describe('rules:if evaluator (the subset the template uses)', () => {
  it.each([
    ['$A', {A: 'x'}, true],
    ['$A', {A: ''}, false],
    ['$A', {}, false],
    ['$A == "x"', {A: 'x'}, true],
    ['$A == "x"', {A: 'y'}, false],
    ['$A != "x"', {}, true],
    ['$A == $B', {A: 'main', B: 'main'}, true],
    ['$A == $B', {B: 'main'}, false],
    ['$A && $B', {A: '1'}, false],
    ['$A && $B', {A: '1', B: '1'}, true],
    ['$A || $B && $C', {A: '1'}, true],
    ['$A || $B && $C', {B: '1'}, false]
  ] as [string, Vars, boolean][])('%s with %j is %s', (expr, vars, want) => {
    expect(evalIf(expr, vars)).toBe(want);
  });
  it.each([['$A =~ /x/'], ['($A)'], ['$A == ']])('%s is outside the subset and throws', expr => {
    expect(() => evalIf(expr, {A: 'x'})).toThrow(/rules:if/);
  });
});

describe('GitLab template: jobs per pipeline', () => {
  it.each([
    ['tag', [['image-publish:publish', 'deploy', 'on_success']]],
    [
      'tag with a promotion source',
      [
        ['image-publish:publish', 'deploy', 'on_success'],
        ['image-publish:promote', 'deploy', 'manual']
      ]
    ],
    ['default branch', [['image-publish:publish', 'deploy', 'on_success']]],
    ['other branch', []],
    ['merge request', [['image-publish:mr', 'build', 'on_success']]]
  ])('%s pipeline', (kind, want) => {
    const {jobs} = renderPipeline(TEMPLATE, pipelines[kind]);
    expect(jobs.map(j => [j.name, j.stage, j.when])).toEqual(want);
    for (const job of jobs) expect([job.image, job.entrypoint]).toEqual(['image-publish-cli:latest', ['']]);
  });
});

/** The job's script as GitLab would run it in the CLI image; the binary is dist/cli.js here. */
function runJob(script: string, vars: Vars): {code: number; out: string; dotenv: Record<string, string>} {
  const argv = scriptArgv(script);
  expect(argv[0]).toBe('image-publish');
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'ip-gitlab-'));
  fs.writeFileSync(path.join(cwd, 'Dockerfile'), 'FROM scratch\n');
  const {variables} = renderPipeline(TEMPLATE, vars);
  const env: Record<string, string> = {PATH: process.env.PATH ?? '', HOME: cwd, SOURCE_DATE_EPOCH: '1578616200'};
  for (const [k, v] of Object.entries({...variables, ...vars})) if (v !== undefined) env[k] = v;
  // The dry-run is the only change to the job: a variable, so the script line is run verbatim.
  env.IMAGE_PUBLISH_DRY_RUN = 'true';
  const run = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...argv.slice(1)], {
    cwd,
    env,
    encoding: 'utf8'
  });
  const dotenvFile = path.join(cwd, 'image-publish.env');
  const dotenv: Record<string, string> = {};
  if (fs.existsSync(dotenvFile)) {
    for (const line of fs.readFileSync(dotenvFile, 'utf8').split('\n')) {
      const m = line.match(/^([A-Z0-9_]+)=(.*)$/);
      if (m) dotenv[m[1]] = m[2];
    }
  }
  fs.rmSync(cwd, {recursive: true, force: true});
  return {code: run.status ?? -1, out: run.stdout + run.stderr, dotenv};
}

describe('GitLab template: each job through the CLI (dry-run)', () => {
  it.each([
    ['tag', 'image-publish:publish', [`${IMAGE}:v1.2.3`, `${IMAGE}:latest`]],
    ['default branch', 'image-publish:publish', [`${IMAGE}:main`]],
    ['merge request', 'image-publish:mr', [`${IMAGE}:pr-42`]]
  ])('%s pipeline, %s', (kind, jobName, tags) => {
    const job = renderPipeline(TEMPLATE, pipelines[kind]).jobs.find(j => j.name === jobName);
    expect(job?.script).toHaveLength(1);
    const run = runJob(job?.script[0] ?? '', pipelines[kind]);
    expect({code: run.code, tags: run.dotenv.IMAGE_PUBLISHED_TAGS?.split(',')}).toEqual({code: 0, tags});
    // GitLab sections, not GitHub workflow commands.
    expect(run.out).toContain('section_start:');
    expect(run.out).not.toContain('::group::');
  });
  it('merge request job builds without pushing (push input false, not a dry-run of its own)', () => {
    const job = renderPipeline(TEMPLATE, pipelines['merge request']).jobs[0];
    expect(scriptArgv(job.script[0])).toContain('--push=false');
    expect(scriptArgv(job.script[0])).not.toContain('--dry-run');
  });
});
