import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from '@jest/globals';
import {evaluateGate, failOnToMax, parseIgnoreFile, type GateSpec, type IgnoreRule} from '../../src/supply/gate.js';
import type {Severity} from '../../src/supply/severity.js';
import {parseTrivyReport, type Finding} from '../../src/supply/trivy-report.js';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/trivy');
const findings = (file: string): Finding[] =>
  parseTrivyReport(readFileSync(path.join(DIR, file), 'utf8'), file).findings;

// linux/amd64: the edited report (CRITICAL unfixed, 3 HIGH, MEDIUM, LOW unfixed, UNKNOWN);
// linux/arm64: the real bed report (CVE-2099-0001 HIGH).
const MIXED = {'linux/amd64': findings('mixed-amd64.json'), 'linux/arm64': findings('vulnerable-arm64.json')};
const BED = {'linux/amd64': findings('vulnerable-amd64.json'), 'linux/arm64': findings('vulnerable-arm64.json')};
const NOW = new Date('2026-03-01T12:00:00Z');
const gate = (max: GateSpec['max'], ignore: IgnoreRule[] = [], ignoreUnfixed = false): GateSpec => ({
  max,
  ignore,
  ignoreUnfixed
});
const c = (CRITICAL: number, HIGH: number, MEDIUM: number, LOW: number, UNKNOWN: number) => ({
  CRITICAL,
  HIGH,
  MEDIUM,
  LOW,
  UNKNOWN
});
const ALL = c(1, 3, 1, 1, 1);
const ARM = c(0, 1, 0, 0, 0);

describe('failOnToMax', () => {
  it.each<[string, Partial<Record<Severity, number>>]>([
    ['critical', {CRITICAL: 0}],
    ['high', {CRITICAL: 0, HIGH: 0}],
    ['HIGH', {CRITICAL: 0, HIGH: 0}],
    [' medium ', {CRITICAL: 0, HIGH: 0, MEDIUM: 0}],
    ['low', {CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0}],
    ['unknown', {CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0}],
    ['none', {}],
    ['', {}]
  ])('%j', (level, max) => {
    expect(failOnToMax(level, 'scan-fail-on')).toEqual(max);
  });
  it.each(['severe', 'high,critical', '0'])('rejects %j naming the input and the allowed values', level => {
    expect(() => failOnToMax(level, 'scan-fail-on')).toThrow(
      `Input "scan-fail-on": "${level}" is not a severity; allowed: critical, high, medium, low, unknown, none`
    );
  });
});

describe('parseIgnoreFile', () => {
  it('reads trivy .trivyignore lines', () => {
    const text = [
      '# accepted risks',
      'CVE-2099-0001',
      '',
      '   GHSA-0000-1111-2222   exp:2026-06-01',
      'CVE-2099-0003 # not reachable',
      'CVE-2099-0004\texp:2028-02-29 # until the next base image\r',
      'AVD-DS-0002',
      '  # indented comment'
    ].join('\n');
    expect(parseIgnoreFile(text, '.trivyignore')).toEqual([
      {id: 'CVE-2099-0001'},
      {id: 'GHSA-0000-1111-2222', expires: '2026-06-01'},
      {id: 'CVE-2099-0003'},
      {id: 'CVE-2099-0004', expires: '2028-02-29'},
      {id: 'AVD-DS-0002'}
    ]);
    expect(parseIgnoreFile('', 'empty')).toEqual([]);
  });
  it.each([
    ['CVE-1 exp:2026-13-01', '"exp:2026-13-01" is not exp:YYYY-MM-DD'],
    ['CVE-1 exp:2026-02-29', '"exp:2026-02-29" is not exp:YYYY-MM-DD'],
    ['CVE-1 exp:20260101', '"exp:20260101" is not exp:YYYY-MM-DD'],
    ['CVE-1 exp:', '"exp:" is not exp:YYYY-MM-DD'],
    ['CVE-1, CVE-2', '"CVE-1," is not a vulnerability ID'],
    ['"CVE-1"', '""CVE-1"" is not a vulnerability ID'],
    ['CVE-1 because it is fine', 'unexpected "because" (after the ID only exp:YYYY-MM-DD and a # comment may follow)'],
    ['CVE-1 exp:2026-01-01 exp:2027-01-01', 'unexpected "exp:2027-01-01"']
  ])('line 3 %j → error naming file and line', (line, message) => {
    const text = `# header\nCVE-0\n${line}\nCVE-9\n`;
    expect(() => parseIgnoreFile(text, 'ci/.trivyignore')).toThrow(`ci/.trivyignore:3: ${message}`);
  });
});

