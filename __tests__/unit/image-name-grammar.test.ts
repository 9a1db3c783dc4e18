// One image-name grammar (src/registry/reference.ts) behind every comparison: whichever way an
// image is spelt, it binds to the same policy entry, is the same merge source, and has one SARIF
// location. The bypass this guards: `index.docker.io/acme/app` pushed `latest` past a
// `docker.io/acme/` policy that refused it for `acme/app`.
import {describe, expect, it} from '@jest/globals';
import {parsePolicy} from '../../src/policy/load.js';
import {ruleFor} from '../../src/policy/decide.js';
import {parseMergeSources} from '../../src/plan/merge-sources.js';
import {planFor} from '../helpers/fixtures.js';

const D = `sha256:${'d'.repeat(64)}`;
const entry = (name: string, match: string): string =>
  `  ${name}:\n    match: ${match}\n    tags:\n      forbid: [latest]\n`;
const POLICY = parsePolicy(
  'version: 1\nregistries:\n' +
    entry('hub', 'docker.io/acme/') +
    entry('official', 'docker.io/library/') +
    entry('ghcr', 'ghcr.io/acme/') +
    entry('quay', 'quay.io/acme/') +
    entry('bed', '127.0.0.1:5443/') +
    entry('local', 'localhost:5000/'),
  'grammar.yml'
);
// The same entries, their prefixes written with Docker Hub's other host names and a padded port.
const ALIASED = parsePolicy(
  'version: 1\nregistries:\n' +
    entry('hub', 'index.docker.io/acme/') +
    entry('official', 'registry-1.docker.io/library/') +
    entry('ghcr', 'GHCR.io/acme/') +
    entry('quay', 'quay.io/acme/') +
    entry('bed', '127.0.0.1:05443/') +
    entry('local', 'localhost:5000/'),
  'aliased.yml'
);

const BOUND: [string, string, string][] = [
  ['app', 'official', 'docker.io/library/'],
  ['library/app', 'official', 'docker.io/library/'],
  ['docker.io/app', 'official', 'docker.io/library/'],
  ['docker.io/library/app', 'official', 'docker.io/library/'],
  ['index.docker.io/app', 'official', 'docker.io/library/'],
  ['acme/app', 'hub', 'docker.io/acme/'],
  ['docker.io/acme/app', 'hub', 'docker.io/acme/'],
  ['index.docker.io/acme/app', 'hub', 'docker.io/acme/'],
  ['registry-1.docker.io/acme/app', 'hub', 'docker.io/acme/'],
  ['ghcr.io/acme/app', 'ghcr', 'ghcr.io/acme/'],
  ['quay.io/acme/app', 'quay', 'quay.io/acme/'],
  ['127.0.0.1:5443/x/y', 'bed', '127.0.0.1:5443/'],
  ['localhost:5000/x', 'local', 'localhost:5000/']
];
const UNBOUND = ['other/app', 'ghcr.io/other/app', 'quay.io/other/app', '127.0.0.1:5000/x/y', 'localhost/x'];

describe('policy binding: every spelling of a name binds to one entry', () => {
  it.each(BOUND)('%s → %s (%s)', (image, env, prefix) => {
    expect(ruleFor(POLICY, image)).toEqual({name: env, rule: POLICY.registries[env], prefix});
    expect(ruleFor(ALIASED, image)).toEqual({name: env, rule: ALIASED.registries[env], prefix});
  });

  it.each(UNBOUND)('%s belongs to no entry', image => {
    expect(ruleFor(POLICY, image)).toBeUndefined();
    expect(ruleFor(ALIASED, image)).toBeUndefined();
  });

  it.each(BOUND)('the plan refuses latest of %s (policy %s)', async (image, env, prefix) => {
    await expect(planFor('ip_push_main', {images: image, tags: 'type=raw,value=latest'}, {}, POLICY)).rejects.toThrow(
      'Input "tags": the policy grammar.yml refuses a tag; nothing was built or pushed:\n' +
        `- policy "${env}" (${prefix}) forbids tag "latest" of ${image}: matches forbid pattern "latest"`
    );
  });

  it.each(UNBOUND)('the plan of %s, bound to no entry, keeps latest', async image => {
    const plan = await planFor('ip_push_main', {images: image, tags: 'type=raw,value=latest'}, {}, POLICY);
    expect(plan.refs).toEqual([`${image}:latest`]);
    expect(plan.policy?.bindings).toEqual([]);
  });

  it('tags refs keep the spelling written; the canonical name sits beside it', async () => {
    const plan = await planFor('ip_push_main', {images: 'index.docker.io/acme/app', tags: 'type=raw,value=v1'});
    expect(plan.refs).toEqual(['index.docker.io/acme/app:v1']);
    expect(plan.images.map(i => [i.name, i.registry, i.repository, i.canonical])).toEqual([
      ['index.docker.io/acme/app', 'docker.io', 'acme/app', 'docker.io/acme/app']
    ]);
  });
});

