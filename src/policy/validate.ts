import {canonicalPrefix} from '../registry/reference.js';
import type {Path} from './locate.js';
import {compileTagPattern} from './patterns.js';
import {parseSize} from './size.js';
import type {Policy, RegistryRule, Requirements, ScanRequirement, Severity, TagPattern, TagRules} from './types.js';

/** Reports a broken setting; never returns. */
export type Fail = (path: Path, what: string) => never;

const TOP_KEYS = ['version', 'registries'];
const ENTRY_KEYS = ['match', 'immutable', 'tags', 'expires-after', 'require'];
const TAG_KEYS = ['allow', 'forbid'];
const SIGNATURE_KEYS = ['at', 'tags'];
const SIGNATURE_AT = ['source', 'promotion'];
const REQUIRE_KEYS = ['scan', 'signature', 'sbom', 'non-root', 'uids', 'labels', 'max-size'];
const SCAN_LIMITS: Readonly<Record<string, Severity>> = {
  'max-critical': 'CRITICAL',
  'max-high': 'HIGH',
  'max-medium': 'MEDIUM',
  'max-low': 'LOW',
  'max-unknown': 'UNKNOWN'
};
const SCAN_KEYS = [...Object.keys(SCAN_LIMITS), 'ignore-unfixed'];
const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const EXPIRY = /^\d+[hdw]$/;
const MAX_UID = 4294967294;

/** `registries.production.tags.forbid[2]` */
export function pathText(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** How a wrong value is shown in a message. */
export function shown(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value}"`;
  return String(value);
}

/**
 * Turns a parsed document into a Policy, refusing anything it does not understand: unknown
 * keys (a misspelt `imutable` would otherwise silently leave a registry mutable), wrong types,
 * out-of-range numbers, bad units and patterns, and two entries claiming the same prefix.
 */
export function toPolicy(doc: unknown, file: string, fail: Fail, lineOf: (path: Path) => number): Policy {
  if (doc === null || doc === undefined) fail([], 'the file is empty; a policy needs "version: 1" and registries');
  const top = mapping([], doc, TOP_KEYS, fail, 'the policy must be a mapping with version and registries');
  if (top.version === undefined) fail([], 'version is missing; write "version: 1" (the format this action reads)');
  if (top.version !== 1) fail(['version'], `${shown(top.version)} is not supported; this action reads version 1`);
  if (top.registries === undefined) fail([], 'registries is missing; map environment names to their rules');
  const entries = mapping(['registries'], top.registries, undefined, fail, 'must map environment names to rules');
  if (Object.keys(entries).length === 0) fail(['registries'], 'must name at least one environment');

  const owners = new Map<string, Path>();
  const registries: Record<string, RegistryRule> = {};
  for (const [name, raw] of Object.entries(entries)) {
    const at: Path = ['registries', name];
    if (!ENV_NAME.test(name)) fail(at, `"${name}" is not an environment name: use letters, digits, "-" and "_"`);
    const rule = toRule(at, raw, fail);
    rule.match.forEach((prefix, i) => {
      const here = Array.isArray((raw as Record<string, unknown>).match) ? [...at, 'match', i] : [...at, 'match'];
      const first = owners.get(prefix);
      if (first) {
        fail(
          here,
          `"${prefix}" is already a match of ${pathText(first.slice(0, 2))} (line ${lineOf(first)}); ` +
            'each prefix must belong to one entry (the longest matching prefix decides)'
        );
      }
      owners.set(prefix, here);
    });
    registries[name] = rule;
  }
  return {version: 1, file, registries};
}

function toRule(at: Path, raw: unknown, fail: Fail): RegistryRule {
  const entry = mapping(at, raw, ENTRY_KEYS, fail, `must be a mapping (${ENTRY_KEYS.join(', ')})`);
  if (entry.match === undefined) fail(at, 'match is missing; give the image name prefix, e.g. quay.io/acme/');
  const immutable = bool([...at, 'immutable'], entry.immutable, false, fail);
  let expiresAfter: string | undefined;
  if (entry['expires-after'] !== undefined) {
    const path = [...at, 'expires-after'];
    const value = entry['expires-after'];
    if (typeof value !== 'string' || !EXPIRY.test(value) || /^0+[hdw]$/.test(value)) {
      fail(path, `must be a duration such as 12h, 7d or 2w (quay.expires-after), got ${shown(value)}`);
    }
    if (immutable) {
      fail(path, 'an immutable registry keeps its tags, and quay.expires-after would delete them; drop one of the two');
    }
    expiresAfter = value;
  }
  return {
    match: matchList([...at, 'match'], entry.match, fail),
    immutable,
    tags: tagRules([...at, 'tags'], entry.tags, fail),
    ...(expiresAfter === undefined ? {} : {expiresAfter}),
    require: requirements([...at, 'require'], entry.require, fail)
  };
}

