// Policy files: only inside the workspace (symlinks followed) unless named by absolute path; refusals quote excerpts only.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {describe, expect, it} from '@jest/globals';
import {MAX_QUOTE, parsePolicy, readPolicyFile} from '../../src/policy/load.js';

const PASSWORD = 'fake-Pa55word-9f3e';
const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'policy-confine-')));
const ws = path.join(base, 'workspace');
const outside = path.join(base, 'outside');
fs.mkdirSync(path.join(ws, '.github'), {recursive: true});
fs.mkdirSync(outside);
const creds = path.join(outside, 'credentials');
fs.writeFileSync(creds, `machine quay.io login bot password ${PASSWORD}\n`);
fs.writeFileSync(path.join(outside, 'config.json'), JSON.stringify({auths: {'quay.io': {password: PASSWORD}}}));
fs.writeFileSync(path.join(ws, 'good.yml'), 'version: 1\nregistries:\n  x:\n    match: ghcr.io/\n');
fs.symlinkSync(creds, path.join(ws, '.github', 'image-publish-policy.yml'));
fs.symlinkSync(path.join(outside, 'config.json'), path.join(ws, 'linked.yml'));
fs.symlinkSync(outside, path.join(ws, 'outdir'));
fs.symlinkSync(path.join(ws, 'good.yml'), path.join(ws, 'inside-link.yml'));
fs.writeFileSync(path.join(ws, 'text.yml'), `${PASSWORD} ${'x'.repeat(2_000_000)}\n`);
fs.writeFileSync(path.join(ws, 'big.yml'), `a: "${'x'.repeat(2_000_000)}"\n`);

const TEXT = 'the policy must be a mapping with version and registries, got text (not shown: is this a policy file?)';
const message = (fn: () => unknown): string => {
  try {
    fn();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
};

describe('policy path confinement', () => {
  it.each([
    [
      'the default path symlinked to a credentials file',
      '.github/image-publish-policy.yml',
      false,
      '(through a symlink)'
    ],
    ['a named relative path symlinked out', 'linked.yml', true, '(through a symlink)'],
    ['a path through a symlinked directory', 'outdir/credentials', true, '(through a symlink)'],
    ['../ out of the workspace', '../outside/credentials', true, 'resolves outside the workspace'],
    ['../../../../etc/passwd', '../../../../../../../../etc/passwd', true, 'resolves outside the workspace'],
    ['a missing file outside', '../outside/missing.yml', true, 'resolves outside the workspace']
  ])('%s is refused without reading it', (_what, file, required, reason) => {
    const cwd = process.cwd();
    process.chdir(ws);
    try {
      const msg = message(() => readPolicyFile(file, required, ws));
      expect(msg).toContain(`${file}: input "policy": `);
      expect(msg).toContain(reason);
      expect(msg).toContain('keep the policy in the repository, or give an absolute path');
      expect(msg).not.toContain(PASSWORD);
      expect(msg).not.toContain('root:');
    } finally {
      process.chdir(cwd);
    }
  });
  it('a symlink that stays inside the workspace is read', () => {
    expect(readPolicyFile(path.join(ws, 'inside-link.yml'), false, ws)?.registries.x.match).toEqual(['ghcr.io/']);
  });
  it('an absolute path the input names is read wherever it is, and its content is not quoted', () => {
    const msg = message(() => readPolicyFile(creds, true, ws));
    expect(msg).toBe(`${creds}:1: ${TEXT}`);
    const passwd = message(() => readPolicyFile('/etc/passwd', true, ws));
    expect(passwd).toBe(`/etc/passwd:1: ${TEXT}`);
  });
  it('the same absolute path is confined when it was not named by the input', () => {
    expect(message(() => readPolicyFile(creds, false, ws))).toContain('resolves outside the workspace');
  });
  it('a JSON credentials file named absolutely is quoted by key only, never by value', () => {
    const msg = message(() => readPolicyFile(path.join(outside, 'config.json'), true, ws));
    expect(msg).toContain('auths');
    expect(msg).not.toContain(PASSWORD);
  });
  it('a file over a megabyte is refused by size', () => {
    expect(message(() => readPolicyFile(path.join(ws, 'text.yml'), true, ws))).toMatch(
      /text\.yml: read: the file is 2000\d+ bytes; a policy is at most 1048576$/
    );
  });
  it('a device is not read', () => {
    expect(message(() => readPolicyFile('/dev/zero', true, ws))).toBe('/dev/zero: read: not a regular file');
  });
});

describe('refusals quote excerpts', () => {
  it.each([
    ['a 2 MB one-string document', `${'y'.repeat(2_000_000)}\n`],
    [
      'a 2 MB value',
      `version: 1\nregistries:\n  x:\n    match: ghcr.io/\n    expires-after: "${'7'.repeat(2_000_000)}"\n`
    ],
    ['a 2 MB key', `version: 1\nregistries:\n  x:\n    match: ghcr.io/\n    ${'k'.repeat(2_000_000)}: 1\n`],
    // Folded to one line by YAML: the quote stops at 80 characters, before the password.
    [
      'a long multi-line value',
      `version: 1\nregistries:\n  x:\n    match: ghcr.io/\n    expires-after: "${'w'.repeat(90)}\n      ${PASSWORD}"\n`
    ]
  ])('%s gives a short message', (_what, text) => {
    const msg = message(() => parsePolicy(text, 'p.yml'));
    expect(msg).not.toBe('');
    expect(msg.length).toBeLessThan(6 * MAX_QUOTE);
    expect(msg).not.toContain('\n');
    expect(msg).not.toContain(PASSWORD);
  });
  it('a long quoted value keeps its first 80 characters', () => {
    const msg = message(() =>
      parsePolicy(
        `version: 1\nregistries:\n  x:\n    match: ghcr.io/\n    expires-after: "${'7'.repeat(200)}"\n`,
        'p.yml'
      )
    );
    expect(msg).toContain(`got "${'7'.repeat(MAX_QUOTE)}…"`);
  });
});
