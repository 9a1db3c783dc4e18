import {PolicyError} from '../policy/load.js';
import {RegistryError} from '../registry/client.js';
import {ToolError} from '../tools/exec.js';
import {UsageError} from './args.js';

/*
 * How a failure becomes an exit code. The engine throws plain Errors for most refusals, so the
 * classification is by type first, then by the wording the engine uses for each kind — one table
 * here, tested against the messages the engine really throws (__tests__/unit/cli-exit.test.ts):
 *   2 bad input   UsageError (flags, variables, config file), PolicyError (the policy file),
 *                 a message starting `Input "` or saying `in input "x"` (readInputs, meta, plan,
 *                 prepare), SOURCE_DATE_EPOCH
 *   1 refused     a gate or the policy said no: "the policy refuses", "the scan gate failed",
 *                 "immutable", "nothing was tagged", "nothing was built or pushed", "cannot promote",
 *                 "is not allowed", "refus…"
 *   3 failure     ToolError, RegistryError and everything else (a tool, the network, a registry)
 * A type wins over wording: a registry error whose text says "refused" is still 3.
 */
export const EXIT = {ok: 0, refused: 1, badInput: 2, failure: 3} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const BAD_INPUT = [/^Input "/, /\bin input "[a-z0-9-]+"/, /^SOURCE_DATE_EPOCH /];
const REFUSED = [
  /the policy refuses/,
  /the scan gate failed/,
  /\bimmutable\b/,
  /nothing was tagged/,
  /nothing was built or pushed/,
  /^cannot promote /,
  /is not allowed/,
  /\brefus(e|es|ed|ing)\b/
];

export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof UsageError || err instanceof PolicyError) return EXIT.badInput;
  if (err instanceof ToolError || err instanceof RegistryError) return EXIT.failure;
  const text = err instanceof Error ? err.message : String(err);
  if (BAD_INPUT.some(re => re.test(text))) return EXIT.badInput;
  if (REFUSED.some(re => re.test(text))) return EXIT.refused;
  return EXIT.failure;
}
