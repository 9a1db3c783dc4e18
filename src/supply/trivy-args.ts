// argv for trivy v0.74 (every flag checked against `trivy image --help` / `trivy convert --help`).

export type TrivyFormat = 'json' | 'spdx-json' | 'cyclonedx';

/**
 * Flags that make trivy read no trivy.yaml (and for scans no .trivyignore) from the working directory (the
 * user's checkout): either would filter findings out of the report, and the report must hold all
 * of them — the gate applies the ignore file itself.
 */
const NO_CONFIG = ['--config', '/dev/null'];
const NO_LOCAL_CONFIG = [...NO_CONFIG, '--ignorefile', '/dev/null'];
const QUIET = ['--skip-version-check', '--disable-telemetry', '--no-progress'];
const ALL_SEVERITIES = 'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL';

/**
 * Download the vulnerability DB only. Several repositories become repeated --db-repository flags
 * (trivy also takes a comma list), but trivy moves on to the next one only on a temporary error
 * (429/5xx): the adapter therefore calls this once per mirror.
 */
export function trivyDbArgs(o: {cacheDir: string; dbRepositories: string[]; insecure: boolean}): string[] {
  return [
    'image',
    '--download-db-only',
    '--cache-dir',
    o.cacheDir,
    ...o.dbRepositories.flatMap(r => ['--db-repository', r]),
    ...(o.insecure ? ['--insecure'] : []),
    ...QUIET,
    ...NO_CONFIG
  ];
}

/**
 * Scan an image in the registry (never a local image of the same name) with the DB prepared
 * before. No --exit-code and no filtering: the gate reads the report. `--cache-backend memory`
 * because the fs backend holds an exclusive lock on CACHE/fanal/fanal.db for the whole run,
 * which serialises (or times out) parallel scans; the vulnerability DB is opened read-only.
 * SBOM formats get no --scanners: trivy then writes a pure inventory (with --scanners vuln a
 * CycloneDX document would carry vulnerabilities that go stale).
 */
export function trivyScanArgs(o: {
  ref: string;
  /** The ref is a local OCI layout `dir@sha256:...` or archive (push: false), read with --input. */
  input?: boolean;
  output: string;
  format: TrivyFormat;
  cacheDir: string;
  insecure: boolean;
}): string[] {
  const json = o.format === 'json';
  return [
    'image',
    '--cache-dir',
    o.cacheDir,
    '--cache-backend',
    'memory',
    '--skip-db-update',
    '--skip-java-db-update',
    ...QUIET,
    ...NO_LOCAL_CONFIG,
    ...(o.input ? [] : ['--image-src', 'remote']),
    // Explicit, so a TRIVY_SEVERITY in the environment cannot drop findings either.
    ...(json ? ['--scanners', 'vuln', '--severity', ALL_SEVERITIES, '--list-all-pkgs'] : []),
    '--format',
    o.format,
    '--output',
    o.output,
    ...(o.insecure && !o.input ? ['--insecure'] : []),
    ...(o.input ? ['--input', o.ref] : [o.ref])
  ];
}

/** Turn a saved JSON report into an SBOM without fetching the image again. */
export function trivyConvertArgs(o: {report: string; output: string; format: 'spdx-json' | 'cyclonedx'}): string[] {
  return ['convert', '--format', o.format, '--output', o.output, ...NO_LOCAL_CONFIG, o.report];
}

export function trivyVersionArgs(): string[] {
  return ['version', '--format', 'json'];
}

/**
 * Blank every TRIVY_* variable of the runner's environment (trivy ignores empty ones): e.g.
 * TRIVY_SEVERITY, TRIVY_IGNORE_STATUS or TRIVY_EXIT_CODE would filter the report or fail a scan
 * the gate should judge. The action's inputs are trivy's only configuration.
 */
export function neutralTrivyEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.keys(env)
      .filter(k => k.startsWith('TRIVY_'))
      .map(k => [k, ''])
  );
}

/** "linux/arm/v7" → "linux-arm-v7": a file-name-safe platform. */
export function platformSlug(platform: string): string {
  const slug = platform.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  if (!slug || /^\.+$/.test(slug)) throw new Error(`platform "${platform}" gives no usable file name`);
  return slug;
}

export function reportFileName(platform: string): string {
  return `trivy-${platformSlug(platform)}.json`;
}

export function sbomFileName(platform: string, format: 'spdx-json' | 'cyclonedx'): string {
  return `sbom-${platformSlug(platform)}.${format === 'spdx-json' ? 'spdx' : 'cdx'}.json`;
}
