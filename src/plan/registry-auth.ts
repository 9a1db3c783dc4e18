import yaml from 'js-yaml';
import {loadLocated, type Located} from '../policy/locate.js';

/** One registry login, from `registry` + `username` + `password`, the `registry-auth` input or a default (GHCR: actor + github-token). */
export interface Credential {
  registry: string;
  username: string;
  password: string;
}

const HINT = 'write each value as a quoted string, e.g. password: ${{ toJSON(secrets.X) }}';
const KEYS = ['registry', 'username', 'password'] as const;

/**
 * Parses `registry-auth`: a YAML list of `{registry, username, password}`. Workflows paste
 * `${{ secrets.X }}` into this YAML, so a secret can be cut short (` #` starts a comment) or bend
 * the syntax (a leading `*`, `&`, `!`, `@`): such entries are refused, never guessed at. Errors name
 * the input, the entry and the key, never a value; a syntax error gives its line but not the text
 * or js-yaml's reason (both may hold a password).
 */
export function parseRegistryAuth(text: string): Credential[] {
  if (text.trim() === '') return [];
  let located: Located;
  try {
    located = loadLocated(text, 'registry-auth');
  } catch (err: unknown) {
    const mark = (err as {mark?: {line: number}}).mark;
    throw new Error(
      `Input "registry-auth" is not valid YAML${mark ? ` (line ${mark.line + 1})` : ''}: expected a list of {registry, username, password}; ${HINT}`
    );
  }
  const doc = located.value;
  if (!Array.isArray(doc)) {
    throw new Error('Input "registry-auth" must be a YAML list of {registry, username, password}');
  }
  const creds = doc.map((entry: unknown, i: number) => {
    const where = `Input "registry-auth" entry ${i + 1}`;
    if (entry !== null && (typeof entry !== 'object' || Array.isArray(entry))) {
      throw new Error(`${where}: must be a mapping of registry, username, password`);
    }
    const e = (entry ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if (!(KEYS as readonly string[]).includes(key))
        throw new Error(`${where}: unknown key "${key}" (registry, username, password)`);
    }
    for (const key of KEYS) checkWritten(text, located, i, key, e[key], where);
    return checked(
      {
        registry: typeof e.registry === 'string' ? e.registry.trim() : '',
        username: typeof e.username === 'string' ? e.username : '',
        password: typeof e.password === 'string' ? e.password : ''
      },
      where
    );
  });
  return noDuplicates(creds.map((c, i) => ({cred: c, from: `Input "registry-auth" entry ${i + 1}`})));
}

/**
 * How one value was written. Only a string counts (an unquoted 0123 or true is not the secret);
 * a plain (unquoted) password followed by ` #` was cut there by the YAML comment; an anchor or a
 * tag means the secret began with `&` or `!` and YAML took it for syntax.
 */
