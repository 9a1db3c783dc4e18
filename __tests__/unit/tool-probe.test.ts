// Tool probes run once per run: the process edge is a fake tool that counts its starts.
import {beforeEach, describe, expect, it} from '@jest/globals';
import {chmodSync, mkdtempSync, readFileSync, writeFileSync, existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {forgetProbes, probe} from '../../src/tools/probe.js';
import {trivyVersion} from '../../src/supply/trivy.js';

let dir: string;
let tool: string;
const starts = (): string[] =>
  existsSync(path.join(dir, 'starts')) ? readFileSync(path.join(dir, 'starts'), 'utf8').trim().split('\n') : [];

beforeEach(() => {
  forgetProbes();
  dir = mkdtempSync(path.join(tmpdir(), 'probe-'));
  tool = path.join(dir, 'trivy');
  // Answers like trivy 0.74.0 (`--version` with a DB in the cache, `version --format json`); `bad` fails.
  writeFileSync(
    tool,
    `#!/bin/sh
echo "$*" >> "${dir}/starts"
case "$1" in
  --version) printf 'Version: 0.74.0\\nVulnerability DB:\\n  Version: 2\\n' ;;
  version) printf '{"Version":"0.74.0"}\\n' ;;
  *) echo "unknown $1" >&2; exit 3 ;;
esac
`
  );
  chmodSync(tool, 0o755);
});

describe('probe', () => {
  it('one process per tool and argv, however often and however concurrently asked', async () => {
    const answers = await Promise.all([probe(tool, ['--version']), probe(tool, ['--version'])]);
    await probe(tool, ['--version']);
    await probe(tool, ['version', '--format', 'json']);
    expect(answers.map(a => a.stdout)).toEqual([
      'Version: 0.74.0\nVulnerability DB:\n  Version: 2\n',
      'Version: 0.74.0\nVulnerability DB:\n  Version: 2\n'
    ]);
    expect(starts()).toEqual(['--version', 'version --format json']);
  });

  it('a failure is remembered within the run, and forgotten by forgetProbes', async () => {
    await expect(probe(tool, ['bad'])).rejects.toThrow('exited 3');
    await expect(probe(tool, ['bad'])).rejects.toThrow('exited 3');
    expect(starts()).toEqual(['bad']);
    forgetProbes();
    await expect(probe(tool, ['bad'])).rejects.toThrow('exited 3');
    expect(starts()).toEqual(['bad', 'bad']);
  });
});

describe('trivyVersion', () => {
  it('answers from the installer’s `trivy --version` probe: no second process', async () => {
    await probe(tool, ['--version']);
    expect(await trivyVersion(tool)).toBe('0.74.0');
    expect(starts()).toEqual(['--version']);
  });
});
