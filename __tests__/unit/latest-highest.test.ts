// flavor latest=highest: the plan's guard (meta/latest.ts), the decision against a tag list, and the
// tag stage's filter (resolveLatest) with only the registry's tag listing replaced.
import {describe, expect, it} from '@jest/globals';
import type {Session} from '../../src/login/session.js';
import {latestDecision, releaseOf, type LatestGuard} from '../../src/meta/latest.js';
import {tagOps} from '../../src/registry/manifests.js';
import type {RegistryClient} from '../../src/registry/client.js';
import {resolveLatest} from '../../src/publish/tag-stage.js';
import {planFor} from '../helpers/fixtures.js';

const guard = (version: string, prefix = '', suffix = ''): LatestGuard => ({tag: 'latest', version, prefix, suffix});

describe('releaseOf: the final X.Y.Z a tag spells', () => {
  it.each([
    ['v2.0.0', '', '', '2.0.0'],
    ['2.0.0', '', '', '2.0.0'],
    ['2.0', '', '', undefined],
    ['2', '', '', undefined],
    ['v2.1.0-rc1', '', '', undefined],
    ['latest', '', '', undefined],
    ['3f9c2ab', '', '', undefined],
    ['edge', '', '', undefined],
    ['prod-v1.2.3', 'prod-', '', '1.2.3'],
    ['v1.2.3', 'prod-', '', undefined],
    ['v1.2.3-alpine', '', '-alpine', '1.2.3'],
    ['v1.2.3-alpine', '', '', undefined]
  ])('%s (prefix "%s", suffix "%s") → %s', (tag, prefix, suffix, expected) => {
    expect(releaseOf(tag, prefix, suffix)).toBe(expected);
  });
});

describe('latestDecision', () => {
  it.each<[string, string, string[], boolean, string | undefined]>([
    ['older line after a newer release', '1.4.9', ['v1.4.8', 'v2.0.0', 'latest', '2.0', '2'], false, 'v2.0.0'],
    ['newer release', '2.1.0', ['v1.4.8', 'v2.0.0', 'latest'], true, 'v2.0.0'],
    ['re-run of the highest', '2.0.0', ['v2.0.0', 'latest'], true, 'v2.0.0'],
    ['empty repository', '1.0.0', [], true, undefined],
    ['only branch and sha tags', '1.0.0', ['main', '3f9c2ab', 'edge', 'latest'], true, undefined],
    ['a higher pre-release does not count', '2.0.0', ['v2.0.0', 'v3.0.0-rc1'], true, 'v2.0.0'],
    ['compared as semver, not as text', '1.10.0', ['v1.9.0', 'v1.2.0'], true, 'v1.9.0'],
    ['11 > 9 the other way round', '1.9.1', ['v1.10.0'], false, 'v1.10.0']
  ])('%s: %s against %j → keep %s', (_name, version, tags, keep, highestTag) => {
    const d = latestDecision(guard(version), tags);
    expect(d.keep).toBe(keep);
    expect(d.highestTag).toBe(highestTag);
  });

  it("reads only tags of this image's shape (tag-prefix)", () => {
    const tags = ['v9.0.0', 'staging-v1.0.0', 'prod-v1.2.0'];
    expect(latestDecision(guard('1.1.0', 'prod-'), tags)).toEqual({
      keep: false,
      highest: '1.2.0',
      highestTag: 'prod-v1.2.0'
    });
    expect(latestDecision(guard('1.3.0', 'prod-'), tags)).toEqual({
      keep: true,
      highest: '1.2.0',
      highestTag: 'prod-v1.2.0'
    });
  });
});

