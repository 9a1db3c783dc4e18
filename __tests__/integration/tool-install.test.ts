// The installer against real HTTP on 127.0.0.1, the real tool cache and the bed's real binaries:
// a tampered download is rejected and nothing cached; the right one is cached, runs, and is reused.
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from '@jest/globals';
import * as tc from '@actions/tool-cache';
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import * as fs from 'node:fs';
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import * as os from 'node:os';
import path from 'node:path';
import {ensureTool, forgetInstalledTools, type InstallDeps} from '../../src/tools/install.js';
import {TOOLS, hostPlatform, type ToolSpec} from '../../src/tools/versions.js';
import {loadBed, type Bed} from './bed.js';

const platform = hostPlatform();
const notOnPath: InstallDeps = {which: async () => undefined};
const sha256 = (buf: Buffer): string => createHash('sha256').update(buf).digest('hex');
/** The URL path the release layout puts an asset at (what `downloadBase` is prefixed to). */
const assetPath = (tool: ToolSpec): string =>
  new URL(tool.url(tool.defaultVersion, platform.os, platform.arch)).pathname;

interface Route {
  file: string;
  /** Statuses answered in turn before the file is served with 200. */
  failFirst?: number[];
}

let bed: Bed;
let work: string;
let server: Server;
let base: string;
const routes = new Map<string, Route>();
const requests: {path: string; headers: IncomingHttpHeaders}[] = [];
const hits = (prefix: string): number => requests.filter(r => r.path.startsWith(prefix)).length;

const cosign = {file: '', tampered: '', sum: '', tamperedSum: ''};
const trivy = {archive: '', sum: ''};
/** A tiny stand-in cosign for the retry tables: 100 MB per attempt would only slow them down. */
const fake = {file: '', sum: ''};

