import type {Inputs} from '../inputs.js';
import {credentialsFor, explicitCredentials, type Credential} from './registry-auth.js';

/** One registry the run talks to, and how it logs in (who, never the password). */
export interface RegistryPlan {
  registry: string;
  insecure: boolean;
  /** Written to by this run (images), or only read (a promotion source elsewhere). */
  write: boolean;
  login?: {username: string; from: string};
}

/**
 * The values a run needs that must never be printed, held apart from the plan: the plan is shown
 * (dry-run, summary, outputs); these only reach the tools that use them.
 */
export interface Secrets {
  githubToken: string;
  /** cosign-key as given: PEM content, a file path or a KMS URI. */
  cosignKey: string;
  cosignPassword: string;
  credentials: Credential[];
}

/** Every registry of the run with its login, and the credentials to log in with. */
export function registryPlan(
  writes: string[],
  reads: string[],
  inputs: Pick<Inputs, 'registryAuth' | 'registry' | 'username' | 'password' | 'insecureRegistries' | 'githubToken'>,
  actor: string
): {registries: RegistryPlan[]; credentials: Credential[]} {
  const all = [...new Set([...writes, ...reads])];
  const single = {registry: inputs.registry, username: inputs.username, password: inputs.password};
  const explicit = explicitCredentials(inputs.registryAuth, single);
  const fromSingle = single.registry.trim();
  const credentials = credentialsFor(all, explicit, {actor, token: inputs.githubToken});
  const registries = all.map(registry => {
    const c = credentials.find(x => x.registry === registry);
    const index = explicit.findIndex(x => x.registry === registry);
    const from =
      registry === fromSingle
        ? 'registry, username, password'
        : index >= 0
          ? `registry-auth entry ${index + (fromSingle ? 0 : 1)}`
          : 'github.actor + github-token';
    return {
      registry,
      insecure: inputs.insecureRegistries.includes(registry),
      write: writes.includes(registry),
      ...(c ? {login: {username: c.username, from}} : {})
    };
  });
  return {registries, credentials};
}
