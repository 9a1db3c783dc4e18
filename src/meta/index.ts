import semver from 'semver';
import {Expressions} from './expressions.js';
import {parseFlavor, type Flavor} from './flavor.js';
import {parseImages} from './images.js';
import {ociAnnotations, toRecord} from './labels.js';
import {runRelease, type LatestGuard} from './latest.js';
import {getPreset} from './presets.js';
import {fullReferenceLines, parseTagRule, parseTagRules} from './tag-rules.js';
import type {MetaContext, MetaSwitches, RepoInfo, Version} from './types.js';
import {assertTag, parseImageName, sanitizeTag, TAG_RULE, type ImageName} from './validate.js';
import {computeVersion} from './version.js';

export type {MetaContext, RepoInfo, Version, MetaSwitches} from './types.js';
export type {LatestGuard} from './latest.js';

export interface MetaInputs {
  images: string[];
  tags: string[];
  flavor: string[];
  labels: string[];
  annotations: string[];
  tagPreset: string;
  /** Environment prefix for every tag (`staging-`, `prod-`), latest included. */
  tagPrefix: string;
  /** Manual release version (workflow_dispatch): tags as if this tag had been pushed. */
  version: string;
  archTags: boolean;
  platforms: string[];
  /** Manual release under a tag that is not semver (`hotfix-42`), added to every image's tags. */
  customTag?: string;
  /** `auto-labels: false`: no computed OCI labels, only the `labels` input. */
  autoLabels?: boolean;
  /** `auto-annotations: false`: no computed OCI annotations, only the `annotations` input. */
  autoAnnotations?: boolean;
}

export interface MetaEnv {
  ctx: MetaContext;
  repo: RepoInfo;
  /** Clock for `{{date}}`. */
  now: Date;
  /** `org.opencontainers.image.created` and BUILD_DATE (SOURCE_DATE_EPOCH when set). */
  created: Date;
  switches: MetaSwitches;
}

export interface PlannedImage extends ImageName {
  /** Tag names for this image, in output order. */
  tags: string[];
  /** platform → per-architecture tag names. */
  archTags: Record<string, string[]>;
  /** `latest=highest`: the tag stage keeps `latest` only when this release is the highest. */
  latestGuard?: LatestGuard;
}

export interface MetaResult {
  version: Version;
  tags: string[];
  tagNames: string[];
  labels: string[];
  annotations: string[];
  annotationLevels: string[];
  /** metadata-action's `json` output, keys in its order (`tag-names` since v5.9). */
  json: {tags: string[]; 'tag-names': string[]; labels: Record<string, string>; annotations: string[]};
  images: PlannedImage[];
  buildArgs: Record<string, string>;
  /**
   * The plan's own values that `labels`, `annotations` and `build-args` values may name
   * (`{{version}}`, `{{created}}`, `{{sha}}`, `{{commit_sha}}`, ...), from the run's one clock.
   */
  templateVars: Record<string, string>;
  warnings: string[];
}

interface TagSet {
  version: Version;
  names: string[];
  /** The `latest` tag when this set has one (per-arch tags skip it). */
  latestName?: string;
  latestGuard?: LatestGuard;
}

/** The `-<arch>` suffix for a platform: linux/amd64 → amd64, linux/arm/v7 → armv7. */
export function archSuffix(platform: string): string {
  const [, arch = platform, variant = ''] = platform.split('/');
  return `${arch}${variant}`;
}

export function validateManualVersion(version: string): string {
  if (!semver.valid(version)) {
    throw new Error(
      `Input "version" must be a semantic version such as v1.2.3 or 1.2.3-rc.1 (https://semver.org), got "${version}"`
    );
  }
  return version;
}

/**
 * `custom-tag`: one tag as written (no sanitizing: a typo is refused, not rewritten). A semver value
 * is refused too: a release goes through `version`, which also gives X.Y / X and latest.
 */
