import {SEVERITIES, severityRank, zeroCounts, type Severity} from './severity.js';
import type {Finding} from './trivy-report.js';

/** What makes the gate fail: findings above `max` once ignores and ignore-unfixed are applied. */
export interface GateSpec {
  /** Allowed findings per severity; a severity without an entry is unlimited. */
  max: Partial<Record<Severity, number>>;
  ignoreUnfixed: boolean;
  ignore: IgnoreRule[];
}

export interface IgnoreRule {
  id: string;
  /** YYYY-MM-DD; from 00:00 UTC that day the rule no longer ignores (trivy's reading of exp:). */
  expires?: string;
  /** Only this package (by name); every package when absent. */
  pkg?: string;
}

export interface GateVerdict {
  pass: boolean;
  /** Counted findings per platform, after ignores. */
  counts: Record<string, Record<Severity, number>>;
  /** All findings per platform. */
  total: Record<string, Record<Severity, number>>;
  ignored: Record<string, number>;
  /** e.g. "linux/amd64: 1 HIGH (max 0): CVE-2099-0001" */
  violations: string[];
  /** Counted findings, most severe first, at most 10, one per id+pkg. */
  top: (Finding & {platform: string})[];
}

const FAIL_ON = ['critical', 'high', 'medium', 'low', 'unknown', 'none'];

/** `fail-on: high` → no HIGH and no CRITICAL allowed; `none` or empty → no threshold. */
export function failOnToMax(level: string, inputName: string): Partial<Record<Severity, number>> {
  const v = level.trim().toLowerCase();
  if (v === '' || v === 'none') return {};
  if (!FAIL_ON.includes(v)) {
    throw new Error(`Input "${inputName}": "${level}" is not a severity; allowed: ${FAIL_ON.join(', ')}`);
  }
  const upTo = severityRank(v.toUpperCase() as Severity);
  return Object.fromEntries(SEVERITIES.slice(0, upTo + 1).map(s => [s, 0]));
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Trivy IDs: CVE-…, GHSA-…, DLA-…, AVD-AWS-0001, RUSTSEC-…; a comma or quote means a typo.
const ID = /^[A-Za-z0-9][\w.:/+-]*$/;

function validDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  // Date.UTC rolls 2024-02-30 over to March: a typo'd date must not silently move the expiry.
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/**
 * trivy's .trivyignore: one ID per line, `#` comments, optional `exp:YYYY-MM-DD`. Stricter than
 * trivy, which skips a line with a bad date with a warning: here a bad line is an error, because
 * a skipped line silently un-ignores (or a typo'd ID silently ignores nothing).
 */
export function parseIgnoreFile(text: string, file: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${file}:${i + 1}`;
    const [id, ...rest] = line.split(/\s+/);
    if (!ID.test(id)) throw new Error(`${where}: "${id}" is not a vulnerability ID`);
    const rule: IgnoreRule = {id};
    for (const tok of rest) {
      if (tok.startsWith('#')) break;
      if (tok.startsWith('exp:') && rule.expires === undefined) {
        const date = tok.slice(4);
        if (!validDate(date)) throw new Error(`${where}: "${tok}" is not exp:YYYY-MM-DD`);
        rule.expires = date;
        continue;
      }
      throw new Error(`${where}: unexpected "${tok}" (after the ID only exp:YYYY-MM-DD and a # comment may follow)`);
    }
    rules.push(rule);
  });
  return rules;
}

function activeRules(rules: IgnoreRule[], now: Date): IgnoreRule[] {
  return rules.filter(r => r.expires === undefined || Date.parse(`${r.expires}T00:00:00Z`) > now.getTime());
}

function isIgnored(f: Finding, spec: GateSpec, rules: IgnoreRule[]): boolean {
  if (spec.ignoreUnfixed && !f.fixed) return true;
  return rules.some(r => r.id === f.id && (r.pkg === undefined || r.pkg === f.pkg));
}

function count(findings: Finding[]): Record<Severity, number> {
  const c = zeroCounts();
  for (const f of findings) c[f.severity]++;
  return c;
}

const MAX_IDS = 5;

function idList(findings: Finding[]): string {
  const ids = [...new Set(findings.map(f => f.id))].sort();
  const shown = ids.slice(0, MAX_IDS).join(', ');
  return ids.length > MAX_IDS ? `${shown} and ${ids.length - MAX_IDS} more` : shown;
}

const byId = (a: Finding, b: Finding): number =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : a.pkg < b.pkg ? -1 : a.pkg > b.pkg ? 1 : 0;

/** The verdict over every platform's findings; computed here, never from trivy's exit code. */
export function evaluateGate(spec: GateSpec, perPlatform: Record<string, Finding[]>, now: Date): GateVerdict {
  for (const [s, max] of Object.entries(spec.max)) {
    // `n > NaN` is always false: a bad maximum would pass everything.
    if (!Number.isInteger(max) || max < 0) throw new Error(`gate: max ${s} must be a whole number >= 0, got ${max}`);
  }
  const rules = activeRules(spec.ignore, now);
  const verdict: GateVerdict = {pass: true, counts: {}, total: {}, ignored: {}, violations: [], top: []};
  const counted: (Finding & {platform: string})[] = [];
  for (const [platform, findings] of Object.entries(perPlatform)) {
    const kept = findings.filter(f => !isIgnored(f, spec, rules));
    verdict.total[platform] = count(findings);
    verdict.counts[platform] = count(kept);
    verdict.ignored[platform] = findings.length - kept.length;
    for (const s of SEVERITIES) {
      const max = spec.max[s];
      const n = verdict.counts[platform][s];
      if (max !== undefined && n > max) {
        verdict.violations.push(`${platform}: ${n} ${s} (max ${max}): ${idList(kept.filter(f => f.severity === s))}`);
      }
    }
    counted.push(...kept.map(f => ({...f, platform})));
  }
  verdict.pass = verdict.violations.length === 0;
  // Stable sort: within a severity and id, the first platform given wins the dedup.
  const sorted = [...counted].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || byId(a, b));
  const seen = new Set<string>();
  for (const f of sorted) {
    const key = `${f.id}\u0000${f.pkg}`;
    if (seen.has(key)) continue;
    seen.add(key);
    verdict.top.push(f);
    if (verdict.top.length === 10) break;
  }
  return verdict;
}
