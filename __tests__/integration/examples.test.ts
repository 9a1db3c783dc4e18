// Every example workflow of examples/workflows/ (one per seed document, plus the distributed
// build) runs end to end through act against the bed: real builds, pushes, scans, signatures and
// promotions, with the example's policy in .github/image-publish-policy.yml. See examples-harness.ts
// for the only things swapped out (offline checkout/SARIF upload, registry hosts, bed settings).
import {describe, expect, it} from '@jest/globals';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {ROOT} from '../helpers/fixtures.js';
import {act, actErrors, exampleRepo, tagsOf, type ExampleRepo} from './examples-harness.js';
import {type Bed, loadBed, registryDigest, run, runResult, uniqueTag} from './bed.js';

const DOCKERFILE = (uid: number, base = 'clean'): string =>
  [
    `ARG BASE=127.0.0.1:5000/bed/${base}:1`,
    'FROM ${BASE}',
    'ARG VERSION=dev',
    'COPY hello.txt /hello.txt',
    `USER ${uid}`
  ].join('\n') + '\n';

function repository(owner: string, name: string): Record<string, unknown> {
  return {
    name,
    full_name: `${owner}/${name}`,
    owner: {login: owner},
    description: `${name} (example)`,
    html_url: `https://github.com/${owner}/${name}`,
    default_branch: 'main',
    license: {spdx_id: 'Apache-2.0'}
  };
}

function remote(bed: Bed, repo: ExampleRepo, owner: string, name: string): void {
  run(bed, 'git', ['remote', 'add', 'origin', `https://github.com/${owner}/${name}.git`], {
    cwd: repo.dir,
    env: {HOME: repo.home}
  });
}

const succeeded = (r: {status: number; log: string}) => ({status: r.status, errors: actErrors(r.log)});
const verify = (bed: Bed, ref: string): number =>
  runResult(bed, 'cosign', ['verify', '--key', bed.cosign.pub, '--insecure-ignore-tlog', ref]).status;
const userOf = (bed: Bed, ref: string, platform: string): string =>
  (
    JSON.parse(runResult(bed, 'regctl', ['image', 'config', '--platform', platform, ref]).stdout) as {
      config: {User?: string};
    }
  ).config.User ?? '';

const TEN_MINUTES = 600_000;

