// Installer decisions without the network: PATH reuse, tool-cache hits, fail-closed on unpinned versions.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterEach, beforeEach, describe, expect, it, jest} from '@jest/globals';
import * as tc from '@actions/tool-cache';
import {ensureTool, forgetInstalledTools, type InstallDeps} from '../../src/tools/install.js';
import {TOOLS, type ToolName} from '../../src/tools/versions.js';

const OUTPUT: Record<ToolName, (v: string) => string> = {
  cosign: v => `cosign: A tool for Container Signing\n\nGitVersion:    ${v}\nGitCommit:     unknown\n`,
  trivy: v => `Version: ${v}\n`
};

const saved = {...process.env};
let stdout: string[];

beforeEach(() => {
  forgetInstalledTools();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tool-install-'));
  for (const d of ['cache', 'temp']) fs.mkdirSync(path.join(tmp, d));
  process.env.RUNNER_TOOL_CACHE = path.join(tmp, 'cache');
  process.env.RUNNER_TEMP = path.join(tmp, 'temp');
  process.env.GITHUB_PATH = path.join(tmp, 'github_path');
  fs.writeFileSync(process.env.GITHUB_PATH, '');
  stdout = [];
  jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    stdout.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  jest.restoreAllMocks();
  process.env = {...saved};
});

/** PATH holds `onPath` (or nothing) reporting `reports`. */
function deps(tool: ToolName, onPath?: string, reports?: string): InstallDeps & {calls: string[]} {
  const calls: string[] = [];
  return {
    calls,
    platform: {os: 'linux', arch: 'amd64'},
    which: async name => (calls.push(`which ${name}`), onPath),
    versionOutput: async (bin, args) => {
      calls.push(`${bin} ${args.join(' ')}`);
      if (reports === undefined) throw new Error('exited 2');
      return OUTPUT[tool](reports);
    }
  };
}

describe('binary on PATH', () => {
  it.each<[ToolName, string, string]>([
    ['cosign', '', 'v3.1.2'],
    ['cosign', '3.1.2', 'v3.1.2'],
    ['trivy', '', '0.74.0'],
    ['trivy', 'v0.74.0', '0.74.0'],
    ['trivy', '0.73.0', '0.73.0']
  ])('%s %j is used as is when it reports %s', async (tool, version, reports) => {
    const d = deps(tool, `/usr/bin/${tool}`, reports);
    const got = await ensureTool({tool: TOOLS[tool], version}, d);
    expect(got).toEqual({path: `/usr/bin/${tool}`, version: expect.stringMatching(/^v/), source: 'path'});
    expect(d.calls).toEqual([`which ${tool}`, `/usr/bin/${tool} ${TOOLS[tool].versionArgs.join(' ')}`]);
  });

  it.each<[string, string | undefined, RegExp]>([
    ['another version', 'v3.0.0', /Ignoring cosign v3\.0\.0 on PATH \(\/usr\/bin\/cosign\): v3\.0\.2 is required/],
    ['a binary that fails', undefined, /Ignoring \/usr\/bin\/cosign: `cosign version` failed: exited 2/]
  ])('%s is ignored with an info line', async (_name, reports, info) => {
    // v3.0.2 has no pinned sum, so after ignoring PATH the installer stops before any download.
    const d = deps('cosign', '/usr/bin/cosign', reports);
    await expect(ensureTool({tool: TOOLS.cosign, version: 'v3.0.2'}, d)).rejects.toThrow(/no pinned SHA-256/);
    expect(stdout.join('')).toMatch(info);
  });
});

describe('fail closed without a sum', () => {
  it.each<[ToolName, string, string, RegExp]>([
    [
      'cosign',
      'v3.0.2',
      'amd64',
      /cosign v3\.0\.2 has no pinned SHA-256 for linux-amd64, so https:\/\/github\.com\/sigstore\/cosign\/releases\/download\/v3\.0\.2\/cosign-linux-amd64 would be unverified/
    ],
    ['trivy', '0.73.0', 'arm64', /trivy v0\.73\.0 has no pinned SHA-256 for linux-arm64, .*trivy_0\.73\.0_Linux-ARM64/]
  ])('%s %s on %s is refused', async (tool, version, arch, error) => {
    const d = {...deps(tool), platform: {os: 'linux' as const, arch: arch as 'amd64' | 'arm64'}};
    const run = ensureTool({tool: TOOLS[tool], version}, d);
    await expect(run).rejects.toThrow(error);
    await expect(run).rejects.toThrow(`Set the tool-checksums input to a line "${tool}=<sha256 of that file>"`);
  });

  it('rejects a malformed user sum before downloading', async () => {
    await expect(ensureTool({tool: TOOLS.cosign, version: 'v3.0.2', sha256: 'abc'}, deps('cosign'))).rejects.toThrow(
      'tool-checksums: the cosign sum is not 64 hex digits'
    );
  });

  it('rejects a version that is not exact', async () => {
    await expect(ensureTool({tool: TOOLS.trivy, version: 'latest'}, deps('trivy'))).rejects.toThrow(
      'trivy version "latest" is not an exact version like v0.74.0'
    );
  });

  it('needs the runner dirs', async () => {
    delete process.env.RUNNER_TOOL_CACHE;
    await expect(ensureTool({tool: TOOLS.cosign, version: ''}, deps('cosign'))).rejects.toThrow(
      /RUNNER_TOOL_CACHE is not set/
    );
  });
});

describe('tool cache and memo', () => {
  async function seedCache(version: string): Promise<string> {
    const src = path.join(process.env.RUNNER_TEMP!, 'cosign-src');
    fs.writeFileSync(src, '#!/bin/sh\n', {mode: 0o755});
    return tc.cacheFile(src, 'cosign', 'cosign', version, 'amd64');
  }

  it('a cached version is used without a sum and added to PATH', async () => {
    const dir = await seedCache('v3.0.2');
    const got = await ensureTool({tool: TOOLS.cosign, version: '3.0.2'}, deps('cosign'));
    expect(got).toEqual({path: path.join(dir, 'cosign'), version: 'v3.0.2', source: 'cache'});
    expect(dir).toBe(path.join(process.env.RUNNER_TOOL_CACHE!, 'cosign', '3.0.2', 'amd64'));
    expect(fs.readFileSync(process.env.GITHUB_PATH!, 'utf8')).toContain(dir);
  });

  it('a second call in the process does not look again', async () => {
    await seedCache('v3.0.2');
    const d = deps('cosign');
    const first = await ensureTool({tool: TOOLS.cosign, version: 'v3.0.2'}, d);
    const again = await ensureTool({tool: TOOLS.cosign, version: '3.0.2'}, d);
    expect(again).toBe(first);
    expect(d.calls).toEqual(['which cosign']);
  });

  it('a failure is not remembered', async () => {
    const d = deps('cosign');
    await expect(ensureTool({tool: TOOLS.cosign, version: 'v3.0.2'}, d)).rejects.toThrow(/no pinned/);
    await seedCache('v3.0.2');
    await expect(ensureTool({tool: TOOLS.cosign, version: 'v3.0.2'}, d)).resolves.toMatchObject({source: 'cache'});
  });
});
