/** Trivy's severity scale. */
export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'UNKNOWN';

/** Most severe first: array order is the ranking everywhere (gate, SARIF, summaries). */
export const SEVERITIES: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

export function isSeverity(s: unknown): s is Severity {
  return typeof s === 'string' && (SEVERITIES as readonly string[]).includes(s);
}

/** 0 for CRITICAL … 4 for UNKNOWN: sorts most severe first. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Most findings allowed per severity; a severity left out is not limited. */
export type Maxima = Partial<Record<Severity, number>>;

/** Per severity the lower of two maxima (inputs vs policy, one registry vs another). */
export function stricterMax(a: Maxima, b: Maxima): Maxima {
  const max: Maxima = {};
  for (const s of SEVERITIES) {
    const vals = [a[s], b[s]].filter((v): v is number => v !== undefined);
    if (vals.length) max[s] = Math.min(...vals);
  }
  return max;
}

export function zeroCounts(): Record<Severity, number> {
  return {CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0};
}
