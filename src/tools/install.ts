// Tool installer: PATH → tool cache → download, verify SHA-256, cache, addPath.
import {constants} from 'node:fs';
import {access, chmod, rm, stat} from 'node:fs/promises';
import path from 'node:path';
import {SHA256_RE, sha256File} from './checksum.js';
import {forgetProbes, probe} from './probe.js';
import {
  hostPlatform,
  normalizeVersion,
  sameVersion,
  withDownloadBase,
  type Platform,
  type ToolSpec
} from './versions.js';
import {addPath, warning} from '../report/commands.js';
import * as log from '../report/log.js';

/** The action input that carries user sums (`cosign=<sha256>` lines) for versions we pin none for. */
export const CHECKSUMS_INPUT = 'tool-checksums';

export interface InstallRequest {
  tool: ToolSpec;
  /** '' = the pinned default. */
  version: string;
  /** User-supplied sum, needed for a version/platform without a pinned one. */
  sha256?: string;
  /** Replaces https://github.com in the asset URL (GHES, an internal mirror). */
  downloadBase?: string;
  /** Sent as the Authorization header to github.com only. */
  token?: string;
}

export interface InstallDeps {
  which?: (name: string) => Promise<string | undefined>;
  /** Output (stdout and stderr) of `bin args`; throws if it fails. */
  versionOutput?: (bin: string, args: string[]) => Promise<string>;
  platform?: Platform;
}

export interface InstalledTool {
  /** The executable. */
  path: string;
  version: string;
  source: 'path' | 'cache' | 'download';
}

// Installed once per job: the tool cache spans steps; this spans calls within one step.
const installed = new Map<string, Promise<InstalledTool>>();

/** Tests only: forget what this process installed (the tool cache on disk is kept). */
export function forgetInstalledTools(): void {
  installed.clear();
  forgetProbes();
}

export async function ensureTool(req: InstallRequest, deps: InstallDeps = {}): Promise<InstalledTool> {
  const version = normalizeVersion(req.tool, req.version);
  const key = `${req.tool.name}@${version}`;
  let pending = installed.get(key);
  if (!pending) {
    pending = install(req, version, deps);
    installed.set(key, pending);
    // A failure must not stick: a later call (e.g. with a corrected sum) tries again.
    pending.catch(() => installed.get(key) === pending && installed.delete(key));
  }
  return pending;
}

async function install(req: InstallRequest, version: string, deps: InstallDeps): Promise<InstalledTool> {
  const onPath = await fromPath(req.tool, version, deps);
  if (onPath) return onPath;

  requireRunnerDirs();
  const platform = deps.platform ?? hostPlatform();
  const {tool} = req;
  // Loaded only when the tool is not on PATH: it brings @actions/http-client (undici).
  const tc = await import('@actions/tool-cache');
  const cached = tc.find(tool.name, version, platform.arch);
  if (cached && (await isExecutable(path.join(cached, tool.name)))) {
    log.info(`Using ${tool.name} ${version} from the tool cache (${cached})`);
    addPath(cached);
    return {path: path.join(cached, tool.name), version, source: 'cache'};
  }
  return download(req, version, platform, deps);
}

async function fromPath(tool: ToolSpec, version: string, deps: InstallDeps): Promise<InstalledTool | undefined> {
  const bin = await (deps.which ?? whichOnPath)(tool.name);
  if (!bin) return undefined;
  let found: string | undefined;
  try {
    found = tool.parseVersion(await (deps.versionOutput ?? versionOutput)(bin, tool.versionArgs));
  } catch (e) {
    log.info(`Ignoring ${bin}: \`${tool.name} ${tool.versionArgs.join(' ')}\` failed: ${(e as Error).message}`);
    return undefined;
  }
  if (found !== undefined && sameVersion(found, version)) {
    log.info(`Using ${tool.name} ${found} found on PATH (${bin})`);
    return {path: bin, version, source: 'path'};
  }
  log.info(`Ignoring ${tool.name} ${found ?? '(version unreadable)'} on PATH (${bin}): ${version} is required`);
  return undefined;
}

