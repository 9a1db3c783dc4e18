// What a GitHub runner would do with an example workflow for one event, without running it: does
// the event trigger the workflow, which jobs pass their `if:`, which matrix entries run, and what the
// image-publish step's `with:` inputs evaluate to. Used by examples-events.test.ts to run the action
// (dist/index.js) directly with the inputs the workflow itself computes, so the test cannot drift
// from the workflow. Covers the expression subset the examples use: contexts, literals, ! == != &&
// || ( ), startsWith/endsWith/contains/format. Pure: no fs, no process.

export type Value = string | number | boolean | null | Value[] | {[k: string]: Value};
export type Contexts = Record<string, Value>;

type Token = {kind: 'str' | 'num' | 'id' | 'op'; text: string};

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let s = '';
      for (i++; i < src.length; i++) {
        if (src[i] === "'" && src[i + 1] === "'") {
          s += "'";
          i++;
        } else if (src[i] === "'") break;
        else s += src[i];
      }
      if (i >= src.length) throw new Error(`unterminated string in ${src}`);
      i++;
      out.push({kind: 'str', text: s});
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      out.push({kind: 'num', text: m[0]});
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i))!;
      out.push({kind: 'id', text: m[0]});
      i += m[0].length;
    } else {
      const two = src.slice(i, i + 2);
      if (['==', '!=', '&&', '||', '<=', '>='].includes(two)) {
        out.push({kind: 'op', text: two});
        i += 2;
      } else if ('!().,[]<>'.includes(c)) {
        out.push({kind: 'op', text: c});
        i++;
      } else throw new Error(`unexpected "${c}" in ${src}`);
    }
  }
  return out;
}

export function truthy(v: Value): boolean {
  return !(v === null || v === false || v === '' || v === 0);
}

export function toText(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function looseEqual(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (a === null || b === null) return a === b || toText(a) === toText(b);
  if (typeof a === 'boolean' || typeof b === 'boolean' || typeof a === 'number' || typeof b === 'number') {
    return Number(a) === Number(b);
  }
  return a === b;
}

const FUNCTIONS: Record<string, (args: Value[]) => Value> = {
  startswith: ([a, b]) => toText(a).toLowerCase().startsWith(toText(b).toLowerCase()),
  endswith: ([a, b]) => toText(a).toLowerCase().endsWith(toText(b).toLowerCase()),
  contains: ([a, b]) =>
    Array.isArray(a) ? a.some(x => looseEqual(x, b)) : toText(a).toLowerCase().includes(toText(b).toLowerCase()),
  format: ([f, ...args]) => toText(f).replace(/\{(\d+)\}/g, (_, n: string) => toText(args[Number(n)] ?? null))
};

/** Evaluates one expression (the text inside `${{ }}`). */
export function evaluate(src: string, ctx: Contexts): Value {
  const t = tokenize(src);
  let p = 0;
  const peek = (): Token | undefined => t[p];
  const eat = (text: string): boolean => {
    if (t[p]?.kind === 'op' && t[p].text === text) {
      p++;
      return true;
    }
    return false;
  };
  const expect = (text: string): void => {
    if (!eat(text)) throw new Error(`expected "${text}" in ${src}`);
  };
  const or = (): Value => {
    let v = and();
    while (eat('||')) {
      const r = and();
      v = truthy(v) ? v : r;
    }
    return v;
  };
  const and = (): Value => {
    let v = cmp();
    while (eat('&&')) {
      const r = cmp();
      v = truthy(v) ? r : v;
    }
    return v;
  };
  const cmp = (): Value => {
    let v = unary();
    for (;;) {
      if (eat('==')) v = looseEqual(v, unary());
      else if (eat('!=')) v = !looseEqual(v, unary());
      else return v;
    }
  };
  const unary = (): Value => (eat('!') ? !truthy(unary()) : postfix());
  const postfix = (): Value => {
    let v = primary();
    for (;;) {
      if (eat('.')) {
        const id = t[p++];
        if (id?.kind !== 'id') throw new Error(`expected a property name in ${src}`);
        v = prop(v, id.text);
      } else if (eat('[')) {
        const k = or();
        expect(']');
        v = prop(v, toText(k));
      } else return v;
    }
  };
  const prop = (v: Value, k: string): Value =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v[k] ?? null) : null;
  const primary = (): Value => {
    const tok = peek();
    if (!tok) throw new Error(`unexpected end of ${src}`);
    p++;
    if (tok.kind === 'str') return tok.text;
    if (tok.kind === 'num') return Number(tok.text);
    if (tok.kind === 'op' && tok.text === '(') {
      const v = or();
      expect(')');
      return v;
    }
    if (tok.kind === 'id') {
      if (tok.text === 'true') return true;
      if (tok.text === 'false') return false;
      if (tok.text === 'null') return null;
      if (eat('(')) {
        const fn = FUNCTIONS[tok.text.toLowerCase()];
        if (!fn) throw new Error(`unknown function ${tok.text} in ${src}`);
        const args: Value[] = [];
        if (!eat(')')) {
          do args.push(or());
          while (eat(','));
          expect(')');
        }
        return fn(args);
      }
      return ctx[tok.text] ?? null;
    }
    throw new Error(`unexpected "${tok.text}" in ${src}`);
  };
  const v = or();
  if (p !== t.length) throw new Error(`trailing "${t[p].text}" in ${src}`);
  return v;
}

