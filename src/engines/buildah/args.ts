import type {BuildSpec} from '../types.js';

/**
 * buildah/podman argv. Both build a manifest list for all platforms; podman takes the same
 * build flags. The list is written to a local OCI layout and uploaded by digest from there, because
 * `manifest push` to a registry reference without a tag would create `:latest` before any gate.
 */
export interface BuildahOptions {
  /** `buildah` or `podman`. */
  engine: 'buildah' | 'podman';
  /** Extra global flags such as `--storage-driver vfs` (from the `engine-flags` input). */
  globalFlags: string[];
  /** chroot on runners without user namespaces; '' = engine default. */
  isolation: string;
  manifest: string;
}

export function buildahBuildArgs(spec: BuildSpec, o: BuildahOptions): string[] {
  const args = [...o.globalFlags, 'build', '--manifest', o.manifest, '--platform', spec.platforms.join(',')];
  if (o.isolation) args.push('--isolation', o.isolation);
  if (spec.file) args.push('--file', spec.file);
  if (spec.target) args.push('--target', spec.target);
  for (const [k, v] of Object.entries(spec.buildArgs)) args.push('--build-arg', `${k}=${v}`);
  for (const l of spec.labels) args.push('--label', l);
  // Image-level annotations go to each manifest; index-level ones are added to the index JSON
  // before upload (buildah 1.28 cannot annotate the index itself).
  for (const a of spec.annotations.filter(a => a.startsWith('manifest:')))
    args.push('--annotation', a.slice('manifest:'.length));
  for (const s of spec.secrets) args.push('--secret', s);
  for (const c of spec.cacheFrom) args.push('--cache-from', c);
  for (const c of spec.cacheTo) args.push('--cache-to', c);
  if (spec.pull) args.push('--pull=always');
  if (spec.noCache) args.push('--no-cache');
  args.push(spec.context);
  return args;
}

/** Writes the list and all its images to an OCI layout directory, and the list digest to a file. */
export function buildahPushToLayoutArgs(o: BuildahOptions, layoutDir: string, digestFile: string): string[] {
  return [
    ...o.globalFlags,
    'manifest',
    'push',
    '--all',
    '--format',
    'oci',
    '--digestfile',
    digestFile,
    o.manifest,
    `oci:${layoutDir}`
  ];
}

export function buildahRemoveManifestArgs(o: BuildahOptions): string[] {
  return [...o.globalFlags, 'manifest', 'rm', o.manifest];
}
