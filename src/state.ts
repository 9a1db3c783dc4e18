import * as core from '@actions/core';

/**
 * The one bundle serves `main` and `post`; state carries what post must undo. Nothing secret is
 * ever stored here (paths and names only).
 */
export const isPost = (): boolean => core.getState('isPost') === 'true';

export function markMainStarted(): void {
  core.saveState('isPost', 'true');
}

export interface Cleanup {
  /** Temporary docker config with this run's credentials. */
  credentialsDir?: string;
  /** A builder this run created. */
  builder?: string;
  buildx?: string[];
  /** DOCKER_CONFIG the builder was created under (buildx keeps builders there). */
  dockerConfig?: string;
}

let cleanup: Cleanup = {};

export function saveCleanup(more: Cleanup): void {
  cleanup = {...cleanup, ...more};
  core.saveState('cleanup', JSON.stringify(cleanup));
}

export function readCleanup(): Cleanup {
  const raw = core.getState('cleanup');
  return raw ? (JSON.parse(raw) as Cleanup) : {};
}
