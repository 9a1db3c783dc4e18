import * as core from '@actions/core';
import type {Cleanup} from './state.js';

export function markMainStarted(): void {
  core.saveState('isPost', 'true');
}

let cleanup: Cleanup = {};

export function saveCleanup(more: Cleanup): void {
  cleanup = {...cleanup, ...more};
  core.saveState('cleanup', JSON.stringify(cleanup));
}
