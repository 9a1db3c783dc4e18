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
  if (spec.provenance) args.push(`--provenance=${spec.provenance}`);
  if (spec.sbom) args.push(`--sbom=${spec.sbom}`);
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