/** A `with:` value: every `${{ }}` replaced by its value as text. */
export function interpolate(text: string, ctx: Contexts): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e: string) => toText(evaluate(e, ctx)));
}

/** An `if:` condition, with or without `${{ }}`. */
export function condition(text: unknown, ctx: Contexts): boolean {
  if (text === undefined || text === null) return true;
  if (typeof text === 'boolean') return text;
  const s = String(text).trim();
  const m = /^\$\{\{([\s\S]*)\}\}$/.exec(s);
  return truthy(evaluate(m ? m[1] : s, ctx));
}

/** GitHub's filter globs: `*` within a path segment, `**` across them. */
export function globMatch(pattern: string, value: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(value);
}

type Filter = {branches?: string[]; tags?: string[]; types?: string[]} | null;

/** Does this event start the workflow (its `on:` block)? */
export function triggers(on: unknown, event: string, ref: string, payload: Record<string, unknown>): boolean {
  const events: Record<string, Filter> =
    typeof on === 'string'
      ? {[on]: null}
      : Array.isArray(on)
        ? Object.fromEntries((on as string[]).map(e => [e, null]))
        : ((on ?? {}) as Record<string, Filter>);
  if (!(event in events)) return false;
  const f = events[event] ?? {};
  if (event === 'push') {
    if (!f.branches && !f.tags) return true;
    if (ref.startsWith('refs/heads/')) return (f.branches ?? []).some(b => globMatch(b, ref.slice(11)));
    if (ref.startsWith('refs/tags/')) return (f.tags ?? []).some(b => globMatch(b, ref.slice(10)));
    return false;
  }
  if (event === 'pull_request' && f.branches) {
    const base = String((payload.pull_request as {base?: {ref?: string}} | undefined)?.base?.ref ?? '');
    return f.branches.some(b => globMatch(b, base));
  }
  if (event === 'release' && f.types) return f.types.includes(String(payload.action ?? ''));
  return true;
}

/** The matrix entries of a job: the product of its axes, then `include` entries (as GitHub adds them). */
export function matrixEntries(strategy: unknown): Record<string, Value>[] {
  const m = (strategy as {matrix?: Record<string, Value[]>} | undefined)?.matrix;
  if (!m) return [{}];
  const {include, exclude, ...axes} = m as Record<string, Value[]> & {include?: Value[]; exclude?: Value[]};
  let combos: Record<string, Value>[] = [{}];
  for (const [k, values] of Object.entries(axes)) combos = combos.flatMap(c => values.map(v => ({...c, [k]: v})));
  if (Object.keys(axes).length === 0) combos = [];
  void exclude;
  return [...combos, ...((include ?? []) as Record<string, Value>[])];
}

export interface Workflow {
  on?: unknown;
  env?: Record<string, string>;
  jobs: Record<
    string,
    {
      if?: unknown;
      env?: Record<string, string>;
      strategy?: unknown;
      steps: {uses?: string; if?: unknown; with?: Record<string, unknown>}[];
    }
  >;
}

export interface StepRun {
  job: string;
  matrix: Record<string, Value>;
  /** The step's `with:`, every value evaluated to text (an empty result is kept as ''). */
  inputs: Record<string, string>;
}

/** The workflow_dispatch inputs as the runner hands them to `inputs`: the payload's, else the defaults. */
export function dispatchInputs(on: unknown, given: Record<string, string>): Record<string, Value> {
  const declared = ((on as {workflow_dispatch?: {inputs?: Record<string, {default?: Value}>}} | undefined)
    ?.workflow_dispatch?.inputs ?? {}) as Record<string, {default?: Value}>;
  const out: Record<string, Value> = {};
  for (const [k, d] of Object.entries(declared)) out[k] = d?.default ?? '';
  return {...out, ...given};
}

/**
 * Every run of the step that `uses: action` for this event: [] when the event does not trigger the
 * workflow or every job is skipped by its `if:`.
 */
export function actionRuns(wf: Workflow, action: string, base: Contexts, event: string, ref: string): StepRun[] {
  const github = base.github as {event?: Record<string, unknown>};
  if (!triggers(wf.on, event, ref, github.event ?? {})) return [];
  const runs: StepRun[] = [];
  for (const [name, job] of Object.entries(wf.jobs)) {
    const env = {...(wf.env ?? {})};
    const jobCtx: Contexts = {...base, env};
    if (!condition(job.if, jobCtx)) continue;
    for (const matrix of matrixEntries(job.strategy)) {
      const ctx: Contexts = {...jobCtx, matrix};
      Object.assign(
        env,
        Object.fromEntries(Object.entries(job.env ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)]))
      );
      for (const step of job.steps) {
        if (step.uses !== action || !condition(step.if, ctx)) continue;
        const inputs: Record<string, string> = {};
        for (const [k, v] of Object.entries(step.with ?? {})) inputs[k] = interpolate(String(v), ctx);
        runs.push({job: name, matrix, inputs});
      }
    }
  }
  return runs;
}
