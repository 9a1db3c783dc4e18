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
    refs: plan.refs.join('\n'),
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

/** metadata-action also exports each output as DOCKER_METADATA_OUTPUT_<NAME> unless told not to. */
export function outputEnvName(name: string): string {
  return `DOCKER_METADATA_OUTPUT_${name.replace(/\W/g, '_').toUpperCase()}`;
}

/** The metadata-action outputs mirrored to env; image-publish's own outputs are not. */
export const METADATA_OUTPUTS = ['version', 'tags', 'tag-names', 'labels', 'annotations', 'json'];
