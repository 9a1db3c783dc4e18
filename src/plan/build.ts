import type {Engine, Inputs} from '../inputs.js';

/** The builder a buildx run uses: an existing one by name, or one created (and removed in post). */
export interface BuilderPlan {
  /** Existing builder to use; empty: create one. */
  name: string;
  driver: string;
  endpoint: string;
  driverOpts: string[];
  configFile: string;
  keep: boolean;
}

/** Everything the build stage runs, resolved from the inputs. */
export interface BuildPlan {
  engine: Engine;
  context: string;
  file: string;
  target: string;
  buildArgs: Record<string, string>;
  /** Build secrets as buildx writes them (`id=npm,env=NPM_TOKEN`): references, never values. */
  secrets: string[];
  cacheFrom: string[];
  cacheTo: string[];
  provenance: string;
  sbom: string;
  pull: boolean;
  noCache: boolean;
  builder: BuilderPlan;
  binfmtImage: string;
  /** buildah/podman global flags and isolation. */
  engineFlags: string[];
  isolation: string;
  /** Plain-http registries, base images included (buildah learns them from registries.conf). */
  insecureRegistries: string[];
}

/** `KEY=value` lines; a later line wins, and user values win over the computed VERSION/COMMIT_SHA/BUILD_DATE. */
export function mergeBuildArgs(computed: Record<string, string>, lines: string[]): Record<string, string> {
  const out = {...computed};
  for (const line of lines) {
    const i = line.indexOf('=');
    if (i <= 0) throw new Error(`Input "build-args": "${line}" is not KEY=value`);
    out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

export function buildPlan(inputs: Inputs, computedArgs: Record<string, string>): BuildPlan {
  return {
    engine: inputs.engine,
    context: inputs.context,
    file: inputs.file,
    target: inputs.target,
    buildArgs: mergeBuildArgs(computedArgs, inputs.buildArgs),
    secrets: inputs.secrets,
    cacheFrom: inputs.cacheFrom,
    cacheTo: inputs.cacheTo,
    provenance: inputs.provenance,
    sbom: inputs.sbom,
    pull: inputs.pull,
    noCache: inputs.noCache,
    builder: {
      name: inputs.builder,
      driver: inputs.builderDriver,
      endpoint: inputs.builderEndpoint,
      driverOpts: inputs.builderDriverOpts,
      configFile: inputs.buildkitdConfig,
      keep: inputs.keepBuilder
    },
    binfmtImage: inputs.binfmtImage,
    engineFlags: inputs.engineFlags,
    isolation: inputs.isolation,
    insecureRegistries: inputs.insecureRegistries
  };
}
