// Every example workflow of examples/workflows/ (one per seed document, plus the distributed
// build) runs end to end through act against the bed: real builds, pushes, scans, signatures and
// promotions, with the example's policy in .github/image-publish-policy.yml. See examples-harness.ts
// for the only things swapped out (offline checkout/SARIF upload, registry hosts, bed settings).
import {describe, expect, it} from '@jest/globals';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {ROOT} from '../helpers/fixtures.js';
import {artifactServer} from './artifact-server.js';
import {act, exampleDockerfile as dockerfile, exampleRepo, outcome, quayHosts} from './examples-harness.js';
import {type Bed, loadBed, registryDigest, runResult, tagsOf, uniqueTag} from './bed.js';

const OK = {status: 0, errors: []};
const TEN_MINUTES = 600_000;

const verify = (bed: Bed, ref: string): number =>
  runResult(bed, 'cosign', ['verify', '--key', bed.cosign.pub, '--insecure-ignore-tlog', ref]).status;
/** cosign verify of the digest a tag points at, read from the registry. */
const verifyTag = (bed: Bed, image: string, tag: string): number =>
  verify(bed, `${image}@${registryDigest(bed, `${image}:${tag}`)}`);
const userOf = (bed: Bed, ref: string, platform: string): string =>
  (
    JSON.parse(runResult(bed, 'regctl', ['image', 'config', '--platform', platform, ref]).stdout) as {
      config: {User?: string};
    }
  ).config.User ?? '';
const platformsOf = (bed: Bed, ref: string): string[] =>
  (
    JSON.parse(runResult(bed, 'regctl', ['manifest', 'get', '--format', 'raw-body', ref]).stdout) as {
      manifests: {platform: {architecture: string}}[];
    }
  ).manifests.map(m => m.platform.architecture);

