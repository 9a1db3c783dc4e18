// "Every event, every document" (issue 11): for each of the five strategy documents, its example
// workflow gets every event the document names, one after the other against one repository, and
// after each event the test reads back the exact tag list, the digests the document implies are
// equal, and "nothing pushed" where the document says so.
//
// How: examples.test.ts already runs every example workflow through act for ONE event (act costs
// 20–60 s of process start-up and runner emulation per event on this 2-core machine; the whole
// event matrix through act would add ~25 minutes to CI). Here the workflow is instead EVALUATED for
// each event (examples-events-harness.ts: trigger filters, job `if:`, matrix, the step's `with:`
// expressions, action.yml defaults) and dist/index.js runs directly with the inputs the workflow
// itself computes and the event fixture pair __tests__/fixtures/events/ex_*.env + .json, against
// the bed registries. An event the workflow does not trigger on asserts "no step runs, nothing
// pushed". Matrix jobs run one entry per document (the other entries are the same step with
// another service name, and run through act in examples.test.ts), except ADR-002 whose two entries
// are the two runtimes.
// Statement → test map: examples/STATEMENTS.md (checked by __tests__/unit/statements-table.test.ts).
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {readFileSync} from 'node:fs';
import {FIXED_DATE} from '../helpers/fixtures.js';
import {exampleDockerfile, exampleRepo, quayHosts, type ExampleRepo} from './examples-harness.js';
import {fire, outcomes} from './examples-events-harness.js';
import {type Bed, loadBed, registryDigest, run, runResult, tagsOf, uniqueTag} from './bed.js';

const MIN = 60_000;
const ok = (n: number) => Array.from({length: n}, () => ({code: 0, errors: []}));

interface Config {
  User?: string;
  Env?: string[];
  Labels?: Record<string, string>;
  ExposedPorts?: Record<string, unknown>;
  Entrypoint?: string[];
}
const configOf = (bed: Bed, ref: string, platform = 'linux/amd64'): Config =>
  (JSON.parse(runResult(bed, 'regctl', ['image', 'config', '--platform', platform, ref]).stdout) as {config: Config})
    .config;
/** The platform manifests of an index: architecture → digest. */
const platformDigests = (bed: Bed, ref: string): Record<string, string> =>
  Object.fromEntries(
    (
      JSON.parse(runResult(bed, 'regctl', ['manifest', 'get', '--format', 'raw-body', ref]).stdout) as {
        manifests: {digest: string; platform: {architecture: string}}[];
      }
    ).manifests
      .filter(m => m.platform.architecture !== 'unknown')
      .map(m => [m.platform.architecture, m.digest])
  );
const verifies = (bed: Bed, image: string, digest: string): boolean =>
  runResult(bed, 'cosign', ['verify', '--key', bed.cosign.pub, '--insecure-ignore-tlog', `${image}@${digest}`])
    .status === 0;
const yyyymmdd = FIXED_DATE.toISOString().slice(0, 10).replace(/-/g, '');

// The documents' Dockerfile shapes on the bed's base images (base image as a build argument).

/** ADR-002: build stage, runtime stage, `useradd -m -u 1000 mcp` (as a passwd line: busybox has no useradd), USER mcp, EXPOSE, ENTRYPOINT. */
function adr002Dockerfile(bed: Bed): string {
  return (
    [
      `ARG BASE=${bed.images.busybox.ref}`,
      '# Build stage',
      'FROM ${BASE} AS builder',
      'WORKDIR /app',
      'COPY hello.txt src/hello.txt',
      'RUN cp src/hello.txt /app/server.txt',
      '# Runtime stage',
      'FROM ${BASE}',
      'WORKDIR /app',
      'COPY --from=builder /app/server.txt .',
      '# Non-root user setup',
      "RUN mkdir -p /etc /home/mcp && echo 'root:x:0:0:root:/root:/bin/sh' > /etc/passwd && echo 'mcp:x:1000:1000::/home/mcp:/bin/sh' >> /etc/passwd",
      'USER mcp',
      'EXPOSE 8000',
      'ENTRYPOINT ["/bin/cat", "/app/server.txt"]'
    ].join('\n') + '\n'
  );
}

