import type HandlebarsModule from 'handlebars';
import {HANDLEBARS_ONLY_NAMES, need, onlySimpleMustaches, SIMPLE_MUSTACHE} from './lazy-modules.js';
import {excerpt, refusal, type Where} from './refusal.js';
import type {MetaContext} from './types.js';

let handlebarsEnv: typeof HandlebarsModule | undefined;

/**
 * One Handlebars environment for every template, without the built-in `log` helper: it writes to
 * stdout, so `{{log "::add-mask::x"}}` in a tag or label was a workflow command. Bare unknown names
 * (`{{shell}}`) still render empty, as in metadata-action; a call (`{{shell "ls"}}`) is refused.
 * Created on first use: handlebars is loaded only for inputs that need it (lazy-modules.ts).
 */
function templates(): typeof HandlebarsModule {
  if (handlebarsEnv) return handlebarsEnv;
  const env = need('handlebars').create();
  // Replaced rather than unregistered: the compiler calls known helpers directly.
  env.registerHelper('log', () => {
    throw new Error('Missing helper: "log"');
  });
  handlebarsEnv = env;
  return env;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;'
};

/** Handlebars' escapeExpression, which `{{name}}` applies (metadata-action renders the same way). */
function escapeValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"'`=]/g, c => ESCAPES[c]);
}

/**
 * A template whose every `{{` is a simple `{{name}}` (the rules' `{{version}}`, `{{sha}}`,
 * `{{is_default_branch}}` ...), rendered as handlebars renders it: an own property of the data,
 * called when it is a function, escaped; anything else renders empty. Undefined when the template
 * needs handlebars itself (a helper call, a block, `{{date}}`, an escape).
 */
export function renderSimple(template: string, data: unknown): string | undefined {
  if (!onlySimpleMustaches(template)) return undefined;
  let needsHandlebars = false;
  const out = template.replace(SIMPLE_MUSTACHE, (_whole, name: string) => {
    const own = data !== null && typeof data === 'object' && Object.prototype.hasOwnProperty.call(data, name);
    let value: unknown = own ? (data as Record<string, unknown>)[name] : undefined;
    if (typeof value === 'function') {
      // Handlebars passes its options object: only our zero-argument helpers can skip it.
      if (value.length > 0 || HANDLEBARS_ONLY_NAMES.has(name)) needsHandlebars = true;
      else value = (value as (this: unknown) => unknown).call(data);
    }
    return escapeValue(value);
  });
  return needsHandlebars ? undefined : out;
}

const EXPRESSIONS = 'branch, tag, sha, base_ref, is_default_branch, is_not_default_branch, date, commit_date';

/** Handlebars' message turned into the rule the template broke (its parse errors span several lines). */
function templateRule(template: string, message: string): string {
  const helper = /^Missing helper: "([^"]*)"/.exec(message);
  if (helper) return `{{${helper[1]} …}} is not an expression this action offers (${EXPRESSIONS})`;
  if (/^Parse error/.test(message)) {
    const expecting = message.split('\n').pop() ?? '';
    return `the template ${JSON.stringify(excerpt(template))} does not parse: ${expecting}`;
  }
  if (/partial .* could not be found/.test(message)) return 'partials ({{> name}}) are not supported';
  return message;
}

/** Compiles and renders a template; a failure names the input and entry it came from. */
export function renderTemplate(template: string, data: unknown, where: Where): string {
  const simple = renderSimple(template, data);
  if (simple !== undefined) return simple;
  // Outside the try: a module not loaded is our bug, not the template's.
  const env = templates();
  try {
    return env.compile(template)(data);
  } catch (err: unknown) {
    const message = err instanceof Error ? err.message : String(err);
    // Already phrased for the user (a helper that refused with its own input name).
    if (message.startsWith('Input "')) throw err;
    throw refusal(where.input, where.entry, templateRule(template, message));
  }
}

const DEFAULT_SHORT_SHA_LENGTH = 7;

export function shortSha(sha: string, lengthSwitch: string | undefined): string {
  let length = DEFAULT_SHORT_SHA_LENGTH;
  if (lengthSwitch) {
    if (isNaN(Number(lengthSwitch))) {
      throw new Error(`DOCKER_METADATA_SHORT_SHA_LENGTH is not a valid number: ${lengthSwitch}`);
    }
    length = Number(lengthSwitch);
  }
  return length >= sha.length ? sha : sha.substring(0, length);
}

