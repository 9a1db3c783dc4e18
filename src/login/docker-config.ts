import {setSecret, warning} from '../report/commands.js';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {dockerConfigPath} from '../registry/auth.js';
import type {Credential} from '../plan/registry-auth.js';
import {mergeDockerConfig, secretsOf, type DockerConfig} from './credentials.js';
import {runnerTemp} from '../runner.js';
import * as log from '../report/log.js';

export interface LoginSession {
  /** Directory holding config.json; DOCKER_CONFIG for every tool of this run. Removed in post. */
  dir: string;
  configFile: string;
  /** Environment for child processes (buildx, buildah, regctl...). */
  env: Record<string, string>;
}

/**
 * Writes this run's registry credentials to a private docker config under RUNNER_TEMP (merged with
 * any existing docker login), masks every secret, and returns the env that points tools at it.
 */
export function startLogin(creds: Credential[]): LoginSession {
  for (const s of secretsOf(creds)) setSecret(s);
  const existingFile = dockerConfigPath();
  let existing: DockerConfig | undefined;
  if (fs.existsSync(existingFile)) {
    try {
      existing = JSON.parse(fs.readFileSync(existingFile, 'utf8')) as DockerConfig;
    } catch {
      warning(`Existing docker config ${existingFile} is not valid JSON; it is not merged`);
    }
  }
  const base = runnerTemp();
  const dir = fs.mkdtempSync(path.join(base, `image-publish-auth-${crypto.randomBytes(3).toString('hex')}-`));
  fs.chmodSync(dir, 0o700);
  const configFile = path.join(dir, 'config.json');
  // Keep the existing config's cli-plugins (docker buildx) and buildx builders (setup-buildx-action)
  // reachable from the new DOCKER_CONFIG.
  for (const sub of ['cli-plugins', 'buildx']) {
    const from = path.join(path.dirname(existingFile), sub);
    if (fs.existsSync(from)) fs.symlinkSync(from, path.join(dir, sub));
  }
  fs.writeFileSync(configFile, JSON.stringify(mergeDockerConfig(existing, creds), null, 2), {mode: 0o600});
  for (const c of creds) log.info(`login: ${c.registry} as ${c.username}`);
  return {dir, configFile, env: {DOCKER_CONFIG: dir, REGISTRY_AUTH_FILE: configFile}};
}

// In its own module: the post step loads it without this one's imports.
export {endLogin} from './end-login.js';
