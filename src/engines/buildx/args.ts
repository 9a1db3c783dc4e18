import type {BuildSpec} from '../types.js';

/** One CSV field for buildx's --output/--secret syntax: quoted when it holds a comma or quote. */
export function csvField(s: string): string {
  return /[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * `buildx build` argv that pushes every platform BY DIGEST, without any tag, to every repository
 * at once (one build, several registries): `push-by-digest=true` + `name-canonical=true`.
 */
export function buildxBuildArgs(spec: BuildSpec, opts: {builder: string; metadataFile: string}): string[] {
  const args = [
    'build',
    '--builder',
    opts.builder,
    '--platform',
    spec.platforms.join(','),
    '--metadata-file',
    opts.metadataFile
  ];
  if (spec.file) args.push('--file', spec.file);
  if (spec.target) args.push('--target', spec.target);
  for (const [k, v] of Object.entries(spec.buildArgs)) args.push('--build-arg', `${k}=${v}`);
  for (const l of spec.labels) args.push('--label', l);
  for (const a of spec.annotations) args.push('--annotation', a);
  for (const s of spec.secrets) args.push('--secret', s);
  for (const c of spec.cacheFrom) args.push('--cache-from', c);
  for (const c of spec.cacheTo) args.push('--cache-to', c);
  // Resolved by the plan (build-push-action's rules): `type=provenance,mode=max,builder-id=…`.
  if (spec.provenance) args.push('--attest', spec.provenance);
  if (spec.sbom) args.push('--attest', spec.sbom);
  if (spec.pull) args.push('--pull');
  if (spec.noCache) args.push('--no-cache');
  if (spec.local?.type === 'oci') {
    args.push('--output', ['type=oci', csvField(`dest=${spec.local.dest}`), 'tar=false'].join(','));
  } else if (spec.local?.type === 'docker') {
    const names = spec.local.names.length > 0 ? [csvField(`name=${spec.local.names.join(',')}`)] : [];
    args.push('--output', ['type=docker', csvField(`dest=${spec.local.dest}`), ...names].join(','));
  } else if (spec.repositories.length > 0) {
    args.push(
      '--output',
      [
        'type=image',
        csvField(`name=${spec.repositories.join(',')}`),
        'push-by-digest=true',
        'name-canonical=true',
        'push=true'
      ].join(',')
    );
  }
  args.push(spec.context);
  return args;
}

/** What buildx's gha cache backend reads from its own environment (buildx build/opt.go addGithubToken). */
export const GHA_CACHE_ENV = [
  'ACTIONS_CACHE_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_CACHE_SERVICE_V2'
];

const ghaEntry = (entry: string): boolean => entry.split(',').some(f => f.trim() === 'type=gha');

/**
 * The environment a build with a `type=gha` cache hands buildx: the runtime token and cache URLs
 * go through the environment, never the argv (the argv is logged), exactly as buildx picks them up.
 */
export function buildxEnv(
  spec: Pick<BuildSpec, 'cacheFrom' | 'cacheTo'>,
  env: Record<string, string | undefined>
): Record<string, string> {
  if (![...spec.cacheFrom, ...spec.cacheTo].some(ghaEntry)) return {};
  const out: Record<string, string> = {};
  for (const name of GHA_CACHE_ENV) {
    const v = env[name];
    if (v) out[name] = v;
  }
  return out;
}

export interface BuilderSpec {
  name: string;
  /** docker-container (GitHub default), remote, or docker. */
  driver: string;
  /** For remote: tcp://..., unix://... */
  endpoint: string;
  driverOpts: string[];
  /** buildkitd.toml for docker-container builders (registry mirrors, CAs, insecure registries). */
  configFile: string;
  platforms: string[];
}

export function buildxCreateArgs(b: BuilderSpec): string[] {
  const args = ['create', '--name', b.name, '--driver', b.driver];
  for (const o of b.driverOpts) args.push('--driver-opt', o);
  if (b.configFile) args.push('--buildkitd-config', b.configFile);
  if (b.platforms.length > 0 && b.driver !== 'remote') args.push('--platform', b.platforms.join(','));
  if (b.endpoint) args.push(b.endpoint);
  return args;
}

export const buildxInspectArgs = (name: string): string[] => ['inspect', '--bootstrap', name];
export const buildxRemoveArgs = (name: string): string[] => ['rm', name];

/** The buildx metadata file: the pushed index (or single manifest) digest per build. */
export function parseBuildxMetadata(json: string): {digest: string; imageNames: string[]} {
  const meta = JSON.parse(json) as Record<string, unknown>;
  const digest = meta['containerimage.digest'];
  if (typeof digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(digest)) {
    throw new Error(`buildx metadata has no containerimage.digest: ${json.slice(0, 300)}`);
  }
  const names = typeof meta['image.name'] === 'string' ? (meta['image.name'] as string).split(',') : [];
  return {digest, imageNames: names};
}