/** The GHCR guide: VERSION, COMMIT_SHA, BUILD_DATE build args "embedded in the binary" (here: the image environment). */
function ghcrDockerfile(bed: Bed): string {
  return (
    [
      `ARG BASE=${bed.images.clean.ref}`,
      'FROM ${BASE}',
      'ARG VERSION=dev',
      'ARG COMMIT_SHA=unknown',
      'ARG BUILD_DATE',
      'ENV APP_VERSION=${VERSION} APP_COMMIT_SHA=${COMMIT_SHA} APP_BUILD_DATE=${BUILD_DATE}',
      'COPY hello.txt /hello.txt',
      'USER 1001'
    ].join('\n') + '\n'
  );
}

/** Kubernaut: podman/<service>.Dockerfile, a build stage and a minimal runtime stage, UID 1001. */
function kubernautDockerfile(bed: Bed): string {
  return (
    [
      `ARG BASE=${bed.images.clean.ref}`,
      'FROM ${BASE} AS build',
      'COPY hello.txt /src/service.txt',
      'FROM ${BASE}',
      'COPY --from=build /src/service.txt /service.txt',
      'USER 1001'
    ].join('\n') + '\n'
  );
}

describe('ADR-003 (Quay): every event of the document', () => {
  let bed: Bed;
  let repo: ExampleRepo;
  let image: string;
  beforeAll(() => {
    bed = loadBed();
    const ns = `${bed.prodRegistry.host}/takinosh-ev-${uniqueTag()}`;
    image = `${ns}/mcp-server-qdrant`;
    repo = exampleRepo(bed, 'adr-003-quay', {
      owner: 'takinosh',
      name: 'mcp-server-qdrant',
      hosts: quayHosts(bed, 'takinosh', ns),
      files: {Dockerfile: exampleDockerfile(1000), 'hello.txt': 'mcp-server-qdrant\n'}
    });
  });
  const archTagsPointAtPlatforms = (tag: string): void => {
    const p = platformDigests(bed, `${image}:${tag}`);
    expect(Object.keys(p)).toEqual(['amd64', 'arm64']);
    expect(registryDigest(bed, `${image}:${tag}-amd64`)).toBe(p.amd64);
    expect(registryDigest(bed, `${image}:${tag}-arm64`)).toBe(p.arm64);
  };

  it(
    'push to main: edge and edge-amd64/-arm64 at their platform manifests, signed',
    async () => {
      expect(outcomes(await fire(bed, repo, 'ex_push_main'))).toEqual(ok(1));
      expect(tagsOf(bed, image)).toEqual(['edge', 'edge-amd64', 'edge-arm64']);
      archTagsPointAtPlatforms('edge');
      expect(verifies(bed, image, registryDigest(bed, `${image}:edge`))).toBe(true);
    },
    5 * MIN
  );

  it('feature branch, pull request, schedule and release do not run the workflow: nothing pushed', async () => {
    for (const fx of ['ex_push_feature', 'ex_pull_request', 'ex_schedule', 'ex_release']) {
      expect((await fire(bed, repo, fx)).results).toEqual([]);
    }
    expect(tagsOf(bed, image)).toEqual(['edge', 'edge-amd64', 'edge-arm64']);
  });

  it(
    'semver tag v1.2.3: v1.2.3, latest at the same digest, v1.2.3-amd64/-arm64 at its platform manifests',
    async () => {
      expect(outcomes(await fire(bed, repo, 'ex_tag_semver'))).toEqual(ok(1));
      expect(tagsOf(bed, image)).toEqual(
        ['edge', 'edge-amd64', 'edge-arm64', 'latest', 'v1.2.3', 'v1.2.3-amd64', 'v1.2.3-arm64'].sort()
      );
      expect(registryDigest(bed, `${image}:latest`)).toBe(registryDigest(bed, `${image}:v1.2.3`));
      archTagsPointAtPlatforms('v1.2.3');
      expect(verifies(bed, image, registryDigest(bed, `${image}:v1.2.3`))).toBe(true);
    },
    5 * MIN
  );

  it(
    'pre-release tag v1.3.0-rc1 succeeds; latest stays on the final release',
    async () => {
      const before = registryDigest(bed, `${image}:latest`);
      expect(outcomes(await fire(bed, repo, 'ex_tag_prerelease'))).toEqual(ok(1));
      expect(tagsOf(bed, image)).toEqual(
        [
          'edge',
          'edge-amd64',
          'edge-arm64',
          'latest',
          'v1.2.3',
          'v1.2.3-amd64',
          'v1.2.3-arm64',
          'v1.3.0-rc1',
          'v1.3.0-rc1-amd64',
          'v1.3.0-rc1-arm64'
        ].sort()
      );
      expect(registryDigest(bed, `${image}:latest`)).toBe(before);
      archTagsPointAtPlatforms('v1.3.0-rc1');
    },
    5 * MIN
  );

  it(
    'workflow_dispatch with version 1.1.9 (an older line): v1.1.9 and its arch tags, latest stays on v1.2.3',
    async () => {
      const latest = registryDigest(bed, `${image}:v1.2.3`);
      expect(outcomes(await fire(bed, repo, 'ex_dispatch', {inputs: {version: '1.1.9'}}))).toEqual(ok(1));
      const tags = tagsOf(bed, image);
      expect(tags.filter(t => t.startsWith('v1.1.9'))).toEqual(['v1.1.9', 'v1.1.9-amd64', 'v1.1.9-arm64']);
      expect(tags.length).toBe(13);
      expect(registryDigest(bed, `${image}:latest`)).toBe(latest);
      archTagsPointAtPlatforms('v1.1.9');
    },
    5 * MIN
  );

  it(
    'workflow_dispatch without a version: edge again (the input says "empty: edge"), no release tag',
    async () => {
      const before = tagsOf(bed, image);
      const r = await fire(bed, repo, 'ex_dispatch');
      expect(outcomes(r)).toEqual(ok(1));
      expect(r.results[0].outputs['tag-names'].split(/[\n,]/).filter(Boolean)).toEqual(['edge']);
      expect(tagsOf(bed, image)).toEqual(before);
      archTagsPointAtPlatforms('edge');
    },
    5 * MIN
  );
});

