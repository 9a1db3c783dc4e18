import {describe, expect, it} from '@jest/globals';
import {
  neutralTrivyEnv,
  platformSlug,
  reportFileName,
  sbomFileName,
  trivyConvertArgs,
  trivyDbArgs,
  trivyScanArgs,
  trivyVersionArgs
} from '../../src/supply/trivy-args.js';

const C = '/tmp/trivy-cache';
const REF = 'ghcr.io/o/app@sha256:1111';
const QUIET = ['--skip-version-check', '--disable-telemetry', '--no-progress'];
const NO_CONFIG = ['--config', '/dev/null'];
const NO_IGNOREFILE = ['--ignorefile', '/dev/null'];
const SCAN_HEAD = [
  'image',
  '--cache-dir',
  C,
  '--cache-backend',
  'memory',
  '--skip-db-update',
  '--skip-java-db-update',
  ...QUIET,
  ...NO_CONFIG,
  ...NO_IGNOREFILE,
  '--image-src',
  'remote'
];

describe('trivy argv', () => {
  it.each<[string, Parameters<typeof trivyDbArgs>[0], string[]]>([
    [
      'one mirror',
      {cacheDir: C, dbRepositories: ['127.0.0.1:5000/bed/trivy-db:2'], insecure: false},
      [
        'image',
        '--download-db-only',
        '--cache-dir',
        C,
        '--db-repository',
        '127.0.0.1:5000/bed/trivy-db:2',
        ...QUIET,
        ...NO_CONFIG
      ]
    ],
    [
      'several mirrors, insecure',
      {cacheDir: C, dbRepositories: ['m1.example/trivy-db:2', 'mirror.gcr.io/aquasec/trivy-db:2'], insecure: true},
      [
        'image',
        '--download-db-only',
        '--cache-dir',
        C,
        '--db-repository',
        'm1.example/trivy-db:2',
        '--db-repository',
        'mirror.gcr.io/aquasec/trivy-db:2',
        '--insecure',
        ...QUIET,
        ...NO_CONFIG
      ]
    ],
    [
      "no mirror: trivy's defaults",
      {cacheDir: C, dbRepositories: [], insecure: false},
      ['image', '--download-db-only', '--cache-dir', C, ...QUIET, ...NO_CONFIG]
    ]
  ])('DB download: %s', (_name, o, argv) => {
    expect(trivyDbArgs(o)).toEqual(argv);
  });

  it.each<[string, Parameters<typeof trivyScanArgs>[0], string[]]>([
    [
      'json report',
      {ref: REF, output: '/o/trivy-linux-amd64.json', format: 'json', cacheDir: C, insecure: false},
      [
        ...SCAN_HEAD,
        '--scanners',
        'vuln',
        '--severity',
        'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL',
        '--list-all-pkgs',
        '--format',
        'json',
        '--output',
        '/o/trivy-linux-amd64.json',
        REF
      ]
    ],
    [
      'json report, insecure registry',
      {ref: REF, output: 'r.json', format: 'json', cacheDir: C, insecure: true},
      [
        ...SCAN_HEAD,
        '--scanners',
        'vuln',
        '--severity',
        'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL',
        '--list-all-pkgs',
        '--format',
        'json',
        '--output',
        'r.json',
        '--insecure',
        REF
      ]
    ],
    [
      'SPDX: an inventory, no scanners',
      {ref: REF, output: 's.json', format: 'spdx-json', cacheDir: C, insecure: false},
      [...SCAN_HEAD, '--format', 'spdx-json', '--output', 's.json', REF]
    ],
    [
      'CycloneDX',
      {ref: REF, output: 'c.json', format: 'cyclonedx', cacheDir: C, insecure: true},
      [...SCAN_HEAD, '--format', 'cyclonedx', '--output', 'c.json', '--insecure', REF]
    ]
  ])('scan: %s', (_name, o, argv) => {
    const args = trivyScanArgs(o);
    expect(args).toEqual(argv);
    // The gate reads the report: trivy must never decide through its exit code.
    expect(args).not.toContain('--exit-code');
    expect(args).not.toContain('--ignore-unfixed');
  });

  it('convert and version', () => {
    expect(trivyConvertArgs({report: '/t/inventory.json', output: '/o/sbom.cdx.json', format: 'cyclonedx'})).toEqual([
      'convert',
      '--format',
      'cyclonedx',
      '--output',
      '/o/sbom.cdx.json',
      ...NO_CONFIG,
      ...NO_IGNOREFILE,
      '/t/inventory.json'
    ]);
    expect(trivyVersionArgs()).toEqual(['version', '--format', 'json']);
  });

  it('blanks every TRIVY_* variable of the environment', () => {
    expect(
      neutralTrivyEnv({
        TRIVY_SEVERITY: 'CRITICAL',
        TRIVY_EXIT_CODE: '1',
        PATH: '/bin',
        DOCKER_CONFIG: '/d',
        trivy_x: 'y'
      })
    ).toEqual({TRIVY_SEVERITY: '', TRIVY_EXIT_CODE: ''});
  });
});

describe('file names', () => {
  it.each([
    ['linux/amd64', 'linux-amd64', 'trivy-linux-amd64.json', 'sbom-linux-amd64.spdx.json', 'sbom-linux-amd64.cdx.json'],
    [
      'linux/arm/v7',
      'linux-arm-v7',
      'trivy-linux-arm-v7.json',
      'sbom-linux-arm-v7.spdx.json',
      'sbom-linux-arm-v7.cdx.json'
    ],
    ['../../etc/x', '..-..-etc-x', 'trivy-..-..-etc-x.json', 'sbom-..-..-etc-x.spdx.json', 'sbom-..-..-etc-x.cdx.json'],
    [
      'windows/amd64:10.0',
      'windows-amd64-10.0',
      'trivy-windows-amd64-10.0.json',
      'sbom-windows-amd64-10.0.spdx.json',
      'sbom-windows-amd64-10.0.cdx.json'
    ]
  ])('%s', (platform, slug, report, spdx, cdx) => {
    expect([
      platformSlug(platform),
      reportFileName(platform),
      sbomFileName(platform, 'spdx-json'),
      sbomFileName(platform, 'cyclonedx')
    ]).toEqual([slug, report, spdx, cdx]);
  });
  it.each(['', '/', '..', '.'])('rejects %j', platform => {
    expect(() => platformSlug(platform)).toThrow(`platform "${platform}" gives no usable file name`);
  });
});