async function download(
  req: InstallRequest,
  version: string,
  platform: Platform,
  deps: InstallDeps
): Promise<InstalledTool> {
  const {tool} = req;
  const url = withDownloadBase(tool.url(version, platform.os, platform.arch), req.downloadBase);
  const expected = expectedSum(req, version, platform, url);
  // Release downloads redirect to another host; http-client drops Authorization on such redirects.
  const auth = req.token && new URL(url).hostname === 'github.com' ? `token ${req.token}` : undefined;

  const tc = await import('@actions/tool-cache');
  log.info(`Downloading ${tool.name} ${version} from ${url}`);
  let file: string;
  try {
    // tool-cache already retries (3 attempts) on 5xx/408/429 and network errors, never on other 4xx.
    file = await tc.downloadTool(url, undefined, auth);
  } catch (e) {
    throw new Error(`${tool.name} ${version}: download of ${url} failed: ${(e as Error).message}`, {cause: e});
  }

  let extracted: string | undefined;
  try {
    const actual = await sha256File(file);
    if (actual !== expected) {
      throw new Error(
        `${tool.name} ${version}: SHA-256 mismatch for ${url}: expected ${expected}, got ${actual} ` +
          '(the download was deleted, nothing was cached)'
      );
    }
    let bin = file;
    if (tool.archive === 'tar.gz') {
      extracted = await tc.extractTar(file);
      bin = path.join(extracted, tool.binaryInArchive ?? tool.name);
      if (!(await isFile(bin))) throw new Error(`${tool.name} ${version}: ${url} has no ${tool.binaryInArchive}`);
    }
    await chmod(bin, 0o755);
    const dir = await tc.cacheFile(bin, tool.name, tool.name, version, platform.arch);
    const exe = path.join(dir, tool.name);
    await chmod(exe, 0o755);
    addPath(dir);
    await warnOnVersionMismatch(tool, version, exe, deps);
    return {path: exe, version, source: 'download'};
  } finally {
    await rm(file, {force: true});
    if (extracted) await rm(extracted, {recursive: true, force: true});
  }
}

function expectedSum(req: InstallRequest, version: string, platform: Platform, url: string): string {
  const {name} = req.tool;
  const pinned = req.tool.sha256[`${version}/${platform.os}-${platform.arch}`];
  const user = req.sha256
    ?.trim()
    .toLowerCase()
    .replace(/^sha256:/, '');
  if (user) {
    if (!SHA256_RE.test(user)) throw new Error(`${CHECKSUMS_INPUT}: the ${name} sum is not 64 hex digits`);
    if (pinned && pinned !== user) {
      warning(`${name} ${version}: verifying with the sum from ${CHECKSUMS_INPUT}, not the pinned ${pinned}`);
    }
    return user;
  }
  if (!pinned) {
    throw new Error(
      `${name} ${version} has no pinned SHA-256 for ${platform.os}-${platform.arch}, so ${url} would be unverified. ` +
        `Set the ${CHECKSUMS_INPUT} input to a line "${name}=<sha256 of that file>", or use ${name} ${req.tool.defaultVersion}.`
    );
  }
  return pinned;
}

async function warnOnVersionMismatch(tool: ToolSpec, version: string, exe: string, deps: InstallDeps): Promise<void> {
  // The sum proves the bytes are the ones asked for, not that they are the version asked for (user sums).
  let found: string | undefined;
  try {
    found = tool.parseVersion(await (deps.versionOutput ?? versionOutput)(exe, tool.versionArgs));
  } catch (e) {
    warning(
      `${tool.name} ${version} was installed but \`${tool.versionArgs.join(' ')}\` failed: ${(e as Error).message}`
    );
    return;
  }
  if (found === undefined || !sameVersion(found, version)) {
    warning(`${tool.name} installed as ${version} reports version ${found ?? '(unreadable)'}`);
  }
}

function requireRunnerDirs(): void {
  for (const v of ['RUNNER_TOOL_CACHE', 'RUNNER_TEMP']) {
    if (!process.env[v])
      throw new Error(`${v} is not set: the tool installer needs the runner's tool cache and temp dirs`);
  }
}

async function versionOutput(bin: string, args: string[]): Promise<string> {
  const {stdout, stderr} = await probe(bin, args);
  return `${stdout}\n${stderr}`;
}

async function isFile(p: string): Promise<boolean> {
  return stat(p).then(
    s => s.isFile(),
    () => false
  );
}

async function isExecutable(p: string): Promise<boolean> {
  if (!(await isFile(p))) return false;
  return access(p, constants.X_OK).then(
    () => true,
    () => false
  );
}

/** First executable `name` on PATH. */
export async function whichOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}
