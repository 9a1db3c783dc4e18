import {getInput} from './report/commands.js';
import {registryAuthPasswords} from './plan/registry-auth.js';
import {parseList} from './meta/list.js';
import {DEFAULT_POLICY_PATH} from './policy/load.js';
import {maskSecret, maskSecretOrFile} from './secrets.js';
import {parseChecksumInput} from './tools/checksum.js';
import type {Maxima, Severity} from './supply/severity.js';

export type Engine = 'buildx' | 'podman' | 'buildah';
const ENGINES: readonly Engine[] = ['buildx', 'podman', 'buildah'];
export type Mode = 'publish' | 'build' | 'merge' | 'promote';
const MODES: readonly Mode[] = ['publish', 'build', 'merge', 'promote'];
export type SbomFormat = 'spdx-json' | 'cyclonedx' | 'none';

/** Every action input, read once. This is the only module that calls getInput. */
export interface Inputs {
  images: string[];
  tags: string[];
  flavor: string[];
  labels: string[];
  annotations: string[];
  sepTags: string;
  sepLabels: string;
  sepAnnotations: string;
  tagPreset: string;
  tagPrefix: string;
  version: string;
  /** Manual release under a non-semver tag (`hotfix-42`); `version` is the semver path. */
  customTag: string;
  archTags: boolean;
  platforms: string[];
  context: string;
  file: string;
  target: string;
  buildArgs: string[];
  /**
   * VERSION / COMMIT_SHA / BUILD_DATE build args: `auto` (unset: passed, with a warning when one
   * replaces a default the Dockerfile declares), `true` (passed, no warning), `false` (not passed).
   */
  autoBuildArgs: 'auto' | 'true' | 'false';
  /** `auto-labels: false` / `auto-annotations: false`: no computed OCI labels / annotations. */
  autoLabels: boolean;
  autoAnnotations: boolean;
  engine: Engine;
  dryRun: boolean;
  /** false: build every platform, push nothing, log in nowhere (pull requests, fork PRs). */
  push: boolean;
  /** With push: false, load the single-platform result into the local docker daemon. */
  load: boolean;
  githubToken: string;
  // Build and push
  builder: string;
  builderDriver: string;
  builderEndpoint: string;
  builderDriverOpts: string[];
  buildkitdConfig: string;
  keepBuilder: boolean;
  binfmtImage: string;
  registryAuth: string;
  /** login-action-style single login: `registry`, `username`, `password` (see login/credentials.ts). */
  registry: string;
  username: string;
  password: string;
  insecureRegistries: string[];
  secrets: string[];
  cacheFrom: string[];
  cacheTo: string[];
  /** build-push-action's exporters: accepted only to be refused by name (see plan.ts). */
  outputs: string[];
  provenance: string;
  sbom: string;
  pull: boolean;
  noCache: boolean;
  engineFlags: string[];
  isolation: string;
  // Modes and policy
  mode: Mode;
  policy: string;
  /** The user named the policy file (then a missing file is an error, not "no policy"). */
  policyGiven: boolean;
  source: string;
  digests: string[];
  resign: boolean;
  // Scan and SBOM
  scan: boolean;
  scanFailOn: string;
  scanMax: Maxima;
  scanIgnoreUnfixed: boolean;
  scanIgnoreFile: string;
  trivyDbRepositories: string[];
  trivyCacheDir: string;
  sbomFormat: SbomFormat;
  reportDir: string;
  releaseAssets: boolean;
  // Sign
  cosignKey: string;
  cosignPassword: string;
  cosignPublicKey: string;
  keyless: boolean;
  signRecursive: boolean;
  tlogUpload: boolean;
  signatureFormat: string;
  certificateIdentity: string;
  certificateOidcIssuer: string;
  // Tools
  trivyVersion: string;
  cosignVersion: string;
  /** tool → SHA-256 the user vouches for (versions without a pinned sum). */
  toolChecksums: Record<string, string>;
  toolsDownloadBase: string;
}

/** Reads one raw input; `trim: false` keeps separators such as a lone newline. */
export type InputGetter = (name: string, trim?: boolean) => string;