describe('ADR-002 (Docker + Podman): multi-stage files, named user, both runtimes, one repository', () => {
  let bed: Bed;
  let repo: ExampleRepo;
  let image: string;
  beforeAll(() => {
    bed = loadBed();
    const ns = `${bed.prodRegistry.host}/takinosh-ev2-${uniqueTag()}`;
    image = `${ns}/mcp-server-qdrant`;
    const file = adr002Dockerfile(bed);
    repo = exampleRepo(bed, 'adr-002-docker-podman', {
      owner: 'takinosh',
      name: 'mcp-server-qdrant',
      hosts: quayHosts(bed, 'takinosh', ns),
      files: {Dockerfile: file, Containerfile: file, 'hello.txt': 'mcp\n'}
    });
  });

  it(
    'push to main: edge (buildx) and edge-podman (podman), USER mcp resolved to UID 1000 by the policy, EXPOSE and ENTRYPOINT kept',
    async () => {
      const r = await fire(bed, repo, 'ex_push_main');
      expect(outcomes(r)).toEqual(ok(2));
      expect(r.results.map(x => x.run.matrix.engine)).toEqual(['buildx', 'podman']);
      expect(tagsOf(bed, image)).toEqual(['edge', 'edge-podman']);
      for (const tag of ['edge', 'edge-podman']) {
        for (const p of ['linux/amd64', 'linux/arm64']) {
          const c = configOf(bed, `${image}:${tag}`, p);
          expect([c.User, Object.keys(c.ExposedPorts ?? {}), c.Entrypoint]).toEqual([
            'mcp',
            ['8000/tcp'],
            ['/bin/cat', '/app/server.txt']
          ]);
        }
        expect(Object.keys(platformDigests(bed, `${image}:${tag}`)).sort()).toEqual(['amd64', 'arm64']);
      }
      // The policy says which file and line gave the UID; the scan ran on both legs.
      for (const x of r.results) {
        expect(x.stdout).toContain('linux/arm64: user "mcp" → /etc/passwd line 2: mcp:x:1000:1000::/home/mcp:/bin/sh');
        expect(x.outputs['scan-verdict']).toBe('pass');
      }
    },
    10 * MIN
  );

  it('pull request, feature branch and dispatch do not run the workflow: nothing pushed', async () => {
    for (const fx of ['ex_pull_request', 'ex_push_feature', 'ex_dispatch']) {
      expect((await fire(bed, repo, fx)).results).toEqual([]);
    }
    expect(tagsOf(bed, image)).toEqual(['edge', 'edge-podman']);
  });

  it(
    'semver tag v1.2.3: v1.2.3 and latest (the Docker build, same digest) and v1.2.3-podman',
    async () => {
      expect(outcomes(await fire(bed, repo, 'ex_tag_semver'))).toEqual(ok(2));
      expect(tagsOf(bed, image)).toEqual(['edge', 'edge-podman', 'latest', 'v1.2.3', 'v1.2.3-podman']);
      expect(registryDigest(bed, `${image}:latest`)).toBe(registryDigest(bed, `${image}:v1.2.3`));
      expect(registryDigest(bed, `${image}:v1.2.3-podman`)).not.toBe(registryDigest(bed, `${image}:v1.2.3`));
      expect(configOf(bed, `${image}:v1.2.3-podman`, 'linux/arm64').User).toBe('mcp');
    },
    10 * MIN
  );
});

