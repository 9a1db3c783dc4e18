// handlebars, moment-timezone and pep440 are loaded only for inputs that need them: the scan that
// decides, the `{{name}}` renderer that makes handlebars unneeded for the usual rules (checked
// against handlebars itself), and the bundle whose main chunk no longer carries them.
import {describe, expect, it} from '@jest/globals';
import Handlebars from 'handlebars';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {computeMeta, type MetaInputs} from '../../src/meta/index.js';
import {renderSimple} from '../../src/meta/expressions.js';
import {
  lazyModules,
  loadModulesFor,
  ModuleHolder,
  modulesFor,
  templateTexts,
  type LazyName
} from '../../src/meta/lazy-modules.js';
import {FIXED_DATE, inputsFrom, ROOT, runContext} from '../helpers/fixtures.js';

const ALL: LazyName[] = ['handlebars', 'moment', 'pep440'];

describe('modulesFor: what the inputs can need', () => {
  it.each<[string, string[], LazyName[]]>([
    ['no template', ['type=raw,value=v1', 'latest=false'], []],
    ['simple mustaches only', ['type=semver,pattern={{major}}.{{minor}}', 'enable={{is_default_branch}}'], []],
    ['a label with {{version}}', ['org.opencontainers.image.version={{version}}'], []],
    ['a date', ["type=schedule,pattern={{date 'YYYYMMDD'}}"], ['handlebars', 'moment']],
    ['a bare {{date}}', ['type=raw,value={{date}}'], ['handlebars', 'moment']],
    ['commit_date with tz', ["{{commit_date 'YYYY' tz='Asia/Tokyo'}}"], ['handlebars', 'moment']],
    ['a spaced mustache', ['type=raw,value={{ sha }}'], ['handlebars']],
    ['a block', ['{{#if branch}}x{{/if}}'], ['handlebars']],
    ['a triple stash', ['{{{branch}}}'], ['handlebars']],
    ['an escaped mustache', ['\\{{branch}}'], ['handlebars']],
    ['a helper name', ['{{lookup}}'], ['handlebars']],
    ['a keyword or literal', ['{{this}}', '{{else}}', '{{true}}'], ['handlebars']],
    ['a brace next to a mustache', ['{{branch}}}'], ['handlebars']],
    ['an unclosed mustache', ['v{{version'], ['handlebars']],
    ['pep440', ['type=pep440,pattern={{version}}'], ['pep440']],
    ['pep440 with a date prefix', ["type=pep440,pattern={{version}},prefix={{date 'YY'}}-"], ALL],
    ['a Go template passed to a build arg', ['TPL={{.Version}}'], ['handlebars']],
    ['single braces', ['{"a":1}', 'x}}y'], []]
  ])('%s', (_name, texts, expected) => {
    expect(modulesFor(texts)).toEqual(expected);
  });

  it.each<[string, Record<string, string>, LazyName[]]>([
    ['plain tags', {tags: 'type=raw,value=v1', flavor: 'latest=false'}, []],
    ['no tags: the default rules', {}, []],
    ['tag-preset development (its schedule rule has a date)', {'tag-preset': 'development'}, ['handlebars', 'moment']],
    ['tag-preset ghcr-standard (simple mustaches)', {'tag-preset': 'ghcr-standard'}, []],
    ['an image with preset=development', {images: 'name=r/app,preset=development'}, ['handlebars', 'moment']],
    ['a label template', {labels: "built={{date 'YYYY'}}"}, ['handlebars', 'moment']]
  ])('inputs: %s', (_name, map, expected) => {
    expect(modulesFor(templateTexts(inputsFrom({images: 'r/app', ...map})))).toEqual(expected);
  });
});

describe('ModuleHolder', () => {
  it('imports each module once, only when asked; need() before load is an internal error', async () => {
    const calls: string[] = [];
    const holder = new ModuleHolder({
      handlebars: async () => {
        calls.push('handlebars');
        return Handlebars;
      },
      moment: async () => {
        calls.push('moment');
        throw new Error('not expected');
      },
      pep440: async () => {
        calls.push('pep440');
        throw new Error('not expected');
      }
    });
    expect(() => holder.need('handlebars')).toThrow(
      'internal: handlebars is needed by these inputs but was not loaded'
    );
    await holder.load([]);
    await holder.load(['handlebars']);
    await holder.load(['handlebars']);
    expect(calls).toEqual(['handlebars']);
    expect(holder.need('handlebars')).toBe(Handlebars);
    expect(holder.has('moment')).toBe(false);
  });
});

