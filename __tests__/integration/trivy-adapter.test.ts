// The trivy adapter against the bed: real trivy, real registry, no mocks.
import {describe, it, expect, beforeAll} from '@jest/globals';
import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {evaluateGate} from '../../src/supply/gate.js';
import {prefetchTrivyDb} from '../../src/supply/pipeline.js';
import * as log from '../../src/report/log.js';
import {dbMetadataPath, prepareTrivyDb, scanPlatforms, trivyVersion} from '../../src/supply/trivy.js';
import {type Bed, type IndexManifest, loadBed, manifestRaw, repoOf, tempDir} from './bed.js';

const EXPECTED = [{id: 'CVE-2099-0001', pkg: 'fixture-pkg', installed: '1.0-1', fixed: '1.0-2', severity: 'HIGH'}];
const NOW = new Date('2026-03-01T00:00:00Z');

/** repo@sha256:<platform manifest> for each platform of the image's index, read from the registry. */
function platformRefs(bed: Bed, ref: string): {platform: string; ref: string}[] {
  const index = manifestRaw<IndexManifest>(bed, ref);
  return index.manifests
    .filter(m => m.platform && m.platform.os !== 'unknown')
    .map(m => ({platform: `${m.platform!.os}/${m.platform!.architecture}`, ref: `${repoOf(ref)}@${m.digest}`}))
    .sort((a, b) => a.platform.localeCompare(b.platform));
}

const brief = (fs: {id: string; pkg: string; installed: string; fixed?: string; severity: string}[]) =>
  fs.map(f => ({id: f.id, pkg: f.pkg, installed: f.installed, fixed: f.fixed, severity: f.severity}));