export function validateCustomTag(tag: string): string {
  if (!TAG_RULE.test(tag)) {
    throw new Error(
      `Input "custom-tag": "${tag}" is not a valid tag: a tag must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`
    );
  }
  if (semver.valid(tag)) {
    throw new Error(
      `Input "custom-tag": "${tag}" is a semantic version; set it as version: instead (which also gives the X.Y, X and latest tags the rules make of a release)`
    );
  }
  return tag;
}

/** Inputs + run context → every tag, label and annotation. Pure: no environment, clock or files. */
export function computeMeta(inputs: MetaInputs, env: MetaEnv): MetaResult {
  const warnings: string[] = [];
  const warn = (m: string): void => {
    warnings.push(m);
  };
  let ctx = env.ctx;
  if (inputs.version && inputs.customTag) {
    throw new Error(
      'Inputs "version" and "custom-tag" are both set: version releases a semantic version, custom-tag publishes one non-semver tag; set one'
    );
  }
  const customRule = inputs.customTag
    ? {...parseTagRule(`type=raw,value=${validateCustomTag(inputs.customTag)}`), source: 'custom-tag'}
    : undefined;
  if (inputs.version) {
    ctx = {...ctx, ref: `refs/tags/${validateManualVersion(inputs.version)}`};
  }
  const exp = new Expressions(ctx, env.now, env.switches.shortShaLength);

  if (inputs.tagPrefix && !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(inputs.tagPrefix)) {
    throw new Error(
      `Input "tag-prefix" must be the start of a valid tag ([A-Za-z0-9_][A-Za-z0-9_.-]*), got "${inputs.tagPrefix}"`
    );
  }
  for (const line of fullReferenceLines(inputs.tags)) {
    warn(
      `Input "tags": line "${line.source}" looks like a full image reference (read as type=raw, as metadata-action does, it gives the tag "${line.tag}"); put the name in images: and the tag in tags:`
    );
  }
  // Preset flavor, then the `flavor` input, then the image's own flavor= (later lines win).
  const flavorFor = (extra: string[], after: string[] = []): Flavor =>
    parseFlavor([...extra, ...inputs.flavor, ...after]);
  const tagSet = (rules: string[], flavor: Flavor, input = 'tags'): TagSet => {
    const parsed = parseTagRules(rules, input);
    // First, so it is the version (VERSION, the version label) and every rule's tags still follow.
    if (customRule) parsed.unshift(customRule);
    const version = computeVersion({
      ctx,
      rules: parsed,
      flavor,
      exp,
      defaultBranch: env.repo.defaultBranch,
      shortShaLength: env.switches.shortShaLength,
      warn
    });
    const names: string[] = [];
    let latestName: string | undefined;
    if (version.main) {
      names.push(version.main, ...version.partial);
      if (version.latest) {
        const latest = `${flavor.prefixLatest ? flavor.prefix : ''}latest${flavor.suffixLatest ? flavor.suffix : ''}`;
        latestName = sanitizeTag(latest, 'flavor latest', warn, 'flavor');
        if (latestName !== undefined) names.push(latestName);
      }
    }
    let out: TagSet = {version, names, latestName};
    if (inputs.tagPrefix) {
      // The environment prefix goes on every tag, after the rules (whose own prefix= would
      // otherwise replace a flavor prefix); the version output stays the software version.
      const prefixed = names.map(n => `${inputs.tagPrefix}${n}`);
      prefixed.forEach(t => assertTag(t, 'tag-prefix'));
      out = {version, names: prefixed, latestName: latestName && `${inputs.tagPrefix}${latestName}`};
    }
    if (flavor.latest === 'highest' && out.latestName !== undefined) {
      const prefix = `${inputs.tagPrefix}${exp.render(flavor.prefix, {input: 'flavor', entry: `prefix=${flavor.prefix}`})}`;
      const suffix = exp.render(flavor.suffix, {input: 'flavor', entry: `suffix=${flavor.suffix}`});
      const release = runRelease(
        out.names.filter(n => n !== out.latestName),
        prefix,
        suffix
      );
      if (release) {
        out.latestGuard = {tag: out.latestName, version: release, prefix, suffix};
      } else {
        warn(
          `flavor latest=highest: no tag of this run (${out.names.join(', ')}) is an X.Y.Z release to compare, so "${out.latestName}" is kept as latest=auto would`
        );
      }
    }
    return out;
  };
  // The run's rules: the `tags` input, else the `tag-preset`; an image may bring its own.
  const fromPreset = inputs.tags.length === 0 && inputs.tagPreset !== '';
  const mainRules: {tags: string[]; flavor: string[]} = fromPreset
    ? getPreset(inputs.tagPreset, 'tag-preset')
    : {tags: inputs.tags, flavor: []};
  const main = tagSet(mainRules.tags, flavorFor(mainRules.flavor), fromPreset ? 'tag-preset' : 'tags');

  const images: PlannedImage[] = [];
  for (const entry of parseImages(inputs.images)) {
    if (!entry.enable) continue;
    let set = main;
    if (entry.tags) {
      set = tagSet(entry.tags, flavorFor([], entry.flavor), 'images');
    } else if (entry.preset) {
      const preset = getPreset(entry.preset, 'images');
      set = tagSet(preset.tags, flavorFor(preset.flavor, entry.flavor), 'images');
    } else if (entry.flavor) {
      set = tagSet(mainRules.tags, flavorFor(mainRules.flavor, entry.flavor), 'images');
    }
    const archTags: Record<string, string[]> = {};
    if (inputs.archTags) {
      for (const platform of inputs.platforms) {
        archTags[platform] = set.names
          .filter(name => name !== set.latestName)
          .map(name => `${name}-${archSuffix(platform)}`);
        archTags[platform].forEach(tag => assertTag(tag, 'arch-tags'));
      }
    }
    images.push({
      ...parseImageName(entry.name),
      tags: set.names,
      archTags,
      ...(set.latestGuard ? {latestGuard: set.latestGuard} : {})
    });
  }

  const tags: string[] = [];
  if (images.length > 0) {
    for (const image of images) tags.push(...image.tags.map(t => `${image.name}:${t}`));
  } else {
    tags.push(...main.names);
  }

  const own = (template: string): string => exp.render(template, {input: 'build-args', entry: template});
  const templateVars: Record<string, string> = {
    version: main.version.main ?? '',
    created: env.created.toISOString(),
    commit_sha: ctx.sha,
    sha: own('{{sha}}'),
    branch: own('{{branch}}'),
    tag: own('{{tag}}'),
    base_ref: own('{{base_ref}}')
  };
  // Only the values metadata-action does not have reach the label templates: its own helpers
  // (sha, branch, date ...) stay as they are.
  const labelVars = {version: templateVars.version, created: templateVars.created, commit_sha: ctx.sha};
  const labels = ociAnnotations(env.repo, main.version, ctx.sha, env.created, inputs.labels, exp, {
    auto: inputs.autoLabels,
    vars: labelVars,
    input: 'labels'
  });
  const rawAnnotations = ociAnnotations(env.repo, main.version, ctx.sha, env.created, inputs.annotations, exp, {
    auto: inputs.autoAnnotations,
    vars: labelVars,
    input: 'annotations'
  });
  const annotationLevels = (env.switches.annotationLevels || 'manifest').split(',');
  const annotations = annotationLevels.flatMap(level => rawAnnotations.map(a => `${level}:${a}`));

  return {
    version: main.version,
    tags,
    tagNames: main.names,
    labels,
    annotations,
    annotationLevels,
    json: {tags, 'tag-names': main.names, labels: toRecord(labels), annotations},
    images,
    buildArgs: {
      VERSION: main.version.main ?? '',
      COMMIT_SHA: ctx.sha,
      BUILD_DATE: env.created.toISOString()
    },
    templateVars,
    warnings
  };
}
