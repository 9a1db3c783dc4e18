import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from '@jest/globals';
import {imageUri, toSarif} from '../../src/supply/sarif.js';
import {parseTrivyReport, type Finding} from '../../src/supply/trivy-report.js';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/trivy');
const findings = (file: string): Finding[] =>
  parseTrivyReport(readFileSync(path.join(DIR, file), 'utf8'), file).findings;
const REPO = '127.0.0.1:5000/bed/vulnerable';
const AMD64 = `${REPO}@sha256:61766ea736ac32b5c69968d751b335953b0d81295a1156827ef730d57a82cc65`;
const ARM64 = `${REPO}@sha256:fc8138807ab37b92a1eb691d1b95de5d566f7d6ee8a13a4631d57306a2f0f6b3`;

interface Rule {
  id: string;
  properties: {'security-severity': string; tags: string[]};
  defaultConfiguration: {level: string};
}
interface Result {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: {text: string};
  locations: {physicalLocation: {artifactLocation: {uri: string}}; message: {text: string}}[];
}
interface Log {
  version: string;
  runs: {tool: {driver: {name: string; version: string; rules: Rule[]}}; results: Result[]}[];
}
const sarif = (scans: Parameters<typeof toSarif>[0]): Log => toSarif(scans, '0.74.0') as Log;

describe('toSarif', () => {
  it('bed reports: one rule, one result per platform (exact document)', () => {
    const log = toSarif(
      [
        {platform: 'linux/amd64', ref: AMD64, findings: findings('vulnerable-amd64.json')},
        {platform: 'linux/arm64', ref: ARM64, findings: findings('vulnerable-arm64.json')}
      ],
      '0.74.0'
    );
    const result = (platform: string, ref: string) => ({
      ruleId: 'CVE-2099-0001',
      ruleIndex: 0,
      level: 'error',
      message: {
        text: `${platform}: fixture-pkg 1.0-1 has CVE-2099-0001 (HIGH), fixed in 1.0-2: Synthetic advisory for the image-publish test bed`
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: {uri: 'bed/vulnerable'},
            region: {startLine: 1, startColumn: 1, endLine: 1, endColumn: 1}
          },
          message: {text: `${platform}: fixture-pkg@1.0-1`}
        }
      ],
      properties: {
        platform,
        package: 'fixture-pkg',
        installedVersion: '1.0-1',
        fixedVersion: '1.0-2',
        target: `${ref} (debian 12.11)`
      }
    });
    expect(log).toEqual({
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'Trivy',
              fullName: 'Trivy Vulnerability Scanner',
              informationUri: 'https://github.com/aquasecurity/trivy',
              version: '0.74.0',
              rules: [
                {
                  id: 'CVE-2099-0001',
                  shortDescription: {text: 'Synthetic advisory for the image-publish test bed'},
                  fullDescription: {text: 'Synthetic advisory for the image-publish test bed'},
                  helpUri: 'https://avd.aquasec.com/nvd/cve-2099-0001',
                  help: {
                    text: 'Vulnerability CVE-2099-0001\nSeverity: HIGH\nPackages: fixture-pkg (fixed in 1.0-2)\nLink: https://avd.aquasec.com/nvd/cve-2099-0001\n',
                    markdown:
                      '**Vulnerability CVE-2099-0001**\n\n| Severity | Packages | Link |\n| --- | --- | --- |\n| HIGH | fixture-pkg (fixed in 1.0-2) | [CVE-2099-0001](https://avd.aquasec.com/nvd/cve-2099-0001) |\n'
                  },
                  defaultConfiguration: {level: 'error'},
                  properties: {
                    precision: 'very-high',
                    'security-severity': '8.0',
                    tags: ['vulnerability', 'security', 'HIGH']
                  }
                }
              ]
            }
          },
          results: [result('linux/amd64', AMD64), result('linux/arm64', ARM64)],
          columnKind: 'utf16CodeUnits'
        }
      ]
    });
  });

  it('every finding of every platform, rules sorted with GitHub security-severity and levels', () => {
    const log = sarif([
      {platform: 'linux/amd64', ref: AMD64, findings: findings('mixed-amd64.json')},
      {platform: 'linux/arm64', ref: ARM64, findings: findings('vulnerable-arm64.json')}
    ]);
    const run = log.runs[0];
    expect(
      run.tool.driver.rules.map(r => [r.id, r.properties['security-severity'], r.defaultConfiguration.level])
    ).toEqual([
      ['CVE-2099-0001', '8.0', 'error'],
      ['CVE-2099-0002', '9.5', 'error'],
      ['CVE-2099-0003', '5.5', 'warning'],
      ['CVE-2099-0004', '2.0', 'note'],
      ['CVE-2099-0005', '0.0', 'note'],
      ['GHSA-0000-1111-2222', '8.0', 'error']
    ]);
    expect(run.results.map(r => [r.ruleId, r.ruleIndex, r.level, r.message.text.split(':')[0]])).toEqual([
      ['CVE-2099-0001', 0, 'error', 'linux/amd64'],
      ['CVE-2099-0002', 1, 'error', 'linux/amd64'],
      ['CVE-2099-0003', 2, 'warning', 'linux/amd64'],
      ['CVE-2099-0004', 3, 'note', 'linux/amd64'],
      ['CVE-2099-0005', 4, 'note', 'linux/amd64'],
      ['GHSA-0000-1111-2222', 5, 'error', 'linux/amd64'],
      ['CVE-2099-0001', 0, 'error', 'linux/amd64'],
      ['CVE-2099-0001', 0, 'error', 'linux/arm64']
    ]);
    expect(run.results[1].message.text).toBe(
      'linux/amd64: fixture-pkg 1.0-1 has CVE-2099-0002 (CRITICAL), no fix available: Edited fixture advisory CVE-2099-0002'
    );
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe('bed/vulnerable');
    }
  });

  it('a rule takes the most severe of its findings; no url → no helpUri', () => {
    const f = (severity: Finding['severity'], pkg: string): Finding => ({
      id: 'X-1',
      pkg,
      installed: '1',
      severity,
      target: 't'
    });
    const log = sarif([{platform: 'linux/amd64', ref: 'alpine', findings: [f('LOW', 'a'), f('CRITICAL', 'b')]}]);
    const rule = log.runs[0].tool.driver.rules[0] as Rule & {helpUri?: string; shortDescription: {text: string}};
    expect([rule.properties['security-severity'], rule.helpUri, rule.shortDescription.text]).toEqual([
      '9.5',
      undefined,
      'X-1'
    ]);
    expect(log.runs[0].results.map(r => r.level)).toEqual(['note', 'error']);
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('library/alpine');
  });

  it('no findings: a valid log with an empty run', () => {
    const log = sarif([{platform: 'linux/amd64', ref: AMD64, findings: []}]);
    expect([log.version, log.runs.length, log.runs[0].tool.driver.rules, log.runs[0].results]).toEqual([
      '2.1.0',
      1,
      [],
      []
    ]);
  });
});

