import {canonicalName} from '../registry/reference.js';
import {firstMatch} from './patterns.js';
import {formatSize} from './size.js';
import {stricterMax, type Maxima} from '../supply/severity.js';
import type {BoundRule, ImageFacts, Policy, RegistryRule, ScanRequirement} from './types.js';

export type {BoundRule, ImageFacts} from './types.js';
export {parseSize} from './size.js';

/**
 * The entry whose `match` is the longest prefix of the image's canonical name (reference.ts), so
 * every spelling of one image (`acme/app`, `index.docker.io/acme/app`, …) binds to the same entry;
 * undefined when none matches. Case is ignored (the images input is lowercased). An invalid name
 * throws: binding it to no entry would let it through unchecked.
 */
export function ruleFor(policy: Policy, imageName: string): BoundRule | undefined {
  const name = canonicalName(imageName.trim().toLowerCase());
  let best: BoundRule | undefined;
  for (const [env, rule] of Object.entries(policy.registries)) {
    for (const prefix of rule.match) {
      if (name.startsWith(prefix) && prefix.length > (best?.prefix?.length ?? -1)) best = {name: env, rule, prefix};
    }
  }
  return best;
}

function prefixOf(env: BoundRule, image: string): string {
  if (env.prefix) return env.prefix;
  const name = canonicalName(image.trim().toLowerCase());
  const matching = env.rule.match.filter(p => name.startsWith(p)).sort((a, b) => b.length - a.length);
  return matching[0] ?? env.rule.match.join(', ');
}

/** One message per refused tag; forbid is checked first because it names the exact pattern hit. */
export function checkTags(env: BoundRule, image: string, tags: string[]): string[] {
  const who = `policy "${env.name}" (${prefixOf(env, image)})`;
  const {allow, forbid} = env.rule.tags;
  const refusals: string[] = [];
  for (const tag of tags) {
    const hit = firstMatch(forbid, tag);
    if (hit) {
      refusals.push(`${who} forbids tag "${tag}" of ${image}: matches forbid pattern "${hit.source}"`);
    } else if (allow && !firstMatch(allow, tag)) {
      refusals.push(
        `${who}: tag "${tag}" of ${image} is not allowed: it matches none of ${allow.map(p => p.source).join(', ')}`
      );
    }
  }
  return refusals;
}

/**
 * What `config.User` says: root, a uid, or a name. A name counts by the uid the image's /etc/passwd
 * gives it (resolvedUser); without that lookup a name is non-root with no known uid.
 */
function userOf(f: Pick<ImageFacts, 'user' | 'resolvedUser'>): {root: boolean; uid?: number; source?: string} {
  const who = f.user.trim().split(':')[0];
  if (who === '' || who === 'root') return {root: true};
  if (/^\d+$/.test(who)) return {root: Number(who) === 0, uid: Number(who)};
  const r = f.resolvedUser;
  if (r?.uid !== undefined) return {root: r.uid === 0, uid: r.uid, source: r.source};
  return {root: false, ...(r ? {source: r.source} : {})};
}

