import {spawn} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {ROOT} from './fixtures.js';

export interface DistRun {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  exported: Record<string, string>;
  /** saveState values, to hand to a post run as STATE_<name>. */
  state: Record<string, string>;
}

/** Parses a GITHUB_OUTPUT / GITHUB_ENV file (`name<<delimiter` blocks). */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i].match(/^([^<=]+)<<(.+)$/);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]);
    out[m[1]] = value.join('\n');
  }
  return out;
}

/**
 * Runs dist/index.js the way the runner does: INPUT_* and GITHUB_* in the environment, command
 * files for outputs, state, env and the summary. Nothing of the caller's GITHUB_* leaks in.
 */
export async function runDist(env: Record<string, string>, inputs: Record<string, string>): Promise<DistRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ip-dist-'));
  const files = {GITHUB_OUTPUT: 'output', GITHUB_STATE: 'state', GITHUB_ENV: 'env', GITHUB_STEP_SUMMARY: 'summary'};
  const full: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    RUNNER_TEMP: dir
  };
  for (const [k, f] of Object.entries(files)) {
    full[k] = path.join(dir, f);
    fs.writeFileSync(full[k], '');
  }
  Object.assign(full, env);
  for (const [name, value] of Object.entries(inputs)) {
    full[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/index.js')], {env: full, cwd: ROOT});
  let stdout = '';
  child.stdout.on('data', d => (stdout += String(d)));
  child.stderr.on('data', d => (stdout += String(d)));
  const code = await new Promise<number>(resolve => child.on('close', c => resolve(c ?? -1)));
  const read = (f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');
  const result = {
    code,
    stdout,
    outputs: parseCommandFile(read('output')),
    summary: read('summary'),
    exported: parseCommandFile(read('env')),
    state: parseCommandFile(read('state'))
  };
  fs.rmSync(dir, {recursive: true, force: true});
  return result;
}

/** The `::error::` annotations of a run, decoded. */
export function errorsOf(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter(l => l.startsWith('::error::'))
    .map(l => l.slice('::error::'.length).replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'));
}

export async function pool<T, R>(items: T[], size: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({length: size}, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    })
  );
  return results;
}