interface HelperOptions {
  hash: Record<string, string>;
}

function dateHelper(date: Date) {
  return (format: string, options: HelperOptions): string => {
    let tz = 'UTC';
    for (const key of Object.keys(options.hash)) {
      if (key !== 'tz') {
        throw new Error(`{{date}} takes only tz=, not ${key}=`);
      }
      tz = options.hash[key];
      // moment falls back to UTC with a console warning on an unknown zone: a wrong tag, silently.
      if (need('moment').tz.zone(tz) === null) throw new Error(`tz="${tz}" is not a time zone (e.g. Europe/Paris)`);
    }
    return need('moment')(date).tz(tz).format(format);
  };
}

const BRANCH = /^refs\/heads\//;
const TAG = /^refs\/tags\//;
const PULL = /^refs\/pull\//;

/**
 * metadata-action's `{{is_default_branch}}`: the ref (with `refs/heads/` stripped, so a tag ref never
 * equals the branch) against the payload's default branch; some events always run on it.
 */
function isDefaultBranch(ctx: MetaContext): 'true' | 'false' {
  const branch = ctx.ref.replace(BRANCH, '');
  if (branch.length === 0) {
    return 'false';
  }
  if (ctx.payloadDefaultBranch === branch) {
    return 'true';
  }
  // These events always run on the last commit of the default branch.
  if (/create|discussion|issues|schedule/.test(ctx.eventName)) {
    return 'true';
  }
  return 'false';
}

/** Renders the `{{...}}` expressions metadata-action offers in values, prefixes, suffixes, enable and labels. */
export class Expressions {
  constructor(
    private readonly ctx: MetaContext,
    private readonly now: Date,
    private readonly shortShaLength: string | undefined
  ) {}

  /** Only `{{date}}` and `{{commit_date}}`, as schedule patterns see them. */
  renderDates(template: string, where: Where): string {
    return renderTemplate(
      template,
      {
        date: dateHelper(this.now),
        commit_date: dateHelper(this.ctx.commitDate)
      },
      where
    );
  }

  /** `extra`: plain values some inputs see besides metadata-action's (labels: `{{version}}`, `{{created}}`). */
  render(template: string, where: Where, extra: Record<string, string> = {}): string {
    const ctx = this.ctx;
    const shaLength = this.shortShaLength;
    return renderTemplate(
      template,
      {
        ...extra,
        branch: () => (BRANCH.test(ctx.ref) ? ctx.ref.replace(BRANCH, '') : ''),
        tag: () => (TAG.test(ctx.ref) ? ctx.ref.replace(TAG, '') : ''),
        sha: () => shortSha(ctx.sha, shaLength),
        base_ref: () => {
          if (TAG.test(ctx.ref) && ctx.payloadBaseRef !== undefined) {
            return ctx.payloadBaseRef.replace(BRANCH, '');
          }
          if (PULL.test(ctx.ref) && ctx.prBaseRef !== undefined) {
            return ctx.prBaseRef;
          }
          return '';
        },
        is_default_branch: () => isDefaultBranch(ctx),
        // metadata-action >= 5.8: the negation, so `enable=` can keep a tag off the default branch.
        is_not_default_branch: () => (isDefaultBranch(ctx) === 'true' ? 'false' : 'true'),
        date: dateHelper(this.now),
        commit_date: dateHelper(ctx.commitDate)
      },
      where
    );
  }
}

/** True when a pattern is exactly `{{raw}}`: pre-releases then keep the raw tag instead of `{{version}}`. */
export function isRawStatement(pattern: string): boolean {
  if (onlySimpleMustaches(pattern)) return pattern === '{{raw}}';
  const env = templates();
  try {
    const program = env.parseWithoutProcessing(pattern);
    if (program.body.length === 1 && program.body[0].type === 'MustacheStatement') {
      const path = (program.body[0] as unknown as {path: {parts?: string[]}}).path;
      return path.parts?.length === 1 && path.parts[0] === 'raw';
    }
  } catch {
    return false;
  }
  return false;
}