describe('the tag core without the lazy modules', () => {
  const base: MetaInputs = {
    images: ['r/app'],
    tags: ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}', 'type=sha'],
    flavor: ['latest=false'],
    labels: ['x.version={{version}}'],
    annotations: [],
    tagPreset: '',
    tagPrefix: '',
    version: '',
    archTags: false,
    platforms: []
  };
  const meta = (over: Partial<MetaInputs> = {}) => {
    const {ctx, repo} = runContext('ip_tag_v1.0.0');
    return computeMeta(
      {...base, ...over},
      {ctx, repo, now: FIXED_DATE, created: FIXED_DATE, switches: {shortShaLength: undefined, annotationLevels: ''}}
    );
  };

  // This file's module registry is its own: nothing here loaded handlebars before these run.
  it('semver, sha and label rules with {{name}} compute without handlebars, which stays unloaded', async () => {
    expect(await loadModulesFor(templateTexts(base))).toEqual([]);
    const m = meta();
    expect(m.tags).toEqual(['r/app:1.0.0', 'r/app:1.0', 'r/app:sha-3f9c2ab']);
    expect(m.labels).toContain('x.version=1.0.0');
    expect(ALL.filter(n => lazyModules.has(n))).toEqual([]);
  });

  it('a date rule needs handlebars and moment: refused loudly until the scan loaded them', async () => {
    const tags = ["type=raw,value=d-{{date 'YYYYMMDD'}}"];
    expect(() => meta({tags})).toThrow(/^internal: handlebars is needed/);
    expect(await loadModulesFor(tags)).toEqual(['handlebars', 'moment']);
    expect(meta({tags}).tags).toEqual(['r/app:d-20200110']);
  });
});

describe('renderSimple renders {{name}} as handlebars does', () => {
  const hb = Handlebars.create();
  class Version {
    major = 1;
    minor = 0;
    version = '1.0.0-rc.1';
    prerelease = ['rc', 1];
    build: string[] = [];
    get computed(): string {
      return 'not own';
    }
  }
  const data: Record<string, unknown> = {
    s: 'a&b<c>"d\'e`f=g',
    n: 0,
    f: false,
    z: null,
    u: undefined,
    arr: ['rc', 1],
    empty: [],
    obj: {a: 1},
    fn: () => 'x/y&z',
    fnNull: () => null,
    fnNum: () => 7,
    withThis: function (this: {s: string}) {
      return this.s.slice(0, 1);
    }
  };
  it.each<[string, unknown]>([
    ['plain text', data],
    ['', data],
    ['{{s}}', data],
    ['pre-{{n}}-{{f}}-{{z}}-{{u}}-post', data],
    ['{{arr}}|{{empty}}|{{obj}}', data],
    ['{{fn}}{{fnNull}}{{fnNum}}{{withThis}}', data],
    ['{{missing}}x', data],
    ['{{constructor}}{{toString}}{{hasOwnProperty}}', data],
    ['}}{{s}}{ {', data],
    ['{{major}}.{{minor}}', new Version()],
    ['{{version}} {{prerelease}} {{build}}', new Version()],
    ['{{computed}}', new Version()],
    ['v{{raw}}', {raw: () => '1!2.0.post1'}],
    ['{{a}}{{b}}', {a: 'x', b: 'y'}]
  ])('%j', (template, ctx) => {
    const expected = hb.compile(template)(ctx);
    expect(renderSimple(template, ctx)).toBe(expected);
  });

  it.each([
    ['{{ s }}'],
    ['{{date}}'],
    ['{{#if s}}y{{/if}}'],
    ['\\{{s}}'],
    ['{{s'],
    ['{{lookup}}'],
    ['{{{s}}}'],
    ['{{s}}}'],
    ['{{{s}}'],
    ['{{this}}'],
    ['{{true}}'],
    ['{{null}}'],
    ['{{else}}'],
    ['{{~s}}'],
    ['{{!c}}']
  ])('%j is left to handlebars', template => {
    expect(renderSimple(template, data)).toBeUndefined();
  });

  it('a function that takes arguments (a helper) is left to handlebars', () => {
    expect(renderSimple('{{h}}', {h: (format: string) => format})).toBeUndefined();
  });
});

describe('the bundle', () => {
  it("the main step's chunks hold neither handlebars, moment's zone data nor pep440 (each is a chunk of its own)", () => {
    const dist = path.join(ROOT, 'dist');
    const index = fs.readFileSync(path.join(dist, 'index.js'), 'utf8');
    const ids = [...index.matchAll(/__nccwpck_require__\.e\((\d+)\)/g)].map(m => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    const main = ids.map(id => fs.readFileSync(path.join(dist, `${id}.index.js`), 'utf8'));
    const markers = {moment: 'Africa/Abidjan', handlebars: 'COMPILER_REVISION', pep440: 'XRegExp'};
    for (const [name, marker] of Object.entries(markers)) {
      expect({name, inMain: main.some(text => text.includes(marker))}).toEqual({name, inMain: false});
      const own = fs
        .readdirSync(dist)
        .filter(f => f.endsWith('.index.js') && fs.readFileSync(path.join(dist, f), 'utf8').includes(marker));
      expect({name, chunks: own.length}).toEqual({name, chunks: 1});
    }
  });
});
