// GitLab CI pipelines → the RunContext of their GitHub twin event: the same tag rules give the same tags.
import {describe, expect, it} from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {contextFromGitlab, repoFromGitlab} from '../../src/context/gitlab.js';
import {makePlan} from '../../src/plan.js';
import {FIXED_DATE, FIXTURES, inputsFrom, runContext} from '../helpers/fixtures.js';
import type {RunContext} from '../../src/context.js';
import type {RepoInfo} from '../../src/meta/types.js';

function gitlabEnv(name: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(path.join(FIXTURES, 'gitlab', `${name}.env`), 'utf8').split('\n')) {
    const m = line.match(/^([A-Z0-9_]+)=(.*)$/);
    if (m) env[m[1]] = m[2];
  }
  return env;
}

const RULES = [
  'type=schedule',
  'type=ref,event=branch',
  'type=ref,event=tag',
  'type=ref,event=pr',
  'type=semver,pattern={{version}}',
  'type=semver,pattern={{major}}.{{minor}}',
  'type=sha',
  'type=raw,value=stable,enable={{is_default_branch}}',
  'type=edge'
].join('\n');

const tagsOf = (ctx: RunContext, repo: RepoInfo, preset = '') =>
  makePlan(
    inputsFrom({images: 'registry.example.com/kubernaut/gateway', tags: preset ? '' : RULES, 'tag-preset': preset}),
    {ctx, repo, now: FIXED_DATE, created: FIXED_DATE, switches: {}},
    'linux/amd64'
  ).meta;

const gl = (name: string) => {
  const env = gitlabEnv(name);
  const ctx = contextFromGitlab(env);
  ctx.commitDate = ctx.payloadCommitDate ?? FIXED_DATE;
  return {ctx, repo: repoFromGitlab(env)};
};

describe('GitLab pipelines and their GitHub twins', () => {
  it.each([
    ['push_main', 'ip_push_main', ['main', 'sha-3f9c2ab', 'stable', 'edge']],
    ['push_feature', 'ip_push_feature', ['feature-audit-v2', 'sha-3f9c2ab']],
    ['tag_v1.0.0', 'ip_tag_v1.0.0', ['v1.0.0', '1.0.0', '1.0', 'sha-3f9c2ab', 'latest']],
    ['tag_v1.0.0-rc1', 'ip_tag_v1.0.0-rc1', ['v1.0.0-rc1', '1.0.0-rc1', 'sha-3f9c2ab']],
    ['merge_request', 'ip_pull_request', ['pr-123', 'sha-3f9c2ab']],
    ['schedule', 'ip_schedule', ['nightly', 'main', 'sha-3f9c2ab', 'stable', 'edge']],
    ['web', 'ip_dispatch', ['main', 'sha-3f9c2ab', 'stable', 'edge']]
  ])('%s gives the tags of %s', (gitlab, github, names) => {
    const mine = gl(gitlab);
    const twin = runContext(github);
    const got = tagsOf(mine.ctx, mine.repo);
    const want = tagsOf(twin.ctx, twin.repo);
    expect(got.tags).toEqual(want.tags);
    expect(got.version).toEqual(want.version);
    expect(got.tags.map(t => t.split(':').pop()).sort()).toEqual([...names].sort());
  });

  it.each([
    ['tag_v1.0.0', 'ip_tag_v1.0.0', 'semver-release'],
    ['push_main', 'ip_push_main', 'development'],
    ['merge_request', 'ip_pull_request', 'development']
  ])('%s matches %s with preset %s', (gitlab, github, preset) => {
    const mine = gl(gitlab);
    const twin = runContext(github);
    expect(tagsOf(mine.ctx, mine.repo, preset).tags).toEqual(tagsOf(twin.ctx, twin.repo, preset).tags);
  });

  it('maps the pipeline variables to the context and the labels', () => {
    const {ctx, repo} = gl('merge_request');
    expect({
      eventName: ctx.eventName,
      ref: ctx.ref,
      prNumber: ctx.prNumber,
      prBaseRef: ctx.prBaseRef,
      repository: ctx.repository,
      commitDate: ctx.commitDate.toISOString()
    }).toEqual({
      eventName: 'pull_request',
      ref: 'refs/pull/123/merge',
      prNumber: 123,
      prBaseRef: 'main',
      repository: 'kubernaut/gateway',
      commitDate: '2025-12-17T10:00:00.000Z'
    });
    const labels = tagsOf(ctx, repo).labels;
    expect(labels).toContain('org.opencontainers.image.source=https://gitlab.example.com/kubernaut/gateway');
    expect(labels).toContain('org.opencontainers.image.description=Kubernaut gateway');
    expect(labels).toContain('org.opencontainers.image.revision=3f9c2ab1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8');
  });
});
