import {parseFields} from './list.js';
import {refusal} from './refusal.js';

export type TagType = 'schedule' | 'semver' | 'pep440' | 'match' | 'edge' | 'ref' | 'raw' | 'sha';
export const TAG_TYPES: readonly TagType[] = ['schedule', 'semver', 'pep440', 'match', 'edge', 'ref', 'raw', 'sha'];
export type RefEvent = 'branch' | 'tag' | 'pr';
const REF_EVENTS: readonly string[] = ['branch', 'tag', 'pr'];
const SHA_FORMATS: readonly string[] = ['short', 'long'];

/** Attributes each type understands; anything else is a typo we refuse (metadata-action ignores them). */
const KNOWN_ATTRS: Record<TagType, readonly string[]> = {
  schedule: ['pattern'],
  // `match` (metadata-action >= 5.8): a regex whose group 1 is the version inside the tag or value.
  semver: ['pattern', 'value', 'match'],
  pep440: ['pattern', 'value', 'match'],
  match: ['pattern', 'group', 'value'],
  edge: ['branch'],
  ref: ['event'],
  raw: ['value'],
  sha: ['format']
};
// `value` is accepted everywhere: a bare field (no `=`) lands there in metadata-action.
const COMMON_ATTRS = ['enable', 'priority', 'prefix', 'suffix', 'value'];

export const DEFAULT_PRIORITIES: Record<TagType, string> = {
  schedule: '1000',
  semver: '900',
  pep440: '900',
  match: '800',
  edge: '700',
  ref: '600',
  raw: '200',
  sha: '100'
};

export interface TagRule {
  type: TagType;
  attrs: Record<string, string>;
  /** The entry as written, for error messages. */
  source: string;
  /** The input the entry came from (`tags`, or the preset input that supplied it). */
  input: string;
}

export const DEFAULT_TAG_RULES = ['type=schedule', 'type=ref,event=branch', 'type=ref,event=tag', 'type=ref,event=pr'];

