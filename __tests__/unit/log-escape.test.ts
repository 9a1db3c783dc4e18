// Log lines with outside values: nothing the runner reads as a workflow command reaches stdout.
import {afterEach, beforeEach, describe, expect, it} from '@jest/globals';
import {guard, keyValueLine, line, relay, safe, setSink, type Sink} from '../../src/report/log.js';
import {Relay} from '../../src/tools/exec.js';

/** What the runner would see: lines split as its StreamReader splits them. */
const runnerLines = (text: string): string[] => text.split(/\r\n|\r|\n/);
/** The runner's two command forms, with ignorable characters dropped as its culture-sensitive compare does. */
const isCommand = (l: string): boolean => {
  const seen = l.replace(/[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}]/gu, c => (/[\t\r\n]/.test(c) ? c : ''));
  return /^[\s\u0085]*::/u.test(seen) || seen.includes('##[');
};

const PAYLOADS = [
  '::add-mask::x',
  '::warning::x',
  '::stop-commands::x',
  '.\n::set-output name=X::1',
  'Dockerfile\n::add-mask::X',
  'ctx ##[set-output name=X;]1',
  '.\r::set-output name=X::1',
  '.\r\n::add-mask::X',
  'a\r::warning::b\n::error::c',
  '  ::add-mask::indented',
  '\t::add-mask::tab',
  '\u0085::add-mask::nel',
  '\u200B::add-mask::zero-width',
  ':\u200B:add-mask::split',
  ':\u00AD:add-mask::soft-hyphen',
  ':\u0001:add-mask::control',
  '#\u200B#[set-output name=X;]1',
  '##\u200D[set-output name=X;]1',
  '###[x]',
  '%0A::add-mask::pre-escaped',
  '\u2028::add-mask::line-separator'
];

describe('safe', () => {
  it.each(PAYLOADS)('%j prints no command line', payload => {
    for (const printed of [safe(payload), line`labels: ${payload}`, line`${payload}`, keyValueLine(payload, payload)]) {
      expect(runnerLines(printed)).toHaveLength(1);
      expect(isCommand(printed)).toBe(false);
    }
  });
  it.each([
    ['::add-mask::x', '%3A:add-mask::x'],
    ['ctx ##[set-output name=X;]1', 'ctx %23#[set-output name=X;]1'],
    ['.\n::set-output name=X::1', '.%0A::set-output name=X::1'],
    ['a\r\nb', 'a%0D%0Ab'],
    ['100%', '100%25'],
    ['\u200B::x', '%E2%80%8B::x'],
    ['tab\tstays', 'tab\tstays'],
    ['ghcr.io/acme/app:v1.2.3', 'ghcr.io/acme/app:v1.2.3'],
    ['org.opencontainers.image.title=app', 'org.opencontainers.image.title=app'],
    ['emoji 👨‍👩‍👧 stays', 'emoji 👨‍👩‍👧 stays'],
    [42, '42']
  ])('%j is printed as %j', (value, printed) => {
    expect(safe(value)).toBe(printed);
  });
  it('is reversible: percent-decoding gives the value back', () => {
    for (const p of PAYLOADS) expect(decodeURIComponent(safe(p))).toBe(p);
  });
});

describe('line and guard', () => {
  it('a template ending in "#" and a value starting with "#[" is still no command', () => {
    expect(line`x #${'#[set-output name=a;]1'}`).toBe('x %23#[set-output name=a;]1');
  });
  it('keeps our own line breaks and guards every line', () => {
    expect(guard('ok\n::add-mask::x\r\nfine ##[y]')).toBe('ok\n%3A:add-mask::x\r\nfine %23#[y]');
  });
  it('prints label, build-arg and plan-step lines as key=value', () => {
    expect(keyValueLine('BUILD_DATE', '2024-01-01')).toBe('BUILD_DATE=2024-01-01');
    // A value is escaped as if it began a line: it may, when a caller prints it alone.
    expect(keyValueLine('VERSION', '::add-mask::x')).toBe('VERSION=%3A:add-mask::x');
    expect(keyValueLine('::k', 'v')).toBe('%3A:k=v');
  });
});

describe('relayed tool output', () => {
  let written: string[];
  let prev: Sink;
  beforeEach(() => {
    written = [];
    prev = setSink({write: t => void written.push(t)});
  });
  afterEach(() => void setSink(prev));

  /** Replays the runner: commands are processed unless a stop-commands block is open. */
  const processed = (text: string): string[] => {
    let stop: string | undefined;
    const out: string[] = [];
    for (const l of runnerLines(text)) {
      if (stop !== undefined) {
        if (l.trim() === `::${stop}::`) stop = undefined;
        continue;
      }
      const m = /^\s*::stop-commands::(.*)$/.exec(l);
      if (m) stop = m[1];
      else if (isCommand(l)) out.push(l);
    }
    return out;
  };

  it.each(PAYLOADS)('%j inside relayed output is never processed', payload => {
    const r = new Relay();
    r.write(`start\n${payload}\n`);
    r.write(Buffer.from(`${payload} partial`));
    r.write(`\n${payload}`);
    r.end();
    const all = written.join('');
    expect(processed(all)).toEqual([]);
    expect(all).toContain(payload); // relayed verbatim, not escaped
  });
  it('each write is one whole block with an unguessable token, ended exactly once', () => {
    relay('::add-mask::x\n', 'tok');
    expect(written).toEqual(['::stop-commands::tok\n::add-mask::x\n::tok::\n']);
    const r = new Relay();
    r.write('a\nb');
    r.end();
    expect(written).toHaveLength(3);
    const token = /^::stop-commands::([0-9a-f]{32})\n/.exec(written[1])?.[1];
    expect(token).toBeDefined();
    expect(written.slice(1)).toEqual([
      `::stop-commands::${token}\na\n::${token}::\n`,
      `::stop-commands::${token}\nb\n::${token}::\n`
    ]);
  });
  it('a UTF-8 character split across chunks is relayed whole', () => {
    const r = new Relay();
    const bytes = Buffer.from('é\n');
    r.write(bytes.subarray(0, 1));
    r.write(bytes.subarray(1));
    r.end();
    expect(written.join('')).toContain('\né\n');
  });
  it('nothing is written for no output', () => {
    new Relay().end();
    expect(written).toEqual([]);
  });
});