describe('imageUri', () => {
  it.each([
    [AMD64, 'bed/vulnerable'],
    ['127.0.0.1:5000/bed/vulnerable:1', 'bed/vulnerable'],
    ['ghcr.io/owner/app:1.2.3', 'owner/app'],
    [`localhost/app@sha256:${'a'.repeat(64)}`, 'app'],
    ['docker.io/library/alpine:3', 'library/alpine'],
    ['docker.io/alpine', 'library/alpine'],
    ['alpine', 'library/alpine'],
    ['library/alpine', 'library/alpine'],
    ['index.docker.io/alpine:3', 'library/alpine'],
    ['registry-1.docker.io/alpine', 'library/alpine'],
    ['owner/app:latest', 'owner/app'],
    ['index.docker.io/owner/app', 'owner/app'],
    ['quay.io/acme/app:v1', 'acme/app'],
    ['localhost:5000/x', 'x'],
    [`registry.example.com:8443/a/b/c@sha256:${'a'.repeat(64)}`, 'a/b/c'],
    // push: false scans a local OCI layout (or docker archive): a path, not an image reference.
    [
      `/tmp/runner/image-publish-local-UX3bsx/layout@sha256:${'a'.repeat(64)}`,
      '/tmp/runner/image-publish-local-UX3bsx/layout'
    ],
    ['/tmp/runner/image-publish-local-x/image.tar', '/tmp/runner/image-publish-local-x/image.tar'],
    ['./layout', './layout']
  ])('%s → %s', (ref, uri) => {
    expect(imageUri(ref)).toBe(uri);
  });
});
