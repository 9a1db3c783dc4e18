// The CLI's flags, variables and config file → the action's inputs; errors in the CLI's words.
import {describe, expect, it} from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import {ACTION_INPUTS} from '../../src/cli/action-inputs.js';
import {
  cliMessage,
  helpText,
  inputsFromConfig,
  inputsFromEnv,
  mergeSources,
  parseArgv,
  sourcedGetter
} from '../../src/cli/args.js';
import {EXIT, exitCodeOf} from '../../src/cli/exit-codes.js';
import {PolicyError} from '../../src/policy/load.js';
import {RegistryError} from '../../src/registry/client.js';
import {ToolError} from '../../src/tools/exec.js';
import {readInputs} from '../../src/inputs.js';
import {ROOT} from '../helpers/fixtures.js';

describe('flags come from action.yml', () => {
  it('src/cli/action-inputs.ts equals action.yml (run npm run gen:cli-inputs when it does not)', () => {
    const action = yaml.load(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, {description: string; default?: string}>;
    };
    expect(ACTION_INPUTS).toEqual(
      Object.entries(action.inputs).map(([name, s]) => ({
        name,
        description: s.description,
        default: String(s.default ?? '')
      }))
    );
  });
  it('--help documents every input as a flag', () => {
    const help = helpText();
    for (const i of ACTION_INPUTS) expect(help).toMatch(new RegExp(`^  --${i.name}( VALUE)?$`, 'm'));
    expect(help).toContain('  --dry-run\n');
    expect(help).toContain('  --tag-preset VALUE\n');
  });
});

describe('parseArgv', () => {
  it.each([
    [['--tags', 'type=sha', '--tags=type=ref,event=tag'], {tags: 'type=sha\ntype=ref,event=tag'}],
    [['--dry-run'], {'dry-run': 'true'}],
    [['--no-scan'], {scan: 'false'}],
    [['--scan=false'], {scan: 'false'}],
    [['--mode', 'promote', '--source', 'r/a:1'], {mode: 'promote', source: 'r/a:1'}],
    [['--sep-tags=,'], {'sep-tags': ','}]
  ])('%j', (argv, want) => {
    expect(Object.fromEntries(parseArgv(argv).flags)).toEqual(want);
  });
  it.each([
    [['--tag-presett', 'x'], 'Unknown flag "--tag-presett" (see --help for the flags; they are the action\'s inputs)'],
    [['images'], 'Unexpected argument "images": every setting is a --flag (see --help)'],
    [['--tags'], '--tags needs a value'],
    [['--mode', 'build', '--mode', 'merge'], '--mode is given twice'],
    [['--json=maybe'], '--json must be true or false, got "maybe"'],
    [['--no-dry-run=true'], '--no-dry-run takes no value']
  ])('%j is refused', (argv, message) => {
    expect(() => parseArgv(argv)).toThrow(message);
    try {
      parseArgv(argv);
    } catch (err) {
      expect(exitCodeOf(err)).toBe(EXIT.badInput);
    }
  });
  it('CLI options', () => {
    expect(parseArgv(['--json', '--dotenv', 'out.env', '--push=false', '--config=c.yml']).options).toEqual({
      help: false,
      json: true,
      dotenv: 'out.env',
      config: 'c.yml'
    });
  });
  it('--push=false is the push input (build, push nothing), not a dry-run', () => {
    for (const argv of [['--push=false'], ['--no-push']]) {
      const parsed = parseArgv(argv);
      expect([...parsed.flags]).toEqual([['push', 'false']]);
      expect(readInputs(sourcedGetter(mergeSources(parsed.flags, new Map(), new Map())))).toMatchObject({
        push: false,
        dryRun: false
      });
    }
  });
});