describe('GHCR guide: every event, one service of the matrix (edge-mcp)', () => {
  let bed: Bed;
  let repo: ExampleRepo;
  let image: string;
  let server: http.Server;
  const uploads: string[] = [];
  let port = 0;
  const edgeMcp = {matrix: (m: Record<string, unknown>) => m.service === 'edge-mcp'};
  beforeAll(async () => {
    bed = loadBed();
    const u = uniqueTag();
    image = `${bed.devRegistry.host}/${u}/s-corkum/developer-mesh-edge-mcp`;
    repo = exampleRepo(bed, 'ghcr-multi-service', {
      owner: 's-corkum',
      name: 'developer-mesh',
      hosts: [['ghcr.io/', `${bed.devRegistry.host}/${u}/`]],
      files: {'apps/edge-mcp/Dockerfile': ghcrDockerfile(bed), 'hello.txt': 'developer mesh\n'}
    });
    // The GitHub release API the release event uploads to (the only network edge faked here).
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'GET' && url.pathname.endsWith('/releases/99/assets')) {
        res.writeHead(200, {'content-type': 'application/json'}).end('[]');
      } else if (req.method === 'POST' && url.pathname.endsWith('/releases/99/assets')) {
        req.resume();
        req.on('end', () => {
          uploads.push(url.searchParams.get('name') ?? '');
          res.writeHead(201, {'content-type': 'application/json'}).end('{}');
        });
      } else res.writeHead(404).end('{}');
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server?.close();
  });
  const sha7 = () => repo.sha.slice(0, 7);
  const cache = () => image.replace(/developer-mesh-edge-mcp$/, 'developer-mesh-cache');

  it(
    'push to main: latest, main and the short SHA; OCI labels and VERSION/COMMIT_SHA/BUILD_DATE inside the image; SBOM; SARIF; registry cache',
    async () => {
      const r = await fire(bed, repo, 'ex_push_main', edgeMcp);
      expect(outcomes(r)).toEqual(ok(1));
      expect(tagsOf(bed, image)).toEqual([sha7(), 'latest', 'main'].sort());
      expect(registryDigest(bed, `${image}:latest`)).toBe(registryDigest(bed, `${image}:${sha7()}`));
      for (const p of ['linux/amd64', 'linux/arm64']) {
        const c = configOf(bed, `${image}:latest`, p);
        expect(c.Env?.filter(e => e.startsWith('APP_'))).toEqual([
          'APP_VERSION=main',
          `APP_COMMIT_SHA=${repo.sha}`,
          `APP_BUILD_DATE=${FIXED_DATE.toISOString()}`
        ]);
        expect(c.Labels?.['org.opencontainers.image.source']).toBe('https://github.com/s-corkum/developer-mesh');
        expect(c.Labels?.['org.opencontainers.image.revision']).toBe(repo.sha);
        expect(c.Labels?.['org.opencontainers.image.version']).toBe('main');
        expect(c.Labels?.['org.opencontainers.image.licenses']).toBe('Apache-2.0');
      }
      expect(readFileSync(r.results[0].outputs.sarif, 'utf8')).toContain('"version": "2.1.0"');
      // The registry build cache, in its own package.
      expect(tagsOf(bed, cache())).toEqual(['edge-mcp']);
      expect(Object.keys(JSON.parse(r.results[0].outputs.sboms) as object).sort()).toEqual([
        'linux/amd64',
        'linux/arm64'
      ]);
    },
    5 * MIN
  );

  it(
    'push to a release branch and to a feature branch: the branch names (release-1.2, feat-new-feature)',
    async () => {
      expect(outcomes(await fire(bed, repo, 'ex_push_release_branch', edgeMcp))).toEqual(ok(1));
      expect(outcomes(await fire(bed, repo, 'ex_push_feat', edgeMcp))).toEqual(ok(1));
      expect(tagsOf(bed, image)).toEqual([sha7(), 'feat-new-feature', 'latest', 'main', 'release-1.2'].sort());
      expect(configOf(bed, `${image}:release-1.2`).Env).toContain('APP_VERSION=release-1.2');
    },
    8 * MIN
  );

  it(
    'pull request: every platform built and scanned, pr-123 planned, nothing pushed',
    async () => {
      const before = tagsOf(bed, image);
      const cacheBefore = registryDigest(bed, `${cache()}:edge-mcp`);
      const r = await fire(bed, repo, 'ex_pull_request', edgeMcp);
      expect(outcomes(r)).toEqual(ok(1));
      expect(r.results[0].run.inputs.push).toBe('false');
      expect(r.results[0].outputs['tag-names'].split(/[\n,]/).filter(Boolean)).toContain('pr-123');
      expect(r.results[0].outputs['scan-verdict']).toBe('pass');
      expect(tagsOf(bed, image)).toEqual(before);
      expect(registryDigest(bed, `${cache()}:edge-mcp`)).toBe(cacheBefore);
    },
    5 * MIN
  );

  it(
    'semver tag v1.2.3: v1.2.3, 1.2.3, 1.2, 1, the short SHA, latest (the highest release), all one digest',
    async () => {
      expect(outcomes(await fire(bed, repo, 'ex_tag_semver', edgeMcp))).toEqual(ok(1));
      expect(tagsOf(bed, image)).toEqual(
        ['1', '1.2', '1.2.3', sha7(), 'feat-new-feature', 'latest', 'main', 'release-1.2', 'v1.2.3'].sort()
      );
      const d = registryDigest(bed, `${image}:v1.2.3`);
      for (const t of ['1', '1.2', '1.2.3', 'latest', sha7()]) expect(registryDigest(bed, `${image}:${t}`)).toBe(d);
      // "Version: The git tag or branch name".
      expect(configOf(bed, `${image}:v1.2.3`).Env).toContain('APP_VERSION=v1.2.3');
    },
    5 * MIN
  );

  it(
    'release event for v1.2.3: SBOMs, reports and SARIF attached to the release, the version not published again',
    async () => {
      const digests = Object.fromEntries(tagsOf(bed, image).map(t => [t, registryDigest(bed, `${image}:${t}`)]));
      const r = await fire(bed, repo, 'ex_release', {
        ...edgeMcp,
        payload: {
          release: {
            id: 99,
            tag_name: 'v1.2.3',
            prerelease: false,
            upload_url: `http://127.0.0.1:${port}/uploads/repos/s-corkum/developer-mesh/releases/99/assets{?name,label}`
          }
        },
        env: {GITHUB_API_URL: `http://127.0.0.1:${port}`}
      });
      expect(outcomes(r)).toEqual(ok(1));
      expect(Object.fromEntries(tagsOf(bed, image).map(t => [t, registryDigest(bed, `${image}:${t}`)]))).toEqual(
        digests
      );
      expect(uploads.filter(n => /sbom/.test(n)).length).toBe(2);
      expect(uploads.some(n => n.endsWith('.sarif') || n.includes('sarif'))).toBe(true);
    },
    5 * MIN
  );

  it(
    'workflow_dispatch: a custom tag (hotfix-42), then a version (1.2.4, latest moves forward)',
    async () => {
      expect(outcomes(await fire(bed, repo, 'ex_dispatch', {...edgeMcp, inputs: {tag: 'hotfix-42'}}))).toEqual(ok(1));
      expect(tagsOf(bed, image)).toContain('hotfix-42');
      expect(outcomes(await fire(bed, repo, 'ex_dispatch', {...edgeMcp, inputs: {version: '1.2.4'}}))).toEqual(ok(1));
      const tags = tagsOf(bed, image);
      expect(tags.filter(t => /^v?\d/.test(t) && t !== sha7())).toEqual([
        '1',
        '1.2',
        '1.2.3',
        '1.2.4',
        'v1.2.3',
        'v1.2.4'
      ]);
      expect(registryDigest(bed, `${image}:latest`)).toBe(registryDigest(bed, `${image}:v1.2.4`));
      expect(registryDigest(bed, `${image}:1.2`)).toBe(registryDigest(bed, `${image}:v1.2.4`));
    },
    8 * MIN
  );

  it('schedule does not run the workflow', async () => {
    expect((await fire(bed, repo, 'ex_schedule', edgeMcp)).results).toEqual([]);
  });
});

