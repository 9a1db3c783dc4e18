import * as fs from 'node:fs';
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
    super(`${file}${line === undefined ? '' : `:${line}`}: ${rule ? `${rule}: ` : ''}${what}`);
    this.name = 'PolicyError';
    this.file = file;
    this.line = line;
    this.rule = rule;
  }
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
  const fail = (path: Path, what: string): never => {
    throw new PolicyError(file, located.lineOf(path), pathText(path), what);
  };
  return toPolicy(located.value, file, fail, located.lineOf);
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

/**
 * Reads the policy at `path`. A missing file is fine when nobody asked for it (the default
 * location, `required` false: no policy, undefined) and an error when the `policy` input named it.
 */
export function readPolicyFile(path: string, required: boolean): Policy | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return undefined;
    if (code === 'ENOENT') throw new PolicyError(path, undefined, 'input "policy"', 'the file does not exist');
    throw new PolicyError(path, undefined, 'read', (e as Error).message);
  }
  return parsePolicy(text, path);
}
