// Issue 13's closing check: workflows converted from the docker/* chain (setup-qemu, setup-buildx,
// login, metadata-action, build-push-action → one image-publish step, with only the changes the
// migration guide lists; the original is the comment header of each fixture, the changes are listed
// in __tests__/fixtures/converted/README.md) run through act for the events each original reacts to,
// and give exactly the tags metadata-action gives the original (worked out from metadata-action's
// rules, per event, in each test).
import {describe, expect, it} from '@jest/globals';
import path from 'node:path';
import {FIXTURES} from '../helpers/fixtures.js';
import {act, type ExampleRepo, exampleRepo, outcome} from './examples-harness.js';
import {type Bed, loadBed, registryDigest, runResult, tagsOf, uniqueTag} from './bed.js';
import {artifactServer} from './artifact-server.js';

const OK = {status: 0, errors: []};
const TWENTY_MINUTES = 1_200_000;

const converted = (name: string): string => path.join(FIXTURES, 'converted', `${name}.yml`);
const dockerfile = ['ARG BASE=127.0.0.1:5000/bed/clean:1', 'FROM ${BASE}', 'COPY hello.txt /hello.txt', 'USER 1001'];

function repoFor(
  bed: Bed,
  name: string,
  owner: string,
  repo: string,
  hosts: [string, string][],
  lines = dockerfile,
  files: Record<string, string> = {Dockerfile: lines.join('\n') + '\n', 'hello.txt': `${name}\n`}
) {
  return exampleRepo(bed, name, {owner, name: repo, hosts, workflow: converted(name), files});
}

const ghcrTo = (bed: Bed, u: string): [string, string][] => [
  ['ghcr.io/', `${bed.devRegistry.host}/${u}/`],
  ['registry: ghcr.io', `registry: ${bed.devRegistry.host}`]
];

const labelOf = (bed: Bed, ref: string, label: string): string | undefined =>
  (
    JSON.parse(runResult(bed, 'regctl', ['image', 'config', ref]).stdout) as {
      config: {Labels?: Record<string, string>};
    }
  ).config.Labels?.[label];

const short = (r: ExampleRepo): string => r.sha.slice(0, 7);

