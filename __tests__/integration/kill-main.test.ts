// Main killed, then the post step (issue "Hostile input, faults and secrets"): the runner runs the
// post step even when main died, and hands it the state main saved. core.saveState appends to
// GITHUB_STATE at once (src/state.ts saveCleanup is called when the credentials dir is made, in
// login/session.ts, before anything uses it), so a SIGKILL at any later point still leaves post the
// path to remove. Each case kills main's whole process tree (the runner kills the step's tree; a
// surviving child would keep writing) at a point where credentials are on disk: right after login,
// during the build, during signing. Then: post runs, and no file under RUNNER_TEMP holds any form of
// the registry password, the cosign password or the cosign private key.
import {spawn} from 'node:child_process';
import {describe, expect, it} from '@jest/globals';
import * as fs from 'node:fs';
import path from 'node:path';
import {ROOT} from '../helpers/fixtures.js';
import {secretForms} from '../helpers/hostile-run.js';
import {parseCommandFile} from '../helpers/run-dist.js';
import {actionEnv, engineInputs} from './action-env.js';
import {type Bed, loadBed, tempDir, uniqueTag} from './bed.js';

interface Killed {
  killed: boolean;
  stdout: string;
  state: Record<string, string>;
  stateFile: string;
}

/** dist/index.js as the runner starts it, SIGKILLed (the whole tree) once stdout matches `killOn`. */
async function runUntil(env: Record<string, string>, inputs: Record<string, string>, killOn: RegExp): Promise<Killed> {
  const dir = tempDir('kill-files');
  const full: Record<string, string> = {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root'};
  for (const f of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_STEP_SUMMARY']) {
    full[f] = path.join(dir, f);
    fs.writeFileSync(full[f], '');
  }
  Object.assign(full, env);
  for (const [k, v] of Object.entries(inputs)) full[`INPUT_${k.toUpperCase()}`] = v;
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/index.js')], {env: full, cwd: ROOT, detached: true});
  let stdout = '';
  let killed = false;
  child.stdout.on('data', d => {
    stdout += String(d);
    if (!killed && killOn.test(stdout)) {
      killed = true;
      process.kill(-(child.pid as number), 'SIGKILL');
    }
  });
  child.stderr.on('data', d => (stdout += String(d)));
  await new Promise<void>(resolve => child.on('close', () => resolve()));
  // The tree's last members may still be dying; give the kernel a moment before reading files.
  await new Promise(r => setTimeout(r, 500));
  return {
    killed,
    stdout,
    state: parseCommandFile(fs.readFileSync(full.GITHUB_STATE, 'utf8')),
    stateFile: full.GITHUB_STATE
  };
}

async function runPost(
  env: Record<string, string>,
  state: Record<string, string>
): Promise<{code: number; stdout: string}> {
  const full: Record<string, string> = {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env};
  for (const [k, v] of Object.entries(state)) full[`STATE_${k}`] = v;
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/index.js')], {env: full, cwd: ROOT});
  let stdout = '';
  child.stdout.on('data', d => (stdout += String(d)));
  child.stderr.on('data', d => (stdout += String(d)));
  const code = await new Promise<number>(resolve => child.on('close', c => resolve(c ?? -1)));
  return {code, stdout};
}

/** Files under `dir` (relative path → content, small files only). */
function files(dir: string, base = dir, out: Record<string, string> = {}): Record<string, string> {
  for (const e of fs.readdirSync(dir, {withFileTypes: true})) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) files(full, base, out);
    else if (e.isFile())
      out[path.relative(base, full)] = fs.statSync(full).size < 8 << 20 ? fs.readFileSync(full, 'latin1') : '';
  }
  return out;
}

function leaksIn(texts: Record<string, string>, secrets: string[], users: string[]): string[] {
  const found: string[] = [];
  for (const s of secrets)
    for (const form of secretForms(s, users))
      for (const [where, text] of Object.entries(texts))
        if (text.includes(form)) found.push(`${where} holds ${form.slice(0, 8)}…`);
  return found;
}

