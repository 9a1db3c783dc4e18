// The dry-run plan: platforms, inputs checks and the steps a real run takes.
import {describe, expect, it} from '@jest/globals';
import {inputsFrom, planFor} from '../helpers/fixtures.js';

describe('plan', () => {
  it('lists the steps of a two-registry, two-platform release', async () => {
    const plan = await planFor('ip_tag_v1.0.0', {
      images: '127.0.0.1:5000/dev/gateway\nquay.io/kubernaut/gateway',
      'tag-preset': 'production',
      platforms: 'linux/amd64,linux/arm64',
      file: 'Containerfile',
      engine: 'buildah'
    });
    expect(plan.steps).toEqual([
      {phase: 'setup', what: 'QEMU emulation for linux/arm64'},
      {phase: 'setup', what: 'buildah builder'},
      {phase: 'login', what: '127.0.0.1:5000'},
      {phase: 'login', what: 'quay.io'},
      {phase: 'build', what: 'buildah build . -f Containerfile for linux/amd64, linux/arm64'},
      {phase: 'push', what: '127.0.0.1:5000/dev/gateway by digest (no tag yet)'},
      {phase: 'push', what: 'quay.io/kubernaut/gateway by digest (no tag yet)'},
      {phase: 'tag', what: '127.0.0.1:5000/dev/gateway: v1.0.0'},
      {phase: 'tag', what: 'quay.io/kubernaut/gateway: v1.0.0'}
    ]);
  });
  it('builds for the runner platform when none is given', async () => {
    const plan = await planFor('ip_push_main', {images: 'a/b'});
    expect(plan.platforms).toEqual(['linux/amd64']);
    expect(plan.steps[0]).toEqual({phase: 'setup', what: 'buildx builder'});
  });
  it.each([
    [{platforms: 'linux/amd64,linux/amd64'}, 'Input "platforms": "linux/amd64" is listed twice'],
    [{platforms: 'amd64'}, 'Input "platforms": "amd64" is not a platform of the form os/arch[/variant]'],
    [{engine: 'docker'}, 'Input "engine" must be one of buildx, podman, buildah, got "docker"'],
    [{'dry-run': 'yes'}, 'Input "dry-run" must be true or false, got "yes"'],
    [{'arch-tags': '1'}, 'Input "arch-tags" must be true or false, got "1"']
  ])('refuses %j', async (inputs, message) => {
    await expect(planFor('ip_push_main', {images: 'a/b', ...inputs})).rejects.toThrow(message);
  });
  it('reads list inputs with comments and quotes as metadata-action does', () => {
    const inputs = inputsFrom({
      // metadata-action v6: `#` starts a comment only at the start of a line; mid-line it is data.
      tags: 'type=match,"pattern=^v(\\d{1,2})",group=1\n# a comment line\ntype=raw,value=a#b',
      platforms: 'linux/amd64, linux/arm64\nlinux/arm/v7'
    });
    expect(inputs.tags).toEqual(['type=match,"pattern=^v(\\d{1,2})",group=1', 'type=raw,value=a#b']);
    expect(inputs.platforms).toEqual(['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
  });
});
