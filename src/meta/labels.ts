import type {Expressions} from './expressions.js';
import {refusal} from './refusal.js';
import type {RepoInfo, Version} from './types.js';

// localeCompare (metadata-action's order) builds ICU's collator on its first call, ~8 ms of a run's
// start-up. Over lowercase letters, digits and dots (every OCI key) it orders as code points do,
// so such pairs skip it (label-order.test.ts holds the two against each other).
const PLAIN_KEY = /^[a-z0-9.]*$/;

/** localeCompare's order of two keys. */
export function compareKeys(a: string, b: string): number {
  if (PLAIN_KEY.test(a) && PLAIN_KEY.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return a.localeCompare(b);
}

/**
 * The OCI annotations metadata-action derives from the repository and the run, plus custom
 * entries (each rendered through the expressions); later keys replace earlier ones, sorted by key.
 */
export function ociAnnotations(
  repo: RepoInfo,
  version: Version,
  sha: string,
  created: Date,
  extra: string[],
  exp: Expressions,
  opts: {auto?: boolean; vars?: Record<string, string>; input?: string} = {}
): string[] {
  // `auto-labels: false` / `auto-annotations: false`: only the user's entries.
  const res =
    opts.auto === false
      ? []
      : [
          `org.opencontainers.image.title=${repo.name}`,
          `org.opencontainers.image.description=${repo.description}`,
          `org.opencontainers.image.url=${repo.htmlUrl}`,
          `org.opencontainers.image.source=${repo.htmlUrl}`,
          `org.opencontainers.image.version=${version.main ?? ''}`,
          `org.opencontainers.image.created=${created.toISOString()}`,
          `org.opencontainers.image.revision=${sha}`,
          `org.opencontainers.image.licenses=${repo.license}`
        ];
  for (const entry of extra) {
    const input = opts.input ?? 'labels';
    const rendered = exp.render(entry, {input, entry}, opts.vars);
    // `=value` became `--label =value`, which buildx refuses only after login and builder creation.
    // An entry without `=` stays ignored, as metadata-action ignores it.
    if (/^\s*=/.test(rendered)) throw refusal(input, entry, 'the key is empty; write key=value');
    res.push(rendered);
  }
  const map = new Map<string, string>();
  for (const entry of res) {
    const [key, ...values] = entry.split('=');
    if (values.length > 0) {
      map.set(key, values.join('='));
    }
  }
  return Array.from(map)
    .sort((a, b) => compareKeys(a[0], b[0]))
    .map(([key, value]) => `${key}=${value}`);
}

/** `key=value` lines to an object, as the `json` output shows labels. */
export function toRecord(entries: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const m = entry.match(/([^=]*)=(.*)/);
    if (m) out[m[1]] = m[2];
  }
  return out;
}
