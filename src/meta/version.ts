import semver from 'semver';
import {Expressions, isRawStatement, renderTemplate, shortSha} from './expressions.js';
import {need} from './lazy-modules.js';
import {refusal, type Where} from './refusal.js';
import type {Flavor} from './flavor.js';
import type {TagRule} from './tag-rules.js';
import type {MetaContext, Version} from './types.js';
import {sanitizeTag} from './validate.js';

const BRANCH = /^refs\/heads\//;
const TAG = /^refs\/tags\//;
const PULL = /^refs\/pull\//;

export interface VersionInput {
  ctx: MetaContext;
  rules: TagRule[];
  flavor: Flavor;
  exp: Expressions;
  /** Default branch from the repository data (`type=edge` without `branch=`). */
  defaultBranch: string;
  shortShaLength?: string;
  /** Degraded-but-valid outcomes (a value that is not semver, a pattern that does not match). */
  warn: (message: string) => void;
}

/**
 * Computes the version (main + partials + latest) from the rules, in priority order, exactly as
 * docker/metadata-action does; the one difference is `sanitizeTag`, which also guarantees a valid tag.
 */
export function computeVersion(input: VersionInput): Version {
  const {ctx, flavor, exp, warn} = input;
  let main: string | undefined;
  const partial: string[] = [];
  let latest: boolean | undefined;

  // `highest` plans latest as `auto` does; the tag stage may then drop it (meta/latest.ts).
  const latestFor = (auto: boolean): boolean =>
    flavor.latest === 'auto' || flavor.latest === 'highest' ? auto : flavor.latest === 'true';
  const at = (rule: TagRule): Where => ({input: rule.input, entry: rule.source});
  const withAffixes = (val: string, rule: TagRule): string => {
    if ('prefix' in rule.attrs) {
      val = `${exp.render(rule.attrs['prefix'], at(rule))}${val}`;
    } else if (flavor.prefix.length > 0) {
      val = `${exp.render(flavor.prefix, {input: 'flavor', entry: `prefix=${flavor.prefix}`})}${val}`;
    }
    if ('suffix' in rule.attrs) {
      val = `${val}${exp.render(rule.attrs['suffix'], at(rule))}`;
    } else if (flavor.suffix.length > 0) {
      val = `${val}${exp.render(flavor.suffix, {input: 'flavor', entry: `suffix=${flavor.suffix}`})}`;
    }
    return val;
  };
  const set = (raw: string, isLatest: boolean, rule: TagRule): void => {
    if (raw.length === 0) {
      return;
    }
    const val = sanitizeTag(raw, rule.source, warn, rule.input);
    if (val === undefined) {
      return;
    }
    if (main === undefined) {
      main = val;
    } else if (val !== main) {
      partial.push(val);
    }
    if (latest === undefined) {
      latest = isLatest;
    }
  };
  /** The rendered `value=`, else the git tag (slashes kept); undefined off a tag without a value. */
  const valueOrTag = (rule: TagRule): string | undefined => {
    if (rule.attrs['value'].length > 0) {
      return exp.render(rule.attrs['value'], at(rule));
    }
    return TAG.test(ctx.ref) ? ctx.ref.replace(TAG, '') : undefined;
  };

  // semver/pep440 (metadata-action >= 5.8): the tag or value, then `match=` group 1 when it matches
  // (no match only warns and keeps the whole string), then `/` → `-` — a value's slashes included.
  const versionSource = (rule: TagRule): string | undefined => {
    let vraw = valueOrTag(rule);
    if (vraw === undefined) return undefined;
    const match = rule.attrs['match'];
    if (match.length > 0) {
      const m = vraw.match(match);
      if (!m) {
        warn(`${match} does not match ${vraw}.`);
      } else if (m[1] === undefined) {
        // The group exists (checked when parsing) but is optional and took no part in the match.
        throw new Error(
          `Input "${rule.input}": match=${match} in tags entry "${rule.source}" matched "${vraw}" without capturing group 1`
        );
      } else {
        vraw = m[1];
      }
    }
    return vraw.replace(/\//g, '-');
  };

  for (const rule of input.rules) {
    const enabled = exp.render(rule.attrs['enable'], at(rule));
    if (enabled !== 'true' && enabled !== 'false') {
      throw refusal(rule.input, rule.source, `enable= gave "${enabled}"; it must be true or false`);
    }
    if (enabled !== 'true') {
      continue;
    }
    switch (rule.type) {
      case 'schedule': {
        if (!/schedule/.test(ctx.eventName)) break;
        set(withAffixes(exp.renderDates(rule.attrs['pattern'], at(rule)), rule), latestFor(false), rule);
        break;
      }
      case 'semver': {
        let vraw = versionSource(rule);
        if (vraw === undefined) break;
        if (!semver.valid(vraw)) {
          warn(`${vraw} is not a valid semver. More info: https://semver.org/`);
          break;
        }
        const sver = semver.parse(vraw, {loose: true});
        let isLatest = false;
        if (semver.prerelease(vraw)) {
          const pattern = isRawStatement(rule.attrs['pattern']) ? rule.attrs['pattern'] : '{{version}}';
          vraw = withAffixes(renderTemplate(pattern, sver, at(rule)), rule);
        } else {
          vraw = withAffixes(renderTemplate(rule.attrs['pattern'], sver, at(rule)), rule);
          isLatest = true;
        }
        set(vraw, latestFor(isLatest), rule);
        break;
      }
      case 'pep440': {
        const vraw = versionSource(rule);
        if (vraw === undefined) break;
        const pep440 = need('pep440');
        if (!pep440.valid(vraw)) {
          warn(`${vraw} does not conform to PEP 440. More info: https://www.python.org/dev/peps/pep-0440`);
          break;
        }
        const pver = pep440.explain(vraw);
        let out: string;
        let isLatest = false;
        if (pver && (pver.is_prerelease || pver.is_postrelease || pver.is_devrelease)) {
          out = withAffixes(isRawStatement(rule.attrs['pattern']) ? vraw : (pep440.clean(vraw) ?? vraw), rule);
        } else {
          out = withAffixes(
            renderTemplate(
              rule.attrs['pattern'],
              {
                raw: () => vraw,
                version: () => pep440.clean(vraw),
                major: () => pep440.major(vraw),
                minor: () => pep440.minor(vraw),
                patch: () => pep440.patch(vraw)
              },
              at(rule)
            ),
            rule
          );
          isLatest = true;
        }
        set(out, latestFor(isLatest), rule);
        break;
      }
      case 'match': {
        const vraw = valueOrTag(rule);
        if (vraw === undefined) break;
        const pattern = rule.attrs['pattern'];
        const isRegex = pattern.match(/^\/(.+)\/(.*)$/);
        const m = isRegex ? vraw.match(new RegExp(isRegex[1], isRegex[2])) : vraw.match(pattern);
        if (!m) {
          warn(`${pattern} does not match ${vraw}.`);
          break;
        }
        const group = m[Number(rule.attrs['group'])];
        if (group === undefined) {
          warn(`Group ${rule.attrs['group']} does not exist for ${pattern} pattern.`);
          break;
        }
        set(withAffixes(group, rule), latestFor(true), rule);
        break;
      }
      case 'ref': {
        const event = rule.attrs['event'];
        if (event === 'branch' && BRANCH.test(ctx.ref)) {
          set(withAffixes(ctx.ref.replace(BRANCH, ''), rule), latestFor(false), rule);
        } else if (event === 'tag' && TAG.test(ctx.ref)) {
          set(withAffixes(ctx.ref.replace(TAG, ''), rule), latestFor(true), rule);
        } else if (event === 'pr' && PULL.test(ctx.ref)) {
          set(withAffixes(ctx.ref.replace(PULL, '').replace(/\/merge$/, ''), rule), latestFor(false), rule);
        }
        break;
      }
      case 'edge': {
        if (!BRANCH.test(ctx.ref)) break;
        const branch = rule.attrs['branch'].length === 0 ? input.defaultBranch : rule.attrs['branch'];
        if (branch !== ctx.ref.replace(BRANCH, '')) break;
        set(withAffixes('edge', rule), latestFor(false), rule);
        break;
      }
      case 'raw': {
        set(withAffixes(exp.render(rule.attrs['value'], at(rule)), rule), latestFor(false), rule);
        break;
      }
      case 'sha': {
        if (!ctx.sha) break;
        const val = rule.attrs['format'] === 'short' ? shortSha(ctx.sha, input.shortShaLength) : ctx.sha;
        set(withAffixes(val, rule), latestFor(false), rule);
        break;
      }
    }
  }
  return {main, partial: partial.filter((item, i) => partial.indexOf(item) === i), latest: latest ?? false};
}