describe('merge sources: a digest line names an image of the run in any spelling', () => {
  it.each([
    [['acme/app'], 'acme/app'],
    [['acme/app'], 'docker.io/acme/app'],
    [['acme/app'], 'index.docker.io/acme/app'],
    [['acme/app'], 'registry-1.docker.io/acme/app:v1'],
    [['docker.io/acme/app'], 'acme/app'],
    [['index.docker.io/acme/app'], 'acme/app'],
    [['app'], 'docker.io/library/app'],
    [['library/app'], 'app'],
    [['docker.io/app'], 'index.docker.io/library/app'],
    [['ghcr.io/acme/app', 'acme/app'], 'docker.io/acme/app'],
    [['ghcr.io/acme/app'], 'GHCR.io/acme/app'],
    [['quay.io/acme/app'], 'quay.io/acme/app'],
    [['127.0.0.1:5000/x/y'], '127.0.0.1:5000/x/y'],
    [['localhost:5000/x'], 'localhost:05000/x'],
    [['localhost/x'], 'localhost/x']
  ])('images %j, digest of %s', (images, source) => {
    // The image comes back as the run spells it: publish looks it up by that name.
    const image = images[images.length - 1];
    expect(parseMergeSources([`${source}@${D}`], images)).toEqual([{image, digest: D}]);
  });

  it.each([
    [['acme/app'], 'other/app', 'acme/app'],
    [['acme/app'], 'ghcr.io/acme/app', 'acme/app'],
    [['app'], 'acme/app', 'app'],
    [['localhost/x'], 'localhost:5000/x', 'localhost/x'],
    [['127.0.0.1:5000/x/y'], '127.0.0.1:5001/x/y', '127.0.0.1:5000/x/y']
  ])('images %j refuse a digest of %s', (images, source, listed) => {
    expect(() => parseMergeSources([`${source}@${D}`], images)).toThrow(
      `Input "digests": "${source}@${D}" is not one of the images of this run (${listed})`
    );
  });

  it('refuses an out-of-range port, naming the input', () => {
    expect(() => parseMergeSources([`127.0.0.1:99999/acme/app@${D}`], ['acme/app'])).toThrow(
      `Input "digests": Invalid image reference "127.0.0.1:99999/acme/app@${D}": registry "127.0.0.1:99999" has port 99999; a port is 1 to 65535`
    );
  });

  it.each(['acme/app', 'docker.io/acme/app', 'index.docker.io/acme/app'])(
    'the merge plan of images: acme/app takes a digest of %s',
    async source => {
      const plan = await planFor('ip_push_main', {
        images: 'acme/app',
        tags: 'type=raw,value=v1',
        mode: 'merge',
        platforms: 'linux/amd64',
        digests: `${source}@${D}`
      });
      expect(plan.refs).toEqual(['acme/app:v1']);
    }
  );
});

describe('port range', () => {
  it.each([
    ['127.0.0.1:99999/acme/app', 'registry "127.0.0.1:99999" has port 99999; a port is 1 to 65535'],
    ['localhost:0/x', 'registry "localhost:0" has port 0; a port is 1 to 65535'],
    ['localhost:65536/x', 'registry "localhost:65536" has port 65536; a port is 1 to 65535']
  ])('images: %s is refused', async (image, rule) => {
    await expect(planFor('ip_push_main', {images: image, tags: 'type=raw,value=v1'})).rejects.toThrow(
      `Input "images": invalid image name "${image}": ${rule}`
    );
  });

  it('a policy prefix with an out-of-range port is refused at its line', () => {
    expect(() => parsePolicy('version: 1\nregistries:\n  bed:\n    match: 127.0.0.1:99999/\n', 'p.yml')).toThrow(
      'p.yml:4: registries.bed.match: "127.0.0.1:99999/": registry "127.0.0.1:99999" has port 99999; a port is 1 to 65535'
    );
  });
});
