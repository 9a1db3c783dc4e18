import type HandlebarsModule from 'handlebars';
import type momentModule from 'moment-timezone';
import type * as pep440Module from '@renovate/pep440';
import {PRESETS} from './presets.js';

/**
 * Modules the tag core uses only for some inputs, loaded before the (sync, pure) core runs and only
 * when the inputs need them: handlebars for a template beyond `{{name}}` (expressions.ts renders
 * those itself), moment-timezone (with its zone data, most of its weight) for `{{date}}`, pep440 for
 * `type=pep440`. Parsing them cost a plain run a third of its own time.
 */
export interface LazyModules {
  handlebars: typeof HandlebarsModule;
  moment: typeof momentModule;
  pep440: typeof pep440Module;
}
export type LazyName = keyof LazyModules;
export const LAZY_NAMES: readonly LazyName[] = ['handlebars', 'moment', 'pep440'];

type Importers = {[K in LazyName]: () => Promise<LazyModules[K]>};

const IMPORTERS: Importers = {
  handlebars: async () => (await import('handlebars')).default,
  moment: async () => (await import('moment-timezone')).default,
  pep440: async () => import('@renovate/pep440')
};

/** A simple mustache (not inside a triple stash): expressions.ts renders it without handlebars. */
export const SIMPLE_MUSTACHE = /(?<!\{)\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}(?!\})/g;
/**
 * Names a simple mustache may not take without handlebars: its built-in helpers, its keywords and
 * literals (`{{this}}`, `{{true}}` ...), and the date helpers, which a bare `{{date}}` calls with
 * handlebars' options object.
 */
export const HANDLEBARS_ONLY_NAMES = new Set([
  'blockHelperMissing',
  'each',
  'helperMissing',
  'if',
  'log',
  'lookup',
  'unless',
  'with',
  'else',
  'as',
  'this',
  'true',
  'false',
  'null',
  'undefined',
  'date',
  'commit_date'
]);

/** True when every `{{` in the text is a simple mustache expressions.ts renders on its own. */
export function onlySimpleMustaches(text: string): boolean {
  if (text.includes('\\{{')) return false;
  let simple = true;
  const rest = text.replace(SIMPLE_MUSTACHE, (_whole, name: string) => {
    if (HANDLEBARS_ONLY_NAMES.has(name)) simple = false;
    return '';
  });
  return simple && !rest.includes('{{');
}

/**
 * The modules a run whose inputs (and the presets they may name) hold these strings can need.
 * Errs towards loading: a module left out fails the run (need() below), one loaded needlessly
 * only costs its parse. `date` anywhere in a template-bearing text loads moment, a `pep440`
 * anywhere loads pep440 (the rule type, whatever input it is in).
 */
export function modulesFor(texts: readonly string[]): LazyName[] {
  const out = new Set<LazyName>();
  for (const text of texts) {
    if (!onlySimpleMustaches(text)) {
      out.add('handlebars');
      if (/date/.test(text)) out.add('moment');
    }
    if (/pep440/i.test(text)) out.add('pep440');
  }
  return LAZY_NAMES.filter(n => out.has(n));
}

/** Every string in a value (inputs are strings, lists and records of them). */
export function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) stringsOf(v, out);
  return out;
}

/**
 * What the tag core may render for these inputs: every string in them, and the rules of each
 * preset they name (`tag-preset`, an image's `preset=`; a mere mention also counts).
 */
export function templateTexts(inputs: unknown): string[] {
  const texts = stringsOf(inputs);
  for (const [name, preset] of Object.entries(PRESETS)) {
    if (texts.some(t => t.includes(name))) texts.push(...preset.tags, ...preset.flavor);
  }
  return texts;
}

/** The loaded modules; filled by load(), read by need(). */
export class ModuleHolder {
  private readonly loaded: Partial<LazyModules> = {};
  constructor(private readonly importers: Importers = IMPORTERS) {}

  async load(names: readonly LazyName[]): Promise<void> {
    await Promise.all(names.map(async name => this.loadOne(name)));
  }

  private async loadOne<K extends LazyName>(name: K): Promise<void> {
    this.loaded[name] ??= await this.importers[name]();
  }

  has(name: LazyName): boolean {
    return this.loaded[name] !== undefined;
  }

  need<K extends LazyName>(name: K): LazyModules[K] {
    const mod = this.loaded[name];
    // A bug, not a user error: modulesFor() did not see what the inputs use.
    if (mod === undefined) throw new Error(`internal: ${name} is needed by these inputs but was not loaded`);
    return mod;
  }
}

/** The run's modules: the orchestration loads, the tag core needs. */
export const lazyModules = new ModuleHolder();

export const need = <K extends LazyName>(name: K): LazyModules[K] => lazyModules.need(name);

/** Loads what these strings can need; call before the tag core sees them. */
export async function loadModulesFor(texts: readonly string[]): Promise<LazyName[]> {
  const names = modulesFor(texts);
  await lazyModules.load(names);
  return names;
}