describe('trivy adapter (bed)', () => {
  let bed: Bed;
  let trivy: string;
  let env: Record<string, string>;
  const cache = tempDir('trivy-adapter-cache');

  beforeAll(() => {
    bed = loadBed();
    trivy = path.join(bed.binDir, 'trivy');
    // Registry credentials reach trivy through DOCKER_CONFIG, as in the action.
    env = {DOCKER_CONFIG: bed.docker.config};
  });

  it('downloads the DB once from the OCI mirror (plain http registry) into a fresh cache', async () => {
    expect(existsSync(dbMetadataPath(cache))).toBe(false);
    await prepareTrivyDb(trivy, {cacheDir: cache, dbRepositories: [bed.trivy.dbRepository], insecure: true, env});
    const meta = JSON.parse(readFileSync(dbMetadataPath(cache), 'utf8')) as {Version: number; DownloadedAt: string};
    expect(meta.Version).toBe(2);
    expect(meta.DownloadedAt).not.toMatch(/^0001-/);
    expect(readdirSync(path.join(cache, 'db')).sort()).toEqual(['metadata.json', 'trivy.db']);
  });

  it('moves on to the next mirror when one is missing or unreachable', async () => {
    const fresh = tempDir('trivy-adapter-mirrors');
    const missing = `${bed.devRegistry.host}/bed/no-such-db:2`;
    await prepareTrivyDb(trivy, {
      cacheDir: fresh,
      dbRepositories: [missing, '127.0.0.1:9/closed/trivy-db:2', bed.trivy.dbRepository],
      insecure: true,
      env
    });
    expect(existsSync(dbMetadataPath(fresh))).toBe(true);
  });

  it('names every mirror when none works', async () => {
    const fresh = tempDir('trivy-adapter-nomirror');
    const missing = `${bed.devRegistry.host}/bed/no-such-db:2`;
    const closed = '127.0.0.1:9/closed/trivy-db:2';
    const err = await prepareTrivyDb(trivy, {
      cacheDir: fresh,
      dbRepositories: [missing, closed],
      insecure: true,
      env
    }).then(
      () => undefined,
      (e: Error) => e
    );
    expect(err?.message).toMatch(/^trivy vulnerability DB could not be downloaded:\n/);
    expect(err?.message).toContain(`${missing}: trivy DB download from ${missing} exited 1`);
    expect(err?.message).toContain(`${closed}: trivy DB download from ${closed} exited 1`);
  });

  it('a fetch beside the build prints nothing, and hands the scan phase its transcript and failed mirrors', async () => {
    const fresh = tempDir('trivy-adapter-prefetch');
    const missing = `${bed.devRegistry.host}/bed/no-such-db:2`;
    const printed: string[] = [];
    const prev = log.setSink({write: t => void printed.push(t)});
    try {
      const req = {trivy, cacheDir: fresh, dbRepositories: [missing, bed.trivy.dbRepository], insecure: true, env};
      const got = await prefetchTrivyDb(req).done;
      expect(printed).toEqual([]);
      expect(existsSync(dbMetadataPath(fresh))).toBe(true);
      expect(got?.failedMirrors).toEqual([`trivy DB: ${missing}: trivy DB download from ${missing} exited 1:`]);
      expect(got?.output.match(/^\[command\].* --download-db-only .*$/gm)?.map(l => l.includes(missing))).toEqual([
        true,
        false
      ]);
      // No mirror answering: undefined (never a rejection), so the scan phase fetches again and fails loudly.
      const none = await prefetchTrivyDb({
        ...req,
        cacheDir: tempDir('trivy-adapter-prefetch-none'),
        dbRepositories: [missing]
      }).done;
      expect(none).toBeUndefined();
    } finally {
      log.setSink(prev);
    }
  });

  it('skipUpdate keeps a cached DB without asking any repository', async () => {
    const before = readFileSync(dbMetadataPath(cache), 'utf8');
    await prepareTrivyDb(trivy, {
      cacheDir: cache,
      dbRepositories: ['127.0.0.1:9/closed/trivy-db:2'],
      insecure: true,
      env,
      skipUpdate: true
    });
    expect(readFileSync(dbMetadataPath(cache), 'utf8')).toBe(before);
  });

  it('scans both platform manifests of the vulnerable image, SPDX per platform, gate from the reports', async () => {
    const scans = platformRefs(bed, bed.images.vulnerable.ref);
    expect(scans.map(s => s.platform)).toEqual(['linux/amd64', 'linux/arm64']);
    const out = tempDir('trivy-adapter-out');
    const results = await scanPlatforms(trivy, scans, {
      outDir: out,
      cacheDir: cache,
      insecure: true,
      sbomFormat: 'spdx-json',
      env
    });

    expect(results.map(r => [r.platform, r.ref, r.report, r.sbom, r.os, r.packageCount])).toEqual([
      [
        'linux/amd64',
        scans[0].ref,
        path.join(out, 'trivy-linux-amd64.json'),
        path.join(out, 'sbom-linux-amd64.spdx.json'),
        'debian 12.11',
        2
      ],
      [
        'linux/arm64',
        scans[1].ref,
        path.join(out, 'trivy-linux-arm64.json'),
        path.join(out, 'sbom-linux-arm64.spdx.json'),
        'debian 12.11',
        2
      ]
    ]);
    for (const r of results) {
      expect(brief(r.findings)).toEqual(EXPECTED);
      expect(r.findings[0].target).toBe(`${r.ref} (debian 12.11)`);
      const spdx = JSON.parse(readFileSync(r.sbom!, 'utf8')) as {spdxVersion: string; packages: {name: string}[]};
      expect(spdx.spdxVersion).toBe('SPDX-2.3');
      expect(spdx.packages.map(p => p.name).sort()).toEqual(['base-files', 'debian', 'fixture-pkg', r.ref].sort());
    }
    expect(readdirSync(out).sort()).toEqual([
      'sbom-linux-amd64.spdx.json',
      'sbom-linux-arm64.spdx.json',
      'trivy-linux-amd64.json',
      'trivy-linux-arm64.json'
    ]);

    const perPlatform = Object.fromEntries(results.map(r => [r.platform, r.findings]));
    const fail = evaluateGate({max: {HIGH: 0}, ignoreUnfixed: false, ignore: []}, perPlatform, NOW);
    expect([fail.pass, fail.violations]).toEqual([
      false,
      ['linux/amd64: 1 HIGH (max 0): CVE-2099-0001', 'linux/arm64: 1 HIGH (max 0): CVE-2099-0001']
    ]);
    const pass = evaluateGate({max: {HIGH: 1}, ignoreUnfixed: false, ignore: []}, perPlatform, NOW);
    expect([pass.pass, pass.violations, pass.counts['linux/arm64'].HIGH]).toEqual([true, [], 1]);
  });

  it('clean image: no finding, and the OS was detected (an empty list is not a false pass)', async () => {
    const out = tempDir('trivy-adapter-clean');
    const results = await scanPlatforms(trivy, platformRefs(bed, bed.images.clean.ref), {
      outDir: out,
      cacheDir: cache,
      insecure: true,
      sbomFormat: 'none',
      env,
      concurrency: 1
    });
    expect(results.map(r => [r.platform, r.os, r.findings, r.packageCount, r.sbom])).toEqual([
      ['linux/amd64', 'debian 12.11', [], 2, undefined],
      ['linux/arm64', 'debian 12.11', [], 2, undefined]
    ]);
    expect(readdirSync(out).sort()).toEqual(['trivy-linux-amd64.json', 'trivy-linux-arm64.json']);
  });

  it('CycloneDX on request: an inventory without vulnerabilities', async () => {
    const out = tempDir('trivy-adapter-cdx');
    const [amd64] = platformRefs(bed, bed.images.vulnerable.ref);
    const [r] = await scanPlatforms(trivy, [amd64], {
      outDir: out,
      cacheDir: cache,
      insecure: true,
      sbomFormat: 'cyclonedx',
      env
    });
    expect(r.sbom).toBe(path.join(out, 'sbom-linux-amd64.cdx.json'));
    const cdx = JSON.parse(readFileSync(r.sbom!, 'utf8')) as {
      bomFormat: string;
      specVersion: string;
      components: {name: string; version: string}[];
      vulnerabilities?: unknown[];
    };
    expect([cdx.bomFormat, cdx.specVersion]).toEqual(['CycloneDX', '1.7']);
    expect(cdx.components.map(c => `${c.name}=${c.version}`).sort()).toEqual([
      'base-files=12.4+deb12u11',
      'debian=12.11',
      'fixture-pkg=1.0-1'
    ]);
    expect(cdx.vulnerabilities ?? []).toEqual([]);
    expect(brief(r.findings)).toEqual(EXPECTED);
  });

  it('a .trivyignore / trivy.yaml in the working directory and TRIVY_* variables filter nothing', async () => {
    const cwd = process.cwd();
    const work = tempDir('trivy-adapter-cwd');
    writeFileSync(path.join(work, '.trivyignore'), 'CVE-2099-0001\n');
    writeFileSync(path.join(work, 'trivy.yaml'), 'severity:\n  - CRITICAL\n');
    const saved = {...process.env};
    process.env.TRIVY_SEVERITY = 'CRITICAL';
    process.env.TRIVY_IGNORE_STATUS = 'fixed';
    process.env.TRIVY_EXIT_CODE = '3';
    process.chdir(work);
    try {
      const [amd64] = platformRefs(bed, bed.images.vulnerable.ref);
      const [r] = await scanPlatforms(trivy, [amd64], {
        outDir: path.join(work, 'out'),
        cacheDir: cache,
        insecure: true,
        sbomFormat: 'none',
        env
      });
      expect(brief(r.findings)).toEqual(EXPECTED);
    } finally {
      process.chdir(cwd);
      for (const k of ['TRIVY_SEVERITY', 'TRIVY_IGNORE_STATUS', 'TRIVY_EXIT_CODE']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });

  it('a failed scan throws naming the platform', async () => {
    const out = tempDir('trivy-adapter-fail');
    const missing = `${repoOf(bed.images.vulnerable.ref)}@sha256:${'0'.repeat(64)}`;
    await expect(
      scanPlatforms(trivy, [{platform: 'linux/amd64', ref: missing}], {
        outDir: out,
        cacheDir: cache,
        insecure: true,
        sbomFormat: 'none',
        env
      })
    ).rejects.toThrow(/^trivy image \(linux\/amd64\) exited 1/);
  });

  it('reports its version', async () => {
    expect(await trivyVersion(trivy)).toBe(bed.versions.trivy.replace(/^v/, ''));
  });
});