/** Every input, parsed and checked. Pure given the getter, so tests feed it a plain map. */
export function readInputs(get: InputGetter): Inputs {
  const list = (name: string): string[] => parseList(get(name), {ignoreComma: true, comment: '#', quote: false});
  const bool = (name: string): boolean => {
    const raw = get(name);
    if (raw === '') return false;
    if (/^(true|True|TRUE)$/.test(raw)) return true;
    if (/^(false|False|FALSE)$/.test(raw)) return false;
    throw new Error(`Input "${name}" must be true or false, got "${raw}"`);
  };
  const engine = get('engine') || 'buildx';
  if (!(ENGINES as readonly string[]).includes(engine)) {
    throw new Error(`Input "engine" must be one of ${ENGINES.join(', ')}, got "${engine}"`);
  }
  const driver = get('builder-driver') || 'docker-container';
  if (!['docker-container', 'remote', 'docker', 'kubernetes'].includes(driver)) {
    throw new Error(`Input "builder-driver" must be docker-container, remote, docker or kubernetes, got "${driver}"`);
  }
  const mode = get('mode') || 'publish';
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new Error(`Input "mode" must be one of ${MODES.join(', ')}, got "${mode}"`);
  }
  const sbomFormat = get('sbom-format') || 'spdx-json';
  if (!['spdx-json', 'cyclonedx', 'none'].includes(sbomFormat)) {
    throw new Error(`Input "sbom-format" must be spdx-json, cyclonedx or none, got "${sbomFormat}"`);
  }
  const count = (name: string): number | undefined => {
    const raw = get(name);
    if (raw === '') return undefined;
    if (!/^\d+$/.test(raw))
      throw new Error(`Input "${name}" must be a whole number of findings (0 or more), got "${raw}"`);
    return Number(raw);
  };
  const maxima: [Severity, number | undefined][] = [
    ['CRITICAL', count('max-critical')],
    ['HIGH', count('max-high')],
    ['MEDIUM', count('max-medium')],
    ['LOW', count('max-low')],
    ['UNKNOWN', count('max-unknown')]
  ];
  const scanMax: Maxima = {};
  for (const [sev, n] of maxima) if (n !== undefined) scanMax[sev] = n;
  const lines = (name: string): string[] => parseList(get(name), {ignoreComma: false, comment: '#'});
  if (driver === 'remote' && !get('builder-endpoint') && !get('builder')) {
    throw new Error(
      'Input "builder-endpoint" is required with builder-driver: remote (e.g. unix:///run/buildkit/buildkitd.sock)'
    );
  }
  // Registry names the tools and our client use as they are: host[:port], nothing else.
  const HOST =
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::\d{1,5})?$/;
  const host = (name: string, value: string): string => {
    if (value !== '' && !HOST.test(value)) {
      throw new Error(
        `Input "${name}": "${value.slice(0, 80)}" is not a registry host[:port] (e.g. quay.io, 127.0.0.1:5000)`
      );
    }
    return value;
  };
  host('registry', get('registry'));
  for (const r of parseList(get('insecure-registries'), {ignoreComma: false, comment: '#'}))
    host('insecure-registries', r);
  const isolation = get('isolation');
  if (!['', 'chroot', 'oci', 'rootless'].includes(isolation)) {
    throw new Error(
      `Input "isolation" must be chroot, oci or rootless (buildah/podman), got "${isolation.slice(0, 40)}"`
    );
  }
  return {
    images: list('images'),
    tags: list('tags'),
    flavor: list('flavor'),
    labels: list('labels'),
    annotations: list('annotations'),
    sepTags: get('sep-tags', false) || '\n',
    sepLabels: get('sep-labels', false) || '\n',
    sepAnnotations: get('sep-annotations', false) || '\n',
    tagPreset: get('tag-preset'),
    tagPrefix: get('tag-prefix'),
    version: get('version'),
    customTag: get('custom-tag'),
    archTags: bool('arch-tags'),
    platforms: parseList(get('platforms'), {ignoreComma: false, comment: '#'}),
    context: get('context') || '.',
    file: get('file'),
    target: get('target'),
    buildArgs: list('build-args'),
    autoBuildArgs: get('auto-build-args') === '' ? 'auto' : bool('auto-build-args') ? 'true' : 'false',
    autoLabels: get('auto-labels') === '' ? true : bool('auto-labels'),
    autoAnnotations: get('auto-annotations') === '' ? true : bool('auto-annotations'),
    engine: engine as Engine,
    dryRun: bool('dry-run'),
    push: get('push') === '' ? true : bool('push'),
    load: bool('load'),
    githubToken: get('github-token'),
    builder: get('builder'),
    builderDriver: driver,
    builderEndpoint: get('builder-endpoint'),
    builderDriverOpts: list('builder-driver-opts'),
    buildkitdConfig: get('buildkitd-config'),
    keepBuilder: bool('keep-builder'),
    binfmtImage: get('binfmt-image') || 'docker.io/tonistiigi/binfmt:latest',
    registryAuth: get('registry-auth'),
    registry: get('registry'),
    username: get('username'),
    // Used as given (a secret may end in a space); only the line break a YAML `|` block adds goes.
    password: get('password', false).replace(/\r?\n$/, ''),
    insecureRegistries: parseList(get('insecure-registries'), {ignoreComma: false, comment: '#'}),
    secrets: list('secrets'),
    cacheFrom: list('cache-from'),
    cacheTo: list('cache-to'),
    outputs: list('outputs'),
    provenance: get('provenance'),
    sbom: get('sbom'),
    pull: bool('pull'),
    noCache: bool('no-cache'),
    engineFlags: parseList(get('engine-flags'), {ignoreComma: false, comment: '#'})
      .flatMap(f => f.split(/\s+/))
      .filter(Boolean),
    isolation: get('isolation'),
    mode: mode as Mode,
    policy: get('policy') || DEFAULT_POLICY_PATH,
    policyGiven: get('policy') !== '',
    source: get('source'),
    digests: lines('digests'),
    resign: bool('resign'),
    scan: bool('scan'),
    scanFailOn: get('fail-on'),
    scanMax,
    scanIgnoreUnfixed: bool('ignore-unfixed'),
    scanIgnoreFile: get('trivyignore'),
    trivyDbRepositories: lines('trivy-db-repository'),
    trivyCacheDir: get('trivy-cache-dir'),
    sbomFormat: sbomFormat as SbomFormat,
    reportDir: get('report-dir'),
    releaseAssets: bool('release-assets'),
    cosignKey: get('cosign-key'),
    cosignPassword: get('cosign-password'),
    cosignPublicKey: get('cosign-public-key'),
    keyless: bool('keyless'),
    signRecursive: get('sign-recursive') === '' ? true : bool('sign-recursive'),
    tlogUpload: get('tlog-upload') === '' ? true : bool('tlog-upload'),
    signatureFormat: get('signature-format'),
    certificateIdentity: get('certificate-identity'),
    certificateOidcIssuer: get('certificate-oidc-issuer'),
    trivyVersion: get('trivy-version'),
    cosignVersion: get('cosign-version'),
    toolChecksums: parseChecksumInput(get('tool-checksums'), 'tool-checksums'),
    toolsDownloadBase: get('tools-download-base')
  };
}

/** Inputs that hold secrets, and how each is masked (the value, its forms, what it names). */
const SECRET_INPUTS: readonly (readonly [string, (value: string) => void])[] = [
  ['github-token', v => maskSecret(v)],
  ['cosign-password', v => maskSecret(v)],
  ['password', v => maskSecret(v.replace(/\r?\n$/, ''))],
  // PEM content, base64 of a key, a file path (then its content too) or a KMS URI: all masked.
  ['cosign-key', v => maskSecretOrFile(v)],
  [
    'registry-auth',
    v => {
      for (const c of registryAuthPasswords(v)) {
        maskSecret(c.password);
        if (c.username) maskSecret(`${c.username}:${c.password}`);
      }
    }
  ]
];

export function getInputs(): Inputs {
  const raw = (name: string, trim = true): string => getInput(name, {trimWhitespace: trim});
  // Masked before any input is parsed: a parse error or a later log line cannot show them.
  for (const [name, mask] of SECRET_INPUTS) {
    const value = raw(name, false);
    if (value.trim() !== '') mask(value);
  }
  const inputs = readInputs(raw);
  const single = inputs.username && inputs.password ? `${inputs.username}:${inputs.password}` : '';
  if (single) maskSecret(single);
  return inputs;
}
