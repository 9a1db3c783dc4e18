// The workflow evaluator examples-events.test.ts runs the example workflows with: GitHub's
// expression rules for the subset the examples use, trigger filters, matrix entries, and the real
// example workflows' image-publish inputs for a few events.
import {describe, expect, it} from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import {ROOT} from '../helpers/fixtures.js';
import {
  actionRuns,
  evaluate,
  globMatch,
  interpolate,
  matrixEntries,
  triggers,
  type Contexts,
  type Workflow
} from '../helpers/workflow-eval.js';

const ctx: Contexts = {
  github: {event_name: 'push', ref: 'refs/tags/v1.2.3', event: {repository: {default_branch: 'main'}}},
  inputs: {version: '', stage: 'staging', rc: '1'},
  matrix: {service: 'gateway', suffix: ''},
  env: {DEV: 'quay.io/jordigilh'}
};

describe('expressions', () => {
  it.each([
    ["github.event_name == 'push'", true],
    ["github.event_name == 'PUSH'", true], // string comparison ignores case
    ["github.event_name != 'pull_request'", true],
    ["startsWith(github.ref, 'refs/tags/v') && 'highest' || 'false'", 'highest'],
    ["startsWith(github.ref, 'refs/heads/') && 'highest' || 'false'", 'false'],
    ["inputs.version && format('{0}-', inputs.version) || ''", ''],
    [
      "inputs.stage == 'staging' && format('{0}/{1}:dev', env.DEV, matrix.service) || 'x'",
      'quay.io/jordigilh/gateway:dev'
    ],
    ["format('{0}-rc{1}', '1.0.0', inputs.rc)", '1.0.0-rc1'],
    ['inputs.missing', null],
    ['!inputs.version', true],
    ["(github.event_name == 'push' || inputs.version) && 'a' || 'b'", 'a'],
    ["github.event['repository'].default_branch", 'main'],
    ["contains(github.ref, 'v1.2')", true],
    ["'it''s'", "it's"],
    ['matrix.suffix', '']
  ])('%s → %p', (expr, want) => {
    expect(evaluate(expr, ctx)).toEqual(want);
  });

  it('interpolates every ${{ }} of a value as text', () => {
    expect(interpolate('a-${{ matrix.service }}-${{ inputs.missing }}-${{ 1 == 1 }}', ctx)).toBe('a-gateway--true');
  });

  it.each(['unknownFn(1)', "'open", 'a ==', 'a b'])('refuses %s', expr => {
    expect(() => evaluate(expr, ctx)).toThrow();
  });
});

describe('triggers and matrices', () => {
  const on = {
    push: {branches: ['main', 'release/**'], tags: ['v*']},
    pull_request: null,
    release: {types: ['published']}
  };
  it.each([
    ['push', 'refs/heads/main', {}, true],
    ['push', 'refs/heads/release/1.2', {}, true],
    ['push', 'refs/heads/feature/x', {}, false],
    ['push', 'refs/tags/v1.2.3', {}, true],
    ['push', 'refs/tags/x1', {}, false],
    ['pull_request', 'refs/pull/1/merge', {}, true],
    ['release', 'refs/tags/v1', {action: 'published'}, true],
    ['release', 'refs/tags/v1', {action: 'created'}, false],
    ['schedule', 'refs/heads/main', {}, false]
  ])('%s %s → %p', (event, ref, payload, want) => {
    expect(triggers(on, event, ref, payload)).toBe(want);
  });
  it('globs: * stays in a segment, ** crosses them', () => {
    expect([globMatch('feat/*', 'feat/a'), globMatch('feat/*', 'feat/a/b'), globMatch('feat/**', 'feat/a/b')]).toEqual([
      true,
      false,
      true
    ]);
  });
  it('matrix: axes multiplied, include entries appended', () => {
    expect(matrixEntries({matrix: {a: [1, 2], b: ['x']}})).toEqual([
      {a: 1, b: 'x'},
      {a: 2, b: 'x'}
    ]);
    expect(matrixEntries({matrix: {include: [{engine: 'buildx'}, {engine: 'podman'}]}})).toEqual([
      {engine: 'buildx'},
      {engine: 'podman'}
    ]);
    expect(matrixEntries(undefined)).toEqual([{}]);
  });
});

describe('the example workflows, evaluated', () => {
  const load = (name: string): Workflow =>
    yaml.load(fs.readFileSync(path.join(ROOT, 'examples/workflows', `${name}.yml`), 'utf8')) as Workflow;
  const base = (event_name: string, ref: string, inputs: Record<string, string> = {}, event = {}): Contexts => ({
    github: {event_name, ref, repository_owner: 's-corkum', event},
    inputs,
    secrets: {}
  });
  const ACTION = 'image-publish/image-publish@v1';

  it('GHCR: a pull request builds without pushing; the release event does not push again; a tag push pushes', () => {
    const wf = load('ghcr-multi-service');
    const push = (event: string, ref: string, payload = {}) =>
      actionRuns(wf, ACTION, base(event, ref, {}, payload), event, ref).map(r => r.inputs.push);
    expect(push('pull_request', 'refs/pull/1/merge')).toEqual(['false', 'false', 'false', 'false']);
    expect(push('release', 'refs/tags/v1.2.3', {action: 'published'})).toEqual(['false', 'false', 'false', 'false']);
    expect(push('push', 'refs/tags/v1.2.3')).toEqual(['true', 'true', 'true', 'true']);
  });

  it('DD-REGISTRY-001: a push runs the development build, a dispatch the promotion with the computed source and version', () => {
    const wf = load('dd-registry-001');
    expect(actionRuns(wf, ACTION, base('push', 'refs/heads/main'), 'push', 'refs/heads/main').map(r => r.job)).toEqual([
      'dev-build'
    ]);
    const inputs = {stage: 'production', version: '1.0.0', rc: '2'};
    const [promote] = actionRuns(
      wf,
      ACTION,
      base('workflow_dispatch', 'refs/heads/main', inputs),
      'workflow_dispatch',
      'refs/heads/main'
    );
    expect([promote.job, promote.inputs.source, promote.inputs.version]).toEqual([
      'promote',
      'quay.io/kubernaut/gateway:v1.0.0-rc2',
      '1.0.0'
    ]);
  });

  it('Kubernaut: latest=highest for tags and manual releases, false otherwise', () => {
    const wf = load('kubernaut-standards');
    const flavor = (event: string, ref: string, inputs: Record<string, string> = {}) =>
      actionRuns(wf, ACTION, base(event, ref, inputs), event, ref)[0].inputs.flavor;
    expect(flavor('push', 'refs/tags/v1.2.3')).toBe('latest=highest');
    expect(flavor('workflow_dispatch', 'refs/heads/main', {version: '1.2.3'})).toBe('latest=highest');
    expect(flavor('push', 'refs/heads/main')).toBe('latest=false');
  });
});