describe('the plan marks latest=highest images', () => {
  it('the semver-release preset guards latest with the release it tags', async () => {
    const plan = await planFor('ip_tag_v1.0.0', {images: 'quay.io/takinosh/app', 'tag-preset': 'semver-release'});
    expect(plan.images[0].tags).toEqual(['v1.0.0', 'latest']);
    expect(plan.images[0].latestGuard).toEqual({tag: 'latest', version: '1.0.0', prefix: '', suffix: ''});
  });

  it('ghcr-standard guards the release latest (the main-branch latest is a plain rule)', async () => {
    const tag = await planFor('ip_release', {images: 'ghcr.io/acme/app', 'tag-preset': 'ghcr-standard'});
    expect(tag.images[0].latestGuard).toEqual({tag: 'latest', version: '2.3.4', prefix: '', suffix: ''});
    const main = await planFor('ip_push_main', {images: 'ghcr.io/acme/app', 'tag-preset': 'ghcr-standard'});
    expect(main.images[0].tags).toEqual(['main', 'latest', '3f9c2ab']);
    expect(main.images[0].latestGuard).toBeUndefined();
  });

  it('tag-prefix and flavor suffix are part of the shape compared', async () => {
    const plan = await planFor('ip_tag_v1.0.0', {
      images: 'a/b',
      tags: 'type=semver,pattern={{version}}',
      flavor: 'latest=highest\nsuffix=-alpine,onlatest=true',
      'tag-prefix': 'prod-'
    });
    expect(plan.images[0].tags).toEqual(['prod-1.0.0-alpine', 'prod-latest-alpine']);
    expect(plan.images[0].latestGuard).toEqual({
      tag: 'prod-latest-alpine',
      version: '1.0.0',
      prefix: 'prod-',
      suffix: '-alpine'
    });
  });

  it("no guard without latest (pre-release), and latest=auto stays metadata-action's", async () => {
    const rc = await planFor('ip_tag_v1.0.0-rc1', {images: 'a/b', 'tag-preset': 'semver-release'});
    expect(rc.images[0].tags).toEqual(['v1.0.0-rc1']);
    expect(rc.images[0].latestGuard).toBeUndefined();
    const auto = await planFor('ip_tag_v1.0.0', {images: 'a/b', 'tag-preset': 'semver-release', flavor: 'latest=auto'});
    expect(auto.images[0].tags).toEqual(['v1.0.0', 'latest']);
    expect(auto.images[0].latestGuard).toBeUndefined();
  });

  it('a latest with no X.Y.Z tag to compare is kept, with a warning', async () => {
    const plan = await planFor('ip_tag_v1.0.0', {
      images: 'a/b',
      tags: 'type=ref,event=tag\ntype=semver,pattern={{major}}.{{minor}}',
      flavor: 'latest=highest'
    });
    expect(plan.images[0].tags).toEqual(['1.0', 'v1.0.0', 'latest']);
    // v1.0.0 from type=ref is a full release: it is the one compared.
    expect(plan.images[0].latestGuard?.version).toBe('1.0.0');
    const only = await planFor('ip_tag_v1.0.0', {
      images: 'a/b',
      tags: 'type=semver,pattern={{major}}.{{minor}}',
      flavor: 'latest=highest'
    });
    expect(only.images[0].latestGuard).toBeUndefined();
    expect(only.meta.warnings).toContain(
      'flavor latest=highest: no tag of this run (1.0, latest) is an X.Y.Z release to compare, so "latest" is kept as latest=auto would'
    );
  });

  it('an unknown latest value is refused', async () => {
    await expect(planFor('ip_tag_v1.0.0', {images: 'a/b', flavor: 'latest=newest'})).rejects.toThrow(
      'Input "flavor": entry "latest=newest": latest=newest is not one of auto, true, false, highest'
    );
  });
});

/** A session whose registries answer only the tag listing (the network edge); anything else fails. */
function sessionWith(tagsByRepo: Record<string, string[]>): Session {
  return {
    dir: '/nonexistent',
    configFile: '/nonexistent/config.json',
    env: {},
    insecure: () => true,
    client: (registry: string) =>
      ({
        listTags: async (repository: string) => tagsByRepo[`${registry}/${repository}`] ?? []
      }) as unknown as RegistryClient
  };
}

describe('resolveLatest (tag stage)', () => {
  const D = 'sha256:' + 'a'.repeat(64);
  const A = 'sha256:' + 'b'.repeat(64);
  it('drops latest only where a higher release exists, per image; per-arch ops untouched', async () => {
    const plan = await planFor('ip_tag_v1.0.0', {
      images: '127.0.0.1:5000/acme/app\nquay.io/acme/app',
      'tag-preset': 'semver-release',
      'arch-tags': 'true',
      platforms: 'linux/amd64'
    });
    const ops = tagOps(plan.images, D, [{platform: 'linux/amd64', digest: A}]);
    const kept = await resolveLatest(
      ops,
      plan.images,
      sessionWith({'127.0.0.1:5000/acme/app': ['v2.0.0', 'latest'], 'quay.io/acme/app': ['v0.9.0', 'latest']})
    );
    expect(kept.map(o => `${o.image}:${o.tag}`)).toEqual([
      '127.0.0.1:5000/acme/app:v1.0.0',
      '127.0.0.1:5000/acme/app:v1.0.0-amd64',
      'quay.io/acme/app:v1.0.0',
      'quay.io/acme/app:latest',
      'quay.io/acme/app:v1.0.0-amd64'
    ]);
  });

  it('without a guard nothing is read and nothing dropped', async () => {
    const plan = await planFor('ip_tag_v1.0.0', {images: 'a/b', 'tag-preset': 'semver-release', flavor: 'latest=true'});
    const ops = tagOps(plan.images, D, []);
    const session = sessionWith({});
    session.client = () => {
      throw new Error('the registry must not be asked');
    };
    expect((await resolveLatest(ops, plan.images, session)).map(o => o.tag)).toEqual(['v1.0.0', 'latest']);
  });
});
