import type {Credential} from '../plan/registry-auth.js';

/** The parts of a Docker config.json image-publish reads and writes. */
export interface DockerConfig {
  auths?: Record<string, {auth?: string; username?: string; password?: string; identitytoken?: string}>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
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