function checkWritten(text: string, located: Located, i: number, key: string, value: unknown, where: string): void {
  const span = located.spanOf([i, key]);
  if (!span) return;
  const what = `${where}: "${key}"`;
  const lineRest = (from: number): string => text.slice(from).split(/\r?\n/, 1)[0];
  const syntax = (ch: string): Error =>
    new Error(`${what} begins with "${ch}", which YAML reads as an anchor or a tag, not text; ${HINT}`);
  if (value === null || value === undefined) {
    const after = lineRest(span.keyEnd);
    if (key === 'password' && /^:[ \t]+#/.test(after))
      throw new Error(`${what} is empty: the value starts with "#", which YAML reads as a comment; ${HINT}`);
    const prop = /^:[ \t]+([&!])/.exec(after);
    if (prop) throw syntax(prop[1]);
    return; // "required" is said by checked()
  }
  const raw = text.slice(span.start, span.end);
  if (/^[&!]/.test(raw)) throw syntax(raw[0]);
  if (typeof value !== 'string') throw new Error(`${what} must be a string; ${HINT}`);
  // A plain scalar's span ends after the blanks that precede a comment.
  const trailing = /[ \t]*$/.exec(raw)?.[0] ?? '';
  if (key === 'password' && !/^["']/.test(raw) && /^[ \t]+#/.test(trailing + lineRest(span.end))) {
    throw new Error(
      `${what} is followed by " #...", which YAML cut off as a comment (a password holding " #"?); ${HINT}`
    );
  }
}

/** The rules every credential follows, wherever it came from. */
function checked(c: Credential, where: string): Credential {
  const {registry, username, password} = c;
  if (!registry) throw new Error(`${where}: "registry" is required`);
  if (/^https?:\/\//.test(registry) || registry.includes('/'))
    throw new Error(`${where}: "registry" is a host[:port] such as quay.io, got "${registry}"`);
  if (!username) throw new Error(`${where} (${registry}): "username" is required`);
  if (!password) throw new Error(`${where} (${registry}): "password" is required (use a secret)`);
  if (registry === 'quay.io' && username.includes('+') && !/^[a-z0-9_]+\+[a-z0-9_]+$/.test(username)) {
    throw new Error(`${where} (quay.io): a Quay robot account is "<organization>+<name>", got "${username}"`);
  }
  return c;
}

function noDuplicates(list: {cred: Credential; from: string}[]): Credential[] {
  const seen = new Map<string, string>();
  for (const {cred, from} of list) {
    const first = seen.get(cred.registry);
    if (first !== undefined) {
      const fromInput = (s: string): string => s.replace(/^Input /, '');
      throw new Error(
        first.startsWith('Input "registry-auth"') && from.startsWith('Input "registry-auth"')
          ? `${from}: "${cred.registry}" is listed twice`
          : `Inputs ${fromInput(first)} and ${fromInput(from)} both give credentials for ${cred.registry}: keep one`
      );
    }
    seen.set(cred.registry, from);
  }
  return list.map(l => l.cred);
}

/** The login-action-style inputs: one registry, its username and password. */
export interface SingleLogin {
  registry: string;
  username: string;
  password: string;
}

/**
 * Every explicit credential: `registry` + `username` + `password` first, then `registry-auth`.
 * Naming one registry in both is an error naming both inputs.
 */
export function explicitCredentials(registryAuth: string, single: SingleLogin): Credential[] {
  const fromList = parseRegistryAuth(registryAuth);
  const given = (['registry', 'username', 'password'] as const).filter(k => single[k] !== '');
  if (given.length === 0) return fromList;
  const missing = (['registry', 'username', 'password'] as const).filter(k => single[k] === '');
  if (missing.length > 0) {
    throw new Error(
      `Input "${missing[0]}" is required with ${given.map(g => `"${g}"`).join(' and ')} (registry, username and password go together)`
    );
  }
  const one = checked({...single, registry: single.registry.trim()}, 'Input "registry"');
  const list = [
    {cred: one, from: 'Input "registry"'},
    ...fromList.map((cred, i) => ({cred, from: `Input "registry-auth" (entry ${i + 1})`}))
  ];
  return noDuplicates(list);
}

/**
 * Every password `registry-auth` holds, read leniently (a document the parser refuses may still
 * hold secrets worth masking before its error is printed): the parsed values and, line by line,
 * what follows `password:`.
 */
export function registryAuthPasswords(text: string): {username: string; password: string}[] {
  const out: {username: string; password: string}[] = [];
  try {
    const doc = yaml.load(text);
    if (Array.isArray(doc)) {
      for (const e of doc as unknown[]) {
        const r = (e ?? {}) as Record<string, unknown>;
        if (typeof r.password === 'string' || typeof r.password === 'number')
          out.push({username: typeof r.username === 'string' ? r.username : '', password: String(r.password)});
      }
    }
  } catch {
    // The line scan below still finds them.
  }
  for (const m of text.matchAll(/password\s*:[ \t]*(.*)$/gm)) {
    const raw = m[1].trim();
    if (raw) out.push({username: '', password: raw}, {username: '', password: raw.replace(/^(["'])(.*)\1$/, '$2')});
  }
  return out;
}

/**
 * The credentials a run needs: explicit ones first; GHCR falls back to the workflow's actor and
 * github-token; registries without credentials stay anonymous or use an existing docker login.
 */
export function credentialsFor(
  registries: string[],
  explicit: Credential[],
  ghcr: {actor: string; token: string}
): Credential[] {
  const out = [...explicit];
  for (const registry of registries) {
    if (registry === 'ghcr.io' && !explicit.some(c => c.registry === registry) && ghcr.actor && ghcr.token) {
      out.push({registry, username: ghcr.actor, password: ghcr.token});
    }
  }
  return out;
}
