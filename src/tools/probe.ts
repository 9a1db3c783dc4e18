// Tool probes (`x --version`, `buildx version`) asked once per run: their answer cannot change
// within a run, and each is a process start (tens of ms, more under load) on the critical path.
import {runTool} from './exec.js';

export interface ProbeOutput {
  stdout: string;
  stderr: string;
}

const answers = new Map<string, Promise<ProbeOutput>>();

/**
 * Runs `bin args` silently the first time and answers later calls from memory. A failure is
 * remembered too (a tool that is missing stays missing within a run); `env` and `label` of the
 * first call apply.
 */
export function probe(
  bin: string,
  args: readonly string[],
  opts: {env?: Record<string, string>; label?: string} = {}
): Promise<ProbeOutput> {
  const key = [bin, ...args].join('\0');
  let answer = answers.get(key);
  if (!answer) {
    answer = runTool(bin, [...args], {silent: true, env: opts.env, label: opts.label});
    answers.set(key, answer);
  }
  return answer;
}

/** Tests only: forget every answer. */
export function forgetProbes(): void {
  answers.clear();
}
