import semver from 'semver';

/**
 * `flavor: latest=highest`: the plan keeps `latest` as `auto` would; before tagging, the tag stage
 * reads the repository's tags and asks `latestDecision` whether this release may take it. A patch
 * of an older line (v1.4.9 after v2.0.0) then leaves `latest` where it is (metadata-action moves it:
 * docker/metadata-action#80, #326).
 */
export interface LatestGuard {
  /** The latest tag as planned (`latest`, `staging-latest`, `latest-alpine`). */
  tag: string;
  /** This run's release version as a semver string (`1.4.9`). */
  version: string;
  /** What surrounds a version in this image's tags (tag-prefix + flavor prefix, flavor suffix). */
  prefix: string;
  suffix: string;
}

export interface LatestDecision {
  keep: boolean;
  /** The highest final release found among the existing tags (undefined: none). */
  highest?: string;
  /** The existing tag that holds it. */
  highestTag?: string;
}

/** The final (non pre-release) semver a tag spells once the image's prefix and suffix are off. */
export function releaseOf(tag: string, prefix: string, suffix: string): string | undefined {
  let t = tag;
  if (prefix) {
    if (!t.startsWith(prefix)) return undefined;
    t = t.slice(prefix.length);
  }
  if (suffix) {
    if (!t.endsWith(suffix)) return undefined;
    t = t.slice(0, t.length - suffix.length);
  }
  // Only full X.Y.Z (a leading v allowed): partial tags such as 1.2 or 1 follow their X.Y.Z.
  const v = semver.valid(t);
  if (!v || semver.prerelease(v)) return undefined;
  return v;
}

/** The semver this run releases, read from its planned tags (the first that spells one). */
export function runRelease(tags: string[], prefix: string, suffix: string): string | undefined {
  for (const tag of tags) {
    const v = releaseOf(tag, prefix, suffix);
    if (v) return v;
  }
  return undefined;
}

/** Keep `latest` when no existing final release is higher than this one (equal: a re-run keeps it). */
export function latestDecision(guard: LatestGuard, existingTags: string[]): LatestDecision {
  let highest: string | undefined;
  let highestTag: string | undefined;
  for (const tag of existingTags) {
    const v = releaseOf(tag, guard.prefix, guard.suffix);
    if (v && (!highest || semver.gt(v, highest))) {
      highest = v;
      highestTag = tag;
    }
  }
  if (!highest) return {keep: true};
  return {keep: semver.gte(guard.version, highest), highest, highestTag};
}
