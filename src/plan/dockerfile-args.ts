/**
 * The `ARG` lines of a Dockerfile, read before the build so the automatic build args
 * (VERSION, COMMIT_SHA, BUILD_DATE) cannot replace a declared default unannounced. Pure: the caller
 * reads the file. Covers what changes which lines are instructions: the `escape` parser directive,
 * line continuations (comment lines inside them), heredocs (`RUN <<EOF` bodies are not instructions),
 * multi-stage files (ARG before the first FROM is global) and several names on one ARG line.
 */
export interface DockerfileArg {
  name: string;
  /** The declared default, quotes removed; undefined for `ARG NAME`. */
  default?: string;
  /** `''` before the first FROM (global, seen by FROM lines), else the stage name or its index. */
  stage: string;
  /** 1-based line of the ARG instruction. */
  line: number;
}

interface Instruction {
  keyword: string;
  rest: string;
  line: number;
}

function escapeChar(lines: string[]): string {
  // Parser directives are only the first comment lines, before anything else.
  for (const raw of lines) {
    const m = raw.match(/^\s*#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/);
    if (!m) break;
    if (m[1].toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) return m[2];
  }
  return '\\';
}

const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

function instructions(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  const escape = escapeChar(lines);
  const out: Instruction[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = lines[i];
    if (/^\s*(#|$)/.test(first)) {
      i++;
      continue;
    }
    const start = i + 1;
    let joined = '';
    let current = first;
    for (;;) {
      const trimmed = current.replace(/\s+$/, '');
      if (trimmed.endsWith(escape) && i + 1 < lines.length) {
        joined += trimmed.slice(0, -1);
        i++;
        // Comment and empty lines inside a continuation are dropped.
        while (i < lines.length && /^\s*(#|$)/.test(lines[i])) i++;
        if (i >= lines.length) break;
        current = lines[i];
        continue;
      }
      joined += trimmed;
      i++;
      break;
    }
    const m = joined.match(/^\s*([A-Za-z]+)\s*(.*)$/);
    if (!m) continue;
    out.push({keyword: m[1].toUpperCase(), rest: m[2], line: start});
    // A heredoc body runs until its delimiter line; none of it is an instruction.
    for (const h of joined.matchAll(HEREDOC)) {
      const strip = h[1] === '-';
      while (i < lines.length && (strip ? lines[i].replace(/^\t+/, '') : lines[i]) !== h[3]) i++;
      i++;
    }
  }
  return out;
}

/** `a=1 "b=two words" c` → name/default pairs, quotes removed. */
function argWords(rest: string): {name: string; default?: string}[] {
  const words = rest.match(/(?:[^\s"']+|"(?:[^"\\]|\\.)*"|'[^']*')+/g) ?? [];
  return words.map(word => {
    const i = word.indexOf('=');
    const unquote = (v: string): string => v.replace(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g, (_m, d, s) => d ?? s);
    if (i < 0) return {name: unquote(word)};
    return {name: unquote(word.slice(0, i)), default: unquote(word.slice(i + 1))};
  });
}

export function parseDockerfileArgs(text: string): DockerfileArg[] {
  const args: DockerfileArg[] = [];
  let stage = '';
  let stages = 0;
  for (const ins of instructions(text)) {
    if (ins.keyword === 'FROM') {
      const as = ins.rest.match(/\s+as\s+(\S+)\s*$/i);
      stage = as ? as[1] : String(stages);
      stages++;
    } else if (ins.keyword === 'ARG') {
      for (const w of argWords(ins.rest)) args.push({...w, stage, line: ins.line});
    }
  }
  return args;
}

/**
 * One warning per declared default an automatic build arg replaces. `file` names the Dockerfile in
 * the message; the remedy is in it (`auto-build-args: false` keeps the default, `true` says "I know").
 */
export function autoArgWarnings(args: DockerfileArg[], auto: Record<string, string>, file: string): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (a.default === undefined || !Object.prototype.hasOwnProperty.call(auto, a.name)) continue;
    if (auto[a.name] === a.default) continue;
    const where = a.stage === '' ? 'before the first FROM' : `stage ${a.stage}`;
    out.push(
      `Build arg ${a.name}="${auto[a.name]}" is passed automatically and replaces the default "${a.default}" that ${file} line ${a.line} (${where}) declares; set auto-build-args: false to keep the Dockerfile's default, or auto-build-args: true (or ${a.name} in build-args) to pass it on purpose without this warning`
    );
  }
  return out;
}
