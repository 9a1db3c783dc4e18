import yaml from 'js-yaml';
import type {InputGetter} from '../inputs.js';
import {ACTION_INPUTS} from './action-inputs.js';

/** Bad command-line use (unknown flag, missing value): exit code 2, like a bad input. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const CONFIG_FILE = '.image-publish.yml';
export const ENV_PREFIX = 'IMAGE_PUBLISH_';

/** Flags of the CLI itself, not inputs of the action. */
export interface CliOptions {
  help: boolean;
  /** Print the outputs object as JSON on stdout (the log goes to stderr). */
  json: boolean;
  /** Write the outputs as a dotenv file (GitLab `artifacts:reports:dotenv`). */
  dotenv?: string;
  /** The config file; default `.image-publish.yml` in the working directory, when it exists. */
  config?: string;
}

const INPUT_NAMES = new Set(ACTION_INPUTS.map(i => i.name));
/** An input whose action default is true/false is a switch: `--x` alone means true, `--no-x` false. */
const BOOLEAN = new Set(ACTION_INPUTS.filter(i => i.default === 'true' || i.default === 'false').map(i => i.name));
/** Single-valued inputs: repeating the flag is an error rather than a silent newline join. */
const SINGLE = new Set([...BOOLEAN, 'sep-tags', 'sep-labels', 'sep-annotations', 'engine', 'mode', 'builder-driver']);
const CLI_VALUE_FLAGS = new Set(['dotenv', 'config']);
// `push` is not one of these: `--push=false` is the action's push input (build, push nothing).
const CLI_SWITCHES = new Set(['help', 'json']);

export const envName = (input: string): string => ENV_PREFIX + input.toUpperCase().replace(/-/g, '_');

type Origin = 'flag' | 'env' | 'config';
export interface Sourced {
  value: string;
  origin: Origin;
}

export interface ParsedArgs {
  options: CliOptions;
  /** Inputs given as flags, repeated flags joined by newlines. */
  flags: Map<string, string>;
}

function parseSwitch(name: string, raw: string): boolean {
  if (/^(true|True|TRUE)$/.test(raw)) return true;
  if (/^(false|False|FALSE)$/.test(raw)) return false;
  throw new UsageError(`--${name} must be true or false, got "${raw}"`);
}

/** argv (after the program name) → the CLI's own options and the inputs given as flags. */
export function parseArgv(argv: string[]): ParsedArgs {
  const options: CliOptions = {help: false, json: false};
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') {
      options.help = true;
      continue;
    }
    const m = arg.match(/^--([a-z][a-z0-9-]*)(?:=([\s\S]*))?$/);
    if (!m) throw new UsageError(`Unexpected argument "${arg}": every setting is a --flag (see --help)`);
    let [, name, value] = m as [string, string, string | undefined];
    let negated = false;
    if (!INPUT_NAMES.has(name) && !CLI_SWITCHES.has(name) && name.startsWith('no-')) {
      const bare = name.slice(3);
      if (BOOLEAN.has(bare) || CLI_SWITCHES.has(bare)) {
        if (value !== undefined) throw new UsageError(`--${name} takes no value`);
        name = bare;
        negated = true;
      }
    }
    if (CLI_SWITCHES.has(name)) {
      const on = negated ? false : value === undefined ? true : parseSwitch(name, value);
      if (name === 'help') options.help = on;
      else options.json = on;
      continue;
    }
    if (!INPUT_NAMES.has(name) && !CLI_VALUE_FLAGS.has(name)) {
      throw new UsageError(`Unknown flag "--${name}" (see --help for the flags; they are the action's inputs)`);
    }
    if (BOOLEAN.has(name)) {
      value = negated ? 'false' : value === undefined ? 'true' : value;
    } else if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      value = argv[++i];
    }
    if (CLI_VALUE_FLAGS.has(name)) {
      if (name === 'dotenv') options.dotenv = value;
      else options.config = value;
      continue;
    }
    const prev = flags.get(name);
    if (prev !== undefined && SINGLE.has(name)) throw new UsageError(`--${name} is given twice`);
    flags.set(name, prev === undefined ? value : `${prev}\n${value}`);
  }
  return {options, flags};
}

/** Variables with the prefix that are not inputs: the GitLab template's job image. */
const NOT_INPUTS = new Set(['IMAGE_PUBLISH_CLI_IMAGE']);

