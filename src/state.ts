import * as core from '@actions/core';

/**
 * The one bundle serves `main` and `post`; state tells them apart. Nothing secret is ever stored
 * here: state is readable by the runner's logs when debugging.
 */
export const isPost = (): boolean => core.getState('isPost') === 'true';

export function markMainStarted(): void {
  core.saveState('isPost', 'true');
}
