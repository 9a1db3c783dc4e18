// Issue 5 through dist/index.js against the real bed: the scan gate is computed from Trivy's JSON
// per platform manifest of the pushed digest, a failed gate leaves no tag, a clean image is signed,
// its SBOMs attested and verified with cosign, and the SBOMs/reports reach the GitHub release.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import * as http from 'node:http';
import type {AddressInfo} from 'node:net';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {errorsOf, runDist, type DistRun} from '../helpers/run-dist.js';
import {parseTrivyReport} from '../../src/supply/trivy-report.js';
import {type Bed, loadBed, registryDigest, run as runTool, runResult, tagsOf, tempDir, uniqueTag} from './bed.js';
import {actionEnv, engineInputs} from './action-env.js';

const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const FIXTURE_FINDING = {id: 'CVE-2099-0001', pkg: 'fixture-pkg', installed: '1.0-1', fixed: '1.0-2', severity: 'HIGH'};

function context(bed: Bed, base: 'vulnerable' | 'clean'): string {
  const dir = tempDir('supply-ctx');
  writeFileSync(path.join(dir, 'hello.txt'), `hello from ${base}\n`);
  writeFileSync(
    path.join(dir, 'Dockerfile'),
    [`FROM ${bed.images[base].ref}`, 'COPY hello.txt /hello.txt', 'USER 1001'].join('\n') + '\n'
  );
  return dir;
}

function scanInputs(bed: Bed, image: string, ctx: string, extra: Record<string, string>): Record<string, string> {
  return {
    images: image,
    'tag-preset': 'semver-release',
    platforms: PLATFORMS.join(','),
    context: ctx,
    'insecure-registries': bed.devRegistry.host,
    'trivy-db-repository': bed.trivy.dbRepository,
    'trivy-cache-dir': path.join(tempDir('trivy-cache'), 'cache'),
    ...engineInputs(bed, 'buildx'),
    ...extra
  };
}

const findingsOf = (file: string) =>
  parseTrivyReport(readFileSync(file, 'utf8'), file).findings.map(f => ({
    id: f.id,
    pkg: f.pkg,
    installed: f.installed,
    fixed: f.fixed,
    severity: f.severity
  }));