const has = (o: Record<string, string>, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * metadata-action reads the version from group 1 of `match=` and crashes (a TypeError) when there is
 * none, or on a regex that does not compile; both are refused here, naming the entry.
 */
function checkVersionMatch(match: string, entry: string, input: string): void {
  let groups: number;
  try {
    new RegExp(match);
    // ORed with the empty pattern it always matches "", and the result has one slot per group.
    groups = (new RegExp(`(?:${match})|`).exec('') as RegExpExecArray).length - 1;
  } catch (err) {
    throw new Error(
      `Input "${input}": match=${match} in tags entry "${entry}" is not a valid regular expression: ${(err as Error).message}`
    );
  }
  if (groups < 1) {
    throw new Error(
      `Input "${input}": match=${match} in tags entry "${entry}" has no capture group; the version is read from group 1, e.g. match=v(\\d+\\.\\d+\\.\\d+)$`
    );
  }
}

/** A priority is a number (metadata-action sorts by `Number()`, so `high` gave NaN and an arbitrary order). */
const PRIORITY = /^-?\d+(?:\.\d+)?$/;

export function parseTagRule(entry: string, input = 'tags'): TagRule {
  const refuse = (rule: string): Error => refusal(input, entry, rule);
  let type: TagType | undefined;
  const attrs: Record<string, string> = {};
  for (const parts of parseFields(entry, input)) {
    if (parts.length === 1) {
      attrs['value'] = parts[0];
      continue;
    }
    const key = parts[0].toLowerCase();
    const value = parts[1];
    if (key === 'type') {
      if (!(TAG_TYPES as readonly string[]).includes(value)) {
        throw refuse(`unknown tag type "${value}" (type= is one of ${TAG_TYPES.join(', ')})`);
      }
      type = value as TagType;
    } else {
      attrs[key] = value;
    }
  }
  const t: TagType = type ?? 'raw';
  for (const key of Object.keys(attrs)) {
    if (!COMMON_ATTRS.includes(key) && !KNOWN_ATTRS[t].includes(key)) {
      throw new Error(
        `Input "${input}": Unknown tag attribute "${key}" in tags entry "${entry}" (type=${t} accepts ${[...KNOWN_ATTRS[t], ...COMMON_ATTRS].join(', ')})`
      );
    }
  }
  switch (t) {
    case 'schedule':
      if (!has(attrs, 'pattern')) attrs['pattern'] = 'nightly';
      break;
    case 'semver':
    case 'pep440':
      if (!has(attrs, 'pattern')) {
        throw refuse(`missing pattern attribute; type=${t} needs one, e.g. pattern={{version}}`);
      }
      if (!has(attrs, 'value')) attrs['value'] = '';
      if (!has(attrs, 'match')) attrs['match'] = '';
      if (attrs['match'].length > 0) checkVersionMatch(attrs['match'], entry, input);
      break;
    case 'match':
      if (!has(attrs, 'pattern')) {
        throw refuse('missing pattern attribute; type=match needs a regular expression, e.g. pattern=v(\\d+\\.\\d+)');
      }
      if (!has(attrs, 'group')) attrs['group'] = '0';
      if (isNaN(+attrs['group'])) {
        throw refuse(`group=${attrs['group']} is not a number; group is the index of the capture group to use`);
      }
      if (!has(attrs, 'value')) attrs['value'] = '';
      break;
    case 'edge':
      if (!has(attrs, 'branch')) attrs['branch'] = '';
      break;
    case 'ref':
      if (!has(attrs, 'event')) throw refuse(`missing event attribute; type=ref needs event=${REF_EVENTS.join('|')}`);
      if (!REF_EVENTS.includes(attrs['event'])) {
        throw refuse(`event=${attrs['event']} is not one of ${REF_EVENTS.join(', ')}`);
      }
      if (attrs['event'] === 'pr' && !has(attrs, 'prefix')) attrs['prefix'] = 'pr-';
      break;
    case 'raw':
      if (!has(attrs, 'value')) throw refuse('missing value attribute; type=raw needs value=<tag>');
      break;
    case 'sha':
      if (!has(attrs, 'prefix')) attrs['prefix'] = 'sha-';
      if (!has(attrs, 'format')) attrs['format'] = 'short';
      if (!SHA_FORMATS.includes(attrs['format'])) {
        throw refuse(`format=${attrs['format']} is not one of ${SHA_FORMATS.join(', ')}`);
      }
      break;
  }
  if (!has(attrs, 'enable')) attrs['enable'] = 'true';
  if (!has(attrs, 'priority')) attrs['priority'] = DEFAULT_PRIORITIES[t];
  if (!PRIORITY.test(attrs['priority'])) {
    throw refuse(`priority=${attrs['priority']} is not a number; rules are ordered by priority, highest first`);
  }
  return {type: t, attrs, source: entry, input};
}

/** Parses every rule (the metadata-action defaults when none) and orders them by priority, highest first. */
export function parseTagRules(entries: string[], input = 'tags'): TagRule[] {
  const list = entries.length === 0 ? DEFAULT_TAG_RULES : entries;
  const rules = list.map(entry => parseTagRule(entry, input));
  // Array.prototype.sort is stable: equal priorities keep their input order, as in metadata-action.
  return rules.sort((a, b) => Number(b.attrs['priority']) - Number(a.attrs['priority']) || 0);
}

/** `[registry/]path/name:tag` or `registry/path/name`: what someone used to build-push-action's `tags:` writes. */
const DOMAIN_FIRST = /^(?:localhost|[^/\s]*[.:][^/\s]*)\/[^\s]+$/;
const NAME_WITH_TAG = /^[^/\s:]+(?::[0-9]+)?(?:\/[^/\s:]+)+:[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * type=raw entries whose value is a whole image reference. metadata-action turns them into one odd tag
 * (`ghcr.io/acme/app:1.0` → `ghcr.io-acme-app-1.0`); the output stays the same for parity, the caller
 * warns. Values with expressions are left alone: what they render to is not known here.
 */
export function fullReferenceLines(entries: string[]): {source: string; tag: string}[] {
  const out: {source: string; tag: string}[] = [];
  for (const entry of entries) {
    const rule = parseTagRule(entry);
    const value = rule.attrs['value'];
    if (rule.type !== 'raw' || value.includes('{{')) continue;
    if (DOMAIN_FIRST.test(value) || NAME_WITH_TAG.test(value) || value.includes('@sha256:')) {
      out.push({source: entry, tag: value.replace(/[^a-zA-Z0-9._-]+/g, '-')});
    }
  }
  return out;
}
