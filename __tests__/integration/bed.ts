// Typed access to the offline test bed started by `bash scripts/test-bed.sh up`.
// The bed writes $IMAGE_PUBLISH_BED_STATE/bed.json (default /var/lib/image-publish-bed/bed.json).
// loadBed() THROWS when the bed or one of its tools is missing: integration tests never skip.
import {execFileSync, spawnSync} from 'node:child_process';
import {accessSync, constants, existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

export const INSTALL_HINT = 'run: bash scripts/test-bed.sh up';
export const DEFAULT_STATE_DIR = '/var/lib/image-publish-bed';

export interface BedImage {
  ref: string;
  digest: string;
}

export interface Bed {
  version: number;
  stateDir: string;
  prefix: string;
  binDir: string;
  devRegistry: {host: string; insecure: boolean};
  prodRegistry: {host: string; username: string; password: string; caCert: string};
  caBundle: string;
  buildkit: {address: string; builder: string; config: string};
  docker: {host: string; config: string};
  registryAuthFile: string;
  buildah: {storageConf: string; registriesConf: string; storageFlags: string; isolation: string};
  regctlConfig: string;
  trivy: {cacheDir: string; dbRepository: string; dbDigest: string};
  cosign: {key: string; pub: string; password: string};
  images: {busybox: BedImage; vulnerable: BedImage; clean: BedImage};
  /** Token-auth registries (issue 16); optional so that an older bed.json still loads: requireGrownBed(). */
  tokenRegistries?: BedTokenRegistries;
  referrersRegistries?: {ggcr: BedPlainRegistry; cue: BedPlainRegistry & {emptyListIsNull: boolean}};
  containerBuilder?: {image: string; buildkitdConfig: string; driverOpts: string[]};
  binfmt?: {image: string; bedImage: string; busyboxArm64: string};
  versions: {
    buildx: string;
    buildkit: string;
    trivy: string;
    trivyDb: string;
    cosign: string;
    regctl: string;
    act: string;
  };
}

/** Go tools built by the bed into bed.binDir. */
export const BED_TOOLS = ['buildx', 'buildkitd', 'buildctl', 'trivy', 'trivy-db', 'cosign', 'regctl', 'act'] as const;
export type BedTool = (typeof BED_TOOLS)[number];

export function bedJsonPath(): string {
  return path.join(process.env.IMAGE_PUBLISH_BED_STATE || DEFAULT_STATE_DIR, 'bed.json');
}

function fail(msg: string): never {
  throw new Error(`image-publish test bed: ${msg} — ${INSTALL_HINT}`);
}

function requireKeys(obj: unknown, keys: string[], where: string): void {
  if (typeof obj !== 'object' || obj === null) fail(`${where} is not an object in ${bedJsonPath()}`);
  for (const k of keys) {
    const v = (obj as Record<string, unknown>)[k];
    if (v === undefined || v === null || v === '') fail(`${where}.${k} missing in ${bedJsonPath()}`);
  }
}

let cached: Bed | undefined;

/** Load and validate bed.json; throws (with the install hint) if the bed is missing or incomplete. */
export function loadBed(): Bed {
  if (cached) return cached;
  const file = bedJsonPath();
  if (!existsSync(file)) fail(`${file} not found (the bed is not set up)`);
  let bed: Bed;
  try {
    bed = JSON.parse(readFileSync(file, 'utf8')) as Bed;
  } catch (e) {
    fail(`cannot read ${file}: ${(e as Error).message}`);
  }
  requireKeys(
    bed,
    [
      'stateDir',
      'binDir',
      'devRegistry',
      'prodRegistry',
      'buildkit',
      'docker',
      'buildah',
      'trivy',
      'cosign',
      'images',
      'versions',
      'regctlConfig',
      'registryAuthFile'
    ],
    'bed'
  );
  requireKeys(bed.prodRegistry, ['host', 'username', 'password', 'caCert'], 'prodRegistry');
  requireKeys(bed.images, ['busybox', 'vulnerable', 'clean'], 'images');
  for (const name of ['busybox', 'vulnerable', 'clean'] as const) {
    requireKeys(bed.images[name], ['ref', 'digest'], `images.${name}`);
  }
  for (const t of BED_TOOLS) {
    const p = path.join(bed.binDir, t);
    try {
      accessSync(p, constants.X_OK);
    } catch {
      fail(`tool ${t} missing at ${p}`);
    }
  }
  for (const f of [bed.cosign.key, bed.cosign.pub, bed.prodRegistry.caCert, bed.registryAuthFile, bed.regctlConfig]) {
    if (!existsSync(f)) fail(`${f} missing`);
  }
  cached = bed;
  return bed;
}

/** Environment for child processes: bed tools first on PATH, the bed's client configs. */
export function bedEnv(bed: Bed, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${bed.binDir}:${process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'}`,
    DOCKER_CONFIG: bed.docker.config,
    DOCKER_HOST: bed.docker.host,
    REGISTRY_AUTH_FILE: bed.registryAuthFile,
    CONTAINERS_STORAGE_CONF: bed.buildah.storageConf,
    CONTAINERS_REGISTRIES_CONF: bed.buildah.registriesConf,
    BUILDAH_ISOLATION: bed.buildah.isolation,
    REGCTL_CONFIG: bed.regctlConfig,
    SSL_CERT_FILE: bed.caBundle,
    NODE_EXTRA_CA_CERTS: bed.prodRegistry.caCert,
    ...extra
  };
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

/** Resolve a bed tool to its absolute path; other commands (apt tools) go through PATH. */
export function toolPath(bed: Bed, cmd: string): string {
  return (BED_TOOLS as readonly string[]).includes(cmd) ? path.join(bed.binDir, cmd) : cmd;
}

/** Run argv, never a shell string; returns status/stdout/stderr without throwing. */
export function runResult(bed: Bed, cmd: string, args: string[], opts: RunOptions = {}): RunResult {
  const r = spawnSync(toolPath(bed, cmd), args, {
    cwd: opts.cwd,
    env: bedEnv(bed, opts.env),
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: opts.timeoutMs ?? 600_000
  });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  return {status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr};
}

/** Run argv and return stdout; throws with stderr when the exit code is not 0. */
export function run(bed: Bed, cmd: string, args: string[], opts: RunOptions = {}): string {
  const r = runResult(bed, cmd, args, opts);
  if (r.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} exited ${r.status}\n--- stderr ---\n${r.stderr}\n--- stdout ---\n${r.stdout}`
    );
  }
  return r.stdout;
}

/** Same as run(), via execFileSync (stdout only). */
export function runStdout(bed: Bed, cmd: string, args: string[], cwd?: string): string {
  return execFileSync(toolPath(bed, cmd), args, {
    cwd,
    env: bedEnv(bed),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `image-publish-${prefix}-`));
}

/** A tag unique to this run (registries are shared between runs). */
export function uniqueTag(prefix = 't'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: {os: string; architecture: string; variant?: string};
  annotations?: Record<string, string>;
  artifactType?: string;
}

export interface IndexManifest {
  schemaVersion: number;
  mediaType?: string;
  manifests: Descriptor[];
}

/** Raw manifest as stored in the registry (regctl manifest get --format raw-body). */
export function manifestRaw<T = unknown>(bed: Bed, ref: string): T {
  return JSON.parse(run(bed, 'regctl', ['manifest', 'get', '--format', 'raw-body', ref])) as T;
}

/** Digest of the manifest a ref points to, read from the registry. */
export function registryDigest(bed: Bed, ref: string): string {
  return run(bed, 'regctl', ['image', 'digest', ref]).trim();
}

/** Sorted "os/arch[/variant]" of an index, without attestation manifests (unknown/unknown). */
export function platformsOf(index: IndexManifest): string[] {
  return index.manifests
    .filter(
      m =>
        m.platform &&
        m.platform.os !== 'unknown' &&
        m.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest'
    )
    .map(m => [m.platform!.os, m.platform!.architecture, m.platform!.variant].filter(Boolean).join('/'))
    .sort();
}

/** Copy a bed image to a fresh repo/tag of the dev registry (so tests do not modify fixtures). */
export function copyToScratchRepo(bed: Bed, image: BedImage, repo: string): {ref: string; digest: string} {
  const ref = `${bed.devRegistry.host}/bed-test/${repo}:${uniqueTag()}`;
  run(bed, 'regctl', ['image', 'copy', `${image.ref.replace(/:[^:/]+$/, '')}@${image.digest}`, ref]);
  return {ref, digest: registryDigest(bed, ref)};
}

/** ref without tag/digest: "host:port/repo". */
export function repoOf(ref: string): string {
  const noDigest = ref.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** cosign flags for offline key-based signing with cosign v3 (v2: only --tlog-upload=false). */
export function cosignSignArgs(bed: Bed, refAtDigest: string): string[] {
  const v3 = bed.versions.cosign.startsWith('v3');
  return [
    'sign',
    '--key',
    bed.cosign.key,
    '--tlog-upload=false',
    ...(v3 ? ['--use-signing-config=false'] : []),
    '--recursive',
    '--yes',
    refAtDigest
  ];
}

export function cosignVerifyArgs(bed: Bed, refAtDigest: string, pub = bed.cosign.pub): string[] {
  return ['verify', '--key', pub, '--insecure-ignore-tlog', '--output', 'json', refAtDigest];
}

/** Tags of a repository, signature/attestation tags (sha256-…) left out, sorted. */
export function tagsOf(bed: Bed, repo: string): string[] {
  return runResult(bed, 'regctl', ['tag', 'ls', repo])
    .stdout.split('\n')
    .filter(Boolean)
    .filter(t => !t.startsWith('sha256-'))
    .sort();
}

export interface BedTokenRegistry {
  host: string;
  realm: string;
  service: string;
}

export interface BedAccount {
  username: string;
  password: string;
}

export interface BedTokenRegistries {
  /** realm on another host name (Docker Hub style) */
  hub: BedTokenRegistry;
  /** realm on the registry's own origin (GHCR/Quay/Harbor style) */
  origin: BedTokenRegistry;
  pusher: BedAccount;
  puller: BedAccount;
  /** repositories under this prefix are readable anonymously */
  publicPrefix: string;
  issuer: string;
  signingCert: string;
}

export interface BedPlainRegistry {
  host: string;
  insecure: boolean;
}

export type GrownBed = Bed &
  Required<Pick<Bed, 'tokenRegistries' | 'referrersRegistries' | 'containerBuilder' | 'binfmt'>>;

/** loadBed() plus the token, referrers, docker-container and binfmt parts; throws when one is missing. */
export function requireGrownBed(): GrownBed {
  const bed = loadBed();
  requireKeys(bed, ['tokenRegistries', 'referrersRegistries', 'containerBuilder', 'binfmt'], 'bed');
  requireKeys(
    bed.tokenRegistries,
    ['hub', 'origin', 'pusher', 'puller', 'publicPrefix', 'signingCert'],
    'tokenRegistries'
  );
  for (const f of [bed.containerBuilder!.buildkitdConfig, bed.binfmt!.busyboxArm64]) {
    if (!existsSync(f)) fail(`${f} missing`);
  }
  return bed as GrownBed;
}