function context(bed: Bed): string {
  const dir = tempDir('kill-ctx');
  fs.writeFileSync(path.join(dir, 'hello.txt'), 'killed\n');
  fs.writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${bed.images.busybox.ref}\nCOPY hello.txt /hello.txt\n`);
  return dir;
}

const CASES: {id: string; engine: string; killOn: RegExp}[] = [
  {id: 'right after login', engine: 'buildx', killOn: /^::group::Tools and settings/m},
  {id: 'during the build (buildx)', engine: 'buildx', killOn: /^::group::Build and push by digest/m},
  {id: 'during the build (podman)', engine: 'podman', killOn: /^::group::Build and push by digest/m},
  {id: 'during signing', engine: 'buildah', killOn: /^::group::Sign, attest and verify/m}
];

describe('main killed, then the post step', () => {
  it.each(CASES)(
    'killed $id: post leaves no credentials under RUNNER_TEMP',
    async ({id, engine, killOn}) => {
      const bed = loadBed();
      const runnerTemp = tempDir('kill-runner');
      const env = actionEnv(bed, runnerTemp, 'ip_dispatch');
      const key = fs.readFileSync(bed.cosign.key, 'utf8');
      const image = `${bed.prodRegistry.host}/kill/${uniqueTag(engine)}`;
      const ctx = context(bed);
      const main = await runUntil(
        env,
        {
          images: image,
          version: '1.0.0',
          tags: 'type=semver,pattern={{version}},prefix=v',
          flavor: 'latest=false',
          platforms: 'linux/amd64',
          context: ctx,
          registry: bed.prodRegistry.host,
          username: bed.prodRegistry.username,
          password: bed.prodRegistry.password,
          'insecure-registries': bed.devRegistry.host,
          'cosign-key': key,
          'cosign-password': bed.cosign.password,
          'tlog-upload': 'false',
          // Signing attests an SBOM, made by trivy from the bed's DB mirror.
          'trivy-db-repository': bed.trivy.dbRepository,
          'trivy-cache-dir': path.join(tempDir('kill-trivy'), 'cache'),
          ...engineInputs(bed, engine)
        },
        killOn
      );
      expect({killed: main.killed, tail: main.killed ? '' : main.stdout.slice(-2000)}).toEqual({
        killed: true,
        tail: ''
      });
      // The kill came while credentials were on disk: the test could fail.
      const cleanup = JSON.parse(main.state.cleanup ?? '{}') as {credentialsDir?: string};
      expect(cleanup.credentialsDir).toBeDefined();
      const dir = cleanup.credentialsDir as string;
      expect(dir.startsWith(runnerTemp)).toBe(true);
      expect(fs.existsSync(path.join(dir, 'config.json'))).toBe(true);
      const secrets = [bed.prodRegistry.password, bed.cosign.password, ...key.split('\n').filter(l => l.length > 40)];
      const users = [bed.prodRegistry.username];
      expect(leaksIn(files(runnerTemp), secrets, users).length).toBeGreaterThan(0);
      if (id === 'during signing') expect(fs.existsSync(path.join(dir, 'cosign.key'))).toBe(true);

      const post = await runPost(env, {...main.state, isPost: 'true'});
      expect(post.code).toBe(0);
      expect(post.stdout).toContain('removed the temporary registry credentials');
      expect(fs.existsSync(dir)).toBe(false);
      expect(
        leaksIn({...files(runnerTemp), GITHUB_STATE: fs.readFileSync(main.stateFile, 'utf8')}, secrets, users)
      ).toEqual([]);
      console.log(
        `kill-main ${id}: killed at ${killOn.source}; ${Object.keys(files(runnerTemp)).length} files left under RUNNER_TEMP, none with a secret`
      );
    },
    600_000
  );
});
