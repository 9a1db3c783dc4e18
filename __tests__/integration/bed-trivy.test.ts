// trivy (offline, self-built one-advisory DB) on the bed's vulnerable and clean images.
import {describe, it, expect, beforeAll} from '@jest/globals';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {type Bed, loadBed, run, tempDir} from './bed.js';

interface TrivyVuln {
  VulnerabilityID: string;
  PkgName: string;
  InstalledVersion: string;
  FixedVersion?: string;
  Severity: string;
}
interface TrivyReport {
  Metadata: {OS?: {Family: string; Name: string}};
  Results?: {
    Target: string;
    Class: string;
    Type?: string;
    Vulnerabilities?: TrivyVuln[];
    Packages?: {Name: string; Version: string; Release?: string}[];
  }[];
}

const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const EXPECTED = [{id: 'CVE-2099-0001', pkg: 'fixture-pkg', installed: '1.0-1', fixed: '1.0-2', severity: 'HIGH'}];

function scan(
  bed: Bed,
  ref: string,
  platform: string,
  extra: string[] = [],
  cacheDir = bed.trivy.cacheDir
): TrivyReport {
  const out = path.join(tempDir('trivy'), 'report.json');
  run(bed, 'trivy', [
    'image',
    '--cache-dir',
    cacheDir,
    '--cache-backend',
    'memory',
    '--skip-java-db-update',
    '--skip-version-check',
    '--disable-telemetry',
    '--image-src',
    'remote',
    '--platform',
    platform,
    '--scanners',
    'vuln',
    '--list-all-pkgs',
    '--format',
    'json',
    '-o',
    out,
    ...extra,
    ref
  ]);
  return JSON.parse(readFileSync(out, 'utf8')) as TrivyReport;
}

function vulns(r: TrivyReport) {
  return (r.Results ?? []).flatMap(res =>
    (res.Vulnerabilities ?? []).map(v => ({
      id: v.VulnerabilityID,
      pkg: v.PkgName,
      installed: v.InstalledVersion,
      fixed: v.FixedVersion,
      severity: v.Severity
    }))
  );
}

describe('bed: trivy offline', () => {
  let bed: Bed;
  beforeAll(() => {
    bed = loadBed();
  });

  it('runs the pinned trivy', () => {
    expect(run(bed, 'trivy', ['--version'])).toContain(bed.versions.trivy.replace(/^v/, ''));
  });

  it.each(PLATFORMS)(
    'vulnerable image (%s): exactly CVE-2099-0001 in fixture-pkg 1.0-1, fixed 1.0-2, HIGH',
    platform => {
      const r = scan(bed, `${bed.images.vulnerable.ref}`, platform, ['--skip-db-update']);
      expect(r.Metadata.OS?.Family).toBe('debian');
      expect(r.Metadata.OS?.Name).toMatch(/^12\./);
      expect(vulns(r)).toEqual(EXPECTED);
    }
  );

  it.each(PLATFORMS)('clean image (%s): OS detected, packages listed, no vulnerabilities', platform => {
    const r = scan(bed, `${bed.images.clean.ref}`, platform, ['--skip-db-update']);
    expect(r.Metadata.OS?.Family).toBe('debian');
    expect(r.Metadata.OS?.Name).toMatch(/^12\./);
    const pkgs = (r.Results ?? []).flatMap(res =>
      (res.Packages ?? []).map(p => `${p.Name}=${p.Version}${p.Release ? `-${p.Release}` : ''}`)
    );
    expect(pkgs).toContain('fixture-pkg=1.0-2');
    expect(vulns(r)).toEqual([]);
  });

  it('downloads the DB from the dev registry (--db-repository) into an empty cache', () => {
    const cache = tempDir('trivy-cache');
    const r = scan(
      bed,
      `${bed.images.vulnerable.ref}@${bed.images.vulnerable.digest}`,
      'linux/amd64',
      ['--db-repository', bed.trivy.dbRepository],
      cache
    );
    expect(vulns(r)).toEqual(EXPECTED);
    const meta = JSON.parse(readFileSync(path.join(cache, 'db', 'metadata.json'), 'utf8')) as {Version: number};
    expect(meta.Version).toBe(2);
  });
});
