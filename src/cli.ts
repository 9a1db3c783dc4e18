import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CONFIG_FILE,
  UsageError,
  cliMessage,
  helpText,
  inputsFromConfig,
  inputsFromEnv,
  mergeSources,
  parseArgv,
  type Sourced
} from './cli/args.js';
import {EXIT, exitCodeOf} from './cli/exit-codes.js';
import {Translator, dotenvText, markdownToText} from './cli/terminal.js';
import type {Env} from './context.js';
import {contextFromGit, gitRunner, readGitFacts, repoFromGit} from './context/git.js';
import {contextFromGitlab, isGitlab, repoFromGitlab} from './context/gitlab.js';
import {errorText} from './errors.js';
import {getInputs} from './inputs.js';
import {runPost} from './post.js';
import {localCredentials} from './registry/auth.js';
import {runEngine, type Host} from './run.js';
import {maskSecret} from './secrets.js';

/*
 * image-publish as a command (a terminal, a GitLab job, any CI): the action's engine with the
 * inputs given as flags, IMAGE_PUBLISH_* variables or .image-publish.yml. The inputs are handed to
 * the engine as the runner would (INPUT_* variables read by the action's own getInputs), so parsing,
 * defaults and secret masking cannot differ from the action's.
 */

// Files through which @actions/core would talk to a runner; outside one they must not be written.
const RUNNER_FILES = ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'];

function loadConfig(file: string | undefined, cwd: string): {values: Map<string, string>; file: string} {
  const chosen = file ?? CONFIG_FILE;
  const full = path.resolve(cwd, chosen);
  if (!fs.existsSync(full)) {
    if (file !== undefined) throw new UsageError(`--config: ${file} does not exist`);
    return {values: new Map(), file: chosen};
  }
  return {values: inputsFromConfig(fs.readFileSync(full, 'utf8'), chosen), file: chosen};
}

function cliHost(env: Env, cwd: string, outputs: Record<string, string>, log: (text: string) => void): Host {
  return {
    inputs: getInputs,
    async context(_inputs, now) {
      if (isGitlab(env)) {
        const ctx = contextFromGitlab(env);
        ctx.commitDate = ctx.payloadCommitDate ?? now;
        return {ctx, repo: repoFromGitlab(env)};
      }
      const facts = readGitFacts(gitRunner(cwd));
      if (facts.dirty) {
        core.warning(
          `the checkout has uncommitted changes: the image is built from them, but labels and tags name commit ${facts.sha.slice(0, 12)}`
        );
      }
      const ctx = contextFromGit(facts);
      ctx.commitDate = ctx.payloadCommitDate ?? now;
      return {ctx, repo: repoFromGit(facts)};
    },
    env,
    group: async (title, fn) => core.group(title, fn),
    warning: text => core.warning(text),
    setOutput(name, value) {
      outputs[name] = value;
    },
    async summary(text) {
      log(`\n${markdownToText(text)}\n`);
    },
    ambientCredentials(registry) {
      const c = localCredentials(registry, env);
      if (c) {
        maskSecret(c.password);
        maskSecret(`${c.username}:${c.password}`);
      }
      return c;
    }
  };
}

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** One run of the command; returns the exit code (see cli/exit-codes.ts). */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, cwd: string, io: CliIo): Promise<number> {
  let values = new Map<string, Sourced>();
  let configFile = CONFIG_FILE;
  let json = false;
  const outputs: Record<string, string> = {};
  const log = (text: string): void => (json ? io.stderr(text) : io.stdout(text));
  const translator = new Translator({gitlab: isGitlab(env), write: log, debug: env.RUNNER_DEBUG === '1'});
  const realWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    translator.feed(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  try {
    const parsed = parseArgv(argv);
    json = parsed.options.json;
    if (parsed.options.help) {
      io.stdout(helpText());
      return EXIT.ok;
    }
    const config = loadConfig(parsed.options.config, cwd);
    configFile = config.file;
    values = mergeSources(parsed.flags, inputsFromEnv(env), config.values);
    for (const name of RUNNER_FILES) delete env[name];
    for (const key of Object.keys(env)) if (key.startsWith('INPUT_')) delete env[key];
    for (const [name, v] of values) env[`INPUT_${name.toUpperCase()}`] = v.value;
    await runEngine(cliHost(env, cwd, outputs, log));
    return EXIT.ok;
  } catch (err: unknown) {
    translator.flush();
    const code = exitCodeOf(err);
    log(translator.mask(`error: ${cliMessage(errorText(err), values, configFile)}\n`));
    return code;
  } finally {
    translator.flush();
    for (const [name, value] of translator.state) env[`STATE_${name}`] = value;
    try {
      await runPost();
    } catch (err: unknown) {
      log(translator.mask(`warning: cleanup: ${errorText(err)}\n`));
    }
    translator.flush();
    process.stdout.write = realWrite;
    if (json) io.stdout(translator.mask(JSON.stringify(outputs, null, 2)) + '\n');
    if (dotenvPath(argv))
      fs.writeFileSync(path.resolve(cwd, dotenvPath(argv) as string), translator.mask(dotenvText(outputs)));
  }
}

function dotenvPath(argv: string[]): string | undefined {
  try {
    return parseArgv(argv).options.dotenv;
  } catch {
    return undefined;
  }
}
