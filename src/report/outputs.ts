import type {Plan} from '../plan.js';

export interface Separators {
  tags: string;
  labels: string;
  annotations: string;
}

/** Output name → value, for everything a dry run knows. Names and formats follow metadata-action. */
export function planOutputs(plan: Plan, sep: Separators): Record<string, string> {
  const meta = plan.meta;
  return {
    version: meta.version.main ?? '',
    tags: meta.tags.join(sep.tags),
    'tag-names': meta.tagNames.join(sep.tags),
    labels: meta.labels.join(sep.labels),
    annotations: meta.annotations.join(sep.annotations),
    json: JSON.stringify(meta.json),
    'build-args': Object.entries(plan.buildArgs)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
    platforms: plan.platforms.join(','),
    // A build run makes no tag: its refs are the merge run's plan (listed in the plan output).
    refs: plan.mode === 'build' ? '' : plan.refs.join('\n'),
    plan: JSON.stringify({
      engine: plan.engine,
      platforms: plan.platforms,
      images: plan.images.map(i => ({name: i.name, registry: i.registry, tags: i.tags, archTags: i.archTags})),
      refs: plan.refs,
      buildArgs: plan.buildArgs,
      steps: plan.steps
    })
  };
}

/**
 * DOCKER_METADATA_SET_OUTPUT_ENV as metadata-action (>= 5.7) reads it: unset or empty means on,
 * otherwise Go-style booleans (1/t/T/true/TRUE/True, 0/f/F/false/FALSE/False) and anything else is an error.
 */
export function outputEnvEnabled(value: string | undefined): boolean {
  if (!value) return true;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  throw new Error(
    `DOCKER_METADATA_SET_OUTPUT_ENV must be true or false (1, t, T, true, TRUE, True / 0, f, F, false, FALSE, False), got "${value}"`
  );
}

/** metadata-action also exports each output as DOCKER_METADATA_OUTPUT_<NAME> unless told not to. */
export function outputEnvName(name: string): string {
  return `DOCKER_METADATA_OUTPUT_${name.replace(/\W/g, '_').toUpperCase()}`;
}

/** The metadata-action outputs mirrored to env; image-publish's own outputs are not. */
export const METADATA_OUTPUTS = ['version', 'tags', 'tag-names', 'labels', 'annotations', 'json'];
