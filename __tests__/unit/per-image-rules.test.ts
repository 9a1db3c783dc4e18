// Per-image tag rules: `images: name=…,"tags=…;…","flavor=…"`. metadata-action's own forms parse as before.
import {describe, expect, it} from '@jest/globals';
import {parseImages} from '../../src/meta/images.js';
import {parseList} from '../../src/meta/list.js';
import {planFor} from '../helpers/fixtures.js';

// As inputs.ts reads the input: one entry per line, quotes kept for parseFields.
const lines = (text: string): string[] => parseList(text, {ignoreComma: true, comment: '#', quote: false});

describe('parseImages with per-image rules', () => {
  it.each<[string, ReturnType<typeof parseImages>]>([
    [
      'a/b,c/d',
      [
        {name: 'a/b', enable: true},
        {name: 'c/d', enable: true}
      ]
    ],
    ['name=a/b,enable=false', [{name: 'a/b', enable: false}]],
    [
      'name=ghcr.io/a/b,"tags=type=ref,event=branch;type=sha"',
      [{name: 'ghcr.io/a/b', enable: true, tags: ['type=ref,event=branch', 'type=sha']}]
    ],
    [
      'name=quay.io/a/b,"tags=type=semver,pattern={{version}},prefix=v ; type=edge",flavor=latest=highest',
      [
        {
          name: 'quay.io/a/b',
          enable: true,
          tags: ['type=semver,pattern={{version}},prefix=v', 'type=edge'],
          flavor: ['latest=highest']
        }
      ]
    ],
    [
      'name=a/b,preset=production,"flavor=prefix=x-;latest=false"',
      [{name: 'a/b', enable: true, preset: 'production', flavor: ['prefix=x-', 'latest=false']}]
    ]
  ])('%s', (text, expected) => {
    expect(parseImages(lines(text))).toEqual(expected);
  });

  it.each([
    [
      'name=a/b,preset=production,tags=type=sha',
      'Input "images": "name=a/b,preset=production,tags=type=sha" sets both preset= and tags='
    ],
    ['name=a/b,"tags= ; "', 'Input "images": tags= holds no rule in "name=a/b,"tags= ; ""'],
    [
      'name=a/b,tag=type=sha',
      'Input "images": entry "name=a/b,tag=type=sha": unknown attribute "tag"; an image entry takes name=, enable=, preset=, tags= and flavor='
    ]
  ])('refuses %s', (text, message) => {
    expect(() => parseImages(lines(text))).toThrow(message);
  });
});

describe('one run, several registries, each with its own convention', () => {
  const images = [
    'ghcr.io/acme/app',
    'name=quay.io/acme/app,"tags=type=semver,pattern={{version}},prefix=v;type=edge",flavor=latest=highest',
    'name=127.0.0.1:5000/dev/app,"tags=type=sha,prefix=,format=short;type=raw,value=dev,enable={{is_default_branch}}",flavor=latest=false',
    'name=registry.example.com/acme/app,preset=production'
  ].join('\n');
  const tags = 'type=ref,event=branch\ntype=semver,pattern={{version}}';

  it.each<[string, [string, string[]][]]>([
    [
      'ip_tag_v1.0.0',
      [
        ['ghcr.io/acme/app', ['1.0.0', 'latest']],
        ['quay.io/acme/app', ['v1.0.0', 'latest']],
        ['127.0.0.1:5000/dev/app', ['3f9c2ab']],
        ['registry.example.com/acme/app', ['v1.0.0']]
      ]
    ],
    [
      'ip_push_main',
      [
        ['ghcr.io/acme/app', ['main']],
        ['quay.io/acme/app', ['edge']],
        ['127.0.0.1:5000/dev/app', ['dev', '3f9c2ab']],
        ['registry.example.com/acme/app', []]
      ]
    ]
  ])('%s', async (event, expected) => {
    const plan = await planFor(event, {images, tags});
    expect(plan.images.map(i => [i.name, i.tags])).toEqual(expected);
    expect(plan.images.map(i => i.latestGuard?.tag)).toEqual([
      undefined,
      event === 'ip_tag_v1.0.0' ? 'latest' : undefined,
      undefined,
      undefined
    ]);
    // tag-names and version follow the run's own rules (the tags input).
    expect(plan.meta.tagNames).toEqual(expected[0][1]);
    expect(plan.refs).toEqual(expected.flatMap(([name, t]) => t.map(x => `${name}:${x}`)));
  });

  it("an image's flavor= comes after the flavor input (the more specific wins)", async () => {
    const plan = await planFor('ip_tag_v1.0.0', {
      images: 'a/b\nname=c/d,flavor=latest=true\nname=e/f,"flavor=suffix=-slim"',
      tags: 'type=semver,pattern={{version}}',
      flavor: 'latest=false'
    });
    expect(plan.images.map(i => i.tags)).toEqual([['1.0.0'], ['1.0.0', 'latest'], ['1.0.0-slim']]);
  });
});