describe('Kubernaut standards: every event, podman, one service (gateway-service), environment retags', () => {
  let bed: Bed;
  let repo: ExampleRepo;
  let ns: string;
  let image: string;
  const one = {matrix: (m: Record<string, unknown>) => m.service === 'gateway-service'};
  beforeAll(() => {
    bed = loadBed();
    ns = `${bed.prodRegistry.host}/jordigilh-ev-${uniqueTag()}`;
    image = `${ns}/gateway-service`;
    repo = exampleRepo(bed, 'kubernaut-standards', {
      owner: 'jordigilh',
      name: 'kubernaut',
      hosts: quayHosts(bed, 'jordigilh', ns),
      files: {'podman/gateway-service.Dockerfile': kubernautDockerfile(bed), 'hello.txt': 'kubernaut\n'}
    });
  });
  const sha7 = () => repo.sha.slice(0, 7);

  it(
    'push to main: dev, main-latest and main-<sha>, one digest, UID 1001',
    async () => {
      const r = await fire(bed, repo, 'ex_push_main', one);
      expect(outcomes(r)).toEqual(ok(1));
      expect(r.results[0].run.inputs.engine).toBe('podman');
      expect(tagsOf(bed, image)).toEqual(['dev', `main-${sha7()}`, 'main-latest']);
      const d = registryDigest(bed, `${image}:dev`);
      expect(registryDigest(bed, `${image}:main-latest`)).toBe(d);
      expect(registryDigest(bed, `${image}:main-${sha7()}`)).toBe(d);
      for (const p of ['linux/amd64', 'linux/arm64']) expect(configOf(bed, `${image}:dev`, p).User).toBe('1001');
    },
    8 * MIN
  );

  it(
    'pull request: pr-123 pushed; a feature branch push does not run the workflow',
    async () => {
      expect(outcomes(await fire(bed, repo, 'ex_pull_request', one))).toEqual(ok(1));
      expect((await fire(bed, repo, 'ex_push_feature', one)).results).toEqual([]);
      expect(tagsOf(bed, image)).toEqual(['dev', `main-${sha7()}`, 'main-latest', 'pr-123']);
    },
    8 * MIN
  );

  it(
    'semver tag v1.2.3: v1.2.3, v1.2, v1 and latest at one digest; development tags untouched',
    async () => {
      const dev = registryDigest(bed, `${image}:dev`);
      expect(outcomes(await fire(bed, repo, 'ex_tag_semver', one))).toEqual(ok(1));
      expect(tagsOf(bed, image)).toEqual(
        ['dev', 'latest', `main-${sha7()}`, 'main-latest', 'pr-123', 'v1', 'v1.2', 'v1.2.3'].sort()
      );
      const d = registryDigest(bed, `${image}:v1.2.3`);
      for (const t of ['v1.2', 'v1', 'latest']) expect(registryDigest(bed, `${image}:${t}`)).toBe(d);
      expect(registryDigest(bed, `${image}:dev`)).toBe(dev);
    },
    8 * MIN
  );

  it(
    'staging-v1.2.3 and prod-v1.2.3 by retag (environment-retag.yml): the digest of v1.2.3, nothing built',
    async () => {
      const retag = exampleRepo(bed, 'environment-retag', {
        owner: 'jordigilh',
        name: 'kubernaut',
        hosts: quayHosts(bed, 'jordigilh', ns),
        files: {}
      });
      const gateway = {matrix: (m: Record<string, unknown>) => m.service === 'gateway'};
      // environment-retag.yml names the services gateway/datastorage; v1.2.3 of gateway-service under that name.
      run(bed, 'regctl', ['image', 'copy', `${image}:v1.2.3`, `${ns}/gateway:v1.2.3`]);
      const released = registryDigest(bed, `${ns}/gateway:v1.2.3`);
      for (const environment of ['staging', 'prod']) {
        const r = await fire(bed, retag, 'ex_dispatch', {...gateway, inputs: {version: '1.2.3', environment}});
        expect(outcomes(r)).toEqual(ok(1));
        expect(r.results[0].stdout).not.toContain('Build and push');
      }
      expect(tagsOf(bed, `${ns}/gateway`)).toEqual(['prod-v1.2.3', 'staging-v1.2.3', 'v1.2.3']);
      for (const t of ['staging-v1.2.3', 'prod-v1.2.3'])
        expect(registryDigest(bed, `${ns}/gateway:${t}`)).toBe(released);
    },
    5 * MIN
  );

  it(
    'workflow_dispatch with version 1.3.0: v1.3.0, and v1.3, v1, latest move to it',
    async () => {
      expect(outcomes(await fire(bed, repo, 'ex_dispatch', {...one, inputs: {version: '1.3.0'}}))).toEqual(ok(1));
      const tags = tagsOf(bed, image);
      expect(tags.filter(t => t.startsWith('v'))).toEqual(['v1', 'v1.2', 'v1.2.3', 'v1.3', 'v1.3.0']);
      const d = registryDigest(bed, `${image}:v1.3.0`);
      for (const t of ['v1.3', 'v1', 'latest']) expect(registryDigest(bed, `${image}:${t}`)).toBe(d);
      expect(tags).not.toContain('dev-v1.3.0');
    },
    8 * MIN
  );
});

