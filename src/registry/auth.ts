// Registry credentials and challenges: Docker config lookup (pure + a small loader) and the
// WWW-Authenticate parser the client's auth flow runs on.
import {execFileSync} from 'node:child_process';
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

/*
 * Credentials as local tools find them (the CLI outside GitHub): the auth files docker and podman
 * read, in the order podman documents (REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json,
 * then the docker config), each file's `auths` first, then its `credHelpers` entry for the registry,
 * then its `credsStore`.
 */
export function localAuthFiles(env: NodeJS.ProcessEnv = process.env, home = homedir()): string[] {
  const files = [
    env.REGISTRY_AUTH_FILE,
    env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json') : undefined,
    dockerConfigPath(env, home)
  ];
  return [...new Set(files.filter((f): f is string => !!f))];
}

/** The credential helper a parsed config names for `registry`: its credHelpers entry, else credsStore. */
export function helperFor(config: unknown, registry: string): string | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  const c = config as {credHelpers?: unknown; credsStore?: unknown};
  if (typeof c.credHelpers === 'object' && c.credHelpers !== null) {
    const host = registry.toLowerCase();
    const hub = isDockerHub(host);
    for (const [key, helper] of Object.entries(c.credHelpers as Record<string, unknown>)) {
      const keyHost = dockerConfigKeyHost(key);
      if (typeof helper === 'string' && (hub ? isDockerHub(keyHost) : keyHost === host)) return helper;
    }
  }
  return typeof c.credsStore === 'string' && c.credsStore !== '' ? c.credsStore : undefined;
}

/** Runs `docker-credential-<helper> get` with the server on stdin (argv, never a shell); stdout or throws. */
export type HelperRunner = (program: string, server: string) => string;

export const runHelper: HelperRunner = (program, server) =>
  execFileSync(program, ['get'], {input: server, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000});

/**
 * A helper's answer `{"ServerURL","Username","Secret"}`. Username `<token>` is an identity token
 * (OAuth refresh token), which registries take only through the token flow: not supported, as in
 * credentialsFromDockerConfig. A helper that knows nothing exits non-zero ("credentials not found").
 */
export function parseHelperOutput(text: string): Credentials | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const d = (doc ?? {}) as {Username?: unknown; Secret?: unknown};
  if (typeof d.Username !== 'string' || typeof d.Secret !== 'string') return undefined;
  if (d.Username === '' || d.Username === '<token>' || d.Secret === '') return undefined;
  return {username: d.Username, password: d.Secret};
}

/** What the helper is asked for: docker asks Docker Hub as its historical index URL. */
const helperServer = (registry: string): string => (isDockerHub(registry) ? 'https://index.docker.io/v1/' : registry);

export function helperCredentials(
  helper: string,
  registry: string,
  run: HelperRunner = runHelper
): Credentials | undefined {
  if (!/^[A-Za-z0-9_.-]+$/.test(helper)) throw new Error(`credential helper name "${helper}" is not a program name`);
  let out: string;
  try {
    out = run(`docker-credential-${helper}`, helperServer(registry));
  } catch {
    // Not installed, or it has nothing for this registry: docker treats both as "no credentials".
    return undefined;
  }
  return parseHelperOutput(out);
}

/** GitLab CI's job credentials for its own registry (CI_REGISTRY may carry a port). */
export function gitlabRegistryCredentials(env: NodeJS.ProcessEnv, registry: string): Credentials | undefined {
  const own = (env.CI_REGISTRY ?? '').toLowerCase();
  if (!own || own !== registry.toLowerCase()) return undefined;
  if (!env.CI_REGISTRY_USER || !env.CI_REGISTRY_PASSWORD) return undefined;
  return {username: env.CI_REGISTRY_USER, password: env.CI_REGISTRY_PASSWORD};
}

/** The first credentials a local tool would use for `registry`, or undefined (anonymous). */
export function localCredentials(
  registry: string,
  env: NodeJS.ProcessEnv = process.env,
  home = homedir(),
  run: HelperRunner = runHelper
): Credentials | undefined {
  const gitlab = gitlabRegistryCredentials(env, registry);
  if (gitlab) return gitlab;
  for (const file of localAuthFiles(env, home)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new Error(`auth file ${file} is not readable JSON`);
    }
    const direct = credentialsFromDockerConfig(parsed, registry);
    if (direct) return direct;
    const helper = helperFor(parsed, registry);
    if (helper) {
      const viaHelper = helperCredentials(helper, registry, run);
      if (viaHelper) return viaHelper;
    }
  }
  return undefined;
}
