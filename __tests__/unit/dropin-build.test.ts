// build-push-action habits: provenance and SBOM attestations by its rules, the gha cache's
// environment, and the inputs buildah/podman or image-publish cannot take, refused by name.
import {describe, expect, it} from '@jest/globals';
import {buildxBuildArgs, buildxEnv} from '../../src/engines/buildx/args.js';
import type {BuildSpec} from '../../src/engines/types.js';
import {privateFrom} from '../../src/github/repo.js';
import {planRun} from '../../src/plan.js';
import {attestationAttrs, resolveProvenance, resolveSbom, runUrl} from '../../src/plan/build.js';
import {FIXED_DATE, inputsFrom, runContext} from '../helpers/fixtures.js';

const RUN = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'octo/app',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_ATTEMPT: '2'
};
const URL = 'https://github.com/octo/app/actions/runs/4242/attempts/2';

describe('provenance (build-push-action getProvenanceInput + getAttestArgs)', () => {
  it.each([
    ['', false, {}, `type=provenance,mode=max,builder-id=${URL}`],
    ['', true, {}, `type=provenance,mode=min,inline-only=true,builder-id=${URL}`],
    ['', false, {BUILDX_NO_DEFAULT_ATTESTATIONS: '1'}, ''],
    ['', false, {BUILDX_NO_DEFAULT_ATTESTATIONS: 'false'}, `type=provenance,mode=max,builder-id=${URL}`],
    ['true', false, {}, `type=provenance,builder-id=${URL}`],
    ['True', true, {}, `type=provenance,builder-id=${URL}`],
    ['false', false, {}, 'type=provenance,disabled=true'],
    ['mode=max', true, {}, `type=provenance,mode=max,builder-id=${URL}`],
    ['mode=min,builder-id=https://ci.example/1', false, {}, 'type=provenance,mode=min,builder-id=https://ci.example/1'],
    ['mode=max,false', false, {}, `type=provenance,mode=max,disabled=true,builder-id=${URL}`]
  ])('provenance %j (private %s, env %j) → %j', (input, priv, env, want) => {
    expect(resolveProvenance(input, 'buildx', {private: priv, vars: {...RUN, ...env}})).toBe(want);
  });
  it.each([
    [{}, ''],
    [{GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '7'}, 'https://github.com/o/r/actions/runs/7/attempts/1'],
    [RUN, URL],
    [{...RUN, GITHUB_SERVER_URL: 'https://ghe.example/'}, 'https://ghe.example/octo/app/actions/runs/4242/attempts/2']
  ])('run URL of %j is %j', (vars, want) => {
    expect(runUrl(vars)).toBe(want);
  });
  it('outside a workflow run the default carries no builder id', () => {
    expect(resolveProvenance('', 'buildx', {vars: {}})).toBe('type=provenance,mode=max');
  });
  it.each([['buildah'], ['podman']] as const)('%s gets no attestation flags', engine => {
    expect(resolveProvenance('mode=max', engine, {vars: RUN})).toBe('');
    expect(resolveSbom('true', engine)).toBe('');
  });
  it.each([
    ['', ''],
    ['true', 'type=sbom,disabled=false'],
    ['false', 'type=sbom,disabled=true'],
    ['generator=docker/buildkit-syft-scanner:1', 'type=sbom,generator=docker/buildkit-syft-scanner:1']
  ])('sbom %j → %j', (input, want) => {
    expect(resolveSbom(input, 'buildx')).toBe(want);
  });
  it.each([
    ['type=provenance,1', 'type=provenance,disabled=false'],
    ['type=sbom, f ', 'type=sbom,disabled=true'],
    ['type=provenance,mode=max', 'type=provenance,mode=max']
  ])('attestation attrs %j → %j', (attrs, want) => {
    expect(attestationAttrs(attrs)).toBe(want);
  });
});

const SPEC: BuildSpec = {
  context: '.',
  file: '',
  target: '',
  platforms: ['linux/amd64'],
  buildArgs: {},
  labels: [],
  annotations: [],
  secrets: [],
  cacheFrom: [],
  cacheTo: [],
  provenance: '',
  sbom: '',
  pull: false,
  noCache: false,
  repositories: ['r.example/app']
};
const OUTPUT = 'type=image,name=r.example/app,push-by-digest=true,name-canonical=true,push=true';

