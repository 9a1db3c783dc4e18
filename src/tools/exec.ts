import * as exec from '@actions/exec';

/** A tool that exited non-zero: the command, its exit code and the end of its stderr. */
export class ToolError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number,
    readonly stderrTail: string
  ) {
    super(`${command} exited ${exitCode}${stderrTail ? `:\n${stderrTail}` : ''}`);
    this.name = 'ToolError';
  }
}

export interface RunOptions {
  env?: Record<string, string>;
  cwd?: string;
  input?: string;
  /** Do not echo the command and its output (the output is still returned). */
  silent?: boolean;
  /** How errors name the command (default: the tool and its first argument). */
  label?: string;
}

const tail = (s: string, lines = 25): string => s.trimEnd().split('\n').slice(-lines).join('\n');

/** Runs argv (never a shell string); throws ToolError on a non-zero exit. */
export async function runTool(
  cmd: string,
  args: string[],
  opts: RunOptions = {}
): Promise<{stdout: string; stderr: string}> {
  const res = await exec.getExecOutput(cmd, args, {
    ignoreReturnCode: true,
    silent: opts.silent ?? false,
    cwd: opts.cwd,
    env: opts.env ? {...(process.env as Record<string, string>), ...opts.env} : undefined,
    input: opts.input !== undefined ? Buffer.from(opts.input) : undefined
  });
  if (res.exitCode !== 0) {
    // The full argv is already in the log; the error names the tool and its first argument.
    throw new ToolError(
      opts.label ?? [cmd, ...args.slice(0, 1)].join(' '),
      res.exitCode,
      tail(res.stderr || res.stdout, 6)
    );
  }
  return {stdout: res.stdout, stderr: res.stderr};
}