describe('workflows converted from docker/* through act', () => {
  it(
    'multi-registry with a flavor suffix: the same tags in both registries, latest-alpine on a release',
    () => {
      const bed = loadBed();
      const u = uniqueTag();
      const ghcr = `${bed.devRegistry.host}/${u}/acme/app`;
      const quay = `${bed.prodRegistry.host}/${u}/acme/app`;
      const repo = repoFor(bed, 'multi-registry-suffix', 'acme', 'app', [
        ['ghcr.io/', `${bed.devRegistry.host}/${u}/`],
        ['quay.io/', `${bed.prodRegistry.host}/${u}/`],
        ['registry: ghcr.io', `registry: ${bed.devRegistry.host}`],
        ['registry: quay.io', `registry: ${bed.prodRegistry.host}`]
      ]);
      expect(outcome(act(bed, repo, 'push', 'refs/heads/main'))).toEqual(OK);
      expect([tagsOf(bed, ghcr), tagsOf(bed, quay)]).toEqual([['main-alpine'], ['main-alpine']]);
      expect(outcome(act(bed, repo, 'push', 'refs/tags/v1.2.3'))).toEqual(OK);
      const release = ['1.2-alpine', '1.2.3-alpine', 'latest-alpine', 'main-alpine'];
      expect([tagsOf(bed, ghcr), tagsOf(bed, quay)]).toEqual([release, release]);
      expect(registryDigest(bed, `${quay}:1.2.3-alpine`)).toBe(registryDigest(bed, `${ghcr}:1.2.3-alpine`));
    },
    TWENTY_MINUTES
  );

  it(
    'PEP 440 over a Python matrix: one prefixed tag set per Python version, the build arg applied',
    () => {
      const bed = loadBed();
      const u = uniqueTag();
      const image = `${bed.devRegistry.host}/${u}/acme/pytool`;
      const lines = [...dockerfile, 'ARG PYTHON_VERSION', 'LABEL python=${PYTHON_VERSION}'];
      const repo = repoFor(
        bed,
        'pep440-python-matrix',
        'acme',
        'pytool',
        [
          ['ghcr.io/', `${bed.devRegistry.host}/${u}/`],
          ['registry: ghcr.io', `registry: ${bed.devRegistry.host}`]
        ],
        lines
      );
      expect(outcome(act(bed, repo, 'push', 'refs/heads/main'))).toEqual(OK);
      expect(tagsOf(bed, image)).toEqual(['py3.11-main', 'py3.12-main']);
      expect(outcome(act(bed, repo, 'push', 'refs/tags/1.2.0'))).toEqual(OK);
      expect(tagsOf(bed, image)).toEqual([
        'py3.11-1.2',
        'py3.11-1.2.0',
        'py3.11-main',
        'py3.12-1.2',
        'py3.12-1.2.0',
        'py3.12-main'
      ]);
      expect([
        labelOf(bed, `${image}:py3.11-1.2.0`, 'python'),
        labelOf(bed, `${image}:py3.12-1.2.0`, 'python')
      ]).toEqual(['3.11', '3.12']);
    },
    TWENTY_MINUTES
  );

  it(
    'PR build with push: false: main and release tags pushed, a pull request builds and pushes nothing',
    () => {
      const bed = loadBed();
      const u = uniqueTag();
      const image = `${bed.devRegistry.host}/${u}/acme/web`;
      const repo = repoFor(bed, 'pr-build-no-push', 'acme', 'web', [
        ['ghcr.io/', `${bed.devRegistry.host}/${u}/`],
        ['registry: ghcr.io', `registry: ${bed.devRegistry.host}`]
      ]);
      expect(outcome(act(bed, repo, 'push', 'refs/heads/main'))).toEqual(OK);
      expect(tagsOf(bed, image)).toEqual(['main', `sha-${short(repo)}`]);
      expect(outcome(act(bed, repo, 'push', 'refs/tags/v2.0.0'))).toEqual(OK);
      const released = ['2.0.0', 'latest', 'main', `sha-${short(repo)}`];
      expect(tagsOf(bed, image)).toEqual(released);
      const pr = act(
        bed,
        repo,
        'pull_request',
        'refs/pull/7/merge',
        {},
        {
          payload: {
            number: 7,
            pull_request: {number: 7, head: {ref: 'feature', sha: repo.sha}, base: {ref: 'main', sha: repo.sha}}
          }
        }
      );
      expect(outcome(pr)).toEqual(OK);
      expect(pr.log).toMatch(/push: false — sha256:[0-9a-f]{64} built, not pushed; would tag: [^\n]*:pr-7/);
      expect(tagsOf(bed, image)).toEqual(released);
    },
    TWENTY_MINUTES
  );

  it(
    'manual release from a workflow_dispatch version input: main on a push, the release tags and latest on dispatch, no latest for a pre-release',
    () => {
      const bed = loadBed();
      const u = uniqueTag();
      const image = `${bed.devRegistry.host}/${u}/acme/web`;
      const repo = repoFor(bed, 'release-dispatch', 'acme', 'web', ghcrTo(bed, u));
      // A push has no inputs: value=v is no semver, so metadata-action warns and skips both rules.
      const push = act(bed, repo, 'push', 'refs/heads/main');
      expect(outcome(push)).toEqual(OK);
      expect(push.log).toContain('v is not a valid semver');
      expect(tagsOf(bed, image)).toEqual(['main']);
      expect(outcome(act(bed, repo, 'workflow_dispatch', 'refs/heads/main', {version: '1.4.0'}))).toEqual(OK);
      expect(tagsOf(bed, image)).toEqual(['1.4', '1.4.0', 'latest', 'main']);
      const release = registryDigest(bed, `${image}:1.4.0`);
      expect(registryDigest(bed, `${image}:latest`)).toBe(release);
      // A pre-release gets {{version}} only (both patterns give 2.0.0-rc.1) and leaves latest alone.
      expect(outcome(act(bed, repo, 'workflow_dispatch', 'refs/heads/main', {version: '2.0.0-rc.1'}))).toEqual(OK);
      expect(tagsOf(bed, image)).toEqual(['1.4', '1.4.0', '2.0.0-rc.1', 'latest', 'main']);
      expect(registryDigest(bed, `${image}:latest`)).toBe(release);
      expect(registryDigest(bed, `${image}:main`)).toBe(registryDigest(bed, `${image}:2.0.0-rc.1`));
    },
    TWENTY_MINUTES
  );

  it(
    'a matrix over services: one repository per service from its own Dockerfile and context, the title label from the matrix',
    () => {
      const bed = loadBed();
      const u = uniqueTag();
      const from = dockerfile.slice(0, 2);
      const repo = repoFor(bed, 'services-matrix', 'acme', 'mono', ghcrTo(bed, u), dockerfile, {
        'services/api/Dockerfile':
          [...from, 'COPY api.txt /api.txt', 'LABEL built.from=services/api/Dockerfile'].join('\n') + '\n',
        'services/api/api.txt': 'api\n',
        'docker/worker.Dockerfile':
          [...from, 'COPY services/worker/worker.txt /worker.txt', 'LABEL built.from=docker/worker.Dockerfile'].join(
            '\n'
          ) + '\n',
        'services/worker/worker.txt': 'worker\n'
      });
      const image = (s: string): string => `${bed.devRegistry.host}/${u}/acme/mono/${s}`;
      expect(outcome(act(bed, repo, 'push', 'refs/heads/main'))).toEqual(OK);
      const onMain = ['main', `sha-${short(repo)}`];
      expect([tagsOf(bed, image('api')), tagsOf(bed, image('worker'))]).toEqual([onMain, onMain]);
      expect(outcome(act(bed, repo, 'push', 'refs/tags/v1.0.0'))).toEqual(OK);
      const released = ['1.0', '1.0.0', 'latest', 'main', `sha-${short(repo)}`];
      expect([tagsOf(bed, image('api')), tagsOf(bed, image('worker'))]).toEqual([released, released]);
      expect(
        ['api', 'worker'].map(s => [
          labelOf(bed, `${image(s)}:1.0.0`, 'built.from'),
          labelOf(bed, `${image(s)}:1.0.0`, 'org.opencontainers.image.title'),
          labelOf(bed, `${image(s)}:1.0.0`, 'org.opencontainers.image.version')
        ])
      ).toEqual([
        ['services/api/Dockerfile', 'api', '1.0.0'],
        ['docker/worker.Dockerfile', 'worker', '1.0.0']
      ]);
    },
    TWENTY_MINUTES
  );

  it(
    "docker's multi-platform guide (push by digest per platform, merge by artifact): one index of both recorded digests, the merge job's tags",
    async () => {
      const bed = loadBed();
      const u = uniqueTag();
      const image = `${bed.devRegistry.host}/${u}/acme/app`;
      // The bed's docker CLI has no buildx plugin: the inspect step calls the bed's buildx itself.
      const repo = repoFor(bed, 'distributed-by-digest', 'acme', 'app', [
        ...ghcrTo(bed, u),
        ['docker buildx imagetools', 'buildx imagetools']
      ]);
      const server = await artifactServer();
      let r;
      try {
        r = act(bed, repo, 'push', 'refs/tags/v1.2.3', {}, {args: server.args, env: server.env});
      } finally {
        server.stop();
      }
      expect(outcome(r)).toEqual(OK);
      const recorded = [...r.log.matchAll(/recorded (sha256:[0-9a-f]{64}) \((linux\/[a-z0-9]+)\) as artifact/g)];
      const pushed = Object.fromEntries(recorded.map(m => [m[2], m[1]]));
      expect(Object.keys(pushed).sort()).toEqual(['linux/amd64', 'linux/arm64']);
      const index = JSON.parse(
        runResult(bed, 'regctl', ['manifest', 'get', '--format', 'raw-body', `${image}:1.2.3`]).stdout
      ) as {manifests: {digest: string; platform: {architecture: string}}[]};
      expect(index.manifests.map(m => [m.platform.architecture, m.digest])).toEqual([
        ['amd64', pushed['linux/amd64']],
        ['arm64', pushed['linux/arm64']]
      ]);
      // type=semver on a tag push: {{version}}, {{major}}.{{minor}} and latest (flavor latest=auto).
      expect(tagsOf(bed, image)).toEqual(['1.2', '1.2.3', 'latest']);
      expect(registryDigest(bed, `${image}:latest`)).toBe(registryDigest(bed, `${image}:1.2.3`));
      // The original's inspect step reads the version output of the step with id meta: 1.2.3.
      expect(r.log).toContain(`Name:      ${image}:1.2.3`);
      expect(r.log).toMatch(new RegExp(`Digest: +${registryDigest(bed, `${image}:1.2.3`)}`));
    },
    TWENTY_MINUTES
  );
});