function matchList(at: Path, raw: unknown, fail: Fail): string[] {
  const items = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(items) || items.length === 0) {
    fail(at, `must be an image name prefix or a list of them, got ${shown(raw)}`);
  }
  return items.map((item: unknown, i: number) => {
    const path = typeof raw === 'string' ? at : [...at, i];
    if (typeof item !== 'string' || item.trim() === '') {
      fail(path, `must be an image name prefix such as quay.io/acme/, got ${shown(item)}`);
    }
    const prefix = item.trim().toLowerCase();
    if (/\s|@/.test(prefix)) fail(path, `"${item}" is not an image name prefix (no spaces or digests)`);
    const host = prefix.split('/')[0];
    if (!(host.includes('.') || host.includes(':') || host === 'localhost')) {
      fail(
        path,
        `"${item}" must begin with a registry host (e.g. docker.io/${prefix}): ` +
          'prefixes are compared with the full image name'
      );
    }
    return canonicalPrefix(prefix, why => fail(path, `"${item}": ${why}`));
  });
}

function tagRules(at: Path, raw: unknown, fail: Fail): TagRules {
  if (raw === undefined) return {forbid: []};
  const tags = mapping(at, raw, TAG_KEYS, fail, 'must be a mapping with allow and/or forbid');
  const rules: TagRules = {forbid: patterns([...at, 'forbid'], tags.forbid, fail)};
  if (tags.allow !== undefined) {
    const allow = patterns([...at, 'allow'], tags.allow, fail);
    if (allow.length === 0)
      fail([...at, 'allow'], 'an empty allow list refuses every tag; leave allow out to allow any');
    rules.allow = allow;
  }
  return rules;
}

function patterns(at: Path, raw: unknown, fail: Fail): TagPattern[] {
  if (raw === undefined || raw === null) return [];
  // Unquoted, `{sha}` is a YAML mapping: say so rather than only "got a mapping".
  const hint = (v: unknown): string =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? ` (quote patterns that begin with "{", e.g. '{sha}')`
      : '';
  if (!Array.isArray(raw)) fail(at, `must be a list of tag patterns, got ${shown(raw)}${hint(raw)}`);
  return raw.map((item: unknown, i: number) => {
    if (typeof item !== 'string') fail([...at, i], `must be a tag pattern string, got ${shown(item)}${hint(item)}`);
    try {
      return compileTagPattern(item);
    } catch (e) {
      return fail([...at, i], (e as Error).message);
    }
  });
}

function requirements(at: Path, raw: unknown, fail: Fail): Requirements {
  const req = raw === undefined ? {} : mapping(at, raw, REQUIRE_KEYS, fail, 'must be a mapping of requirements');
  const result: Requirements = {
    ...signature([...at, 'signature'], req.signature, fail),
    sbom: bool([...at, 'sbom'], req.sbom, false, fail),
    nonRoot: bool([...at, 'non-root'], req['non-root'], false, fail),
    labels: labels([...at, 'labels'], req.labels, fail)
  };
  if (req.scan !== undefined) result.scan = scan([...at, 'scan'], req.scan, fail);
  if (req.uids !== undefined) result.uids = uids([...at, 'uids'], req.uids, fail);
  if (req['max-size'] !== undefined) {
    const path = [...at, 'max-size'];
    const value = req['max-size'];
    if (typeof value !== 'string') fail(path, `must be a size with a unit, e.g. 500MB, got ${shown(value)}`);
    let bytes = 0;
    try {
      bytes = parseSize(value);
    } catch (e) {
      fail(path, (e as Error).message);
    }
    if (bytes <= 0) fail(path, `must be more than 0, got "${value}"`);
    result.maxSize = {bytes, text: value};
  }
  return result;
}

