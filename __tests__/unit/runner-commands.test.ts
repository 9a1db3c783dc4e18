// The main step writes runner commands and files without @actions/core (which would load its HTTP
// client at start-up): each function here against core's own, output for output, file for file.
import {afterEach, beforeEach, describe, expect, it} from '@jest/globals';
import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ours from '../../src/report/commands.js';
import {captureStdout, captureStdoutAsync} from '../helpers/capture-stdout.js';

const FILE_VARS = ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_STATE', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY'];
let saved: NodeJS.ProcessEnv;
let dir: string;
beforeEach(() => {
  saved = {...process.env};
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-commands-'));
  for (const v of FILE_VARS) delete process.env[v];
});
afterEach(() => {
  process.env = saved;
  process.exitCode = undefined;
});

const capture = captureStdout;

/** Runs `fn` with every file command pointing at fresh files; returns what the files hold. */
function files(fn: () => void): Record<string, string> {
  const sub = fs.mkdtempSync(path.join(dir, 'f-'));
  for (const v of FILE_VARS) {
    process.env[v] = path.join(sub, v);
    fs.writeFileSync(process.env[v] as string, '');
  }
  capture(fn);
  // The delimiter is a fresh UUID per entry, in core as here.
  return Object.fromEntries(
    FILE_VARS.map(v => [v, fs.readFileSync(path.join(sub, v), 'utf8').replace(/ghadelimiter_[0-9a-f-]{36}/g, 'D')])
  );
}

const VALUES = ['plain', 'two\nlines', 'cr\r\nlf', '100%', '{"a":[1,2]}', '', 'a:b,c'];

describe('file commands, as core writes them', () => {
  it.each(VALUES)('setOutput, exportVariable, saveState, addPath with %j', value => {
    const run = (impl: typeof ours | typeof core) => () => {
      impl.setOutput('out-name', value);
      impl.exportVariable('ENV_NAME', value);
      impl.saveState('state', value);
      impl.addPath(`/opt/${value.replace(/\W/g, '')}`);
    };
    const pathBefore = process.env.PATH;
    const theirs = files(run(core));
    const theirPath = process.env.PATH;
    process.env.PATH = pathBefore;
    expect(files(run(ours))).toEqual(theirs);
    expect(process.env.PATH).toBe(theirPath);
    expect(process.env.ENV_NAME).toBe(value);
  });

  it('appendSummary appends as core.summary.addRaw().write() does', async () => {
    const file = path.join(dir, 'summary');
    process.env.GITHUB_STEP_SUMMARY = file;
    fs.writeFileSync(file, 'before\n');
    await core.summary.addRaw('## one\n').write();
    await ours.appendSummary('## one\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('before\n## one\n## one\n');
  });

  it("appendSummary without a summary file fails with core's message", async () => {
    const theirs = await core.summary
      .addRaw('x')
      .write()
      .then(
        () => '',
        (e: Error) => e.message
      );
    core.summary.emptyBuffer();
    await expect(ours.appendSummary('x')).rejects.toThrow(theirs);
  });
});

describe('stdout commands, as core prints them', () => {
  it.each(VALUES)('without the files (older runners) %j', value => {
    const run = (impl: typeof ours | typeof core) => () => {
      impl.setOutput('out,name:x', value);
      impl.exportVariable('ENV_NAME', value);
      impl.saveState('state', value);
      impl.addPath('/opt/x');
    };
    const pathBefore = process.env.PATH;
    const theirs = capture(run(core));
    process.env.PATH = pathBefore;
    expect(capture(run(ours))).toBe(theirs);
  });

  it.each(VALUES)('setSecret, warning, debug, setFailed with %j', value => {
    const run = (impl: typeof ours | typeof core) => () => {
      impl.setSecret(value);
      impl.warning(value);
      impl.debug(value);
      impl.setFailed(value);
    };
    expect(capture(run(ours))).toBe(capture(run(core)));
    expect(process.exitCode).toBe(1);
  });

  it('group: the group lines around the output, also when the body throws', async () => {
    const grouped = async (impl: typeof ours | typeof core): Promise<string> =>
      captureStdoutAsync(async out => {
        const value = await impl.group('Title\nwith %', async () => {
          process.stdout.write('inside\n');
          return 7;
        });
        await impl.group('fails', async () => Promise.reject(new Error('boom'))).catch(() => undefined);
        out.push(String(value));
      });
    expect(await grouped(ours)).toBe(await grouped(core));
  });
});

describe('getInput, as core reads inputs', () => {
  it.each<[string, string | undefined, boolean | undefined]>([
    ['cosign-key', '  padded \n', undefined],
    ['cosign-key', '  padded \n', false],
    ['with space', 'v', undefined],
    ['UPPER', 'x', undefined],
    ['missing', undefined, undefined]
  ])('%s = %j (trim %s)', (name, value, trim) => {
    if (value !== undefined) process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    const opts = trim === undefined ? {} : {trimWhitespace: trim};
    expect(ours.getInput(name, opts)).toBe(core.getInput(name, opts));
  });
});
