import {spawn} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {parseCommandFile} from './run-dist.js';
import {ROOT} from './fixtures.js';

/** A dist run with everything a leak or a forged command could hide in, kept apart. */
export interface RawRun {
  code: number;
  stdout: string;
  stderr: string;
  files: {output: string; env: string; state: string; summary: string};
  outputs: Record<string, string>;
  /** Files left under RUNNER_TEMP (path relative to it → content), the command files excluded. */
  leftovers: Record<string, string>;
  ms: number;
}

const COMMAND_FILES = {
  GITHUB_OUTPUT: 'output',
  GITHUB_STATE: 'state',
  GITHUB_ENV: 'env',
  GITHUB_STEP_SUMMARY: 'summary'
};

function walk(dir: string, base = dir, out: Record<string, string> = {}): Record<string, string> {
  for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, base, out);
    else if (entry.isFile()) {
      const size = fs.statSync(full).size;
      // Tool downloads could be large; a leak would be in small files (configs, keys, reports).
      out[path.relative(base, full)] = size < 8 << 20 ? fs.readFileSync(full, 'latin1') : '';
    } else out[path.relative(base, full)] = '';
  }
  return out;
}

/**
 * Runs dist/index.js as the runner does (see run-dist.ts), with stdout and stderr apart, an optional
 * event payload and workspace files, and reads back every file the run could have written.
 */
export async function runRaw(opts: {
  env: Record<string, string>;
  inputs: Record<string, string>;
  payload?: unknown;
  workspace?: Record<string, string>;
  timeoutMs?: number;
  /** Then run the post step as the runner would (STATE_isPost and the saved state): leftovers are read after it. */
  post?: boolean;
}): Promise<RawRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ip-corpus-'));
  const temp = path.join(dir, 'temp');
  const ws = path.join(dir, 'ws');
  fs.mkdirSync(temp);
  fs.mkdirSync(ws);
  for (const [rel, text] of Object.entries(opts.workspace ?? {})) {
    fs.mkdirSync(path.dirname(path.join(ws, rel)), {recursive: true});
    fs.writeFileSync(path.join(ws, rel), text);
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: path.join(dir, 'home'),
    RUNNER_TEMP: temp,
    RUNNER_TOOL_CACHE: path.join(dir, 'toolcache'),
    GITHUB_WORKSPACE: ws
  };
  fs.mkdirSync(env.HOME);
  for (const [k, f] of Object.entries(COMMAND_FILES)) {
    env[k] = path.join(dir, f);
    fs.writeFileSync(env[k], '');
  }
  Object.assign(env, opts.env);
  if (opts.payload !== undefined) {
    env.GITHUB_EVENT_PATH = path.join(dir, 'event.json');
    fs.writeFileSync(env.GITHUB_EVENT_PATH, JSON.stringify(opts.payload));
  }
  for (const [name, value] of Object.entries(opts.inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  const started = Date.now();
  const read = (f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');
  const first = await runNode(env, ws, opts.timeoutMs ?? 20000);
  let {stdout, stderr} = first;
  if (opts.post) {
    const state = Object.fromEntries(
      Object.entries(parseCommandFile(read('state'))).map(([k, v]) => [`STATE_${k}`, v])
    );
    const post = await runNode({...env, ...state, STATE_isPost: 'true'}, ws, opts.timeoutMs ?? 20000);
    stdout += post.stdout;
    stderr += post.stderr;
  }
  const code = first.code;
  const files = {output: read('output'), env: read('env'), state: read('state'), summary: read('summary')};
  // HOME is ours too: a docker config written there would be a leftover as much as one in RUNNER_TEMP.
  const leftovers = {...walk(temp), ...prefixed('~', walk(env.HOME))};
  fs.rmSync(dir, {recursive: true, force: true});
  return {code, stdout, stderr, files, outputs: parseCommandFile(files.output), leftovers, ms: Date.now() - started};
}

async function runNode(
  env: Record<string, string>,
  cwd: string,
  timeoutMs: number
): Promise<{code: number; stdout: string; stderr: string}> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/index.js')], {env, cwd});
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', d => (stdout += String(d)));
  child.stderr.on('data', d => (stderr += String(d)));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number>(resolve => child.on('close', c => resolve(c ?? -1)));
  clearTimeout(timer);
  return {code, stdout, stderr};
}

const prefixed = (p: string, o: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [`${p}/${k}`, v]));