describe('examples/workflows through act', () => {
  it('has one workflow and one policy per seed document, and the distributed build', () => {
    expect(readdirSync(path.join(ROOT, 'examples/workflows')).sort()).toEqual([
      'adr-002-docker-podman.yml',
      'adr-003-quay.yml',
      'dd-registry-001.yml',
      'distributed-merge.yml',
      'ghcr-multi-service.yml',
      'kubernaut-standards.yml'
    ]);
    for (const f of readdirSync(path.join(ROOT, 'examples/workflows')).filter(f => f !== 'distributed-merge.yml')) {
      expect(readFileSync(path.join(ROOT, 'examples/policies', f), 'utf8')).toMatch(/^version: 1$/m);
    }
  });

  it(
    'ADR-003 (Quay): a v0.7.1 tag gives v0.7.1, latest and per-arch tags, signed',
    () => {
      const bed = loadBed();
      const ns = `127.0.0.1:5443/takinosh-${uniqueTag()}`;
      const image = `${ns}/mcp-server-qdrant`;
      const repo = exampleRepo(
        bed,
        'adr-003-quay',
        [
          ['quay.io/takinosh', ns],
          ['registry: quay.io', `registry: ${bed.prodRegistry.host}`]
        ],
        {Dockerfile: DOCKERFILE(1001), 'hello.txt': 'mcp-server-qdrant\n'}
      );
      remote(bed, repo, 'takinosh', 'mcp-server-qdrant');
      const r = act(
        bed,
        repo,
        'adr-003-quay',
        'push',
        {ref: 'refs/tags/v0.7.1', repository: repository('takinosh', 'mcp-server-qdrant')},
        {tag: 'v0.7.1'}
      );
      expect(succeeded(r)).toEqual({status: 0, errors: []});
      expect(tagsOf(bed, image)).toEqual(['latest', 'v0.7.1', 'v0.7.1-amd64', 'v0.7.1-arm64']);
      expect(verify(bed, `${image}@${registryDigest(bed, `${image}:v0.7.1`)}`)).toBe(0);
      expect(r.log).toContain(`Verify with: cosign verify`);
    },
    TEN_MINUTES
  );

  it(
    'ADR-002 (Docker + Podman): both runtimes publish, both images run as UID 1000',
    () => {
      const bed = loadBed();
      const ns = `127.0.0.1:5443/takinosh-${uniqueTag()}`;
      const image = `${ns}/mcp-server-qdrant`;
      const repo = exampleRepo(
        bed,
        'adr-002-docker-podman',
        [
          ['quay.io/takinosh', ns],
          ['registry: quay.io', `registry: ${bed.prodRegistry.host}`]
        ],
        {Dockerfile: DOCKERFILE(1000), Containerfile: DOCKERFILE(1000), 'hello.txt': 'both runtimes\n'}
      );
      remote(bed, repo, 'takinosh', 'mcp-server-qdrant');
      const r = act(
        bed,
        repo,
        'adr-002-docker-podman',
        'push',
        {ref: 'refs/tags/v0.7.1', repository: repository('takinosh', 'mcp-server-qdrant')},
        {tag: 'v0.7.1'}
      );
      expect(succeeded(r)).toEqual({status: 0, errors: []});
      expect(tagsOf(bed, image)).toEqual(['v0.7.1', 'v0.7.1-podman']);
      for (const tag of ['v0.7.1', 'v0.7.1-podman']) {
        for (const p of ['linux/amd64', 'linux/arm64']) expect(userOf(bed, `${image}:${tag}`, p)).toBe('1000');
      }
    },
    TEN_MINUTES
  );

  it(
    'GHCR guide: four services as a matrix, semver + SHA tags, SARIF handed to upload-sarif',
    () => {
      const bed = loadBed();
      const u = uniqueTag();
      const services = ['edge-mcp', 'rest-api', 'worker', 'mockserver'];
      const files: Record<string, string> = {'hello.txt': 'developer mesh\n'};
      for (const s of services) files[`apps/${s}/Dockerfile`] = DOCKERFILE(1001);
      const repo = exampleRepo(bed, 'ghcr-multi-service', [['ghcr.io/', `${bed.devRegistry.host}/${u}/`]], files);
      remote(bed, repo, 's-corkum', 'developer-mesh');
      const r = act(
        bed,
        repo,
        'ghcr-multi-service',
        'push',
        {ref: 'refs/tags/v1.2.3', repository: repository('s-corkum', 'developer-mesh')},
        {tag: 'v1.2.3'}
      );
      expect(succeeded(r)).toEqual({status: 0, errors: []});
      const sha7 = repo.sha.slice(0, 7);
      for (const s of services) {
        const image = `${bed.devRegistry.host}/${u}/s-corkum/developer-mesh-${s}`;
        expect(tagsOf(bed, image)).toEqual(['1', '1.2', '1.2.3', sha7, 'latest', 'v1.2.3'].sort());
        expect(verify(bed, `${image}@${registryDigest(bed, `${image}:v1.2.3`)}`)).toBe(0);
      }
      expect(readdirSync(repo.out).sort()).toEqual(services.map(s => `sarif-developer-mesh-${s}.json`).sort());
    },
    TEN_MINUTES
  );

  it(
    'Kubernaut standards: podman, dev and main-<sha> on main, UID 1001 checked by the policy',
    () => {
      const bed = loadBed();
      const ns = `127.0.0.1:5443/jordigilh-${uniqueTag()}`;
      const services = ['gateway-service', 'alert-service'];
      const files: Record<string, string> = {'hello.txt': 'kubernaut\n'};
      for (const s of services) files[`podman/${s}.Dockerfile`] = DOCKERFILE(1001);
      const repo = exampleRepo(
        bed,
        'kubernaut-standards',
        [
          ['quay.io/jordigilh', ns],
          ['registry: quay.io', `registry: ${bed.prodRegistry.host}`]
        ],
        files
      );
      remote(bed, repo, 'jordigilh', 'kubernaut');
      const r = act(bed, repo, 'kubernaut-standards', 'push', {
        ref: 'refs/heads/main',
        repository: repository('jordigilh', 'kubernaut')
      });
      expect(succeeded(r)).toEqual({status: 0, errors: []});
      for (const s of services) {
        expect(tagsOf(bed, `${ns}/${s}`)).toEqual(['dev', `main-${repo.sha.slice(0, 7)}`]);
        expect(userOf(bed, `${ns}/${s}:dev`, 'linux/arm64')).toBe('1001');
      }
    },
    TEN_MINUTES
  );

  it(
    'DD-REGISTRY-001: dev build, then staging -rc1 and production promotions of the same digest',
    () => {
      const bed = loadBed();
      const u = uniqueTag();
      const dev = `127.0.0.1:5443/jordigilh-${u}/gateway`;
      const prod = `127.0.0.1:5443/kubernaut-${u}/gateway`;
      const repo = exampleRepo(
        bed,
        'dd-registry-001',
        [
          ['quay.io/jordigilh', `127.0.0.1:5443/jordigilh-${u}`],
          ['quay.io/kubernaut', `127.0.0.1:5443/kubernaut-${u}`],
          ['registry: quay.io', `registry: ${bed.prodRegistry.host}`]
        ],
        {Dockerfile: DOCKERFILE(1001), 'hello.txt': 'gateway\n'}
      );
      remote(bed, repo, 'jordigilh', 'kubernaut');
      const payload = {ref: 'refs/heads/main', repository: repository('jordigilh', 'kubernaut')};
      expect(succeeded(act(bed, repo, 'dd-registry-001', 'push', payload))).toEqual({status: 0, errors: []});
      const digest = registryDigest(bed, `${dev}:dev`);
      expect(tagsOf(bed, dev)).toEqual([repo.sha.slice(0, 7), 'dev'].sort());

      const dispatch = (stage: string) =>
        act(
          bed,
          repo,
          'dd-registry-001',
          'workflow_dispatch',
          {...payload, inputs: {stage, version: '1.0.0', rc: '1'}},
          {inputs: {stage, version: '1.0.0', rc: '1'}}
        );
      const staging = dispatch('staging');
      expect(succeeded(staging)).toEqual({status: 0, errors: []});
      expect(tagsOf(bed, prod)).toEqual(['v1.0.0-rc1']);
      expect(registryDigest(bed, `${prod}:v1.0.0-rc1`)).toBe(digest);
      expect(staging.log).toMatch(/"bytesUploaded":0/);

      const production = dispatch('production');
      expect(succeeded(production)).toEqual({status: 0, errors: []});
      expect(tagsOf(bed, prod)).toEqual(['v1.0.0', 'v1.0.0-rc1']);
      expect(registryDigest(bed, `${prod}:v1.0.0`)).toBe(digest);
      expect(verify(bed, `${prod}@${digest}`)).toBe(0);

      const rerun = dispatch('production');
      expect(succeeded(rerun)).toEqual({status: 0, errors: []});
      expect(rerun.log).toContain('already → ');
      expect(registryDigest(bed, `${prod}:v1.0.0`)).toBe(digest);
    },
    TEN_MINUTES * 2
  );

  it(
    'distributed build: two single-platform jobs, one merge job that tags the index',
    () => {
      const bed = loadBed();
      const u = uniqueTag();
      const repo = exampleRepo(bed, 'distributed-merge', [['ghcr.io/', `${bed.devRegistry.host}/${u}/`]], {
        Dockerfile: DOCKERFILE(1001),
        'hello.txt': 'distributed\n'
      });
      remote(bed, repo, 'acme', 'gateway');
      const r = act(
        bed,
        repo,
        'distributed-merge',
        'push',
        {ref: 'refs/tags/v1.0.0', repository: repository('acme', 'gateway')},
        {tag: 'v1.0.0'}
      );
      expect(succeeded(r)).toEqual({status: 0, errors: []});
      const image = `${bed.devRegistry.host}/${u}/acme/gateway`;
      expect(tagsOf(bed, image)).toEqual(['latest', 'v1.0.0', 'v1.0.0-amd64', 'v1.0.0-arm64']);
      const index = JSON.parse(
        runResult(bed, 'regctl', ['manifest', 'get', '--format', 'raw-body', `${image}:v1.0.0`]).stdout
      ) as {
        manifests: {platform: {architecture: string}}[];
      };
      expect(index.manifests.map(m => m.platform.architecture)).toEqual(['amd64', 'arm64']);
      expect(verify(bed, `${image}@${registryDigest(bed, `${image}:v1.0.0`)}`)).toBe(0);
    },
    TEN_MINUTES
  );
});
