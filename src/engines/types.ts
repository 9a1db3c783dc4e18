import type {BuildPlan} from '../plan/build.js';

/**
 * What an engine needs to build once for every platform; produced by the plan, consumed by argv
 * builders. The build fields are the plan's own (one declaration); the rest is per run.
 */
export interface BuildSpec extends Pick<
  BuildPlan,
  | 'context'
  | 'file'
  | 'target'
  | 'buildArgs'
  | 'secrets'
  | 'cacheFrom'
  | 'cacheTo'
  | 'provenance'
  | 'sbom'
  | 'pull'
  | 'noCache'
> {
  platforms: string[];
  labels: string[];
  /** `level:key=value` annotations (metadata-action format: manifest:, index:, ...). */
  annotations: string[];
  /** Repositories (`registry/repo`, no tag) the result is pushed to by digest. */
  repositories: string[];
  /**
   * push: false — where the result goes instead of a registry: an OCI layout directory (scanned
   * with `trivy --input`), or a docker archive for `docker load` under these names.
   */
  local?: {type: 'oci'; dest: string} | {type: 'docker'; dest: string; names: string[]};
}
