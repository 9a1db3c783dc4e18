// Tool specs: asset URLs per platform and mirror, version parsing from real tool output, pinned sums.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from '@jest/globals';
import {
  TOOLS,
  hostPlatform,
  normalizeVersion,
  sameVersion,
  withDownloadBase,
  type ToolName
} from '../../src/tools/versions.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/tools');
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

describe('release asset URL', () => {
  it.each<[ToolName, string, string, string, string]>([
    [
      'cosign',
      'v3.1.2',
      'linux',
      'amd64',
      'https://github.com/sigstore/cosign/releases/download/v3.1.2/cosign-linux-amd64'
    ],
    [
      'cosign',
      'v3.1.2',
      'linux',
      'arm64',
      'https://github.com/sigstore/cosign/releases/download/v3.1.2/cosign-linux-arm64'
    ],
    [
      'cosign',
      'v3.0.1',
      'darwin',
      'arm64',
      'https://github.com/sigstore/cosign/releases/download/v3.0.1/cosign-darwin-arm64'
    ],
    [
      'trivy',
      'v0.74.0',
      'linux',
      'amd64',
      'https://github.com/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_Linux-64bit.tar.gz'
    ],
    [
      'trivy',
      'v0.74.0',
      'linux',
      'arm64',
      'https://github.com/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_Linux-ARM64.tar.gz'
    ],
    [
      'trivy',
      'v0.73.1',
      'darwin',
      'amd64',
      'https://github.com/aquasecurity/trivy/releases/download/v0.73.1/trivy_0.73.1_macOS-64bit.tar.gz'
    ]
  ])('%s %s %s/%s → %s', (tool, version, os, arch, url) => {
    expect(TOOLS[tool].url(version, os, arch)).toBe(url);
  });

  it('trivy has no asset for an unknown arch', () => {
    expect(() => TOOLS.trivy.url('v0.74.0', 'linux', 's390x')).toThrow(/s390x/);
  });
});

describe('download base (mirror)', () => {
  const asset = 'https://github.com/sigstore/cosign/releases/download/v3.1.2/cosign-linux-amd64';
  it.each<[string | undefined, string]>([
    [undefined, asset],
    ['', asset],
    ['https://ghe.example.com', 'https://ghe.example.com/sigstore/cosign/releases/download/v3.1.2/cosign-linux-amd64'],
    [
      'https://mirror.example/github/',
      'https://mirror.example/github/sigstore/cosign/releases/download/v3.1.2/cosign-linux-amd64'
    ],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/sigstore/cosign/releases/download/v3.1.2/cosign-linux-amd64']
  ])('%j', (base, url) => {
    expect(withDownloadBase(asset, base)).toBe(url);
  });

  it('leaves URLs not on github.com alone', () => {
    expect(withDownloadBase('https://github.com.evil/x', 'https://m')).toBe('https://github.com.evil/x');
  });
});

describe('version parsing from captured output', () => {
  it.each<[ToolName, string, string | undefined]>([
    ['cosign', fixture('cosign-version.txt'), 'v3.1.2'],
    ['trivy', fixture('trivy-version.txt'), '0.74.0'],
    // With a DB in the cache the DB's own indented `Version: 2` follows; it must not win.
    ['trivy', fixture('trivy-version-with-db.txt'), '0.74.0'],
    ['cosign', 'command not found', undefined],
    ['trivy', '  Version: 2\n', undefined]
  ])('%s', (tool, out, version) => {
    expect(TOOLS[tool].parseVersion(out)).toBe(version);
  });
});

describe('versions', () => {
  it.each<[ToolName, string, string]>([
    ['cosign', '', 'v3.1.2'],
    ['trivy', '', 'v0.74.0'],
    ['cosign', '3.1.2', 'v3.1.2'],
    ['cosign', ' v3.0.1 ', 'v3.0.1'],
    ['trivy', '0.73.0', 'v0.73.0']
  ])('%s %j → %s', (tool, input, version) => {
    expect(normalizeVersion(TOOLS[tool], input)).toBe(version);
  });

  it.each(['latest', 'v3', '3.1', '../../x', 'v3.1.2/../../evil'])('refuses %j', input => {
    expect(() => normalizeVersion(TOOLS.cosign, input)).toThrow(/not an exact version/);
  });

  it.each<[string, string, boolean]>([
    ['v3.1.2', '3.1.2', true],
    ['0.74.0', 'v0.74.0', true],
    ['v3.1.2', 'v3.1.3', false],
    ['devel', 'v3.1.2', false]
  ])('%s = %s: %s', (a, b, same) => {
    expect(sameVersion(a, b)).toBe(same);
  });
});

describe('host platform', () => {
  it.each<[string, string, string | null]>([
    ['linux', 'x64', 'linux/amd64'],
    ['linux', 'arm64', 'linux/arm64'],
    ['darwin', 'arm64', 'darwin/arm64'],
    ['win32', 'x64', null],
    ['linux', 'ia32', null]
  ])('%s/%s → %s', (platform, arch, expected) => {
    if (expected === null) expect(() => hostPlatform(platform, arch)).toThrow(/no cosign\/trivy release assets/);
    else {
      const p = hostPlatform(platform, arch);
      expect(`${p.os}/${p.arch}`).toBe(expected);
    }
  });
});

describe('pinned sums', () => {
  it.each(Object.values(TOOLS).map(t => [t.name, t] as const))('%s pins its default on linux', (_name, tool) => {
    for (const arch of ['amd64', 'arm64']) {
      expect(tool.sha256[`${tool.defaultVersion}/linux-${arch}`]).toMatch(/^[0-9a-f]{64}$/);
    }
    for (const sum of Object.values(tool.sha256)) expect(sum).toMatch(/^[0-9a-f]{64}$/);
  });
});
