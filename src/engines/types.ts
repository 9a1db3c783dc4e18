/** What an engine needs to build once for every platform; produced by the plan, consumed by argv builders. */
export interface BuildSpec {
  context: string;
  /** Dockerfile/Containerfile path; empty = the engine's default inside the context. */
  file: string;
  target: string;
  platforms: string[];
  buildArgs: Record<string, string>;
  labels: string[];
  /** `level:key=value` annotations (metadata-action format: manifest:, index:, ...). */
  annotations: string[];
  /** Build secrets in buildx syntax: `id=npm,src=/path` or `id=token,env=TOKEN`. */
  secrets: string[];
  cacheFrom: string[];
  cacheTo: string[];
  /** buildx `--attest` values resolved by the plan (`type=provenance,mode=max,builder-id=…`); '' = no flag. */
  provenance: string;
  sbom: string;
  pull: boolean;
  noCache: boolean;
  /** Repositories (`registry/repo`, no tag) the result is pushed to by digest. */
  repositories: string[];
  /**
   * push: false — where the result goes instead of a registry: an OCI layout directory (scanned
   * with `trivy --input`), or a docker archive for `docker load` under these names.
   */
  local?: {type: 'oci'; dest: string} | {type: 'docker'; dest: string; names: string[]};
}
