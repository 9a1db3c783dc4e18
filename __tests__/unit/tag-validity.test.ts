// "Never emit an invalid tag": sanitization, refusals, and a sweep over every fixture × preset.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from '@jest/globals';
import {PRESETS} from '../../src/meta/presets.js';
import {parseImageName, sanitizeTag, TAG_RULE} from '../../src/meta/validate.js';
import {FIXTURES, planFor} from '../helpers/fixtures.js';

describe('sanitizeTag', () => {
  it.each([
    ['dev', 'dev', []],
    ['my/feature#1245', 'my-feature-1245', []],
    ['-3f9c2ab', '3f9c2ab', ['Tag "-3f9c2ab" from tags entry "R" starts with "." or "-"; using "3f9c2ab"']],
    ['..v1', 'v1', ['Tag "..v1" from tags entry "R" starts with "." or "-"; using "v1"']],
    ['café', 'caf-', []]
  ])('%s → %s', (raw, tag, warnings) => {
    const seen: string[] = [];
    expect(sanitizeTag(raw, 'R', m => seen.push(m))).toBe(tag);
    expect(seen).toEqual(warnings);
  });
  it('skips a rendering with no valid character', () => {
    const seen: string[] = [];
    expect(sanitizeTag('///', 'R', m => seen.push(m))).toBeUndefined();
    expect(seen).toEqual([
      'Tag "-" from tags entry "R" starts with "." or "-"; using ""',
      'Tags entry "R" rendered "///", which holds no valid tag character; no tag emitted'
    ]);
  });
  it('refuses a tag over 128 characters, naming the rule and the entry', () => {
    expect(() => sanitizeTag('a'.repeat(129), 'type=raw,value=aaa', () => undefined)).toThrow(
      /Input "tags": entry "type=raw,value=aaa": tag "a{129}" is invalid: a tag must match \[A-Za-z0-9_\]\[A-Za-z0-9_.-\]\{0,127\} \(129 characters\)/
    );
  });
  it('a run with an over-long tag fails before anything is planned', async () => {
    await expect(planFor('ip_push_main', {images: 'a/b', tags: `type=raw,value=${'x'.repeat(130)}`})).rejects.toThrow(
      'is invalid: a tag must match'
    );
  });
  it('per-arch suffixes that make a tag too long are refused', async () => {
    await expect(
      planFor('ip_push_main', {
        images: 'a/b',
        tags: `type=raw,value=${'x'.repeat(126)}`,
        'arch-tags': 'true',
        platforms: 'linux/amd64'
      })
    ).rejects.toThrow(`Input "arch-tags": tag "${'x'.repeat(126)}-amd64" is invalid`);
  });
});

describe('image names', () => {
  it.each([
    ['ghcr.io/acme/app', 'ghcr.io', 'acme/app'],
    ['quay.io/kubernaut/gateway', 'quay.io', 'kubernaut/gateway'],
    ['127.0.0.1:5000/dev/gateway', '127.0.0.1:5000', 'dev/gateway'],
    ['localhost/app', 'localhost', 'app'],
    ['user/app', 'docker.io', 'user/app'],
    ['registry.example.com/a/b/c__d', 'registry.example.com', 'a/b/c__d'],
    // Every Docker Hub spelling: registry and repository as the registry API names them.
    ['app', 'docker.io', 'library/app'],
    ['library/app', 'docker.io', 'library/app'],
    ['docker.io/app', 'docker.io', 'library/app'],
    ['docker.io/library/app', 'docker.io', 'library/app'],
    ['index.docker.io/acme/app', 'docker.io', 'acme/app'],
    ['registry-1.docker.io/acme/app', 'docker.io', 'acme/app'],
    ['docker.io/acme/app', 'docker.io', 'acme/app'],
    ['127.0.0.1:5000/x/y', '127.0.0.1:5000', 'x/y'],
    ['localhost:5000/x', 'localhost:5000', 'x'],
    ['localhost/x', 'localhost', 'x']
  ])('%s', (name, registry, repository) => {
    expect(parseImageName(name)).toEqual({name, registry, repository, canonical: `${registry}/${repository}`});
  });
  it.each([
    ['ghcr.io/acme/app:v1', 'an image name must not carry a tag (":v1")'],
    [
      'ghcr.io/acme/app@sha256:abc',
      'an image name must not carry a digest (@sha256:...); tags come from the tag rules'
    ],
    ['ghcr.io/acme/-app', 'path component "-app" must match'],
    ['ghcr.io/acme/app_', 'path component "app_" must match'],
    ['quay.io/kubernaut/team/gateway', 'quay.io repositories are exactly <organization>/<repository>'],
    ['quay.io/gateway', 'quay.io repositories are exactly <organization>/<repository>'],
    ['ghcr.io/app', 'ghcr.io images live under an owner'],
    ['a/b/c', 'Docker Hub repositories are <namespace>/<repository>'],
    ['index.docker.io/a/b/c', 'Docker Hub repositories are <namespace>/<repository>'],
    ['reg:abc/app', 'registry host "reg:abc" is not a host[:port]'],
    ['127.0.0.1:99999/acme/app', 'registry "127.0.0.1:99999" has port 99999; a port is 1 to 65535'],
    ['bad_host.io/app', 'registry host "bad_host.io" is not a host[:port]']
  ])('refuses %s', (name, rule) => {
    expect(() => parseImageName(name)).toThrow(`Input "images": invalid image name "${name}": ${rule}`);
  });
  it('lowercases image names (GHCR owners with capitals)', async () => {
    const plan = await planFor('ip_push_main', {images: 'ghcr.io/Kubernaut/Gateway', tags: 'type=raw,value=x'});
    expect(plan.refs).toEqual(['ghcr.io/kubernaut/gateway:x']);
  });
});

describe('no fixture and no preset ever yields an invalid tag', () => {
  const events = fs
    .readdirSync(path.join(FIXTURES, 'events'))
    .filter(f => f.endsWith('.env'))
    .map(f => f.replace(/\.env$/, ''));
  const presets = ['', ...Object.keys(PRESETS)];
  it.each(events)('%s', async event => {
    for (const preset of presets) {
      for (const archTags of ['false', 'true']) {
        const plan = await planFor(event, {
          images: 'ghcr.io/acme/app',
          'tag-preset': preset,
          tags: preset
            ? ''
            : 'type=sha,prefix={{branch}}-\ntype=raw,value={{branch}}-{{base_ref}}\ntype=ref,event=tag\ntype=ref,event=pr',
          'arch-tags': archTags,
          platforms: 'linux/amd64,linux/arm64,linux/arm/v7'
        });
        for (const ref of plan.refs) {
          expect(ref.split(':').pop()).toMatch(TAG_RULE);
        }
      }
    }
  });
});
