// The shape the code keeps: no import cycle anywhere in src/, and the pure core (tag engine,
// policy decisions, the plan) never reaches a module that touches the process, the filesystem or
// the runner — directly or through anything it imports. `import type` is erased when compiling, so
// it makes neither a cycle nor an impure reach at run time; but even a type never flows from the
// orchestration or an adapter into the core (the last test).
import {describe, expect, it} from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {ROOT} from '../helpers/fixtures.js';

const SRC = path.join(ROOT, 'src');
const IMPURE = /^(node:(fs|child_process|os|net|http|https)|@actions\/)/;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, {withFileTypes: true}).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

const rel = (f: string): string => path.relative(SRC, f);
const graph = new Map<string, {local: string[]; external: string[]; types: string[]}>();
for (const file of sources(SRC)) {
  const text = fs.readFileSync(file, 'utf8');
  const all = [...text.matchAll(/^(import|export)\s(type\s)?[^;]*?from\s+'([^']+)'/gms)];
  const resolve = (s: string): string => rel(path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts')));
  const values = all.filter(m => !m[2]).map(m => m[3]);
  graph.set(rel(file), {
    local: values.filter(s => s.startsWith('.')).map(resolve),
    external: values.filter(s => !s.startsWith('.')),
    types: all.filter(m => m[3].startsWith('.')).map(m => resolve(m[3]))
  });
}

function cycles(): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n)?.local ?? []) {
      if (state.get(m) === 'open') found.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n);
  return found;
}

/** Every impure import reachable from `start`, with the path that reaches it. */
function impureReach(start: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (n: string, trail: string[]): void => {
    if (seen.has(n)) return;
    seen.add(n);
    const node = graph.get(n);
    if (!node) return;
    for (const e of node.external.filter(x => IMPURE.test(x))) out.push([...trail, n, e].join(' → '));
    for (const m of node.local) walk(m, [...trail, n]);
  };
  walk(start, []);
  return out;
}

const PURE = [...graph.keys()].filter(
  f =>
    f === 'plan.ts' ||
    f.startsWith('plan/') ||
    f.startsWith('meta/') ||
    (f.startsWith('policy/') && f !== 'policy/load.ts')
);

describe('architecture', () => {
  it('has no import cycle', () => {
    expect(cycles().map(c => c.join(' → '))).toEqual([]);
  });
  it('finds the modules it checks', () => {
    expect(PURE).toEqual(expect.arrayContaining(['plan.ts', 'plan/platforms.ts', 'meta/index.ts', 'policy/decide.ts']));
  });
  it.each(PURE)('%s reaches no adapter (fs, processes, the runner)', file => {
    expect(impureReach(file)).toEqual([]);
  });
  it('no module but inputs.ts reads an input', () => {
    // report/commands.ts defines getInput (as core.getInput); inputs.ts is its one caller.
    const readers = [...graph.keys()].filter(f =>
      /(?<!function )\bgetInput\(/.test(fs.readFileSync(path.join(SRC, f), 'utf8'))
    );
    expect(readers).toEqual(['inputs.ts']);
  });
  it.each(PURE)('%s imports nothing, not even a type, from the orchestration or an adapter', file => {
    const up = (graph.get(file)?.types ?? []).filter(t =>
      /^(publish|engines|login|setup|tools|github|report|supply\/(cosign|trivy|pipeline)\.ts)/.test(t)
    );
    expect(up).toEqual([]);
  });
  it('publish/ modules never read the inputs', () => {
    const offenders = [...graph.entries()]
      .filter(([f, n]) => f.startsWith('publish/') && n.local.includes('inputs.ts'))
      .map(([f]) => f);
    expect(offenders).toEqual([]);
  });
});