/** `signature: true|false`, or `{at: source|promotion, tags: [patterns]}` (a signature is then required). */
function signature(
  at: Path,
  raw: unknown,
  fail: Fail
): Pick<Requirements, 'signature' | 'signatureAt' | 'signatureTags'> {
  if (raw === undefined || typeof raw === 'boolean') return {signature: raw ?? false};
  const body = mapping(at, raw, SIGNATURE_KEYS, fail, 'must be true, false or a mapping (at, tags)');
  const out: Pick<Requirements, 'signature' | 'signatureAt' | 'signatureTags'> = {signature: true};
  if (body.at !== undefined) {
    if (typeof body.at !== 'string' || !SIGNATURE_AT.includes(body.at)) {
      fail([...at, 'at'], `must be ${SIGNATURE_AT.join(' or ')}, got ${shown(body.at)}`);
    }
    out.signatureAt = body.at as 'source' | 'promotion';
  }
  if (body.tags !== undefined) {
    const tags = patterns([...at, 'tags'], body.tags, fail);
    if (tags.length === 0) fail([...at, 'tags'], 'an empty list requires no signature; use signature: false');
    out.signatureTags = tags;
  }
  return out;
}

function scan(at: Path, raw: unknown, fail: Fail): ScanRequirement {
  const body = mapping(at, raw, SCAN_KEYS, fail, `must be a mapping (${SCAN_KEYS.join(', ')})`);
  const max: ScanRequirement['max'] = {};
  for (const [key, severity] of Object.entries(SCAN_LIMITS)) {
    const value = body[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      fail([...at, key], `must be a whole number of findings, 0 or more, got ${shown(value)}`);
    }
    max[severity] = value;
  }
  if (Object.keys(max).length === 0) {
    fail(at, `name at least one of ${Object.keys(SCAN_LIMITS).join(', ')} (e.g. max-critical: 0)`);
  }
  return {max, ignoreUnfixed: bool([...at, 'ignore-unfixed'], body['ignore-unfixed'], false, fail)};
}

function uids(at: Path, raw: unknown, fail: Fail): number[] {
  if (!Array.isArray(raw) || raw.length === 0) fail(at, `must be a list of uids such as [1001], got ${shown(raw)}`);
  return raw.map((item: unknown, i: number) => {
    if (item === 0) fail([...at, i], '0 is root; list the non-root uids the image may run as');
    if (typeof item !== 'number' || !Number.isInteger(item) || item < 1 || item > MAX_UID) {
      fail([...at, i], `must be a uid from 1 to ${MAX_UID}, got ${shown(item)}`);
    }
    return item;
  });
}

function labels(at: Path, raw: unknown, fail: Fail): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) fail(at, `must be a list of label keys, got ${shown(raw)}`);
  return raw.map((item: unknown, i: number) => {
    if (typeof item !== 'string' || !/^[^\s=]+$/.test(item)) {
      fail([...at, i], `must be a label key such as org.opencontainers.image.source, got ${shown(item)}`);
    }
    return item;
  });
}

function bool(at: Path, raw: unknown, fallback: boolean, fail: Fail): boolean {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'boolean') fail(at, `must be true or false, got ${shown(raw)}`);
  return raw;
}

/** A plain mapping whose keys are all in `allowed` (any key when `allowed` is undefined). */
function mapping(
  at: Path,
  raw: unknown,
  allowed: readonly string[] | undefined,
  fail: Fail,
  expected: string
): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(at, `${expected}, got ${shown(raw)}`);
  const body = raw as Record<string, unknown>;
  if (allowed) {
    for (const key of Object.keys(body)) {
      if (allowed.includes(key)) continue;
      const near = allowed.find(a => distance(a, key) <= Math.max(2, Math.floor(a.length / 3)));
      const guess = near ? `; did you mean "${near}"?` : '';
      fail([...at, key], `unknown key${guess} (allowed: ${allowed.join(', ')})`);
    }
  }
  return body;
}

/** Edit distance, for "did you mean" on a misspelt key. */
function distance(a: string, b: string): number {
  let prev = Array.from({length: b.length + 1}, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
