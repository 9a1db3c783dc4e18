import semver from 'semver';
import {Expressions} from './expressions.js';
import {parseFlavor, type Flavor} from './flavor.js';
import {parseImages} from './images.js';
import {ociAnnotations, toRecord} from './labels.js';
import {getPreset} from './presets.js';
import {fullReferenceLines, parseTagRules} from './tag-rules.js';
import type {MetaContext, MetaSwitches, RepoInfo, Version} from './types.js';
import {assertTag, parseImageName, sanitizeTag, type ImageName} from './validate.js';
import {computeVersion} from './version.js';

export type {MetaContext, RepoInfo, Version, MetaSwitches} from './types.js';

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
  warnings: string[];
}

interface TagSet {
  version: Version;
  names: string[];
  /** The `latest` tag when this set has one (per-arch tags skip it). */
  latestName?: string;
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

/** Inputs + run context → every tag, label and annotation. Pure: no environment, clock or files. */
export function computeMeta(inputs: MetaInputs, env: MetaEnv): MetaResult {
  const warnings: string[] = [];
  const warn = (m: string): void => {
    warnings.push(m);
  };
  let ctx = env.ctx;
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
  const flavorFor = (extra: string[]): Flavor => parseFlavor([...extra, ...inputs.flavor]);
  const tagSet = (rules: string[], flavor: Flavor, input = 'tags'): TagSet => {
    const version = computeVersion({
      ctx,
      rules: parseTagRules(rules, input),
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
    if (inputs.tagPrefix) {
      // The environment prefix goes on every tag, after the rules (whose own prefix= would
      // otherwise replace a flavor prefix); the version output stays the software version.
      const prefixed = names.map(n => `${inputs.tagPrefix}${n}`);
      prefixed.forEach(t => assertTag(t, 'tag-prefix'));
      return {version, names: prefixed, latestName: latestName && `${inputs.tagPrefix}${latestName}`};
    }
    return {version, names, latestName};
  };
  const presetSet = (name: string, input: string): TagSet => {
    const preset = getPreset(name, input);
    return tagSet(preset.tags, flavorFor(preset.flavor), input);
  };

  let main: TagSet;
  if (inputs.tags.length > 0 || !inputs.tagPreset) {
    main = tagSet(inputs.tags, flavorFor([]));
  } else {
    main = presetSet(inputs.tagPreset, 'tag-preset');
  }

  const images: PlannedImage[] = [];
  for (const entry of parseImages(inputs.images)) {
    if (!entry.enable) continue;
    const set = entry.preset ? presetSet(entry.preset, 'images') : main;
    const archTags: Record<string, string[]> = {};
    if (inputs.archTags) {
      for (const platform of inputs.platforms) {
        archTags[platform] = set.names
          .filter(name => name !== set.latestName)
          .map(name => `${name}-${archSuffix(platform)}`);
        archTags[platform].forEach(tag => assertTag(tag, 'arch-tags'));
      }
    }
    images.push({...parseImageName(entry.name), tags: set.names, archTags});
  }

  const tags: string[] = [];
  if (images.length > 0) {
    for (const image of images) tags.push(...image.tags.map(t => `${image.name}:${t}`));
  } else {
    tags.push(...main.names);
  }

  const labels = ociAnnotations(env.repo, main.version, ctx.sha, env.created, inputs.labels, exp);
  const rawAnnotations = ociAnnotations(
    env.repo,
    main.version,
    ctx.sha,
    env.created,
    inputs.annotations,
    exp,
    'annotations'
  );
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
    warnings
  };
}
