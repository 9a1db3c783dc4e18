import type {TagPattern} from './types.js';

/** Named classes usable inside `{...}`. */
export const TAG_CLASSES: Readonly<Record<string, string>> = {
  semver: '\\d+\\.\\d+\\.\\d+',
  n: '\\d+',
  sha: '[0-9a-f]{7,40}'
};
const KNOWN = Object.keys(TAG_CLASSES)
  .map(name => `{${name}}`)
  .join(', ');
const TAG_CHAR = /^[A-Za-z0-9_.-]$/;
// Tags are at most 128 characters; a longer regex is almost certainly a mistake.
const MAX_REGEX_LENGTH = 256;

/**
 * Compiles one pattern: literal tag characters, `*` (any run of tag characters), `{semver}`,
 * `{n}`, `{sha}`, or a `/regex/`. Always anchored: a pattern describes the whole tag.
 * Throws with a message that quotes the pattern and says what is wrong.
 */
export function compileTagPattern(source: string): TagPattern {
  const fail = (why: string): never => {
    throw new Error(`"${source}" is not a pattern: ${why}`);
  };
  if (source.length === 0) fail('it is empty');
  if (source.startsWith('/')) return {source, regex: compileRegex(source, fail)};
  let body = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '*') {
      body += '[A-Za-z0-9_.-]*';
    } else if (ch === '{') {
      const end = source.indexOf('}', i);
      if (end < 0) fail(`"{" is not closed (known classes: ${KNOWN})`);
      const name = source.slice(i + 1, end);
      if (!Object.hasOwn(TAG_CLASSES, name)) fail(`unknown class {${name}} (known: ${KNOWN})`);
      body += `(?:${TAG_CLASSES[name]})`;
      i = end;
    } else if (ch === '}') {
      fail('"}" without a "{"');
    } else if (TAG_CHAR.test(ch)) {
      body += ch === '.' ? '\\.' : ch;
    } else {
      fail(
        `"${ch}" cannot appear in a tag (tag characters are A-Z a-z 0-9 _ . -; write /regex/ for a regular expression)`
      );
    }
  }
  return {source, regex: new RegExp(`^${body}$`)};
}

function compileRegex(source: string, fail: (why: string) => never): RegExp {
  if (source.length < 3 || !source.endsWith('/')) {
    fail('a regular expression is written /.../ with nothing after the closing / (no flags)');
  }
  if (source.length > MAX_REGEX_LENGTH) fail(`a regular expression may be at most ${MAX_REGEX_LENGTH} characters`);
  const body = source.slice(1, -1);
  const risk = backtrackingRisk(body);
  if (risk) fail(risk);
  try {
    // The group keeps `a|b` anchored on both sides.
    return new RegExp(`^(?:${body})$`);
  } catch (e) {
    const why = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
    return fail(`invalid regular expression: ${why}`);
  }
}

/**
 * Refuses the constructs that make a backtracking engine run for ages on a 128-character tag:
 * a quantified group that itself holds a quantifier (`(a+)+`) and backreferences. Coarse on
 * purpose: a policy regex only needs to describe a tag, and `*`/`{...}` patterns cover most.
 */
function backtrackingRisk(body: string): string | undefined {
  const groups: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\') {
      if (!inClass && /[1-9k]/.test(body[i + 1] ?? '')) return 'backreferences are not supported';
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') {
      inClass = true;
    } else if (ch === '(') {
      groups.push(false);
    } else if (ch === ')') {
      const quantifiedInside = groups.pop() ?? false;
      const next = body[i + 1] ?? '';
      const quantified = next === '*' || next === '+' || next === '{';
      if (quantifiedInside && quantified) {
        return 'a repeated group holds a repetition itself (like (a+)+), which can take exponential time; simplify it';
      }
      if ((quantifiedInside || quantified) && groups.length > 0) groups[groups.length - 1] = true;
    } else if ((ch === '*' || ch === '+' || ch === '{' || (ch === '?' && body[i - 1] !== '(')) && groups.length > 0) {
      groups[groups.length - 1] = true;
    }
  }
  return undefined;
}

/** The first pattern that matches the whole tag. */
export function firstMatch(patterns: readonly TagPattern[], tag: string): TagPattern | undefined {
  return patterns.find(p => p.regex.test(tag));
}