describe('evaluateGate', () => {
  const top = (...rows: [string, string, Severity, string][]) => rows;
  const topOf = (v: ReturnType<typeof evaluateGate>) => v.top.map(f => [f.id, f.pkg, f.severity, f.platform]);
  const FULL_TOP = top(
    ['CVE-2099-0002', 'fixture-pkg', 'CRITICAL', 'linux/amd64'],
    ['CVE-2099-0001', 'fixture-pkg', 'HIGH', 'linux/amd64'],
    ['CVE-2099-0001', 'left-pad', 'HIGH', 'linux/amd64'],
    ['GHSA-0000-1111-2222', 'left-pad', 'HIGH', 'linux/amd64'],
    ['CVE-2099-0003', 'base-files', 'MEDIUM', 'linux/amd64'],
    ['CVE-2099-0004', 'base-files', 'LOW', 'linux/amd64'],
    ['CVE-2099-0005', 'fixture-pkg', 'UNKNOWN', 'linux/amd64']
  );

  it.each<
    [
      string,
      GateSpec,
      Date,
      {pass: boolean; counts: object; ignored: object; violations: string[]; top: [string, string, Severity, string][]}
    ]
  >([
    [
      'fail-on high',
      gate({CRITICAL: 0, HIGH: 0}),
      NOW,
      {
        pass: false,
        counts: {'linux/amd64': ALL, 'linux/arm64': ARM},
        ignored: {'linux/amd64': 0, 'linux/arm64': 0},
        violations: [
          'linux/amd64: 1 CRITICAL (max 0): CVE-2099-0002',
          'linux/amd64: 3 HIGH (max 0): CVE-2099-0001, GHSA-0000-1111-2222',
          'linux/arm64: 1 HIGH (max 0): CVE-2099-0001'
        ],
        top: FULL_TOP
      }
    ],
    [
      'ignore-unfixed drops the CRITICAL and LOW without FixedVersion',
      gate({CRITICAL: 0, HIGH: 0}, [], true),
      NOW,
      {
        pass: false,
        counts: {'linux/amd64': c(0, 3, 1, 0, 1), 'linux/arm64': ARM},
        ignored: {'linux/amd64': 2, 'linux/arm64': 0},
        violations: [
          'linux/amd64: 3 HIGH (max 0): CVE-2099-0001, GHSA-0000-1111-2222',
          'linux/arm64: 1 HIGH (max 0): CVE-2099-0001'
        ],
        top: FULL_TOP.filter(r => !['CVE-2099-0002', 'CVE-2099-0004'].includes(r[0]))
      }
    ],
    [
      'an ignore rule covers every package and platform',
      gate({CRITICAL: 0, HIGH: 0}, [{id: 'CVE-2099-0001'}]),
      NOW,
      {
        pass: false,
        counts: {'linux/amd64': c(1, 1, 1, 1, 1), 'linux/arm64': c(0, 0, 0, 0, 0)},
        ignored: {'linux/amd64': 2, 'linux/arm64': 1},
        violations: [
          'linux/amd64: 1 CRITICAL (max 0): CVE-2099-0002',
          'linux/amd64: 1 HIGH (max 0): GHSA-0000-1111-2222'
        ],
        top: FULL_TOP.filter(r => r[0] !== 'CVE-2099-0001')
      }
    ],
    [
      'a rule with pkg ignores that package only',
      gate({HIGH: 1}, [{id: 'CVE-2099-0001', pkg: 'left-pad'}]),
      NOW,
      {
        pass: false,
        counts: {'linux/amd64': c(1, 2, 1, 1, 1), 'linux/arm64': ARM},
        ignored: {'linux/amd64': 1, 'linux/arm64': 0},
        violations: ['linux/amd64: 2 HIGH (max 1): CVE-2099-0001, GHSA-0000-1111-2222'],
        top: FULL_TOP.filter(r => r[1] !== 'left-pad' || r[0] !== 'CVE-2099-0001')
      }
    ],
    [
      'a rule is active until the day it expires',
      gate({HIGH: 0}, [{id: 'CVE-2099-0001', expires: '2026-06-01'}]),
      new Date('2026-05-31T23:59:59Z'),
      {
        pass: false,
        counts: {'linux/amd64': c(1, 1, 1, 1, 1), 'linux/arm64': c(0, 0, 0, 0, 0)},
        ignored: {'linux/amd64': 2, 'linux/arm64': 1},
        violations: ['linux/amd64: 1 HIGH (max 0): GHSA-0000-1111-2222'],
        top: FULL_TOP.filter(r => r[0] !== 'CVE-2099-0001')
      }
    ],
    [
      'an expired rule no longer ignores',
      gate({HIGH: 0}, [{id: 'CVE-2099-0001', expires: '2026-06-01'}]),
      new Date('2026-06-01T00:00:00Z'),
      {
        pass: false,
        counts: {'linux/amd64': ALL, 'linux/arm64': ARM},
        ignored: {'linux/amd64': 0, 'linux/arm64': 0},
        violations: [
          'linux/amd64: 3 HIGH (max 0): CVE-2099-0001, GHSA-0000-1111-2222',
          'linux/arm64: 1 HIGH (max 0): CVE-2099-0001'
        ],
        top: FULL_TOP
      }
    ],
    [
      'an empty max passes everything but still counts',
      gate({}),
      NOW,
      {
        pass: true,
        counts: {'linux/amd64': ALL, 'linux/arm64': ARM},
        ignored: {'linux/amd64': 0, 'linux/arm64': 0},
        violations: [],
        top: FULL_TOP
      }
    ],
    [
      'maxima at the counts pass',
      gate({CRITICAL: 1, HIGH: 3, MEDIUM: 1, LOW: 1, UNKNOWN: 1}),
      NOW,
      {
        pass: true,
        counts: {'linux/amd64': ALL, 'linux/arm64': ARM},
        ignored: {'linux/amd64': 0, 'linux/arm64': 0},
        violations: [],
        top: FULL_TOP
      }
    ],
    [
      'fail-on unknown',
      gate(failOnToMax('unknown', 'fail-on')),
      NOW,
      {
        pass: false,
        counts: {'linux/amd64': ALL, 'linux/arm64': ARM},
        ignored: {'linux/amd64': 0, 'linux/arm64': 0},
        violations: [
          'linux/amd64: 1 CRITICAL (max 0): CVE-2099-0002',
          'linux/amd64: 3 HIGH (max 0): CVE-2099-0001, GHSA-0000-1111-2222',
          'linux/amd64: 1 MEDIUM (max 0): CVE-2099-0003',
          'linux/amd64: 1 LOW (max 0): CVE-2099-0004',
          'linux/amd64: 1 UNKNOWN (max 0): CVE-2099-0005',
          'linux/arm64: 1 HIGH (max 0): CVE-2099-0001'
        ],
        top: FULL_TOP
      }
    ]
  ])('%s', (_name, spec, now, expected) => {
    const v = evaluateGate(spec, MIXED, now);
    expect({pass: v.pass, counts: v.counts, ignored: v.ignored, violations: v.violations, top: topOf(v)}).toEqual(
      expected
    );
    expect(v.total).toEqual({'linux/amd64': ALL, 'linux/arm64': ARM});
  });

  it.each<[number, boolean, string[]]>([
    [0, false, ['linux/amd64: 1 HIGH (max 0): CVE-2099-0001', 'linux/arm64: 1 HIGH (max 0): CVE-2099-0001']],
    [1, true, []]
  ])('bed reports with max HIGH %i', (max, pass, violations) => {
    const v = evaluateGate(gate({HIGH: max}), BED, NOW);
    expect([v.pass, v.violations]).toEqual([pass, violations]);
    // One entry per id+pkg: the first platform given wins.
    expect(topOf(v)).toEqual([['CVE-2099-0001', 'fixture-pkg', 'HIGH', 'linux/amd64']]);
    expect(v.top[0]).toMatchObject({installed: '1.0-1', fixed: '1.0-2'});
  });

  it('lists at most 5 ids per violation and 10 top findings', () => {
    const many: Finding[] = Array.from({length: 12}, (_, i) => ({
      id: `CVE-2000-${String(12 - i).padStart(4, '0')}`,
      pkg: 'p',
      installed: '1',
      severity: 'HIGH',
      target: 't'
    }));
    const v = evaluateGate(gate({HIGH: 0}), {'linux/s390x': many}, NOW);
    expect(v.violations).toEqual([
      'linux/s390x: 12 HIGH (max 0): CVE-2000-0001, CVE-2000-0002, CVE-2000-0003, CVE-2000-0004, CVE-2000-0005 and 7 more'
    ]);
    expect(v.top.map(f => f.id)).toEqual(
      Array.from({length: 10}, (_, i) => `CVE-2000-${String(i + 1).padStart(4, '0')}`)
    );
  });

  it('no platforms: passes with nothing counted', () => {
    expect(evaluateGate(gate({HIGH: 0}), {}, NOW)).toEqual({
      pass: true,
      counts: {},
      total: {},
      ignored: {},
      violations: [],
      top: []
    });
  });

  it.each([-1, 1.5, Number.NaN])('rejects max HIGH %p (a bad maximum would pass everything)', max => {
    expect(() => evaluateGate(gate({HIGH: max}), BED, NOW)).toThrow(
      `gate: max HIGH must be a whole number >= 0, got ${max}`
    );
  });
});