describe('scan gate on the vulnerable fixture', () => {
  let bed: Bed;
  let failed: DistRun;
  let passed: DistRun;
  let failRepo: string;
  let passRepo: string;
  beforeAll(async () => {
    bed = loadBed();
    const ctx = context(bed, 'vulnerable');
    failRepo = `${bed.devRegistry.host}/it/gate-${uniqueTag()}`;
    passRepo = `${bed.devRegistry.host}/it/gate-ok-${uniqueTag()}`;
    failed = await runDist(actionEnv(bed, tempDir('runner')), scanInputs(bed, failRepo, ctx, {'max-high': '0'}));
    passed = await runDist(actionEnv(bed, tempDir('runner')), scanInputs(bed, passRepo, ctx, {'max-high': '1'}));
  }, 900_000);

  it('max-high: 0 fails with exactly the fixture advisory on each platform', () => {
    expect(failed.code).toBe(1);
    expect(errorsOf(failed.stdout)).toEqual([
      'the scan gate failed, nothing was tagged:\n' +
        '- linux/amd64: 1 HIGH (max 0): CVE-2099-0001\n' +
        '- linux/arm64: 1 HIGH (max 0): CVE-2099-0001'
    ]);
    expect(failed.outputs['scan-verdict']).toBe('fail');
    const zero = {CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0};
    expect(JSON.parse(failed.outputs['scan-counts'])).toEqual({
      'linux/amd64': {...zero, HIGH: 1},
      'linux/arm64': {...zero, HIGH: 1}
    });
    const reports = JSON.parse(failed.outputs['scan-reports']) as Record<string, string>;
    expect(Object.keys(reports).sort()).toEqual(PLATFORMS);
    for (const p of PLATFORMS) expect(findingsOf(reports[p])).toEqual([FIXTURE_FINDING]);
  });

  it('a failed gate leaves no tag behind, but the digest was pushed and is reported', () => {
    expect(tagsOf(bed, failRepo)).toEqual([]);
    expect(failed.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(failed.outputs.images).toBeUndefined();
  });

  it('the summary shows the counts and the top finding with its fixed version', () => {
    expect(failed.summary).toContain('### Scan gate: ❌ fail');
    expect(failed.summary).toContain('| linux/amd64 | 0 | 1 | 0 | 0 | 0 | 0 |');
    expect(failed.summary).toContain('| CVE-2099-0001 | fixture-pkg | 1.0-1 | 1.0-2 | HIGH |');
  });

  it('the SARIF file holds every finding of every platform', () => {
    const sarif = JSON.parse(readFileSync(failed.outputs.sarif, 'utf8')) as {
      version: string;
      runs: {results: {ruleId: string}[]}[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs.flatMap(r => r.results.map(x => x.ruleId))).toEqual(['CVE-2099-0001', 'CVE-2099-0001']);
  });

  it('the vulnerability DB is fetched once per run, not once per scan', () => {
    expect(failed.stdout.match(/--download-db-only/g)?.length).toBe(1);
  });

  it('the DB fetch ran beside the build; its command is printed in the scan group, before the scans', () => {
    const scanGroup = failed.stdout.slice(failed.stdout.indexOf('::group::Scan and SBOM'));
    const inGroup = scanGroup.slice(0, scanGroup.indexOf('::endgroup::'));
    expect(inGroup).toMatch(/^\[command\]\S*trivy image --download-db-only /m);
    expect(inGroup).toMatch(/^trivy: vulnerability DB fetched beside the build \(\d+\.\d s\)$/m);
    expect(inGroup.indexOf('--download-db-only')).toBeLessThan(inGroup.indexOf('--skip-db-update'));
  });

  it('max-high: 1 passes and tags', () => {
    expect({code: passed.code, errors: errorsOf(passed.stdout)}).toEqual({code: 0, errors: []});
    expect(passed.outputs['scan-verdict']).toBe('pass');
    expect(tagsOf(bed, passRepo)).toEqual(['v1.0.0', 'latest'].sort());
  });
});

describe('a clean image: scanned, signed, SBOMs attested, assets on the release', () => {
  let bed: Bed;
  let run: DistRun;
  let repo: string;
  let server: http.Server;
  const uploads: {name: string; bytes: number}[] = [];
  beforeAll(async () => {
    bed = loadBed();
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'GET' && url.pathname === '/repos/kubernaut/gateway/releases/99/assets') {
        res.writeHead(200, {'content-type': 'application/json'}).end('[]');
        return;
      }
      if (req.method === 'POST' && url.pathname === '/uploads/repos/kubernaut/gateway/releases/99/assets') {
        let n = 0;
        req.on('data', (d: Buffer) => (n += d.length));
        req.on('end', () => {
          uploads.push({name: url.searchParams.get('name') ?? '', bytes: n});
          res
            .writeHead(201, {'content-type': 'application/json'})
            .end(JSON.stringify({browser_download_url: `x/${url.searchParams.get('name')}`}));
        });
        return;
      }
      res.writeHead(404).end('{}');
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    const eventDir = tempDir('release-event');
    const payload = JSON.parse(readFileSync(path.join('__tests__/fixtures/events/ip_release.json'), 'utf8')) as {
      release: {upload_url: string};
    };
    payload.release.upload_url = `http://127.0.0.1:${port}/uploads/repos/kubernaut/gateway/releases/99/assets{?name,label}`;
    const eventPath = path.join(eventDir, 'event.json');
    writeFileSync(eventPath, JSON.stringify(payload));
    repo = `${bed.devRegistry.host}/it/signed-${uniqueTag()}`;
    run = await runDist(
      {
        ...actionEnv(bed, tempDir('runner'), 'ip_release'),
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_API_URL: `http://127.0.0.1:${port}`
      },
      scanInputs(bed, repo, context(bed, 'clean'), {
        'fail-on': 'high',
        'cosign-key': readFileSync(bed.cosign.key, 'utf8'),
        'cosign-password': bed.cosign.password,
        'tlog-upload': 'false',
        'release-assets': 'true',
        'github-token': 'test-token'
      })
    );
  }, 900_000);
  afterAll(() => {
    server?.close();
  });

  it('passes the gate with nothing found and the OS detected', () => {
    expect({code: run.code, errors: errorsOf(run.stdout)}).toEqual({code: 0, errors: []});
    expect(run.outputs['scan-verdict']).toBe('pass');
    const reports = JSON.parse(run.outputs['scan-reports']) as Record<string, string>;
    for (const p of PLATFORMS) {
      expect(findingsOf(reports[p])).toEqual([]);
      expect(parseTrivyReport(readFileSync(reports[p], 'utf8'), reports[p]).os).toMatch(/^debian/);
    }
  });

  it('is tagged, and the tag is the signed digest', () => {
    expect(tagsOf(bed, repo)).toEqual(['latest', 'v2.3.4']);
    expect(registryDigest(bed, `${repo}:v2.3.4`)).toBe(run.outputs.digest);
  });

  it('cosign verify and verify-attestation --type spdxjson succeed on the digest', () => {
    const digests = JSON.parse(run.outputs.digests) as {platforms: Record<string, string>};
    const verify = [
      '--key',
      bed.cosign.pub,
      '--insecure-ignore-tlog',
      '--allow-insecure-registry',
      '--allow-http-registry'
    ];
    // each verify exits 0 and names exactly the digest it was asked about
    const verifiedDigests = (args: string[]): string[] => {
      const r = runResult(bed, 'cosign', args);
      expect(`${r.status}\n${r.stderr}`).toMatch(/^0\n/);
      const lines = r.stdout.split('\n').filter(l => l.startsWith('{') || l.startsWith('['));
      return [
        ...new Set(
          lines
            .flatMap(l => [JSON.parse(l)].flat() as {critical?: {image?: Record<string, string>}; payload?: string}[])
            .map(x =>
              x.critical
                ? x.critical.image?.['docker-manifest-digest']
                : (
                    JSON.parse(Buffer.from(x.payload ?? '', 'base64').toString('utf8')) as {
                      subject: {digest: {sha256: string}}[];
                    }
                  ).subject.map(sub => `sha256:${sub.digest.sha256}`)[0]
            )
        )
      ];
    };
    expect(verifiedDigests(['verify', ...verify, `${repo}@${run.outputs.digest}`])).toEqual([run.outputs.digest]);
    for (const p of PLATFORMS) {
      const d = digests.platforms[p];
      expect(verifiedDigests(['verify', ...verify, `${repo}@${d}`])).toEqual([d]);
      expect(verifiedDigests(['verify-attestation', '--type', 'spdxjson', ...verify, `${repo}@${d}`])).toEqual([d]);
    }
    expect(run.outputs.signed.split('\n').sort()).toEqual(
      [run.outputs.digest, ...PLATFORMS.map(p => digests.platforms[p])].map(d => `${repo}@${d}`).sort()
    );
    expect(run.outputs['verify-command']).toContain(`${repo}@${run.outputs.digest}`);
  });

  it('distribution has no referrers API: one sha256- fallback index per subject, 1 referrer on the index, 2 per platform', () => {
    // The signs run one process per subject, each platform's attest right after its own sign: a
    // lost write would show here as a platform with one referrer.
    const digests = JSON.parse(run.outputs.digests) as {platforms: Record<string, string>};
    const subjects = [run.outputs.digest, ...PLATFORMS.map(p => digests.platforms[p])];
    const all = runTool(bed, 'regctl', ['tag', 'ls', repo]).split('\n').filter(Boolean);
    expect(all.filter(t => t.startsWith('sha256-')).sort()).toEqual(subjects.map(d => d.replace(':', '-')).sort());
    const referrers = (subject: string): string[] => {
      const index = JSON.parse(
        runTool(bed, 'regctl', ['manifest', 'get', `${repo}:${subject.replace(':', '-')}`, '--format', 'raw-body'])
      ) as {manifests: {digest: string; artifactType?: string}[]};
      return index.manifests.map(m => {
        const manifest = JSON.parse(
          runTool(bed, 'regctl', ['manifest', 'get', `${repo}@${m.digest}`, '--format', 'raw-body'])
        ) as {subject?: {digest: string}};
        expect(manifest.subject?.digest).toBe(subject);
        return m.artifactType ?? '';
      });
    };
    const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
    expect(referrers(run.outputs.digest)).toEqual([BUNDLE]);
    for (const p of PLATFORMS) expect(referrers(digests.platforms[p])).toEqual([BUNDLE, BUNDLE]);
  });

  it("the SPDX SBOM of each platform lists that platform's packages", () => {
    const sboms = JSON.parse(run.outputs.sboms) as Record<string, string>;
    expect(Object.keys(sboms).sort()).toEqual(PLATFORMS);
    for (const p of PLATFORMS) {
      const doc = JSON.parse(readFileSync(sboms[p], 'utf8')) as {
        spdxVersion: string;
        packages: {name: string; versionInfo?: string}[];
      };
      expect(doc.spdxVersion).toMatch(/^SPDX-2\./);
      expect(doc.packages.filter(x => x.name === 'fixture-pkg').map(x => x.versionInfo)).toEqual(['1.0-2']);
    }
  });

  it('neither the cosign password nor the key reaches the log, summary, outputs or state', () => {
    const keyLine = readFileSync(bed.cosign.key, 'utf8').split('\n')[1];
    // ::add-mask:: lines are how a secret is handed to the runner's masker: the only place it may appear.
    const log = run.stdout
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
      .join('\n');
    for (const text of [log, run.summary, JSON.stringify(run.outputs), JSON.stringify(run.state)]) {
      expect(text).not.toContain(bed.cosign.password);
      expect(text).not.toContain(keyLine);
    }
  });

  it('uploads the SBOMs, the reports and the SARIF file to the release', () => {
    const repoName = repo.split('/').pop() as string;
    expect(uploads.map(u => u.name).sort()).toEqual(
      [
        'sbom-linux-amd64.spdx.json',
        'sbom-linux-arm64.spdx.json',
        'trivy-linux-amd64.json',
        'trivy-linux-arm64.json',
        'trivy.sarif'
      ].map(f => `${repoName}-${f}`)
    );
    expect(uploads.every(u => u.bytes > 100)).toBe(true);
  });
});