describe('DD-REGISTRY-001: development events, and what never reaches production', () => {
  let bed: Bed;
  let repo: ExampleRepo;
  let dev: string;
  let prod: string;
  beforeAll(() => {
    bed = loadBed();
    const u = uniqueTag();
    const devNs = `${bed.prodRegistry.host}/jordigilh-ev-${u}`;
    const prodNs = `${bed.prodRegistry.host}/kubernaut-ev-${u}`;
    [dev, prod] = [`${devNs}/gateway`, `${prodNs}/gateway`];
    repo = exampleRepo(bed, 'dd-registry-001', {
      owner: 'jordigilh',
      name: 'kubernaut',
      hosts: [...quayHosts(bed, 'jordigilh', devNs), ['quay.io/kubernaut', prodNs]],
      files: {Dockerfile: exampleDockerfile(1001), 'hello.txt': 'gateway\n'}
    });
  });
  const sha7 = () => repo.sha.slice(0, 7);

  it(
    'push to main: latest, dev and <sha> in the development registry, unsigned',
    async () => {
      expect(outcomes(await fire(bed, repo, 'ex_push_main'))).toEqual(ok(1));
      expect(tagsOf(bed, dev)).toEqual([sha7(), 'dev', 'latest'].sort());
      const d = registryDigest(bed, `${dev}:dev`);
      expect(registryDigest(bed, `${dev}:latest`)).toBe(d);
      expect(verifies(bed, dev, d)).toBe(false);
    },
    5 * MIN
  );

  it(
    'feature branch: feature-audit-v2; schedule: test-<date>; pull request: not run; the production registry untouched',
    async () => {
      const devDigest = registryDigest(bed, `${dev}:dev`);
      expect(outcomes(await fire(bed, repo, 'ex_push_feature'))).toEqual(ok(1));
      expect(outcomes(await fire(bed, repo, 'ex_schedule'))).toEqual(ok(1));
      expect((await fire(bed, repo, 'ex_pull_request')).results).toEqual([]);
      expect(tagsOf(bed, dev)).toEqual([sha7(), 'dev', 'feature-audit-v2', 'latest', `test-${yyyymmdd}`].sort());
      expect(registryDigest(bed, `${dev}:dev`)).toBe(devDigest);
      expect(tagsOf(bed, prod)).toEqual([]);
    },
    8 * MIN
  );

  it(
    'staging promotion of dev as v1.0.0-rc1, then production v1.0.0: one digest, signed by the promotion',
    async () => {
      const d = registryDigest(bed, `${dev}:dev`);
      const promote = (stage: string) => fire(bed, repo, 'ex_dispatch', {inputs: {stage, version: '1.0.0', rc: '1'}});
      expect(outcomes(await promote('staging'))).toEqual(ok(1));
      expect(outcomes(await promote('production'))).toEqual(ok(1));
      expect(tagsOf(bed, prod)).toEqual(['v1.0.0', 'v1.0.0-rc1']);
      expect(registryDigest(bed, `${prod}:v1.0.0`)).toBe(d);
      expect(registryDigest(bed, `${prod}:v1.0.0-rc1`)).toBe(d);
      expect(verifies(bed, prod, d)).toBe(true);
    },
    5 * MIN
  );

  it('forbidden tags (latest, dev, test-*, a SHA) in the production registry are refused before anything is pushed', async () => {
    for (const tag of ['latest', 'dev', `test-${yyyymmdd}`, sha7()]) {
      // The promote step of the workflow with its tag rule swapped for the forbidden tag.
      const r = await fire(bed, repo, 'ex_dispatch', {
        inputs: {stage: 'staging', version: '1.0.1', rc: '1'},
        with: {tags: `type=raw,value=${tag}`}
      });
      expect(r.results.map(x => x.code)).toEqual([1]);
      expect(r.results[0].errors.join('\n')).toContain(`forbids tag "${tag}"`);
    }
    expect(tagsOf(bed, prod)).toEqual(['v1.0.0', 'v1.0.0-rc1']);
  });

  it(
    'a vulnerable development image is refused at the staging promotion: no v1.1.0-rc1',
    async () => {
      // A development build from the vulnerable base, as a developer could push it (dev is mutable).
      run(bed, 'regctl', ['image', 'copy', bed.images.vulnerable.ref, `${dev}:dev`]);
      const r = await fire(bed, repo, 'ex_dispatch', {inputs: {stage: 'staging', version: '1.1.0', rc: '1'}});
      expect(r.results.map(x => x.code)).toEqual([1]);
      expect(r.results[0].errors.join('\n')).toMatch(/HIGH|high/);
      expect(tagsOf(bed, prod)).toEqual(['v1.0.0', 'v1.0.0-rc1']);
    },
    5 * MIN
  );
});