/** IMAGE_PUBLISH_<INPUT> variables; an unknown one is an error (a typo would otherwise be ignored). */
export function inputsFromEnv(env: Record<string, string | undefined>): Map<string, string> {
  const byEnv = new Map(ACTION_INPUTS.map(i => [envName(i.name), i.name]));
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith(ENV_PREFIX) || NOT_INPUTS.has(key) || value === undefined) continue;
    const name = byEnv.get(key);
    if (!name) throw new UsageError(`Unknown variable ${key} (the variables are ${ENV_PREFIX}<INPUT>, see --help)`);
    out.set(name, value);
  }
  return out;
}

/** `.image-publish.yml`: a mapping of input names to strings, numbers, booleans or lists of strings. */
export function inputsFromConfig(text: string, file: string): Map<string, string> {
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (err: unknown) {
    throw new UsageError(
      `${file}: not valid YAML (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`
    );
  }
  const out = new Map<string, string>();
  if (doc === undefined || doc === null) return out;
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new UsageError(`${file}: must be a mapping of input names to values`);
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if (!INPUT_NAMES.has(key))
      throw new UsageError(`${file}: unknown key "${key}" (the keys are the action's input names)`);
    const scalar = (v: unknown): string => {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
      throw new UsageError(`${file}: key "${key}" must be a string, number, boolean or a list of strings`);
    };
    out.set(key, Array.isArray(value) ? value.map(scalar).join('\n') : scalar(value));
  }
  return out;
}

/** Flags win over IMAGE_PUBLISH_* variables, which win over the config file; unset is ''. */
export function mergeSources(
  flags: Map<string, string>,
  env: Map<string, string>,
  config: Map<string, string>
): Map<string, Sourced> {
  const out = new Map<string, Sourced>();
  for (const [origin, map] of [
    ['config', config],
    ['env', env],
    ['flag', flags]
  ] as const) {
    for (const [name, value] of map) out.set(name, {value, origin});
  }
  return out;
}

/** The getter readInputs takes, with core.getInput's trimming. */
export function sourcedGetter(values: Map<string, Sourced>): InputGetter {
  return (name, trim = true) => {
    const v = values.get(name)?.value ?? '';
    return trim ? v.trim() : v;
  };
}

/** How the user gave an input, in the words they used: `--tag-preset`, `IMAGE_PUBLISH_TAG_PRESET`, … */
export function inputLabel(name: string, values: Map<string, Sourced>, configFile = CONFIG_FILE): string {
  const origin = values.get(name)?.origin;
  if (origin === 'env') return envName(name);
  if (origin === 'config') return `${configFile} key "${name}"`;
  return `--${name}`;
}

/** The engine's `Input "x"` said as the CLI user gave it. */
export function cliMessage(message: string, values: Map<string, Sourced>, configFile?: string): string {
  return message.replace(/\b[Ii]nput "([a-z0-9-]+)"/g, (whole, name: string) =>
    INPUT_NAMES.has(name) ? inputLabel(name, values, configFile) : whole
  );
}

function wrap(text: string, width: number, indent: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (cur && cur.length + 1 + word.length > width) {
      out.push(indent + cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) out.push(indent + cur);
  return out;
}

export function helpText(): string {
  const lines = [
    'Usage: image-publish [--flag value | --flag=value]...',
    '',
    'The image-publish action as a command: the same engine, the same inputs as flags.',
    `Each flag can also be set as ${ENV_PREFIX}<INPUT> (e.g. ${envName('tag-preset')}) or as a key of`,
    `${CONFIG_FILE} in the working directory; flags win over variables, variables over the file.`,
    'Repeat a list flag (--tags, --images, ...) for several lines. Switches: --x, --x=false, --no-x.',
    '',
    'Exit codes: 0 success, 1 refused by a gate or the policy, 2 bad input, 3 a tool or registry failure.',
    '',
    'Command options:',
    '  --help, -h            this text',
    '  --json                print the outputs as a JSON object on stdout (the log goes to stderr)',
    '  --dotenv FILE         write the outputs as KEY=value lines (GitLab artifacts:reports:dotenv)',
    `  --config FILE         read inputs from FILE instead of ${CONFIG_FILE}`,
    '',
    'Inputs:'
  ];
  for (const input of ACTION_INPUTS) {
    const isSwitch = BOOLEAN.has(input.name);
    lines.push(`  --${input.name}${isSwitch ? '' : ' VALUE'}`);
    const def = input.name === 'github-token' ? '' : input.default;
    const shown = def === '' ? '' : ` (default: ${JSON.stringify(def).slice(1, -1)})`;
    lines.push(...wrap(input.description + shown, 90, '      '));
  }
  return lines.join('\n') + '\n';
}
