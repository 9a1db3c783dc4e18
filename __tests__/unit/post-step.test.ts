// The post step loads only what cleanup needs: no @actions/core (its HTTP client), no Octokit, no
// template engine, no main chunk. Its runner commands are printed exactly as @actions/core prints them.
import {afterEach, describe, expect, it} from '@jest/globals';
import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {ROOT} from '../helpers/fixtures.js';
import {issue, writeLine, getState} from '../../src/report/commands.js';
import {captureStdout} from '../helpers/capture-stdout.js';

const SRC = path.join(ROOT, 'src');

/** Static imports reachable from `entry` (a dynamic `import()` is a separate chunk, not followed). */
function staticClosure(entry: string): {local: Set<string>; external: Set<string>} {
  const local = new Set<string>();
  const external = new Set<string>();
  const walk = (file: string): void => {
    if (local.has(file)) return;
    local.add(file);
    const text = fs.readFileSync(path.join(SRC, file), 'utf8');
    for (const m of text.matchAll(/^(import|export)\s(type\s)?[^;]*?from\s+'([^']+)'/gms)) {
      if (m[2]) continue;
      const spec = m[3];
      if (spec.startsWith('.'))
        walk(path.relative(SRC, path.resolve(path.dirname(path.join(SRC, file)), spec.replace(/\.js$/, '.ts'))));
      else external.add(spec);
    }
  };
  walk(entry);
  return {local, external};
}

describe('what the post step loads', () => {
  it('index.ts statically reaches only the cleanup modules and node built-ins + @actions/exec', () => {
    const {local, external} = staticClosure('index.ts');
    expect([...external].filter(e => !e.startsWith('node:')).sort()).toEqual(['@actions/exec']);
    expect(local.has('main.ts')).toBe(false);
    expect([...local].sort()).toEqual([
      'engines/buildx/args.ts',
      'engines/buildx/run.ts',
      'errors.ts',
      'index.ts',
      'login/end-login.ts',
      'post.ts',
      'report/commands.ts',
      'report/log.ts',
      'runner.ts',
      'state.ts',
      'tools/exec.ts',
      'tools/probe.ts'
    ]);
  });

  it('main.ts statically reaches none of the modules only some runs need (each is a dynamic import)', () => {
    const {external} = staticClosure('main.ts');
    // @actions/core and tool-cache bring @actions/http-client (undici); the others are the tag
    // core's lazy modules (meta/lazy-modules.ts), artifact and Octokit the build mode's and the API's.
    for (const lazy of [
      '@actions/core',
      '@actions/tool-cache',
      '@actions/http-client',
      '@actions/artifact',
      '@actions/github',
      'handlebars',
      'moment-timezone',
      '@renovate/pep440'
    ]) {
      expect({lazy, static: external.has(lazy)}).toEqual({lazy, static: false});
    }
  });

  it('main.ts is loaded by a dynamic import only', () => {
    const index = fs.readFileSync(path.join(SRC, 'index.ts'), 'utf8');
    expect(index).toContain("await import('./main.js')");
    expect(index).not.toMatch(/from '\.\/main\.js'/);
  });
});

describe('runner commands without @actions/core', () => {
  const capture = captureStdout;
  afterEach(() => {
    delete process.env.STATE_probe;
  });

  it.each<[string]>([
    ['plain'],
    ['100% done'],
    ['two\nlines'],
    ['cr\r\nlf'],
    ['%0A already escaped'],
    ['::warning::inner'],
    ['']
  ])('print %j exactly as @actions/core does', message => {
    expect(capture(() => issue('warning', message))).toBe(capture(() => core.warning(message)));
    expect(capture(() => issue('notice', message))).toBe(capture(() => core.notice(message)));
    expect(capture(() => issue('debug', message))).toBe(capture(() => core.debug(message)));
    expect(capture(() => writeLine(message))).toBe(capture(() => core.info(message)));
  });

  it.each<[string | undefined, string]>([
    ['true', 'true'],
    [undefined, ''],
    ['{"builder":"b"}', '{"builder":"b"}']
  ])('getState reads STATE_<name> as core.getState does (%j)', (value, want) => {
    if (value !== undefined) process.env.STATE_probe = value;
    expect(getState('probe')).toBe(want);
    expect(getState('probe')).toBe(core.getState('probe'));
  });
});
