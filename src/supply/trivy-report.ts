import {isSeverity, type Severity} from './severity.js';

/** One vulnerability of one package, as trivy reported it. */
export interface Finding {
  id: string;
  pkg: string;
  installed: string;
  fixed?: string;
  severity: Severity;
  title?: string;
  status?: string;
  target: string;
  url?: string;
}

export interface TrivyScan {
  /** "debian 12.11"; undefined when trivy detected no OS (then an empty finding list proves little). */
  os?: string;
  findings: Finding[];
  packageCount: number;
}

// Only the fields we read; trivy's JSON report schema version 2.
interface RawVuln {
  VulnerabilityID?: unknown;
  PkgName?: unknown;
  InstalledVersion?: unknown;
  FixedVersion?: unknown;
  Severity?: unknown;
  Title?: unknown;
  Status?: unknown;
  PrimaryURL?: unknown;
}
interface RawResult {
  Target?: unknown;
  Packages?: unknown;
  Vulnerabilities?: unknown;
}
interface RawReport {
  SchemaVersion?: unknown;
  Metadata?: {OS?: {Family?: unknown; Name?: unknown}};
  Results?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function parseJson(json: string, source: string): RawReport {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new Error(`${source}: not a trivy JSON report (${(e as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('SchemaVersion' in raw)) {
    throw new Error(`${source}: not a trivy JSON report (no SchemaVersion)`);
  }
  const report = raw as RawReport;
  // A new schema may move fields: reading it as v2 could silently drop findings and pass the gate.
  if (report.SchemaVersion !== 2) {
    throw new Error(`${source}: trivy report schema ${String(report.SchemaVersion)} is not supported (expected 2)`);
  }
  if (report.Results !== undefined && report.Results !== null && !Array.isArray(report.Results)) {
    throw new Error(`${source}: not a trivy JSON report (Results is not a list)`);
  }
  return report;
}

function toFinding(v: RawVuln, target: string, source: string): Finding {
  const id = str(v.VulnerabilityID);
  const pkg = str(v.PkgName);
  if (!id || !pkg) throw new Error(`${source}: a vulnerability in ${target} has no VulnerabilityID or PkgName`);
  // Fail closed: an unknown severity must not fall through the thresholds.
  if (!isSeverity(v.Severity)) {
    throw new Error(`${source}: ${id} in ${pkg} has unknown severity ${JSON.stringify(v.Severity)}`);
  }
  const f: Finding = {id, pkg, installed: str(v.InstalledVersion) ?? '', severity: v.Severity, target};
  const fixed = str(v.FixedVersion);
  if (fixed) f.fixed = fixed;
  const title = str(v.Title);
  if (title) f.title = title;
  const status = str(v.Status);
  if (status) f.status = status;
  const url = str(v.PrimaryURL);
  if (url) f.url = url;
  return f;
}

/** Findings of a `trivy image --format json` report; throws naming `source` if it is not one. */
export function parseTrivyReport(json: string, source: string): TrivyScan {
  const report = parseJson(json, source);
  const results = (report.Results ?? []) as RawResult[];
  const findings: Finding[] = [];
  let packageCount = 0;
  for (const r of results) {
    const target = str(r.Target) ?? '';
    if (Array.isArray(r.Packages)) packageCount += r.Packages.length;
    if (Array.isArray(r.Vulnerabilities)) {
      for (const v of r.Vulnerabilities as RawVuln[]) findings.push(toFinding(v, target, source));
    }
  }
  const family = str(report.Metadata?.OS?.Family);
  const name = str(report.Metadata?.OS?.Name);
  const os = family ? [family, name].filter(Boolean).join(' ') : undefined;
  return os ? {os, findings, packageCount} : {findings, packageCount};
}

/**
 * The report without its vulnerabilities: converted to an SBOM it gives a pure inventory, the
 * same one a direct `--format cyclonedx` scan writes, without fetching the image a second time.
 */
export function inventoryOnly(json: string, source: string): string {
  const report = parseJson(json, source);
  const results = ((report.Results ?? []) as RawResult[]).map(r => {
    const copy = {...r};
    delete copy.Vulnerabilities;
    return copy;
  });
  return JSON.stringify({...report, Results: results});
}