describe('examples/workflows through act', () => {
  it('has one workflow and one policy per seed document, and the distributed build', () => {
    const workflows = readdirSync(path.join(ROOT, 'examples/workflows')).sort();
    expect(workflows).toEqual([
      'adr-002-docker-podman.yml',
      'adr-003-quay.yml',
      'dd-registry-001.yml',
      'distributed-matrix.yml',
      'distributed-merge.yml',
      'environment-retag.yml',
      'ghcr-multi-service.yml',
      'kubernaut-standards.yml'
    ]);
    const noPolicy = ['distributed-matrix.yml', 'distributed-merge.yml', 'environment-retag.yml'];
    for (const f of workflows.filter(f => !noPolicy.includes(f))) {
      expect(readFileSync(path.join(ROOT, 'examples/policies', f), 'utf8')).toMatch(/^version: 1$/m);
    }
  });

  it(
    'ADR-003 (Quay): a v0.7.1 tag gives v0.7.1, latest and per-arch tags, signed',
    () => {
      const bed = loadBed();
      const ns = `${bed.prodRegistry.host}/takinosh-${uniqueTag()}`;
      const image = `${ns}/mcp-server-qdrant`;
      const repo = exampleRepo(bed, 'adr-003-quay', {
        owner: 'takinosh',
        name: 'mcp-server-qdrant',
        hosts: quayHosts(bed, 'takinosh', ns),
        files: {Dockerfile: dockerfile(1001), 'hello.txt': 'mcp-server-qdrant\n'}
      });
      const r = act(bed, repo, 'push', 'refs/tags/v0.7.1');
      expect(outcome(r)).toEqual(OK);
      expect(tagsOf(bed, image)).toEqual(['latest', 'v0.7.1', 'v0.7.1-amd64', 'v0.7.1-arm64']);
      expect(verifyTag(bed, image, 'v0.7.1')).toBe(0);
      // The workflow's last step prints the verify-command output of the action step.
      expect(r.log).toContain(`Verify with: cosign verify --key cosign.pub`);
    },
    TEN_MINUTES
  );

  it(
    'ADR-002 (Docker + Podman): both runtimes publish, both images run as UID 1000',
    () => {
      const bed = loadBed();
      const ns = `${bed.prodRegistry.host}/takinosh-${uniqueTag()}`;
      const image = `${ns}/mcp-server-qdrant`;
      const repo = exampleRepo(bed, 'adr-002-docker-podman', {
        owner: 'takinosh',
        name: 'mcp-server-qdrant',
        hosts: quayHosts(bed, 'takinosh', ns),
        files: {Dockerfile: dockerfile(1000), Containerfile: dockerfile(1000), 'hello.txt': 'both runtimes\n'}
      });
      expect(outcome(act(bed, repo, 'push', 'refs/tags/v0.7.1'))).toEqual(OK);
      // latest from the Docker leg only (ADR-003's latest for this repository).
      expect(tagsOf(bed, image)).toEqual(['latest', 'v0.7.1', 'v0.7.1-podman']);
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
      for (const s of services) files[`apps/${s}/Dockerfile`] = dockerfile(1001);
      const repo = exampleRepo(bed, 'ghcr-multi-service', {
        owner: 's-corkum',
        name: 'developer-mesh',
        hosts: [['ghcr.io/', `${bed.devRegistry.host}/${u}/`]],
        files
      });
      expect(outcome(act(bed, repo, 'push', 'refs/tags/v1.2.3'))).toEqual(OK);
      for (const s of services) {
        const image = `${bed.devRegistry.host}/${u}/s-corkum/developer-mesh-${s}`;
        expect(tagsOf(bed, image)).toEqual(['1', '1.2', '1.2.3', repo.sha.slice(0, 7), 'latest', 'v1.2.3'].sort());
        expect(verifyTag(bed, image, 'v1.2.3')).toBe(0);
      }
      expect(readdirSync(repo.out).sort()).toEqual(services.map(s => `sarif-developer-mesh-${s}.json`).sort());
    },
    TEN_MINUTES
  );

  it(
    'Kubernaut standards: podman, dev, main-latest and main-<sha> on main, UID 1001 checked by the policy',
    () => {
      const bed = loadBed();
      const ns = `${bed.prodRegistry.host}/jordigilh-${uniqueTag()}`;
      const services = ['gateway-service', 'alert-service'];
      const files: Record<string, string> = {'hello.txt': 'kubernaut\n'};
      for (const s of services) files[`podman/${s}.Dockerfile`] = dockerfile(1001);
      const repo = exampleRepo(bed, 'kubernaut-standards', {
        owner: 'jordigilh',
        name: 'kubernaut',
        hosts: quayHosts(bed, 'jordigilh', ns),
        files
      });
      expect(outcome(act(bed, repo, 'push', 'refs/heads/main'))).toEqual(OK);
      for (const s of services) {
        expect(tagsOf(bed, `${ns}/${s}`)).toEqual(['dev', `main-${repo.sha.slice(0, 7)}`, 'main-latest']);
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
      const devNs = `${bed.prodRegistry.host}/jordigilh-${u}`;
      const prodNs = `${bed.prodRegistry.host}/kubernaut-${u}`;
      const [dev, prod] = [`${devNs}/gateway`, `${prodNs}/gateway`];
      const repo = exampleRepo(bed, 'dd-registry-001', {
        owner: 'jordigilh',
        name: 'kubernaut',
        hosts: [...quayHosts(bed, 'jordigilh', devNs), ['quay.io/kubernaut', prodNs]],
        files: {Dockerfile: dockerfile(1001), 'hello.txt': 'gateway\n'}
      });
      expect(outcome(act(bed, repo, 'push', 'refs/heads/main'))).toEqual(OK);
      const digest = registryDigest(bed, `${dev}:dev`);
      expect(tagsOf(bed, dev)).toEqual([repo.sha.slice(0, 7), 'dev', 'latest'].sort());

      const dispatch = (stage: string) =>
        act(bed, repo, 'workflow_dispatch', 'refs/heads/main', {stage, version: '1.0.0', rc: '1'});
      const staging = dispatch('staging');
      expect(outcome(staging)).toEqual(OK);
      expect(tagsOf(bed, prod)).toEqual(['v1.0.0-rc1']);
      expect(registryDigest(bed, `${prod}:v1.0.0-rc1`)).toBe(digest);
      // The workflow echoes the promoted output: same registry, so every blob was mounted.
      expect(staging.log).toMatch(/"bytesUploaded":0,/);

      expect(outcome(dispatch('production'))).toEqual(OK);
      expect(tagsOf(bed, prod)).toEqual(['v1.0.0', 'v1.0.0-rc1']);
      expect(registryDigest(bed, `${prod}:v1.0.0`)).toBe(digest);
      expect(verify(bed, `${prod}@${digest}`)).toBe(0);

      const rerun = dispatch('production');
      expect(outcome(rerun)).toEqual(OK);
      expect(rerun.log).toContain(`${prod}:v1.0.0 already → ${digest} (immutable, unchanged)`);
    },
    TEN_MINUTES * 2
  );

  it(
    'distributed build: two single-platform jobs, one merge job that tags the index',
    () => {
      const bed = loadBed();
      const u = uniqueTag();
      const repo = exampleRepo(bed, 'distributed-merge', {
        owner: 'acme',
        name: 'gateway',
        hosts: [['ghcr.io/', `${bed.devRegistry.host}/${u}/`]],
        files: {Dockerfile: dockerfile(1001), 'hello.txt': 'distributed\n'}
      });
      expect(outcome(act(bed, repo, 'push', 'refs/tags/v1.0.0'))).toEqual(OK);
      const image = `${bed.devRegistry.host}/${u}/acme/gateway`;
      expect(tagsOf(bed, image)).toEqual(['latest', 'v1.0.0', 'v1.0.0-amd64', 'v1.0.0-arm64']);
      expect(platformsOf(bed, `${image}:v1.0.0`)).toEqual(['amd64', 'arm64']);
      expect(verifyTag(bed, image, 'v1.0.0')).toBe(0);
    },
    TEN_MINUTES
  );

  it(
    'distributed matrix: a matrix of mode: build jobs hands its digests to the merge job by artifact',
    async () => {
      const bed = loadBed();
      const u = uniqueTag();
      const repo = exampleRepo(bed, 'distributed-matrix', {
        owner: 'acme',
        name: 'matrix',
        hosts: [['ghcr.io/', `${bed.devRegistry.host}/${u}/`]],
        files: {Dockerfile: dockerfile(1001), 'hello.txt': 'distributed matrix\n'}
      });
      const server = await artifactServer();
      let r;
      try {
        r = act(bed, repo, 'push', 'refs/tags/v1.0.0', {}, {args: server.args, env: server.env});
      } finally {
        server.stop();
      }
      expect(outcome(r)).toEqual(OK);
      expect(r.log).not.toContain('could not record the digest');
      const image = `${bed.devRegistry.host}/${u}/acme/matrix`;
      // What each build job pushed, as it logged when recording its artifact.
      const recorded = [...r.log.matchAll(/recorded (sha256:[0-9a-f]{64}) \((linux\/[a-z0-9]+)\) as artifact/g)];
      const pushed = Object.fromEntries(recorded.map(m => [m[2], m[1]]));
      expect(Object.keys(pushed).sort()).toEqual(['linux/amd64', 'linux/arm64']);
      const index = JSON.parse(
        runResult(bed, 'regctl', ['manifest', 'get', '--format', 'raw-body', `${image}:v1.0.0`]).stdout
      ) as {manifests: {digest: string; platform: {architecture: string}}[]};
      expect(index.manifests.map(m => [m.platform.architecture, m.digest])).toEqual([
        ['amd64', pushed['linux/amd64']],
        ['arm64', pushed['linux/arm64']]
      ]);
      expect(tagsOf(bed, image)).toEqual(['latest', 'v1.0.0']);
      expect(registryDigest(bed, `${image}:latest`)).toBe(registryDigest(bed, `${image}:v1.0.0`));
    },
    TEN_MINUTES
  );
});
