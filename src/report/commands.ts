// The few runner commands the post step prints, written as @actions/core writes them (same
// escaping, same line end), so the post step's bundle does not carry @actions/core and its HTTP
// client (undici, a megabyte) only to print a line.
import {EOL} from 'node:os';

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** `::name::message`, as core.issueCommand prints a command without properties. */
export function issue(name: 'warning' | 'notice' | 'debug', message: string): void {
  process.stdout.write(`::${name}::${escapeData(message)}${EOL}`);
}

/** core.info */
export function writeLine(message: string): void {
  process.stdout.write(message + EOL);
}

/** core.getState: what main saved under `name` (the runner passes it as STATE_<name>). */
export const getState = (name: string): string => process.env[`STATE_${name}`] || '';
