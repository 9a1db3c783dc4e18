import {getState} from './report/commands.js';

/**
 * The one bundle serves `main` and `post`; state carries what post must undo. Nothing secret is
 * ever stored here (paths and names only). Reading only: the post step loads this module; saving
 * is state-save.ts.
 */
export const isPost = (): boolean => getState('isPost') === 'true';

export interface Cleanup {
  /** Temporary docker config with this run's credentials. */
  credentialsDir?: string;
  /** A builder this run created. */
  builder?: string;
  buildx?: string[];
  /** DOCKER_CONFIG the builder was created under (buildx keeps builders there). */
  dockerConfig?: string;
}

export function readCleanup(): Cleanup {
  const raw = getState('cleanup');
  return raw ? (JSON.parse(raw) as Cleanup) : {};
}
