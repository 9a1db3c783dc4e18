// runTool relays a real child's output inside stop-commands blocks and echoes nothing itself.
import {afterEach, beforeEach, describe, expect, it, jest} from '@jest/globals';
import {setSink, type Sink} from '../../src/report/log.js';
import {runTool, ToolError} from '../../src/tools/exec.js';

const FORGED = 'console.log("::add-mask::x"); console.error("ctx ##[set-output name=a;]1"); console.log("done")';

describe('runTool', () => {
  let written: string[];
  let prev: Sink;
  let stdout: string[];
  beforeEach(() => {
    written = [];
    stdout = [];
    prev = setSink({write: t => void written.push(t)});
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      stdout.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    setSink(prev);
    jest.restoreAllMocks();
  });

  it('relays the command line and both streams only inside blocks, and returns the output', async () => {
    const res = await runTool(process.execPath, ['-e', FORGED, '::arg\n::add-mask::y']);
    expect(res.stdout).toBe('::add-mask::x\ndone\n');
    expect(res.stderr).toBe('ctx ##[set-output name=a;]1\n');
    expect(stdout).toEqual([]); // @actions/exec printed nothing outside our blocks
    const text = written.join('');
    const outside = text.replace(/::stop-commands::([0-9a-f]{32})\n[\s\S]*?\n::\1::\n/g, '');
    expect(outside).toBe('');
    expect(text).toContain('::arg\n::add-mask::y');
    expect(text).toContain('\n::add-mask::x\n');
    expect(text).toContain('\nctx ##[set-output name=a;]1\n');
  });
  it('silent prints nothing', async () => {
    await runTool(process.execPath, ['-e', FORGED], {silent: true});
    expect(written).toEqual([]);
    expect(stdout).toEqual([]);
  });
  it('a failure is a ToolError with the stderr tail', async () => {
    const err = await runTool(process.execPath, ['-e', 'console.error("bad thing"); process.exit(3)'], {
      label: 'node fail'
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as ToolError).message).toBe('node fail exited 3:\nbad thing');
  });
});