beforeAll(async () => {
  bed = loadBed();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tool-install-it-'));

  cosign.file = path.join(bed.binDir, 'cosign');
  const bytes = fs.readFileSync(cosign.file);
  cosign.sum = sha256(bytes);
  bytes[bytes.length >> 1] ^= 0xff;
  cosign.tampered = path.join(work, 'cosign-tampered');
  fs.writeFileSync(cosign.tampered, bytes);
  cosign.tamperedSum = sha256(bytes);

  // Same layout as the release archive: the binary at the top, next to its LICENSE.
  const stage = fs.mkdtempSync(path.join(work, 'stage-'));
  fs.writeFileSync(path.join(stage, 'LICENSE'), 'Apache-2.0\n');
  trivy.archive = path.join(work, 'trivy.tar.gz');
  execFileSync('tar', ['-I', 'gzip -1', '-cf', trivy.archive, '-C', bed.binDir, 'trivy', '-C', stage, 'LICENSE']);
  trivy.sum = sha256(fs.readFileSync(trivy.archive));

  fake.file = path.join(work, 'fake-cosign');
  fs.writeFileSync(fake.file, '#!/bin/sh\necho "GitVersion:    v3.1.2"\n', {mode: 0o755});
  fake.sum = sha256(fs.readFileSync(fake.file));

  server = createServer((req, res) => {
    const url = req.url ?? '';
    requests.push({path: url, headers: req.headers});
    const route = routes.get(url);
    if (!route) return void res.writeHead(404).end('not found');
    const status = route.failFirst?.shift();
    if (status !== undefined) return void res.writeHead(status).end(`status ${status}`);
    res.writeHead(200, {'content-length': fs.statSync(route.file).size});
    fs.createReadStream(route.file).pipe(res);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  routes.set(`/good${assetPath(TOOLS.cosign)}`, {file: cosign.file});
  routes.set(`/tampered${assetPath(TOOLS.cosign)}`, {file: cosign.tampered});
  routes.set(`/good${assetPath(TOOLS.trivy)}`, {file: trivy.archive});

  // tool-cache sleeps 10-20 s between attempts unless these globals say otherwise.
  Object.assign(globalThis, {TEST_DOWNLOAD_TOOL_RETRY_MIN_SECONDS: 0, TEST_DOWNLOAD_TOOL_RETRY_MAX_SECONDS: 0});
}, 120000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise(resolve => server?.close(resolve));
  if (work) fs.rmSync(work, {recursive: true, force: true});
});

const savedEnv = {...process.env};
let runner: string;

beforeEach(() => {
  forgetInstalledTools();
  requests.length = 0;
  runner = fs.mkdtempSync(path.join(work, 'runner-'));
  for (const d of ['cache', 'temp']) fs.mkdirSync(path.join(runner, d));
  process.env.RUNNER_TOOL_CACHE = path.join(runner, 'cache');
  process.env.RUNNER_TEMP = path.join(runner, 'temp');
  process.env.GITHUB_PATH = path.join(runner, 'github_path');
  fs.writeFileSync(process.env.GITHUB_PATH, '');
});

afterEach(() => {
  process.env = {...savedEnv};
  fs.rmSync(runner, {recursive: true, force: true});
});

describe('tool install: checksum verification', () => {
  it('rejects a tampered download and caches nothing', async () => {
    const run = ensureTool(
      {tool: TOOLS.cosign, version: '', sha256: cosign.sum, downloadBase: `${base}/tampered`, token: 'secret'},
      notOnPath
    );
    await expect(run).rejects.toThrow('SHA-256 mismatch');
    const message = await run.catch((e: Error) => e.message);
    expect(message).toContain(`cosign v3.1.2: SHA-256 mismatch for ${base}/tampered${assetPath(TOOLS.cosign)}`);
    expect(message).toContain(`expected ${cosign.sum}, got ${cosign.tamperedSum}`);
    expect(tc.find('cosign', 'v3.1.2', platform.arch)).toBe('');
    expect(fs.readdirSync(process.env.RUNNER_TEMP!)).toEqual([]);
    expect(fs.readFileSync(process.env.GITHUB_PATH!, 'utf8')).toBe('');
    // The token is for github.com only, never a mirror.
    expect(requests.map(r => r.headers.authorization)).toEqual([undefined]);
  });

  it('accepts the right file, installs it once and reuses the cache', async () => {
    const req = {tool: TOOLS.cosign, version: '', sha256: cosign.sum, downloadBase: `${base}/good`};
    const got = await ensureTool(req, notOnPath);
    const dir = path.join(process.env.RUNNER_TOOL_CACHE!, 'cosign', '3.1.2', platform.arch);
    expect(got).toEqual({path: path.join(dir, 'cosign'), version: 'v3.1.2', source: 'download'});
    expect(fs.readdirSync(dir)).toEqual(['cosign']);
    expect(TOOLS.cosign.parseVersion(execFileSync(got.path, ['version'], {encoding: 'utf8'}))).toBe('v3.1.2');
    expect(fs.readFileSync(process.env.GITHUB_PATH!, 'utf8')).toContain(dir);
    expect(fs.readdirSync(process.env.RUNNER_TEMP!)).toEqual([]);
    expect(hits('/good')).toBe(1);

    // Same process: remembered, nothing looked up again.
    await expect(ensureTool(req, notOnPath)).resolves.toBe(got);
    // A later step (new process): found in the tool cache without a request.
    forgetInstalledTools();
    await expect(ensureTool(req, notOnPath)).resolves.toEqual({...got, source: 'cache'});
    expect(hits('/good')).toBe(1);
  });

  it('extracts trivy from its tar.gz after verifying the archive', async () => {
    const got = await ensureTool(
      {tool: TOOLS.trivy, version: 'v0.74.0', sha256: trivy.sum, downloadBase: `${base}/good/`},
      notOnPath
    );
    const dir = path.join(process.env.RUNNER_TOOL_CACHE!, 'trivy', '0.74.0', platform.arch);
    expect(got).toEqual({path: path.join(dir, 'trivy'), version: 'v0.74.0', source: 'download'});
    expect(TOOLS.trivy.parseVersion(execFileSync(got.path, ['--version'], {encoding: 'utf8'}))).toBe('0.74.0');
    expect(fs.readdirSync(process.env.RUNNER_TEMP!)).toEqual([]);
  });

  it('uses a binary already on PATH at the requested version', async () => {
    process.env.PATH = `${bed.binDir}${path.delimiter}${process.env.PATH}`;
    for (const tool of [TOOLS.cosign, TOOLS.trivy]) {
      await expect(ensureTool({tool, version: '', downloadBase: `${base}/good`})).resolves.toEqual({
        path: path.join(bed.binDir, tool.name),
        version: tool.defaultVersion,
        source: 'path'
      });
    }
    expect(requests).toEqual([]);
  });

  it('ignores a PATH binary at another version and downloads', async () => {
    process.env.PATH = `${bed.binDir}${path.delimiter}${process.env.PATH}`;
    routes.set(`/other/sigstore/cosign/releases/download/v3.1.3/cosign-${platform.os}-${platform.arch}`, {
      file: fake.file
    });
    // The fake reports v3.1.2: the installer warns but the sum is what the user vouched for.
    const got = await ensureTool({
      tool: TOOLS.cosign,
      version: '3.1.3',
      sha256: fake.sum,
      downloadBase: `${base}/other`
    });
    expect(got.source).toBe('download');
    expect(got.version).toBe('v3.1.3');
  });
});

describe('tool install: retries', () => {
  it.each<[string, number[], number, string | null]>([
    ['503 then 200', [503], 2, null],
    ['408 then 200', [408], 2, null],
    ['429 then 200', [429], 2, null],
    ['502 twice then 200', [502, 502], 3, null],
    ['404', [404], 1, 'Unexpected HTTP response: 404'],
    ['403', [403], 1, 'Unexpected HTTP response: 403'],
    ['503 three times', [503, 503, 503], 3, 'Unexpected HTTP response: 503']
  ])('%s', async (name, failFirst, attempts, error) => {
    const prefix = `/retry-${name.replace(/\W+/g, '-')}`;
    routes.set(`${prefix}${assetPath(TOOLS.cosign)}`, {file: fake.file, failFirst: [...failFirst]});
    const run = ensureTool(
      {tool: TOOLS.cosign, version: '', sha256: fake.sum, downloadBase: `${base}${prefix}`},
      notOnPath
    );
    if (error === null) await expect(run).resolves.toMatchObject({source: 'download'});
    else {
      await expect(run).rejects.toThrow(`cosign v3.1.2: download of ${base}${prefix}${assetPath(TOOLS.cosign)} failed`);
      await expect(run).rejects.toThrow(error);
      expect(tc.find('cosign', 'v3.1.2', platform.arch)).toBe('');
    }
    expect(hits(prefix)).toBe(attempts);
  });
});
