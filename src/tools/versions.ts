// Pinned tool versions, where their release assets live and the SHA-256 of each asset we trust.
import * as semver from 'semver';

export type ToolName = 'cosign' | 'trivy';

export interface ToolSpec {
  name: ToolName;
  /** The version installed when the user asks for none (`v`-prefixed, as the release tag). */
  defaultVersion: string;
  /** Release asset URL for a version (`v`-prefixed) and a Go-style os/arch (linux/amd64). */
  url(version: string, os: string, arch: string): string;
  archive: 'none' | 'tar.gz';
  /** Path of the executable inside the archive. */
  binaryInArchive?: string;
  versionArgs: string[];
  parseVersion(out: string): string | undefined;
  /** Pinned sha256 per `${version}/${os}-${arch}`. */
  sha256: Record<string, string>;
}

export const GITHUB_BASE = 'https://github.com';

export interface Platform {
  os: 'linux' | 'darwin';
  arch: 'amd64' | 'arm64';
}

const OS: Record<string, Platform['os']> = {linux: 'linux', darwin: 'darwin'};
const ARCH: Record<string, Platform['arch']> = {x64: 'amd64', arm64: 'arm64'};

/** Maps Node's platform/arch to the Go names release assets use; other hosts have no assets we pin. */
export function hostPlatform(platform: string = process.platform, arch: string = process.arch): Platform {
  const os = OS[platform];
  const goArch = ARCH[arch];
  if (!os || !goArch)
    throw new Error(`no cosign/trivy release assets for ${platform}/${arch} (supported: linux, darwin on x64, arm64)`);
  return {os, arch: goArch};
}

/** `3.1.2` / `v3.1.2` → `v3.1.2`; anything but an exact version throws, since checksums pin exact files. */
export function normalizeVersion(tool: ToolSpec, version: string): string {
  const v = version.trim();
  if (v === '') return tool.defaultVersion;
  const clean = semver.valid(semver.clean(v) ?? '');
  if (!clean) throw new Error(`${tool.name} version "${version}" is not an exact version like ${tool.defaultVersion}`);
  return `v${clean}`;
}

/** Mirrors (GHES, an internal cache) keep GitHub's release path layout under another base. */
export function withDownloadBase(url: string, downloadBase?: string): string {
  if (!downloadBase || !url.startsWith(GITHUB_BASE + '/')) return url;
  return downloadBase.replace(/\/+$/, '') + url.slice(GITHUB_BASE.length);
}

const firstMatch = (re: RegExp, out: string): string | undefined => re.exec(out)?.[1];

// Not recomputed here (no network): each sum is the published SHA-256 of the GitHub release asset, pinned
// identically by several independent public projects. Sources are files in the public code index used to
// write this (repository names not shown by it; `read_file id=<n>` reopens them).
const COSIGN_SHA256: Record<string, string> = {
  // linux: a `class Cosign < Formula` v3.1.2 formula (57115420982), an installer saying "taken from that
  // release's cosign_checksums.txt" (58326905925), a Dockerfile (59655288417), a bootstrap script (61234109323).
  'v3.1.2/linux-amd64': 'f7622ed3cf22e55e1ae6377c080979ff77a22da9981c11df222a2e444991e7cf',
  'v3.1.2/linux-arm64': '90e7ae0b5dfd60f20816b52c012addf7fc055ebcc7bea4ce81c428ca8518c302',
  // darwin: the same formula (57115420982) and bootstrap script (61234109323).
  'v3.1.2/darwin-amd64': 'acd180f8b015be25240ca33abee8a1e564eb65cdf1a3cee4725456d2dceb7da6',
  'v3.1.2/darwin-arm64': 'dec1c3f802320b19c2fbcf2dc7bcfb3f258e1c181a046c23a1a074bdf932f10a'
};

const TRIVY_SHA256: Record<string, string> = {
  // All four: a Bazel trivy toolchain (59727220386) and a JSON tool manifest (71631984018). Also Linux-64bit:
  // a script citing "Official GitHub release asset SHA256 values" (68438715008); Linux-ARM64: a note saying
  // it was "re-verified by downloading and hashing" (71380743657).
  'v0.74.0/linux-amd64': '2ae6fe3ee734b7fdf11335663e18c75ea12dccc76062f09f164a3b0f8be4371a',
  'v0.74.0/linux-arm64': 'b94ce1976bbf3c15b514b605ee88be7c6d94a29be2302847ff01cb794d47aad5',
  'v0.74.0/darwin-amd64': '472816f6888dda689d075c30254d4210b4d1035acf365aa72332f584c2f60485',
  'v0.74.0/darwin-arm64': '1caada5e0e2091909357c7525d3aa76f4b660b13821bc143b190c7483e31cc11'
};

const TRIVY_OS: Record<string, string> = {linux: 'Linux', darwin: 'macOS'};
const TRIVY_ARCH: Record<string, string> = {amd64: '64bit', arm64: 'ARM64'};

function lookup(table: Record<string, string>, key: string, what: string): string {
  const v = table[key];
  if (!v) throw new Error(`no trivy release asset for ${what} "${key}"`);
  return v;
}

export const TOOLS: Record<ToolName, ToolSpec> = {
  cosign: {
    name: 'cosign',
    defaultVersion: 'v3.1.2',
    url: (version, os, arch) => `${GITHUB_BASE}/sigstore/cosign/releases/download/${version}/cosign-${os}-${arch}`,
    archive: 'none',
    versionArgs: ['version'],
    // `cosign version` prints an ASCII-art banner first; GitVersion is the release tag.
    parseVersion: out => firstMatch(/^GitVersion:\s*(\S+)/m, out),
    sha256: COSIGN_SHA256
  },
  trivy: {
    name: 'trivy',
    defaultVersion: 'v0.74.0',
    // Trivy's asset names drop the tag's `v` and use their own OS/arch spelling.
    url: (version, os, arch) =>
      `${GITHUB_BASE}/aquasecurity/trivy/releases/download/${version}/trivy_${version.replace(/^v/, '')}_` +
      `${lookup(TRIVY_OS, os, 'os')}-${lookup(TRIVY_ARCH, arch, 'arch')}.tar.gz`,
    archive: 'tar.gz',
    binaryInArchive: 'trivy',
    versionArgs: ['--version'],
    // The first, unindented `Version:` is trivy's; the DB's own `Version:` follows, indented.
    parseVersion: out => firstMatch(/^Version:\s*(\S+)/m, out),
    sha256: TRIVY_SHA256
  }
};

/** Versions as tools print them (`v3.1.2`, `0.74.0`) compare equal when semver-equal. */
export function sameVersion(a: string, b: string): boolean {
  const ca = semver.clean(a);
  const cb = semver.clean(b);
  return ca !== null && cb !== null && semver.eq(ca, cb);
}
