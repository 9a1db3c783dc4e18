import {debug} from '../report/commands.js';
import type {Plan} from '../plan.js';
import type {Secrets} from '../plan/registries.js';
import {loadDockerCredentials} from '../registry/auth.js';
import {RegistryClient} from '../registry/client.js';
import {saveCleanup} from '../state-save.js';
import {startLogin} from './docker-config.js';

/** This run's logins: a private DOCKER_CONFIG for the tools and one registry client per registry. */
export interface Session {
  dir: string;
  configFile: string;
  env: Record<string, string>;
  client(registry: string): RegistryClient;
  insecure(registry: string): boolean;
}

export function openSession(plan: Plan, secrets: Secrets): Session {
  const login = startLogin(secrets.credentials);
  saveCleanup({credentialsDir: login.dir});
  const clients = new Map<string, RegistryClient>();
  const insecure = (registry: string): boolean => plan.build.insecureRegistries.includes(registry);
  return {
    ...login,
    insecure,
    client(registry: string): RegistryClient {
      let c = clients.get(registry);
      if (!c) {
        c = new RegistryClient({
          registry,
          insecure: insecure(registry),
          credentials: loadDockerCredentials(registry, login.configFile),
          log: m => debug(m)
        });
        clients.set(registry, c);
      }
      return c;
    }
  };
}
