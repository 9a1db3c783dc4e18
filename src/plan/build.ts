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
  /** The computed args (VERSION, COMMIT_SHA, BUILD_DATE) in buildArgs that no user line replaced. */
  autoArgs: string[];
  /** Warn when an automatic arg replaces a Dockerfile ARG default (`auto-build-args` left unset). */
  warnAutoArgs: boolean;
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

/**
 * `{{name}}` in a build-arg value → the plan's value of that name (meta `templateVars`: version,
 * created, sha, commit_sha, branch, tag, base_ref). Anything else between braces stays as written:
 * build-push-action passes values verbatim, and a value such as `{{.Version}}` (a Go template for
 * the build itself) must reach the build unchanged.
 */
export function renderBuildArg(value: string, vars: Record<string, string>): string {
  return value.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : whole
  );
}

/**
 * `KEY=value` lines; a later line wins, and user values win over the computed VERSION/COMMIT_SHA/BUILD_DATE.
 * Values may name the plan's own values (renderBuildArg), so one step needs no metadata step before it.
 */
export function mergeBuildArgs(
  computed: Record<string, string>,
  lines: string[],
  vars: Record<string, string> = {}
): Record<string, string> {
  const out = {...computed};
  for (const line of lines) {
    const i = line.indexOf('=');
    if (i <= 0) throw new Error(`Input "build-args": "${line}" is not KEY=value`);
    out[line.slice(0, i)] = renderBuildArg(line.slice(i + 1), vars);
  }
  return out;
}

export function buildPlan(
  inputs: Inputs,
  computedArgs: Record<string, string>,
  vars: Record<string, string> = {}
): BuildPlan {
  const auto = inputs.autoBuildArgs === 'false' ? {} : computedArgs;
  const userKeys = new Set(inputs.buildArgs.map(l => l.slice(0, Math.max(0, l.indexOf('=')))));
  return {
    engine: inputs.engine,
    context: inputs.context,
    file: inputs.file,
    target: inputs.target,
    buildArgs: mergeBuildArgs(auto, inputs.buildArgs, vars),
    autoArgs: Object.keys(auto).filter(k => !userKeys.has(k)),
    warnAutoArgs: inputs.autoBuildArgs === 'auto',
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
