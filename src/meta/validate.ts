import {DOCKER_HUB, splitName} from '../registry/reference.js';
import {excerpt} from './refusal.js';

/** The OCI distribution rule for a tag. */
export const TAG_RULE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;

/**
 * metadata-action's sanitization (runs of invalid characters become `-`), then what it leaves
 * invalid: leading `.`/`-` are dropped (`{{branch}}-{{sha}}` off a branch renders `-3f9c2ab`),
 * an empty result is skipped with a warning, and an over-long tag is an error.
 */
export function sanitizeTag(
  raw: string,
  source: string,
  warn: (m: string) => void,
  input = 'tags'
): string | undefined {
  const dashed = raw.replace(/[^a-zA-Z0-9._-]+/g, '-');
  const trimmed = dashed.replace(/^[.-]+/, '');
  if (trimmed !== dashed) {
    warn(`Tag "${dashed}" from tags entry "${source}" starts with "." or "-"; using "${trimmed}"`);
  }
  if (trimmed.length === 0) {
    warn(`Tags entry "${source}" rendered "${raw}", which holds no valid tag character; no tag emitted`);
    return undefined;
  }
  if (!TAG_RULE.test(trimmed)) {
    throw new Error(
      `Input "${input}": entry "${excerpt(source)}": tag "${excerpt(trimmed)}" is invalid: a tag must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} (${trimmed.length} characters)`
    );
  }
  return trimmed;
}

/** Throws when a finished tag breaks the rule (e.g. a per-arch suffix made it too long). */
export function assertTag(tag: string, input: string): void {
  if (!TAG_RULE.test(tag)) {
    throw new Error(
      `Input "${input}": tag "${excerpt(tag)}" is invalid: a tag must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`
    );
  }
}

export interface ImageName {
  /** As written (lowercased): what tag refs and messages show. */
  name: string;
  /** Canonical registry host[:port] (reference.ts): `docker.io` for none and for every Docker Hub alias. */
  registry: string;
  /** Repository path inside the registry; Docker Hub's official images under `library/`. */
  repository: string;
  /** `registry/repository`: the spelling every comparison uses (policy, merge sources, promote). */
  canonical: string;
}

/**
 * Splits and checks an image name against the reference grammar and the namespace rules of known
 * registries. Host and path are split by reference.ts, the one grammar of the action.
 */
export function parseImageName(name: string, input = 'images'): ImageName {
  const fail = (rule: string): never => {
    throw new Error(`Input "${input}": invalid image name "${excerpt(name)}": ${rule}`);
  };
  if (name.length === 0) fail('the name is empty');
  if (name.includes('@')) fail('an image name must not carry a digest (@sha256:...); tags come from the tag rules');
  const last = name.slice(name.lastIndexOf('/') + 1);
  if (last.includes(':'))
    fail(`an image name must not carry a tag (":${last.split(':')[1]}"); tags come from the tag rules`);
  const {registry, repository} = splitName(name, fail);
  const parts = repository.split('/');
  for (const component of parts) {
    if (!PATH_COMPONENT.test(component)) {
      fail(`path component "${component}" must match [a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`);
    }
  }
  if (name.length > 255) fail('the name is longer than 255 characters');
  if (registry === 'quay.io' && parts.length !== 2) {
    fail('quay.io repositories are exactly <organization>/<repository>');
  }
  if (registry === 'ghcr.io' && parts.length < 2) {
    fail('ghcr.io images live under an owner: ghcr.io/<owner>/<name>');
  }
  if (registry === DOCKER_HUB && parts.length > 2) {
    fail('Docker Hub repositories are <namespace>/<repository>');
  }
  return {name, registry, repository, canonical: `${registry}/${repository}`};
}
