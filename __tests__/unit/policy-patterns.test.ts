// Tag patterns: what each form matches, always against the whole tag, and how bad ones are refused.
import {describe, expect, it} from '@jest/globals';
import {compileTagPattern, firstMatch} from '../../src/policy/patterns.js';

describe('compileTagPattern matches the whole tag', () => {
  it.each([
    ['latest', 'latest', true],
    ['latest', 'latest-1', false],
    ['latest', 'xlatest', false],
    ['v1.2', 'v1x2', false],
    ['feature-*', 'feature-audit-v2', true],
    ['feature-*', 'feature-', true],
    ['feature-*', 'feat-x', false],
    ['test-*', 'test-20251217', true],
    ['*-amd64', 'v1.0.0-amd64', true],
    ['*', 'anything_at.all-1', true],
    ['{sha}', 'abc1234', true],
    ['{sha}', 'abc123', false],
    ['{sha}', 'ABC1234', false],
    ['{sha}', 'a'.repeat(40), true],
    ['{sha}', 'a'.repeat(41), false],
    ['{sha}', '3f9c2ab0123456789abcdef0123456789abcdef0', true],
    ['main-{sha}', 'main-abc123f', true],
    ['v{semver}', 'v1.0.0', true],
    ['v{semver}', 'v1.0', false],
    ['v{semver}', 'v1.0.0-rc1', false],
    ['v{semver}', '1.0.0', false],
    ['{semver}', '10.20.30', true],
    ['v{semver}-rc{n}', 'v1.0.0-rc1', true],
    ['v{semver}-rc{n}', 'v1.0.0-rc', false],
    ['v{semver}-beta{n}', 'v1.0.0-beta12', true],
    ['pr-{n}', 'pr-123', true],
    ['pr-{n}', 'pr-12a', false],
    ['v{n}.{n}', 'v1.2', true],
    ['staging-v{semver}', 'staging-v1.2.3', true],
    ['/v\\d+\\.\\d+/', 'v1.2', true],
    ['/v\\d+\\.\\d+/', 'v1.2.3', false],
    ['/dev|edge/', 'edge', true],
    ['/dev|edge/', 'edge-1', false],
    ['/dev|edge/', 'xdev', false],
    ['/(?:v\\d+)?-nightly/', '-nightly', true]
  ])('%s ~ %s → %s', (pattern, tag, expected) => {
    expect(compileTagPattern(pattern).regex.test(tag)).toBe(expected);
  });
});

describe('compileTagPattern refuses what cannot be a pattern', () => {
  it.each([
    ['', '"" is not a pattern: it is empty'],
    ['{shaa}', '"{shaa}" is not a pattern: unknown class {shaa} (known: {semver}, {n}, {sha})'],
    ['v{semver', '"v{semver" is not a pattern: "{" is not closed (known classes: {semver}, {n}, {sha})'],
    ['v}', '"v}" is not a pattern: "}" without a "{"'],
    [
      'v1+build',
      '"v1+build" is not a pattern: "+" cannot appear in a tag (tag characters are A-Z a-z 0-9 _ . -; write /regex/ for a regular expression)'
    ],
    ['/', '"/" is not a pattern: a regular expression is written /.../ with nothing after the closing / (no flags)'],
    ['//', '"//" is not a pattern: a regular expression is written /.../ with nothing after the closing / (no flags)'],
    [
      '/dev/i',
      '"/dev/i" is not a pattern: a regular expression is written /.../ with nothing after the closing / (no flags)'
    ],
    ['/[/', '"/[/" is not a pattern: invalid regular expression: Unterminated character class'],
    ['/(a/', '"/(a/" is not a pattern: invalid regular expression: Unterminated group'],
    [
      '/(a+)+/',
      '"/(a+)+/" is not a pattern: a repeated group holds a repetition itself (like (a+)+), which can take exponential time; simplify it'
    ],
    [
      '/((ab)*c)+/',
      '"/((ab)*c)+/" is not a pattern: a repeated group holds a repetition itself (like (a+)+), which can take exponential time; simplify it'
    ],
    ['/(a)\\1/', '"/(a)\\1/" is not a pattern: backreferences are not supported'],
    [
      `/${'a'.repeat(300)}/`,
      `"/${'a'.repeat(300)}/" is not a pattern: a regular expression may be at most 256 characters`
    ]
  ])('%s', (pattern, message) => {
    expect(() => compileTagPattern(pattern)).toThrow(message);
  });

  it.each(['/(?:v\\d+)?/', '/[(+)]+/', '/\\(a+\\)+/', '/(ab)+/'])('%s is not mistaken for nested repetition', p => {
    expect(() => compileTagPattern(p)).not.toThrow();
  });
});

describe('firstMatch', () => {
  const patterns = ['latest', 'test-*', '{sha}'].map(compileTagPattern);
  it.each([
    ['latest', 'latest'],
    ['test-1', 'test-*'],
    ['abc1234', '{sha}'],
    ['v1.0.0', undefined]
  ])('%s → %s', (tag, source) => {
    expect(firstMatch(patterns, tag)?.source).toBe(source);
  });
});
