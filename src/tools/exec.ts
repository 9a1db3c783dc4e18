import * as exec from '@actions/exec';
import {StringDecoder} from 'node:string_decoder';
import {relay, stopToken} from '../report/log.js';

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

/**
 * Relays a tool's output in whole lines, each batch as one stop-commands block (report/log.ts):
 * nothing a tool prints can be read as a workflow command. A partial last line waits for its end.
 */
export class Relay {
  private pending = '';
  // A chunk may end inside a UTF-8 character.
  private readonly decoder = new StringDecoder('utf8');
  constructor(private readonly token = stopToken()) {}
  write(chunk: string | Buffer): void {
    const text = this.pending + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    this.pending = text.slice(cut + 1);
    if (cut >= 0) relay(text.slice(0, cut + 1), this.token);
  }
  end(): void {
    relay(this.pending + this.decoder.end(), this.token);
    this.pending = '';
  }
}

/** The command line as @actions/exec echoes it; printed inside the block, so its values stay verbatim. */
const commandLine = (cmd: string, args: string[]): string => `[command]${[cmd, ...args].join(' ')}\n`;

/** Runs argv (never a shell string); throws ToolError on a non-zero exit. */
export async function runTool(
  cmd: string,
  args: string[],
  opts: RunOptions = {}
): Promise<{stdout: string; stderr: string}> {
  // One relay per stream, so a partial stdout line never joins a stderr one.
  const [out, err] = opts.silent ? [] : [new Relay(), new Relay()];
  out?.write(commandLine(cmd, args));
  // @actions/exec stays silent: its own echo would print argv and tool output outside any block.
  const res = await exec.getExecOutput(cmd, args, {
    ignoreReturnCode: true,
    silent: true,
    cwd: opts.cwd,
    env: opts.env ? {...(process.env as Record<string, string>), ...opts.env} : undefined,
    input: opts.input !== undefined ? Buffer.from(opts.input) : undefined,
    listeners: out && err ? {stdout: data => out.write(data), stderr: data => err.write(data)} : undefined
  });
  out?.end();
  err?.end();
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
