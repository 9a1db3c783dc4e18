import {parseReference} from '../registry/reference.js';
import {SEVERITIES, severityRank, type Severity} from './severity.js';
import type {Finding} from './trivy-report.js';

// GitHub ranks code-scanning alerts by `security-severity` (>= 9 critical, >= 7 high, >= 4 medium,
// > 0 low). Trivy's own SARIF maps severities to these scores; the same mapping keeps GitHub's
// ranking equal to the gate's.
const SCORE: Record<Severity, string> = {CRITICAL: '9.5', HIGH: '8.0', MEDIUM: '5.5', LOW: '2.0', UNKNOWN: '0.0'};
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  UNKNOWN: 'note'
};

export interface SarifScan {
  platform: string;
  ref: string;
  findings: Finding[];
}

/**
 * The location GitHub shows: the image repository without registry, tag or digest, as trivy's
 * SARIF writes it ("127.0.0.1:5000/bed/app@sha256:…" → "bed/app", "alpine" → "library/alpine").
 */
export function imageUri(ref: string): string {
  // A local OCI layout or archive (push: false without an image name) is a path, not a reference:
  // the path itself, without the @digest of the platform manifest.
  if (ref.startsWith('/') || ref.startsWith('.')) return ref.replace(/@sha256:[0-9a-f]{64}$/, '');
  // trivy's uri is go-containerregistry's RepositoryStr, which is reference.ts's repository.
  return parseReference(ref).repository;
}

function mostSevere(findings: Finding[]): Severity {
  return SEVERITIES[Math.min(...findings.map(f => severityRank(f.severity)))];
}

function rule(id: string, findings: Finding[]): object {
  const severity = mostSevere(findings);
  const first = findings[0];
  const title = first.title ?? id;
  const pkgs = [...new Set(findings.map(f => `${f.pkg}${f.fixed ? ` (fixed in ${f.fixed})` : ''}`))].sort();
  const link = first.url ? `[${id}](${first.url})` : id;
  return {
    id,
    shortDescription: {text: title},
    fullDescription: {text: title},
    ...(first.url ? {helpUri: first.url} : {}),
    help: {
      text: `Vulnerability ${id}\nSeverity: ${severity}\nPackages: ${pkgs.join(', ')}\nLink: ${first.url ?? 'none'}\n`,
      markdown: `**Vulnerability ${id}**\n\n| Severity | Packages | Link |\n| --- | --- | --- |\n| ${severity} | ${pkgs.join(', ')} | ${link} |\n`
    },
    defaultConfiguration: {level: LEVEL[severity]},
    properties: {
      precision: 'very-high',
      'security-severity': SCORE[severity],
      tags: ['vulnerability', 'security', severity]
    }
  };
}

function result(f: Finding, platform: string, uri: string, ruleIndex: number): object {
  const fix = f.fixed ? `fixed in ${f.fixed}` : 'no fix available';
  return {
    ruleId: f.id,
    ruleIndex,
    level: LEVEL[f.severity],
    message: {
      text: `${platform}: ${f.pkg} ${f.installed} has ${f.id} (${f.severity}), ${fix}${f.title ? `: ${f.title}` : ''}`
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: {uri},
          region: {startLine: 1, startColumn: 1, endLine: 1, endColumn: 1}
        },
        message: {text: `${platform}: ${f.pkg}@${f.installed}`}
      }
    ],
    properties: {platform, package: f.pkg, installedVersion: f.installed, fixedVersion: f.fixed ?? '', target: f.target}
  };
}

/**
 * SARIF 2.1.0 for github/codeql-action/upload-sarif: every finding of every platform, whatever
 * the gate says (code scanning is where ignored and unfixed findings stay visible). One run, so
 * the upload never carries two runs of the same tool and category.
 */
export function toSarif(scans: SarifScan[], toolVersion: string): object {
  const byRule = new Map<string, Finding[]>();
  for (const s of scans) for (const f of s.findings) byRule.set(f.id, [...(byRule.get(f.id) ?? []), f]);
  const ids = [...byRule.keys()].sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Trivy',
            fullName: 'Trivy Vulnerability Scanner',
            informationUri: 'https://github.com/aquasecurity/trivy',
            version: toolVersion,
            rules: ids.map(id => rule(id, byRule.get(id)!))
          }
        },
        results: scans.flatMap(s => s.findings.map(f => result(f, s.platform, imageUri(s.ref), index.get(f.id)!))),
        columnKind: 'utf16CodeUnits'
      }
    ]
  };
}