/** Refusals for the pushed image config, one per broken rule and platform. */
export function checkImage(
  env: BoundRule,
  image: string,
  facts: Pick<ImageFacts, 'platform' | 'user' | 'labels' | 'compressedSize' | 'resolvedUser'>[]
): string[] {
  const req = env.rule.require;
  const refusals: string[] = [];
  const uids = req.uids;
  const needs = `the policy requires non-root${uids ? ` (uids ${uids.join(', ')})` : ''}`;
  for (const f of facts) {
    const at = `policy "${env.name}": ${image} ${f.platform}`;
    const user = userOf(f);
    const found =
      (f.user.trim() === '' ? 'config.User is empty' : `config.User is "${f.user}"`) +
      (user.source ? `, ${user.source}` : '');
    if (req.nonRoot || uids) {
      if (user.root) {
        refusals.push(`${at} runs as root (${found}); ${needs}`);
      } else if (uids && user.uid === undefined) {
        refusals.push(
          `${at} runs as user "${f.user.trim().split(':')[0]}" (${found}), a name whose uid the image does not give; ` +
            `${needs}: add the user to the image's /etc/passwd or give USER a numeric uid, e.g. USER ${uids[0]}`
        );
      } else if (uids && user.uid !== undefined && !uids.includes(user.uid)) {
        refusals.push(`${at} runs as uid ${user.uid} (${found}); ${needs}`);
      }
    }
    const missing = req.labels.filter(key => !f.labels[key]);
    if (missing.length > 0) {
      refusals.push(
        `${at} lacks label${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (no value in config.Labels); ` +
          `the policy requires labels ${req.labels.join(', ')}`
      );
    }
    // An expiry label travels with the digest (promotion copies it): Quay would expire the tags.
    const expiry = f.labels[EXPIRY_LABEL];
    if (env.rule.immutable && expiry) {
      refusals.push(
        `${at} carries ${EXPIRY_LABEL}=${expiry}; an immutable registry must not receive an image that Quay will expire (build it without the label)`
      );
    }
    if (req.maxSize && f.compressedSize > req.maxSize.bytes) {
      refusals.push(
        `${at} is ${formatSize(f.compressedSize, req.maxSize.text)} compressed (${f.compressedSize} bytes); ` +
          `the policy allows at most ${req.maxSize.text} per platform`
      );
    }
  }
  return refusals;
}

/**
 * The scan gate a run must pass: for each severity the lowest maximum any touched registry sets.
 * Unfixed findings are ignored only when every registry that gates on a scan says so.
 */
export function requiredGate(rules: RegistryRule[]): ScanRequirement {
  const scans = rules.flatMap(r => (r.require.scan ? [r.require.scan] : []));
  const max = scans.reduce<Maxima>((m, scan) => stricterMax(m, scan.max), {});
  return {max, ignoreUnfixed: scans.length > 0 && scans.every(s => s.ignoreUnfixed)};
}

export function requiresSignature(rules: RegistryRule[]): boolean {
  return rules.some(r => r.require.signature);
}

/** A rule's signature requirement for a run writing these tags (`signature: {tags}` narrows it). */
export function signatureRequiredFor(rule: RegistryRule, tags: string[]): boolean {
  if (!rule.require.signature) return false;
  const only = rule.require.signatureTags;
  return !only || tags.some(t => firstMatch(only, t) !== undefined);
}

/** How a promotion treats signatures: verify the source's, sign the target itself, or both. */
export interface PromotionSigning {
  verifySource: boolean;
  sign: boolean;
  /** Why, for the plan and the log. */
  reason: string;
}

/**
 * The policy decides where a promoted image's signature comes from. An entry with
 * `signature: {at: promotion}` accepts an unsigned source and the promotion signs; any other entry
 * that requires a signature (or no policy signature at all) keeps the source check, and then the
 * carried signature is verified unless `resign`. Whatever is chosen, the sign stage verifies the
 * target before a tag exists.
 */
export function promotionSigning(
  required: {env: string; rule: RegistryRule}[],
  signing: boolean,
  resign: boolean
): PromotionSigning {
  if (!signing)
    return {verifySource: false, sign: false, reason: 'no signing key: signatures are neither checked nor made'};
  const atPromotion = required.filter(b => b.rule.require.signatureAt === 'promotion');
  const atSource = required.filter(b => b.rule.require.signatureAt !== 'promotion');
  if (atPromotion.length > 0 && atSource.length === 0) {
    return {
      verifySource: false,
      sign: true,
      reason: `policy "${atPromotion[0].env}" signs at promotion: the source need not be signed`
    };
  }
  const why = atSource.length > 0 ? `policy "${atSource[0].env}" requires a signed source` : 'the source is signed';
  return {verifySource: true, sign: resign, reason: resign ? `${why}; resign: true signs again` : why};
}

export function requiresSbom(rules: RegistryRule[]): boolean {
  return rules.some(r => r.require.sbom);
}