describe('buildx argv and environment', () => {
  it.each([
    [
      'provenance and sbom as --attest',
      {provenance: `type=provenance,mode=max,builder-id=${URL}`, sbom: 'type=sbom,disabled=false'},
      ['--attest', `type=provenance,mode=max,builder-id=${URL}`, '--attest', 'type=sbom,disabled=false']
    ],
    ['a git context verbatim', {context: 'https://github.com/octo/app.git#v1:docker'}, []],
    [
      'gha cache: no token or URL in the argv',
      {cacheFrom: ['type=gha'], cacheTo: ['type=gha,mode=max']},
      ['--cache-from', 'type=gha', '--cache-to', 'type=gha,mode=max']
    ]
  ])('%s', (_name, over, middle) => {
    const spec = {...SPEC, ...over};
    expect(buildxBuildArgs(spec, {builder: 'b', metadataFile: '/m.json'})).toEqual([
      'build',
      '--builder',
      'b',
      '--platform',
      'linux/amd64',
      '--metadata-file',
      '/m.json',
      ...middle,
      '--output',
      OUTPUT,
      spec.context
    ]);
  });
  const ACTIONS = {
    ACTIONS_CACHE_URL: 'https://cache.example/',
    ACTIONS_RESULTS_URL: 'https://results.example/',
    ACTIONS_RUNTIME_TOKEN: 'tok',
    ACTIONS_CACHE_SERVICE_V2: 'true',
    UNRELATED: 'x'
  };
  it.each([
    ['no gha cache: nothing added', {}, ACTIONS, {}],
    [
      'gha cache-from: every variable buildx reads',
      {cacheFrom: ['type=gha,scope=app']},
      ACTIONS,
      {
        ACTIONS_CACHE_URL: 'https://cache.example/',
        ACTIONS_RESULTS_URL: 'https://results.example/',
        ACTIONS_RUNTIME_TOKEN: 'tok',
        ACTIONS_CACHE_SERVICE_V2: 'true'
      }
    ],
    [
      'gha cache-to with only the v2 service',
      {cacheTo: ['type=gha,mode=max']},
      {ACTIONS_RESULTS_URL: 'https://results.example/', ACTIONS_RUNTIME_TOKEN: 'tok'},
      {ACTIONS_RESULTS_URL: 'https://results.example/', ACTIONS_RUNTIME_TOKEN: 'tok'}
    ],
    ['a registry cache needs none', {cacheTo: ['type=registry,ref=r/c']}, ACTIONS, {}]
  ])('%s', (_name, over, env, want) => {
    expect(buildxEnv({...SPEC, ...over}, env)).toEqual(want);
  });
});

function plan(inputs: Record<string, string>, vars: Record<string, string> = {}, repoPrivate?: boolean) {
  const {ctx, repo} = runContext('ip_push_main');
  return planRun(
    inputsFrom({images: 'r.example/app', ...inputs}),
    {ctx, repo, now: FIXED_DATE, created: FIXED_DATE, switches: {}, runnerTemp: '/tmp', vars, actor: 'me', repoPrivate},
    'linux/amd64'
  ).plan;
}

describe('plan', () => {
  it.each([
    [undefined, `type=provenance,mode=max,builder-id=${URL}`],
    [false, `type=provenance,mode=max,builder-id=${URL}`],
    [true, `type=provenance,mode=min,inline-only=true,builder-id=${URL}`]
  ])('repository private %s → %s', (priv, want) => {
    expect(plan({}, RUN, priv).build.provenance).toBe(want);
  });
  it('an explicit provenance gets the builder id', () => {
    expect(plan({provenance: 'mode=max', sbom: 'true'}, RUN).build).toMatchObject({
      provenance: `type=provenance,mode=max,builder-id=${URL}`,
      sbom: 'type=sbom,disabled=false'
    });
  });
  it.each([
    [
      {engine: 'buildah', context: 'https://github.com/octo/app.git#main'},
      {},
      'Input "context": "https://github.com/octo/app.git#main" is a remote (git or URL) context; engine: buildah builds a local directory only'
    ],
    [
      {engine: 'podman', context: 'git@github.com:octo/app.git'},
      {},
      'Input "context": "git@github.com:octo/app.git" is a remote (git or URL) context; engine: podman'
    ],
    [
      {engine: 'buildah', 'cache-to': 'type=gha,mode=max'},
      {},
      'Input "cache-to": type=gha is buildx\'s GitHub Actions cache; engine: buildah caches to a registry repository'
    ],
    [
      {'cache-from': 'type=gha'},
      {},
      'Input "cache-from": type=gha needs ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL'
    ],
    [
      {outputs: 'type=local,dest=out'},
      {},
      'Input "outputs": image-publish pushes by digest to the repositories in "images" and tags them after its checks; exporters (type=local,dest=out) are not supported'
    ],
    [
      {annotations: 'manifest:org.opencontainers.image.title=x'},
      {},
      'Input "annotations": "manifest:org.opencontainers.image.title=x" carries a level prefix; give key=value lines'
    ],
    [
      {annotations: 'index,manifest-descriptor[linux/amd64]:a=b'},
      {},
      'Input "annotations": "index,manifest-descriptor[linux/amd64]:a=b" carries a level prefix'
    ]
  ])('refuses %j', (inputs, vars, message) => {
    expect(() => plan(inputs, vars)).toThrow(message);
  });
  it.each([
    [{context: 'https://github.com/octo/app.git#main'}, {}],
    [
      {'cache-from': 'type=gha', 'cache-to': 'type=gha,mode=max'},
      {ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'u'}
    ],
    [{annotations: 'com.example.team=core'}, {}]
  ])('accepts %j with buildx', (inputs, vars) => {
    expect(plan(inputs, vars).build.engine).toBe('buildx');
  });
  it('hands a git context to buildx verbatim', () => {
    expect(plan({context: 'https://github.com/octo/app.git#v1:docker'}).build.context).toBe(
      'https://github.com/octo/app.git#v1:docker'
    );
  });
});

describe('repository visibility', () => {
  it.each([
    [{private: true}, true],
    [{private: false, visibility: 'private'}, false],
    [{visibility: 'internal'}, true],
    [{visibility: 'public'}, false],
    [{name: 'x'}, undefined],
    [undefined, undefined]
  ])('%j → %s', (repository, want) => {
    expect(privateFrom(repository)).toBe(want);
  });
});
