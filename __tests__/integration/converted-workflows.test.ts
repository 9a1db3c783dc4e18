// Issue 13's closing check: workflows converted from the docker/* chain (setup-qemu, setup-buildx,
// login, metadata-action, build-push-action → one image-publish step, with only the changes the
// migration guide lists; the original is the comment header of each fixture) run through act for a
// branch push and a tag push, and give exactly the tags metadata-action gives the original.
import {describe, expect, it} from '@jest/globals';
import path from 'node:path';
import {FIXTURES} from '../helpers/fixtures.js';
import {act, type ExampleRepo, exampleRepo, outcome} from './examples-harness.js';
import {type Bed, loadBed, registryDigest, runResult, tagsOf, uniqueTag} from './bed.js';

const OK = {status: 0, errors: []};
const TWENTY_MINUTES = 1_200_000;

const converted = (name: string): string => path.join(FIXTURES, 'converted', `${name}.yml`);
const dockerfile = ['ARG BASE=127.0.0.1:5000/bed/clean:1', 'FROM ${BASE}', 'COPY hello.txt /hello.txt', 'USER 1001'];

function repoFor(bed: Bed, name: string, owner: string, repo: string, hosts: [string, string][], lines = dockerfile) {
  return exampleRepo(bed, name, {
    owner,
    name: repo,
    hosts,
    workflow: converted(name),
    files: {Dockerfile: lines.join('\n') + '\n', 'hello.txt': `${name}\n`}
  });
}

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
});