describe('sources', () => {
  const env = {IMAGE_PUBLISH_TAG_PRESET: 'development', IMAGE_PUBLISH_ENGINE: 'podman', PATH: '/bin'};
  const config = inputsFromConfig(
    'engine: buildah\nplatforms: [linux/amd64, linux/arm64]\narch-tags: true\n',
    '.image-publish.yml'
  );
  it('flags win over variables, variables over the config file', () => {
    const merged = mergeSources(parseArgv(['--engine=buildx']).flags, inputsFromEnv(env), config);
    const get = sourcedGetter(merged);
    const inputs = readInputs(get);
    expect([inputs.engine, inputs.tagPreset, inputs.platforms, inputs.archTags]).toEqual([
      'buildx',
      'development',
      ['linux/amd64', 'linux/arm64'],
      true
    ]);
  });
  it.each([
    [
      () => inputsFromEnv({IMAGE_PUBLISH_TAGZ: 'x'}),
      'Unknown variable IMAGE_PUBLISH_TAGZ (the variables are IMAGE_PUBLISH_<INPUT>, see --help)'
    ],
    [
      () => inputsFromConfig('tagz: x\n', '.image-publish.yml'),
      '.image-publish.yml: unknown key "tagz" (the keys are the action\'s input names)'
    ],
    [() => inputsFromConfig('- a\n', 'c.yml'), 'c.yml: must be a mapping of input names to values'],
    [
      () => inputsFromConfig('tags: {a: 1}\n', 'c.yml'),
      'c.yml: key "tags" must be a string, number, boolean or a list of strings'
    ]
  ])('refused: %#', (fn, message) => {
    expect(fn).toThrow(message);
  });
  it.each([
    [
      ['--mode=ship'],
      {},
      'Input "mode" must be one of publish, build, merge, promote, got "ship"',
      '--mode must be one of publish, build, merge, promote, got "ship"'
    ],
    [
      [],
      {IMAGE_PUBLISH_DRY_RUN: 'yes'},
      'Input "dry-run" must be true or false, got "yes"',
      'IMAGE_PUBLISH_DRY_RUN must be true or false, got "yes"'
    ]
  ])("the action's error, said in the CLI's words: %j %j", (argv, vars, actionMessage, cliText) => {
    const merged = mergeSources(parseArgv(argv).flags, inputsFromEnv(vars), new Map());
    let caught: unknown;
    try {
      readInputs(sourcedGetter(merged));
    } catch (err) {
      caught = err;
    }
    expect((caught as Error).message).toBe(actionMessage);
    expect(cliMessage((caught as Error).message, merged)).toBe(cliText);
    expect(exitCodeOf(caught)).toBe(EXIT.badInput);
  });
  it('a config key is named as such; an unknown preset names the flag', () => {
    const merged = mergeSources(new Map(), new Map(), inputsFromConfig('tag-preset: nope\n', '.image-publish.yml'));
    expect(cliMessage('Input "tag-preset": x', merged)).toBe('.image-publish.yml key "tag-preset": x');
    expect(cliMessage('Unknown preset "nope" in input "tag-preset": choose', new Map())).toBe(
      'Unknown preset "nope" in --tag-preset: choose'
    );
  });
});

describe('exit codes', () => {
  it.each([
    [new Error('the policy refuses the image, nothing was tagged:\n- x'), EXIT.refused],
    [new Error('the scan gate failed, nothing was tagged:\n- CVE'), EXIT.refused],
    [new Error('tag v1 is immutable and already points to sha256:a; refusing to move it to sha256:b'), EXIT.refused],
    [new Error('cannot promote r/a@sha256:1: its signature does not verify (x)'), EXIT.refused],
    [new Error('Input "source" is required with mode: promote'), EXIT.badInput],
    [new Error('Unknown preset "nope" in input "tag-preset": choose one of x'), EXIT.badInput],
    [new PolicyError('p.yml', 3, 'registries', 'bad'), EXIT.badInput],
    [new ToolError('buildah build', 125, 'refused'), EXIT.failure],
    [new RegistryError('r', 'PUT manifest a:1', '401 Unauthorized (access refused)', 401), EXIT.failure],
    [new Error('connect ECONNREFUSED 127.0.0.1:5000'), EXIT.failure]
  ])('%s → %d', (err, code) => {
    expect(exitCodeOf(err)).toBe(code);
  });
});
