// The runner commands both steps print and the files they write, done as @actions/core does them
// (same escaping, same line end, same delimited file entries; post-step.test.ts compares the two),
// so neither step loads @actions/core: it imports its HTTP client (undici, a megabyte parsed at
// start-up) for OIDC tokens, which this action never asks it for.
import {randomUUID} from 'node:crypto';
import {appendFileSync, existsSync} from 'node:fs';
import {access, appendFile, constants} from 'node:fs/promises';
import {delimiter} from 'node:path';
import {EOL} from 'node:os';

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

type CommandName = 'warning' | 'notice' | 'debug' | 'error' | 'add-mask' | 'group' | 'endgroup';

/** `::name::message`, as core.issueCommand prints a command without properties. */
export function issue(name: CommandName, message: string): void {
  process.stdout.write(`::${name}::${escapeData(message)}${EOL}`);
}

/** core.info */
export function writeLine(message: string): void {
  process.stdout.write(message + EOL);
}

/** core.getState: what main saved under `name` (the runner passes it as STATE_<name>). */
export const getState = (name: string): string => process.env[`STATE_${name}`] || '';

/** core.getInput: INPUT_<NAME> (spaces as `_`), trimmed unless told otherwise. */
export function getInput(name: string, opts: {trimWhitespace?: boolean} = {}): string {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
  return opts.trimWhitespace === false ? value : value.trim();
}

export const warning = (message: string): void => issue('warning', message);
export const debug = (message: string): void => issue('debug', message);
/** core.setSecret: the runner masks the value in every later line of the log. */
export const setSecret = (secret: string): void => issue('add-mask', secret);

/** core.setFailed: the step fails when the process ends. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  issue('error', message);
}

/** core.group */
export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  issue('group', name);
  try {
    return await fn();
  } finally {
    issue('endgroup', '');
  }
}

/** A `name<<delimiter` entry of GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STATE (core's prepareKeyValueMessage). */
function keyValueEntry(key: string, value: string): string {
  const end = `ghadelimiter_${randomUUID()}`;
  if (key.includes(end)) throw new Error(`Unexpected input: name should not contain the delimiter "${end}"`);
  if (value.includes(end)) throw new Error(`Unexpected input: value should not contain the delimiter "${end}"`);
  return `${key}<<${end}${EOL}${value}${EOL}${end}`;
}

function appendToFileCommand(command: 'OUTPUT' | 'ENV' | 'STATE' | 'PATH', entry: string): void {
  const file = process.env[`GITHUB_${command}`];
  if (!file) throw new Error(`Unable to find environment variable for file command ${command}`);
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  appendFileSync(file, `${entry}${EOL}`, {encoding: 'utf8'});
}

/** `::name name=<property>::value`: the commands older runners took instead of the files. */
function issueNamed(command: string, name: string, value: string): void {
  process.stdout.write(`::${command} name=${escapeProperty(name)}::${escapeData(value)}${EOL}`);
}

/** core.setOutput */
export function setOutput(name: string, value: string): void {
  if (process.env.GITHUB_OUTPUT) return appendToFileCommand('OUTPUT', keyValueEntry(name, value));
  process.stdout.write(EOL);
  issueNamed('set-output', name, value);
}

/** core.exportVariable: for later steps, and for this process. */
export function exportVariable(name: string, value: string): void {
  process.env[name] = value;
  if (process.env.GITHUB_ENV) return appendToFileCommand('ENV', keyValueEntry(name, value));
  issueNamed('set-env', name, value);
}

/** core.saveState: what the post step reads as STATE_<name>. */
export function saveState(name: string, value: string): void {
  if (process.env.GITHUB_STATE) return appendToFileCommand('STATE', keyValueEntry(name, value));
  issueNamed('save-state', name, value);
}

/** core.addPath: first on PATH for later steps and for this process. */
export function addPath(dir: string): void {
  if (process.env.GITHUB_PATH) appendToFileCommand('PATH', dir);
  else process.stdout.write(`::add-path::${escapeData(dir)}${EOL}`);
  process.env.PATH = `${dir}${delimiter}${process.env.PATH}`;
}

/** core.summary.addRaw(text).write(): appended to the step summary file. */
export async function appendSummary(text: string): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) {
    throw new Error(
      'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.'
    );
  }
  try {
    await access(file, constants.R_OK | constants.W_OK);
  } catch {
    throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
  }
  await appendFile(file, text, {encoding: 'utf8'});
}
