import {saveState} from './report/commands.js';
import type {Cleanup} from './state.js';

export function markMainStarted(): void {
  saveState('isPost', 'true');
}

let cleanup: Cleanup = {};

export function saveCleanup(more: Cleanup): void {
  cleanup = {...cleanup, ...more};
  saveState('cleanup', JSON.stringify(cleanup));
}
