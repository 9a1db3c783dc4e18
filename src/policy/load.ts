import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import {loadLocated, type Path} from './locate.js';
import type {Policy} from './types.js';
import {pathText, toPolicy} from './validate.js';

/** Where the action looks when the `policy` input is empty. */
export const DEFAULT_POLICY_PATH = '.github/image-publish-policy.yml';

/** A policy file that cannot be used: `<file>:<line>: <rule>: <what is wrong>`. */
export class PolicyError extends Error {
  readonly file: string;
  readonly line?: number;
  /** The setting at fault (`registries.production.tags.forbid[2]`), `YAML syntax`, or `''` for the document. */
  readonly rule: string;

  constructor(file: string, line: number | undefined, rule: string, what: string) {
    // A key can be as long as the file: the setting's name is bounded like a quote.
    const name = rule.length > 2 * MAX_QUOTE ? `${rule.slice(0, 2 * MAX_QUOTE)}…` : rule;
    super(`${file}${line === undefined ? '' : `:${line}`}: ${name ? `${name}: ` : ''}${excerpt(what)}`);
    this.name = 'PolicyError';
    this.file = file;
    this.line = line;
    this.rule = rule;
  }
}

/** Largest policy file read (a real one is a few kilobytes). */
export const MAX_POLICY_BYTES = 1024 * 1024;

/** Longest quoted value a refusal shows; beyond it, the quote ends in "…". */
export const MAX_QUOTE = 80;

/**
 * A refusal quotes the offending value, and the value comes from a file that may not be a policy at
 * all (a credentials file, /etc/passwd, a 2 MB string): each quoted part keeps its first line and at
 * most MAX_QUOTE characters, so a message never carries a document.
 */
export function excerpt(what: string): string {
  const short = (q: string): string => {
    const first = q.split(/\r\n|\r|\n/, 1)[0];
    return first.length > MAX_QUOTE || first.length < q.length ? `${first.slice(0, MAX_QUOTE)}…` : q;
  };
  const quoted = what.replace(/"([^"]*)"/g, (_m, q: string) => `"${short(q)}"`);
  // What is left unquoted (an unbalanced quote, a reason) is bounded too.
  const first = quoted.split(/\r\n|\r|\n/, 1)[0];
  return first.length > 4 * MAX_QUOTE ? `${first.slice(0, 4 * MAX_QUOTE)}…` : first;
}

/** Parses and checks a policy; every refusal is a PolicyError naming the file, the line and the setting. */
export function parsePolicy(text: string, file: string): Policy {
  // js-yaml drops a BOM itself, which would shift every offset the locator records.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let located;
  try {
    located = loadLocated(body, file);
  } catch (e) {
    if (!(e instanceof yaml.YAMLException)) throw e;
    // An unquoted `*` or `{` starts an alias or a flow mapping, not a tag pattern.
    const hint = /alias/.test(e.reason) ? ` (quote tag patterns that begin with "*" or "{")` : '';
    // js-yaml marks every error but "more than one document".
    if (!e.mark) throw new PolicyError(file, secondDocumentLine(body), 'YAML syntax', `${e.reason}${hint}`);
    throw new PolicyError(file, e.mark.line + 1, 'YAML syntax', `${e.reason} (column ${e.mark.column + 1})${hint}`);
  }
  const root = located.value;
  if (root !== null && root !== undefined && (typeof root !== 'object' || Array.isArray(root))) {
    // Say what the document is, not what it holds: a file that is not a policy is not quoted.
    const kind = Array.isArray(root)
      ? 'a list'
      : typeof root === 'string'
        ? 'text (not shown: is this a policy file?)'
        : `a ${typeof root}`;
    throw new PolicyError(
      file,
      located.lineOf([]),
      '',
      `the policy must be a mapping with version and registries, got ${kind}`
    );
  }
  const fail = (path: Path, what: string): never => {
    throw new PolicyError(file, located.lineOf(path), pathText(path), what);
  };
  const long = longKey(root, []);
  if (long) fail(long, `a key of ${String(long[long.length - 1]).length} characters is not a policy setting`);
  return toPolicy(located.value, file, fail, located.lineOf);
}

// No setting name is near this long; checking first keeps "did you mean" from comparing megabytes.
const MAX_KEY = 200;

function longKey(value: unknown, at: Path): Path | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  for (const [k, v] of entries) {
    if (typeof k === 'string' && k.length > MAX_KEY) return [...at, k];
    const found = longKey(v, [...at, k]);
    if (found) return found;
  }
  return undefined;
}

/** The `---` that starts a second document: the first one after any content. */
function secondDocumentLine(text: string): number | undefined {
  const lines = text.split('\n');
  let content = false;
  for (let i = 0; i < lines.length; i++) {
    if (content && /^---(\s|$)/.test(lines[i])) return i + 1;
    if (!/^\s*(#.*)?$|^---(\s|$)|^%/.test(lines[i])) content = true;
  }
  return undefined;
}

/** The workspace policy paths are confined to: GITHUB_WORKSPACE, else the working directory. */
export function workspaceRoot(env: Record<string, string | undefined> = process.env): string {
  return env.GITHUB_WORKSPACE || process.cwd();
}

/**
 * Refuses a policy path that resolves, symlinks followed, outside the workspace: a checked-in
 * `.github/image-publish-policy.yml` linked to ~/.docker/config.json, or `../../etc/passwd`, must
 * not be read (a refusal quotes the file). A path the `policy` input gives as absolute is the
 * workflow's explicit choice and is read wherever it is. A missing file resolves as far as it exists.
 */
function confine(file: string, explicit: boolean, workspace: string): void {
  if (explicit && path.isAbsolute(file)) return;
  let root: string;
  try {
    root = fs.realpathSync(workspace);
  } catch {
    root = path.resolve(workspace);
  }
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    // Missing (or unreadable): the lexical path is what readFileSync would try.
    real = path.resolve(file);
  }
  const rel = path.relative(root, real);
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    throw new PolicyError(
      file,
      undefined,
      'input "policy"',
      `resolves outside the workspace ${root}${real === path.resolve(file) ? '' : ' (through a symlink)'}: ` +
        'keep the policy in the repository, or give an absolute path'
    );
  }
}

/**
 * Reads the policy at `path`. A missing file is fine when nobody asked for it (the default
 * location, `required` false: no policy, undefined) and an error when the `policy` input named it.
 * The path must stay inside `workspace` unless the input gave it as absolute.
 */
export function readPolicyFile(file: string, required: boolean, workspace = workspaceRoot()): Policy | undefined {
  confine(file, required, workspace);
  let text: string;
  try {
    const st = fs.statSync(file);
    // A FIFO or device (/dev/zero) would never end; a policy of more than a megabyte is not one.
    if (st.isFile() && st.size > MAX_POLICY_BYTES) {
      throw new PolicyError(
        file,
        undefined,
        'read',
        `the file is ${st.size} bytes; a policy is at most ${MAX_POLICY_BYTES}`
      );
    }
    if (!st.isFile() && !st.isDirectory()) throw new PolicyError(file, undefined, 'read', 'not a regular file');
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof PolicyError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return undefined;
    if (code === 'ENOENT') throw new PolicyError(file, undefined, 'input "policy"', 'the file does not exist');
    throw new PolicyError(file, undefined, 'read', (e as Error).message);
  }
  return parsePolicy(text, file);
}
