import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from '@jest/globals';
import {inventoryOnly, parseTrivyReport} from '../../src/supply/trivy-report.js';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/trivy');
const fixture = (name: string): string => readFileSync(path.join(DIR, name), 'utf8');

const AMD64 = '127.0.0.1:5000/bed/vulnerable@sha256:61766ea736ac32b5c69968d751b335953b0d81295a1156827ef730d57a82cc65';
const ARM64 = '127.0.0.1:5000/bed/vulnerable@sha256:fc8138807ab37b92a1eb691d1b95de5d566f7d6ee8a13a4631d57306a2f0f6b3';
const bedFinding = (ref: string) => ({
  id: 'CVE-2099-0001',
  pkg: 'fixture-pkg',
  installed: '1.0-1',
  fixed: '1.0-2',
  severity: 'HIGH',
  title: 'Synthetic advisory for the image-publish test bed',
  status: 'fixed',
  target: `${ref} (debian 12.11)`,
  url: 'https://avd.aquasec.com/nvd/cve-2099-0001'
});

describe('parseTrivyReport: real reports from the bed', () => {
  it.each([
    ['vulnerable-amd64.json', {os: 'debian 12.11', findings: [bedFinding(AMD64)], packageCount: 2}],
    ['vulnerable-arm64.json', {os: 'debian 12.11', findings: [bedFinding(ARM64)], packageCount: 2}],
    ['clean-amd64.json', {os: 'debian 12.11', findings: [], packageCount: 2}]
  ])('%s', (file, expected) => {
    expect(parseTrivyReport(fixture(file), file)).toEqual(expected);
  });

  it('edited report: every result, no FixedVersion → no fixed', () => {
    const r = parseTrivyReport(fixture('mixed-amd64.json'), 'mixed');
    expect(r.packageCount).toBe(3);
    expect(r.findings.map(f => [f.id, f.pkg, f.severity, f.fixed ?? '-', f.status, f.target.split(' ')[0]])).toEqual([
      ['CVE-2099-0001', 'fixture-pkg', 'HIGH', '1.0-2', 'fixed', AMD64],
      ['CVE-2099-0002', 'fixture-pkg', 'CRITICAL', '-', 'affected', AMD64],
      ['CVE-2099-0003', 'base-files', 'MEDIUM', '12.4+deb12u12', 'fixed', AMD64],
      ['CVE-2099-0004', 'base-files', 'LOW', '-', 'will_not_fix', AMD64],
      ['CVE-2099-0005', 'fixture-pkg', 'UNKNOWN', '1.0-2', 'fixed', AMD64],
      ['GHSA-0000-1111-2222', 'left-pad', 'HIGH', '1.0.1', 'fixed', 'app/package-lock.json'],
      ['CVE-2099-0001', 'left-pad', 'HIGH', '1.0.1', 'fixed', 'app/package-lock.json']
    ]);
    expect('fixed' in r.findings[1]).toBe(false);
  });

  it.each([
    [
      'no OS, no Results (e.g. a scratch image)',
      '{"SchemaVersion":2,"ArtifactName":"x","Metadata":{}}',
      {findings: [], packageCount: 0}
    ],
    ['Results null', '{"SchemaVersion":2,"Results":null}', {findings: [], packageCount: 0}],
    [
      'OS family only',
      '{"SchemaVersion":2,"Metadata":{"OS":{"Family":"alpine"}}}',
      {os: 'alpine', findings: [], packageCount: 0}
    ]
  ])('%s', (_name, json, expected) => {
    expect(parseTrivyReport(json, 'r.json')).toEqual(expected);
  });

  const vuln = (extra: object) =>
    JSON.stringify({
      SchemaVersion: 2,
      Results: [{Target: 't', Vulnerabilities: [{VulnerabilityID: 'CVE-1', PkgName: 'p', Severity: 'HIGH', ...extra}]}]
    });
  it.each([
    ['not JSON', 'FATAL error', /^out\/r\.json: not a trivy JSON report \(/],
    ['a list', '[]', /^out\/r\.json: not a trivy JSON report \(no SchemaVersion\)$/],
    ['a SARIF file', '{"version":"2.1.0","runs":[]}', /^out\/r\.json: not a trivy JSON report \(no SchemaVersion\)$/],
    [
      'another schema',
      '{"SchemaVersion":3,"Results":[]}',
      /^out\/r\.json: trivy report schema 3 is not supported \(expected 2\)$/
    ],
    [
      'Results not a list',
      '{"SchemaVersion":2,"Results":{}}',
      /^out\/r\.json: not a trivy JSON report \(Results is not a list\)$/
    ],
    ['unknown severity', vuln({Severity: 'SEVERE'}), /^out\/r\.json: CVE-1 in p has unknown severity "SEVERE"$/],
    ['lowercase severity', vuln({Severity: 'high'}), /unknown severity "high"/],
    ['no id', vuln({VulnerabilityID: ''}), /^out\/r\.json: a vulnerability in t has no VulnerabilityID or PkgName$/]
  ])('rejects %s, naming the file', (_name, json, error) => {
    expect(() => parseTrivyReport(json, 'out/r.json')).toThrow(error);
  });
});

describe('inventoryOnly', () => {
  it('drops vulnerabilities and keeps everything else', () => {
    const json = fixture('mixed-amd64.json');
    const inv = JSON.parse(inventoryOnly(json, 'mixed')) as {Results: Record<string, unknown>[]};
    const orig = JSON.parse(json) as {Results: Record<string, unknown>[]};
    expect(inv.Results.map(r => Object.keys(r))).toEqual([
      ['Target', 'Class', 'Type', 'Packages'],
      ['Target', 'Class', 'Type', 'Packages']
    ]);
    expect(parseTrivyReport(JSON.stringify(inv), 'inv')).toEqual({os: 'debian 12.11', findings: [], packageCount: 3});
    expect({...inv, Results: undefined}).toEqual({...orig, Results: undefined});
  });
  it('rejects what is not a report', () => {
    expect(() => inventoryOnly('{}', 'x.json')).toThrow('x.json: not a trivy JSON report (no SchemaVersion)');
  });
});