// What the runner skips when it compares (ignorable and format characters), and what TrimStart drops.
const IGNORABLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}]/gu;
const LEADING = /^[\s\u0085]+/u;
/** The command kinds this action writes itself (core.* and report/log.ts); outputs and state go to files. */
const OURS = new Set(['group', 'endgroup', 'error', 'warning', 'notice', 'debug', 'add-mask', 'stop-commands']);

/**
 * Lines of stdout the runner would take as a workflow command that this action did not mean to
 * issue. Ours: the kinds above, an `add-mask` not carrying the corpus marker, and `stop-commands`
 * with a random token (inside such a block nothing is a command until `::<token>::`). Anything else
 * starting with `::`, and any `##[` outside a `::` command line of ours, is forged. The runner splits
 * lines at \n, \r and \r\n, so does this.
 */
export function forgedCommands(stdout: string, marker = 'FORGED'): string[] {
  const bad: string[] = [];
  let token: string | undefined;
  for (const raw of stdout.split(/\r\n|\r|\n/)) {
    const l = raw.replace(IGNORABLE, '').replace(LEADING, '');
    if (token !== undefined) {
      if (l === `::${token}::`) token = undefined;
      continue;
    }
    if (l.startsWith('::')) {
      const m = /^::([A-Za-z-]+)(?: [^:]*)?::(.*)$/.exec(l);
      if (!m || !OURS.has(m[1])) {
        bad.push(raw);
        continue;
      }
      if (m[1] === 'add-mask' && m[2].includes(marker)) bad.push(raw);
      if (m[1] === 'stop-commands') {
        // Ours use a random 32-hex token (report/log.ts stopToken); any other is someone else's.
        if (/^[0-9a-f]{32}$/.test(m[2])) token = m[2];
        else bad.push(raw);
      }
      // A V2 command line wins over `##[` in it (the runner tries V2 first).
      continue;
    }
    if (l.includes('##[')) bad.push(raw);
  }
  if (token !== undefined) bad.push(`(stop-commands ${token} never ended)`);
  return bad;
}

/** Every printable form a secret could take: as is, JSON-escaped, URL-encoded, base64 (std/url), user:secret. */
export function secretForms(secret: string, usernames: string[] = []): string[] {
  const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
  const forms = new Set<string>([
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    b64(secret).replace(/=+$/, ''),
    Buffer.from(secret).toString('base64url'),
    Buffer.from(secret).toString('hex')
  ]);
  for (const u of usernames) forms.add(b64(`${u}:${secret}`).replace(/=+$/, ''));
  return [...forms].filter(f => f.length >= 6);
}

/** Where any form of any secret shows up in a run. */
export function leaks(run: RawRun, secrets: string[], usernames: string[] = []): string[] {
  const places: Record<string, string> = {
    // An `::add-mask::` line is how a secret is masked: the runner reads it and never shows it.
    stdout: run.stdout
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
      .join('\n'),
    stderr: run.stderr,
    GITHUB_OUTPUT: run.files.output,
    GITHUB_ENV: run.files.env,
    GITHUB_STATE: run.files.state,
    GITHUB_STEP_SUMMARY: run.files.summary,
    ...prefixed('RUNNER_TEMP', run.leftovers)
  };
  const found: string[] = [];
  for (const s of secrets) {
    for (const form of secretForms(s, usernames)) {
      for (const [where, text] of Object.entries(places)) {
        if (text.includes(form))
          found.push(`${where} holds ${form === s ? 'the secret' : `a form of it (${form.slice(0, 8)}…)`}`);
      }
    }
  }
  return found;
}

/** The `::error::` annotations of a run, decoded (core's escapeData reversed). */
export function errorLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter(l => l.startsWith('::error'))
    .map(l =>
      l
        .replace(/^::error[^:]*::/, '')
        .replace(/%0A/g, '\n')
        .replace(/%0D/g, '\r')
        .replace(/%25/g, '%')
    );
}
