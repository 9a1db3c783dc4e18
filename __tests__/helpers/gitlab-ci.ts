import yaml from 'js-yaml';

/*
 * The part of GitLab CI the template uses, to render its jobs for a pipeline: `extends` of a
 * hidden job, `variables`, and `rules:` with `if:` expressions made of $VAR, "string", ==, !=, &&
 * and ||. Anything else in an expression throws, so a template change beyond this subset fails the
 * test instead of being evaluated wrongly.
 */

export type Vars = Record<string, string | undefined>;

interface RawJob {
  extends?: string | string[];
  image?: string | {name: string; entrypoint?: string[]};
  stage?: string;
  rules?: {if?: string; when?: string}[];
  script?: string[];
  [key: string]: unknown;
}

export interface RenderedJob {
  name: string;
  image: string;
  entrypoint?: string[];
  stage: string;
  when: string;
  script: string[];
}

type Token = {kind: 'var' | 'str' | 'op'; text: string};

function tokenize(expr: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:\$([A-Za-z_][A-Za-z0-9_]*)|"([^"]*)"|(==|!=|&&|\|\|))/y;
  let at = 0;
  while (at < expr.length) {
    if (/^\s*$/.test(expr.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(expr);
    if (!m) throw new Error(`rules:if outside the evaluated subset at "${expr.slice(at)}" in "${expr}"`);
    if (m[1] !== undefined) out.push({kind: 'var', text: m[1]});
    else if (m[2] !== undefined) out.push({kind: 'str', text: m[2]});
    else out.push({kind: 'op', text: m[3]});
    at = re.lastIndex;
  }
  return out;
}

/** GitLab semantics: a lone $VAR is true when defined and non-empty; an undefined variable is null. */
export function evalIf(expr: string, vars: Vars): boolean {
  const tokens = tokenize(expr);
  const value = (t: Token | undefined): string | null => {
    if (!t || t.kind === 'op') throw new Error(`rules:if: operand expected in "${expr}"`);
    return t.kind === 'str' ? t.text : (vars[t.text] ?? null);
  };
  // || of && of (operand [==|!= operand]): GitLab's precedence, && binding tighter.
  return splitOn(tokens, '||', expr).some(conj =>
    splitOn(conj, '&&', expr).every(term => {
      if (term.length === 1) {
        const v = value(term[0]);
        return v !== null && v !== '';
      }
      if (term.length === 3 && term[1].kind === 'op' && (term[1].text === '==' || term[1].text === '!=')) {
        const equal = value(term[0]) === value(term[2]);
        return term[1].text === '==' ? equal : !equal;
      }
      throw new Error(`rules:if outside the evaluated subset: "${expr}"`);
    })
  );
}

function splitOn(tokens: Token[], op: string, expr: string): Token[][] {
  const parts: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'op' && t.text === op) parts.push([]);
    else parts[parts.length - 1].push(t);
  }
  if (parts.some(p => p.length === 0)) throw new Error(`rules:if: empty operand around ${op} in "${expr}"`);
  return parts;
}

/** `$VAR` / `${VAR}` in a value, as GitLab expands job keys like image:. */
export function expand(text: string, vars: Vars): string {
  return text.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => vars[name] ?? '');
}

/**
 * The jobs a pipeline with these predefined variables gets. The template's own `variables:` are
 * defaults under the pipeline's (a project or pipeline variable wins, as in GitLab).
 */
export function renderPipeline(
  templateText: string,
  pipelineVars: Vars
): {jobs: RenderedJob[]; variables: Record<string, string>} {
  const doc = yaml.load(templateText) as Record<string, unknown>;
  const variables = (doc.variables ?? {}) as Record<string, string>;
  const vars: Vars = {...variables, ...pipelineVars};
  const jobs: RenderedJob[] = [];
  for (const [name, raw] of Object.entries(doc)) {
    if (name === 'variables' || name === 'include' || name === 'stages' || name.startsWith('.')) continue;
    let job = raw as RawJob;
    for (const parent of [job.extends ?? []].flat()) {
      const base = doc[parent] as RawJob | undefined;
      if (!base) throw new Error(`${name}: extends unknown job ${parent}`);
      job = {...base, ...job};
    }
    let when: string | undefined;
    for (const rule of job.rules ?? [{}]) {
      if (rule.if === undefined || evalIf(rule.if, vars)) {
        when = rule.when ?? 'on_success';
        break;
      }
    }
    if (when === undefined || when === 'never') continue;
    const image = typeof job.image === 'string' ? {name: job.image} : (job.image ?? {name: ''});
    jobs.push({
      name,
      image: expand(image.name, vars),
      entrypoint: image.entrypoint,
      stage: job.stage ?? 'test',
      when,
      script: job.script ?? []
    });
  }
  return {jobs, variables};
}

/** A script line as argv; the template's lines are plain words, so quoting or expansion is refused. */
export function scriptArgv(line: string): string[] {
  if (/["'`$\\|;&<>]/.test(line)) throw new Error(`script line needs a shell to read: ${line}`);
  return line.trim().split(/\s+/);
}
