import yaml from 'js-yaml';

/** One registry login, from the `registry-auth` input or a default (GHCR: actor + github-token). */
export interface Credential {
  registry: string;
  username: string;
  password: string;
}

/** The parts of a Docker config.json image-publish reads and writes. */
export interface DockerConfig {
  auths?: Record<string, {auth?: string; username?: string; password?: string; identitytoken?: string}>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * Parses `registry-auth`: a YAML list of `{registry, username, password}`. Errors name the input
 * and the entry but never echo a password.
 */
export function parseRegistryAuth(text: string): Credential[] {
  if (text.trim() === '') return [];
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (err: unknown) {
    const mark = (err as {mark?: {line: number}}).mark;
    throw new Error(
      `Input "registry-auth" is not valid YAML${mark ? ` (line ${mark.line + 1})` : ''}: expected a list of {registry, username, password}`
    );
  }
  if (!Array.isArray(doc)) {
    throw new Error('Input "registry-auth" must be a YAML list of {registry, username, password}');
  }
  const seen = new Set<string>();
  return doc.map((entry: unknown, i: number) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    const where = `Input "registry-auth" entry ${i + 1}`;
    for (const key of Object.keys(e)) {
      if (!['registry', 'username', 'password'].includes(key))
        throw new Error(`${where}: unknown key "${key}" (registry, username, password)`);
    }
    const registry = typeof e.registry === 'string' ? e.registry.trim() : '';
    const username =
      typeof e.username === 'string' ? e.username : typeof e.username === 'number' ? String(e.username) : '';
    const password = typeof e.password === 'string' ? e.password : '';
    if (!registry) throw new Error(`${where}: "registry" is required`);
    if (/^https?:\/\//.test(registry) || registry.includes('/'))
      throw new Error(`${where}: "registry" is a host[:port] such as quay.io, got "${registry}"`);
    if (!username) throw new Error(`${where} (${registry}): "username" is required`);
    if (!password) throw new Error(`${where} (${registry}): "password" is required (use a secret)`);
    if (registry === 'quay.io' && username.includes('+') && !/^[a-z0-9_]+\+[a-z0-9_]+$/.test(username)) {
      throw new Error(`${where} (quay.io): a Quay robot account is "<organization>+<name>", got "${username}"`);
    }
    if (seen.has(registry)) throw new Error(`${where}: "${registry}" is listed twice`);
    seen.add(registry);
    return {registry, username, password};
  });
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

/** Docker Hub's login key in config.json is historical. */
export function configKey(registry: string): string {
  return registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry;
}

/**
 * A config for this run: the existing docker config (so a docker/login-action login keeps working,
 * cred helpers included) with our logins layered on top.
 */
export function mergeDockerConfig(existing: DockerConfig | undefined, creds: Credential[]): DockerConfig {
  const config: DockerConfig = {...(existing ?? {}), auths: {...(existing?.auths ?? {})}};
  const helpers = {...(existing?.credHelpers ?? {})};
  for (const c of creds) {
    const key = configKey(c.registry);
    (config.auths as NonNullable<DockerConfig['auths']>)[key] = {
      auth: Buffer.from(`${c.username}:${c.password}`).toString('base64')
    };
    // An explicit login must win over a helper configured for the same registry.
    delete helpers[key];
  }
  if (existing?.credHelpers) config.credHelpers = helpers;
  return config;
}

/** Values to mask in logs: each password and its base64 form inside the config. */
export function secretsOf(creds: Credential[]): string[] {
  return creds.flatMap(c => [c.password, Buffer.from(`${c.username}:${c.password}`).toString('base64')]);
}
