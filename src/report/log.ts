import * as crypto from 'node:crypto';
import {issue, writeLine} from './commands.js';

/*
 * Every log line that carries a value from outside this code (inputs, the event payload, files,
 * tool output) goes through this module, so the runner cannot read it as a workflow command.
 *
 * The runner reads stdout line by line (split at \n, \r and \r\n) and takes a line as a command when
 * it starts with `::` after leading whitespace, or when it holds `##[` anywhere. Its comparisons are
 * culture-sensitive, which skips "ignorable" characters (zero-width space, soft hyphen, controls), so
 * a zero-width marker cannot neutralise a command: `\u200B::add-mask::x` still starts with `::`.
 *
 * The escaping is therefore percent-encoding, like the toolkit's escapeData, and reversible:
 *   %  → %25          every `%`, so a printed `%3A` always means an escaped `:`
 *   \r \n and other control characters (tab excepted) → %0D %0A …   a value stays on one line
 *   format/ignorable characters next to `:`, `#` or `[` → their UTF-8 %XX   (`:\u200B:` is not `::`)
 *   `::` at the start of the line (after whitespace) → `%3A:`
 *   `##[` anywhere → `%23#[`
 * Text this code writes itself (templates) is checked line by line for the last two only.
 */

// A run of ignorable or format characters next to a character the runner's patterns are built of.
const IGNORABLE_NEAR =
  /[\p{Default_Ignorable_Code_Point}\p{Cf}]+(?=[:#[])|(?<=[:#[])[\p{Default_Ignorable_Code_Point}\p{Cf}]+/gu;
// C0 and C1 controls but tab; \u0085 (NEL) is one of them.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/gu;
// \s does not cover NEL; .NET's TrimStart does.
const LEADING_COMMAND = /^([\s\u0085]*):(?=:)/u;
const V1_COMMAND = /#(?=#\[)/g;

const percent = (s: string): string =>
  [...Buffer.from(s, 'utf8')].map(b => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

/** One line of our own text made inert: no `::` at its start, no `##[` in it. */
function guardLine(text: string): string {
  return text.replace(IGNORABLE_NEAR, percent).replace(LEADING_COMMAND, '$1%3A').replace(V1_COMMAND, '%23');
}

/** A value made printable on one line without being read as a workflow command (see the table above). */
export function safe(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return guardLine(text.replace(/%/g, '%25').replace(CONTROL, percent));
}

/** Text of our own, possibly several lines: each line is guarded, the line breaks stay. */
export function guard(text: string): string {
  return text
    .split(/(\r\n|\r|\n)/)
    .map((part, i) => (i % 2 === 1 ? part : guardLine(part)))
    .join('');
}

/**
 * A tagged template for a log line: each interpolated value goes through `safe`, then the whole
 * line is guarded (a template ending in `#` followed by a value starting with `#[` is still caught).
 *   core.info(line`labels: ${label}`)
 */
export function line(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0];
  values.forEach((v, i) => (out += safe(v) + strings[i + 1]));
  return guard(out);
}

/** `key=value`, as printed for labels, annotations, build args and plan steps. */
export function keyValueLine(key: string, value: unknown): string {
  return line`${key}=${value}`;
}

/** Log helpers: the text is guarded again, so even a forgotten `safe` cannot print a command line. */
export const info = (text: string): void => writeLine(guard(text));
export const notice = (text: string): void => issue('notice', guard(text));
export const warning = (text: string): void => issue('warning', guard(text));
export const debug = (text: string): void => issue('debug', guard(text));

/** Where relayed output goes; tests swap it. Everything goes to stdout, so blocks keep their order. */
export interface Sink {
  write(text: string): void;
}
let sink: Sink = {write: text => void process.stdout.write(text)};

/** Replaces the sink (tests); returns the previous one. */
export function setSink(next: Sink): Sink {
  const prev = sink;
  sink = next;
  return prev;
}

/** An unguessable token per block: the relayed text never sees it, so it cannot end the block early. */
export const stopToken = (): string => crypto.randomBytes(16).toString('hex');

/**
 * Relays text we did not write (a tool's stdout/stderr) between `::stop-commands::<token>` and
 * `::<token>::`, in ONE synchronous write: nothing of ours can land inside the block, where the
 * runner would ignore it (an `::add-mask::` issued there would be lost), and two tools relaying at
 * the same time cannot interleave blocks (the runner does not nest them).
 */
export function relay(text: string, token: string = stopToken()): void {
  if (text === '') return;
  const body = /(\r\n|\r|\n)$/.test(text) ? text : `${text}\n`;
  sink.write(`::stop-commands::${token}\n${body}::${token}::\n`);
}
