// Registry credentials and challenges: Docker config lookup (pure + a small loader) and the
// WWW-Authenticate parser the client's auth flow runs on.
import {readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import {isDockerHub} from './reference.js';

export interface Credentials {
  username: string;
  password: string;
}

interface DockerAuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
}

/**
 * Docker config keys come in many spellings: `ghcr.io`, `https://ghcr.io`, `https://ghcr.io/v2/`,
 * and `https://index.docker.io/v1/` for Docker Hub (what `docker login` writes). Compare hosts only.
 */
export function dockerConfigKeyHost(key: string): string {
  return key
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
}

function decodeEntry(entry: DockerAuthEntry): Credentials | undefined {
  if (typeof entry.auth === 'string' && entry.auth.length > 0) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    // Split at the FIRST colon: user names cannot hold one, passwords and tokens can.
    const colon = decoded.indexOf(':');
    if (colon > 0) return {username: decoded.slice(0, colon), password: decoded.slice(colon + 1)};
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string' && entry.username.length > 0) {
    return {username: entry.username, password: entry.password};
  }
  return undefined;
}

/**
 * Credentials for `registry` from a parsed Docker config (`{auths: {...}}`); undefined when none.
 * An exact key wins over a normalised one. `credsStore`/`credHelpers` entries are not read: they
 * need the helper binary run, which is the login step's job, not this pure lookup's.
 * `identitytoken` entries (OAuth refresh tokens) are not supported either.
 */
export function credentialsFromDockerConfig(config: unknown, registry: string): Credentials | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  const auths = (config as {auths?: unknown}).auths;
  if (typeof auths !== 'object' || auths === null) return undefined;
  const entries = Object.entries(auths as Record<string, unknown>).filter(
    (e): e is [string, DockerAuthEntry] => typeof e[1] === 'object' && e[1] !== null
  );
  const host = registry.toLowerCase();
  const hub = isDockerHub(host);
  const matches = (key: string): boolean => {
    const keyHost = dockerConfigKeyHost(key);
    return hub ? isDockerHub(keyHost) : keyHost === host;
  };
  const ordered = [
    ...entries.filter(([key]) => key === registry),
    ...(hub ? entries.filter(([key]) => key === 'https://index.docker.io/v1/') : []),
    ...entries.filter(([key]) => matches(key))
  ];
  for (const [, entry] of ordered) {
    const creds = decodeEntry(entry);
    if (creds) return creds;
  }
  return undefined;
}

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json` (docker's own rule). */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  return path.join(env.DOCKER_CONFIG || path.join(home, '.docker'), 'config.json');
}

/**
 * Reads credentials for `registry` from a Docker config file. A missing file means "no
 * credentials" (anonymous access); a file that is not JSON is an error naming the file.
 */
export function loadDockerCredentials(registry: string, file: string = dockerConfigPath()): Credentials | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`Cannot read Docker config ${file}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parse message can quote the file's text, which holds secrets: name the file only.
    throw new Error(`Docker config ${file} is not valid JSON`);
  }
  return credentialsFromDockerConfig(parsed, registry);
}

export function basicAuthorization(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;
}

export interface AuthChallenge {
  /** Lower case: `basic`, `bearer`. */
  scheme: string;
  /** Parameter names in lower case (`realm`, `service`, `scope`, `error`), values unquoted. */
  params: Record<string, string>;
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * Parses a WWW-Authenticate header (RFC 7235) into its challenges. Values may be quoted strings
 * holding commas and spaces (`scope="repository:a:pull repository:b:pull,push"`), which is why a
 * split on commas is not enough. Unparseable trailing text is ignored rather than thrown on: the
 * caller decides what a challenge without a realm means.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const s = header;
  let i = 0;
  const skip = (chars: RegExp): void => {
    while (i < s.length && chars.test(s[i])) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < s.length && TOKEN_CHAR.test(s[i])) i++;
    return s.slice(start, i);
  };
  const value = (): string => {
    if (s[i] !== '"') {
      const start = i;
      while (i < s.length && s[i] !== ',' && !/\s/.test(s[i])) i++;
      return s.slice(start, i);
    }
    i++;
    let out = '';
    while (i < s.length && s[i] !== '"') {
      if (s[i] === '\\' && i + 1 < s.length) i++;
      out += s[i++];
    }
    i++; // closing quote
    return out;
  };

  const challenges: AuthChallenge[] = [];
  let current: AuthChallenge | undefined;
  while (i < s.length) {
    skip(/[\s,]/);
    const start = i;
    const name = token();
    if (!name) {
      i++; // stray character: step over it
      continue;
    }
    skip(/[ \t]/);
    if (s[i] === '=' && current) {
      i++;
      skip(/[ \t]/);
      current.params[name.toLowerCase()] = value();
      continue;
    }
    if (s[i] === '=' && !current) {
      // token68 or a parameter with no scheme before it: nothing usable
      i = start + name.length + 1;
      value();
      continue;
    }
    current = {scheme: name.toLowerCase(), params: {}};
    challenges.push(current);
  }
  return challenges;
}
