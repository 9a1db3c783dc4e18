import type {Engine, Inputs} from '../inputs.js';
import {checkAttestInput} from './attest-input.js';

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
  /** The resolved `--attest` values (`type=provenance,mode=max,builder-id=…`); '' = no flag. */
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

/** Go's strconv.ParseBool, which buildx applies to a bare attestation attribute. */
function goBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(s)) return false;
  return undefined;
}

/** actions-toolkit `resolveAttestationAttrs`: a bare true/false attribute becomes `disabled=`. */
export function attestationAttrs(attrs: string): string {
  return attrs
    .split(',')
    .map(a => a.trim())
    .filter(Boolean)
    .map(a => {
      const b = goBool(a);
      return b === undefined ? a : `disabled=${!b}`;
    })
    .join(',');
}

/** What the provenance default depends on: who built it (the run URL) and who may read it. */
export interface AttestEnv {
  /** The repository is private (payload `repository.private`/`visibility`, else the API); unknown = public, as build-push-action. */
  private?: boolean;
  vars: Record<string, string | undefined>;
}

/** GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID/attempts/N; '' outside a workflow run. */
export function runUrl(vars: Record<string, string | undefined>): string {
  if (!vars.GITHUB_REPOSITORY || !vars.GITHUB_RUN_ID) return '';
  const server = (vars.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  return `${server}/${vars.GITHUB_REPOSITORY}/actions/runs/${vars.GITHUB_RUN_ID}/attempts/${vars.GITHUB_RUN_ATTEMPT || '1'}`;
}

function withBuilderId(attrs: string, url: string): string {
  if (!url || attrs.split(',').some(f => f.split('=')[0].trim() === 'builder-id')) return attrs;
  return attrs ? `${attrs},builder-id=${url}` : `builder-id=${url}`;
}

/**
 * The `--attest` value of the provenance attestation, by build-push-action's rules (context.ts
 * getAttestArgs + actions-toolkit getProvenanceInput/resolveProvenanceAttrs): no input → mode=max
 * for a public repository, `mode=min,inline-only=true` for a private one (buildx's own default),
 * BUILDX_NO_DEFAULT_ATTESTATIONS turning the default off; `true` → builder id only; `false` →
 * disabled; anything else as given with the builder id added when missing. '' = no flag at all.
 * Only buildx attests; buildah/podman get ''.
 */
export function resolveProvenance(input: string, engine: Engine, env: AttestEnv): string {
  if (engine !== 'buildx') return '';
  const url = runUrl(env.vars);
  if (!input) {
    const off = env.vars.BUILDX_NO_DEFAULT_ATTESTATIONS;
    if (off && goBool(off) !== false) return '';
    const mode = env.private ? 'mode=min,inline-only=true' : 'mode=max';
    return `type=provenance,${withBuilderId(mode, url)}`;
  }
  if (/^(true|True|TRUE)$/.test(input)) return `type=provenance,${withBuilderId('', url)}`.replace(/,$/, '');
  if (/^(false|False|FALSE)$/.test(input)) return 'type=provenance,disabled=true';
  return attestationAttrs(`type=provenance,${withBuilderId(input, url)}`);
}

/** The `--attest` value of the SBOM attestation (`sbom: true`, `false` or attributes); '' = none. */
export function resolveSbom(input: string, engine: Engine): string {
  if (engine !== 'buildx' || !input) return '';
  return attestationAttrs(`type=sbom,${input}`);
}

const REMOTE_CONTEXT = /^([a-z][a-z0-9+.-]*:\/\/|git@)/i;

/** A `type=gha` cache entry (buildx's GitHub Actions cache backend). */
export const isGhaCache = (entry: string): boolean =>
  entry.split(',').some(f => f.trim().replace(/\s+/g, '') === 'type=gha');

/** What buildah/podman cannot do that build-push-action users bring along, refused by input name. */
function checkEngineInputs(inputs: Inputs, vars: Record<string, string | undefined>): void {
  const gha = [
    ...inputs.cacheFrom.filter(isGhaCache).map(() => 'cache-from'),
    ...inputs.cacheTo.filter(isGhaCache).map(() => 'cache-to')
  ];
  if (inputs.engine !== 'buildx') {
    if (REMOTE_CONTEXT.test(inputs.context)) {
      throw new Error(
        `Input "context": "${inputs.context}" is a remote (git or URL) context; engine: ${inputs.engine} builds a local directory only — check the repository out (actions/checkout) and give its path, or use engine: buildx`
      );
    }
    if (gha.length > 0) {
      throw new Error(
        `Input "${gha[0]}": type=gha is buildx's GitHub Actions cache; engine: ${inputs.engine} caches to a registry repository (cache-from: registry/repo)`
      );
    }
    return;
  }
  if (gha.length > 0 && !(vars.ACTIONS_RUNTIME_TOKEN && (vars.ACTIONS_CACHE_URL || vars.ACTIONS_RESULTS_URL))) {
    throw new Error(
      `Input "${gha[0]}": type=gha needs ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL, which GitHub gives JavaScript actions; outside a workflow job use type=registry or type=local`
    );
  }
}

export function buildPlan(
  inputs: Inputs,
  computedArgs: Record<string, string>,
  vars: Record<string, string> = {},
  attest: AttestEnv = {vars: {}}
): BuildPlan {
  checkEngineInputs(inputs, attest.vars);
  // Checked for every engine: only buildx attests, but a typo must not wait for a switch to buildx.
  checkAttestInput('provenance', inputs.provenance);
  checkAttestInput('sbom', inputs.sbom);
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
    provenance: resolveProvenance(inputs.provenance, inputs.engine, attest),
    sbom: resolveSbom(inputs.sbom, inputs.engine),
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