/** For an immutable registry: a tag may be created, or re-pushed with the same digest, never moved. */
export function immutabilityDecision(
  tag: string,
  existing: string | undefined,
  next: string
): 'create' | 'same' | {refuse: string} {
  if (existing === undefined) return 'create';
  if (existing === next) return 'same';
  return {
    refuse:
      `tag ${tag} is immutable and already points to ${existing}; refusing to move it to ${next} ` +
      '(publish under a new version tag instead)'
  };
}

const EXPIRY_LABEL = 'quay.expires-after';
const HOURS: Readonly<Record<string, number>> = {h: 1, d: 24, w: 168};
const hours = (d: string): number => Number(d.slice(0, -1)) * HOURS[d.slice(-1)];

/**
 * `quay.expires-after` when every touched registry sets an expiry (the longest one wins).
 * Labels are baked into the one image pushed everywhere, so a single registry that keeps its
 * images means no expiry at all: Quay would otherwise delete tags meant to stay.
 */
export function expiryLabels(rules: RegistryRule[]): Record<string, string> {
  const expiries = rules.map(r => r.expiresAfter);
  if (expiries.length === 0 || expiries.some(e => e === undefined)) return {};
  const longest = (expiries as string[]).reduce((a, b) => (hours(b) > hours(a) ? b : a));
  return {[EXPIRY_LABEL]: longest};
}

/** A planned tag of an immutable image that exists already, and where it points now. */
export interface ExistingTag {
  op: {image: string; tag: string; digest: string; platform?: string};
  existing: string;
}

/**
 * Before a build: the planned tags of an immutable registry that exist already. All index tags at
 * one digest built from this very commit → a re-run of the same release (nothing to build); any
 * other existing tag → refuse now, before anything is pushed.
 */
export function rerunDecision(
  existing: ExistingTag[],
  revisionOf: Record<string, string>,
  sha: string
): {rerun?: string; refuse?: string} {
  if (existing.length === 0) return {};
  const indexDigests = [...new Set(existing.filter(e => !e.op.platform).map(e => e.existing))];
  if (indexDigests.length === 1 && revisionOf[indexDigests[0]] === sha) return {rerun: indexDigests[0]};
  const lines = existing.map(
    e =>
      `${e.op.image}:${e.op.tag} already points at ${e.existing}` +
      (revisionOf[e.existing] ? ` (built from ${revisionOf[e.existing].slice(0, 12)})` : '')
  );
  return {
    refuse:
      `the policy makes these tags immutable and this run (commit ${sha.slice(0, 12)}) would overwrite them; ` +
      `nothing was built or pushed:\n- ${lines.join('\n- ')}`
  };
}

/** A promotion must not move an immutable tag: every existing one must already point at the source digest. */
export function promotionRefusal(existing: ExistingTag[]): string | undefined {
  const overwrites = existing.filter(e => e.existing !== e.op.digest);
  if (overwrites.length === 0) return undefined;
  return `the policy makes these tags immutable, nothing was copied or tagged:\n- ${overwrites
    .map(e => `${e.op.image}:${e.op.tag} points at ${e.existing}, not at ${e.op.digest}`)
    .join('\n- ')}`;
}

/** At tag time: which tags to write, which are in place; a refusal when an immutable tag would move. */
export function tagDecisions<T extends ExistingTag['op']>(
  ops: T[],
  existing: Map<T, string>
): {write: T[]; unchanged: T[]; refuse?: string} {
  const write: T[] = [];
  const unchanged: T[] = [];
  const refusals: string[] = [];
  for (const op of ops) {
    const d = existing.has(op) ? immutabilityDecision(`${op.image}:${op.tag}`, existing.get(op), op.digest) : 'create';
    if (d === 'same') unchanged.push(op);
    else if (d === 'create') write.push(op);
    else refusals.push(d.refuse);
  }
  return {
    write,
    unchanged,
    ...(refusals.length > 0 ? {refuse: `immutable tags, nothing was tagged:\n- ${refusals.join('\n- ')}`} : {})
  };
}
