// Dockerfile ARG lines read before the build, and the warning when an automatic build arg
// replaces a declared default (VERSION=v1.8.0 over `ARG VERSION=1.25`).
import {describe, expect, it} from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {autoArgWarnings, parseDockerfileArgs} from '../../src/plan/dockerfile-args.js';
import {dockerfileArgWarnings} from '../../src/publish/prepare.js';
import {FIXTURES, planFor} from '../helpers/fixtures.js';

const PINNED = fs.readFileSync(path.join(FIXTURES, 'dockerfiles/pinned-multistage.Dockerfile'), 'utf8');

describe('parseDockerfileArgs', () => {
  it('a multi-stage file: global args, stage args, continuation, heredoc body skipped', () => {
    expect(parseDockerfileArgs(PINNED)).toEqual([
      {name: 'VERSION', default: '1.25', stage: '', line: 3},
      {name: 'BASE', default: 'busybox', stage: '', line: 4},
      {name: 'COMMIT_SHA', stage: 'build', line: 6},
      {name: 'BUILD_DATE', default: 'unknown date', stage: 'build', line: 6},
      {name: 'VERSION', stage: '1', line: 14},
      {name: 'build_date', default: 'lower-case-name', stage: '1', line: 15}
    ]);
  });

  it.each<[string, string, {name: string; default?: string; stage: string; line: number}[]]>([
    ['empty default', 'ARG V=', [{name: 'V', default: '', stage: '', line: 1}]],
    ['single quotes', "FROM x\nARG V='a b'", [{name: 'V', default: 'a b', stage: '0', line: 2}]],
    [
      'several on one line',
      'ARG A=1 B C=3',
      [
        {name: 'A', default: '1', stage: '', line: 1},
        {name: 'B', stage: '', line: 1},
        {name: 'C', default: '3', stage: '', line: 1}
      ]
    ],
    [
      'backtick escape directive',
      '# escape=`\nFROM x\nARG A=1 `\n  B=2',
      [
        {name: 'A', default: '1', stage: '0', line: 3},
        {name: 'B', default: '2', stage: '0', line: 3}
      ]
    ],
    [
      'a backslash is no continuation with the backtick escape',
      '# escape=`\nARG A=c:\\\nARG B=2',
      [
        {name: 'A', default: 'c:\\', stage: '', line: 2},
        {name: 'B', default: '2', stage: '', line: 3}
      ]
    ],
    [
      'comment inside a continuation',
      'ARG A=1 \\\n# note\n  B=2',
      [
        {name: 'A', default: '1', stage: '', line: 1},
        {name: 'B', default: '2', stage: '', line: 1}
      ]
    ],
    [
      '<<- heredoc with tab-indented delimiter',
      'FROM x\nRUN <<-EOF\n\tARG X=1\n\tEOF\nARG Y=2',
      [{name: 'Y', default: '2', stage: '0', line: 5}]
    ],
    [
      'CRLF line ends',
      'ARG A=1\r\nFROM x AS final\r\nARG B=2\r\n',
      [
        {name: 'A', default: '1', stage: '', line: 1},
        {name: 'B', default: '2', stage: 'final', line: 3}
      ]
    ],
    ['no ARG at all', 'FROM busybox\nRUN echo ARG=1', []]
  ])('%s', (_name, text, expected) => {
    expect(parseDockerfileArgs(text)).toEqual(expected);
  });
});

describe('autoArgWarnings', () => {
  const auto = {VERSION: 'v1.8.0', COMMIT_SHA: '3f9c2ab1', BUILD_DATE: '2020-01-10T00:30:00.000Z'};
  it('warns for every declared default an automatic arg replaces, naming file, line and remedy', () => {
    expect(autoArgWarnings(parseDockerfileArgs(PINNED), auto, 'Dockerfile')).toEqual([
      'Build arg VERSION="v1.8.0" is passed automatically and replaces the default "1.25" that Dockerfile line 3 (before the first FROM) declares; set auto-build-args: false to keep the Dockerfile\'s default, or auto-build-args: true (or VERSION in build-args) to pass it on purpose without this warning',
      'Build arg BUILD_DATE="2020-01-10T00:30:00.000Z" is passed automatically and replaces the default "unknown date" that Dockerfile line 6 (stage build) declares; set auto-build-args: false to keep the Dockerfile\'s default, or auto-build-args: true (or BUILD_DATE in build-args) to pass it on purpose without this warning'
    ]);
  });
  it('no warning for ARG without default, equal values, or names not passed automatically', () => {
    const args = parseDockerfileArgs('ARG VERSION\nARG COMMIT_SHA=abc\nARG OTHER=1');
    expect(autoArgWarnings(args, {VERSION: 'v1', COMMIT_SHA: 'abc'}, 'Dockerfile')).toEqual([]);
  });
});

describe('dockerfileArgWarnings (the plan decides, the file is read once)', () => {
  const read = (files: Record<string, string>) => (f: string) => files[f];
  it.each<[string, Record<string, string>, number, string]>([
    ['unset: warns', {}, 2, 'Build arg VERSION="v1.0.0"'],
    ['true: passed without warning', {'auto-build-args': 'true'}, 0, ''],
    ['false: not passed, nothing to warn', {'auto-build-args': 'false'}, 0, ''],
    [
      'the user sets VERSION: theirs, only BUILD_DATE warned',
      {'build-args': 'VERSION=1.25'},
      1,
      'Build arg BUILD_DATE='
    ]
  ])('%s', async (_name, inputs, count, first) => {
    const plan = await planFor('ip_tag_v1.0.0', {
      images: 'a/b',
      'tag-preset': 'semver-release',
      context: 'ctx',
      ...inputs
    });
    const warnings = dockerfileArgWarnings(plan, read({'ctx/Dockerfile': PINNED}));
    expect(warnings).toHaveLength(count);
    if (count > 0) expect(warnings[0].startsWith(first)).toBe(true);
  });

  it('reads file: when given, and nothing for a remote context, stdin or a missing file', async () => {
    const files = read({'ctx/Containerfile': 'ARG VERSION=2'});
    const withFile = await planFor('ip_tag_v1.0.0', {
      images: 'a/b',
      context: 'ctx',
      file: 'ctx/Containerfile',
      'tag-preset': 'semver-release'
    });
    expect(dockerfileArgWarnings(withFile, files)).toEqual([
      'Build arg VERSION="v1.0.0" is passed automatically and replaces the default "2" that ctx/Containerfile line 1 (before the first FROM) declares; set auto-build-args: false to keep the Dockerfile\'s default, or auto-build-args: true (or VERSION in build-args) to pass it on purpose without this warning'
    ]);
    for (const inputs of [
      {context: 'https://github.com/a/b.git'} as Record<string, string>,
      {context: 'ctx', file: '-'},
      {context: 'elsewhere'}
    ]) {
      const plan = await planFor('ip_tag_v1.0.0', {images: 'a/b', ...inputs});
      expect(dockerfileArgWarnings(plan, files)).toEqual([]);
    }
  });
});
