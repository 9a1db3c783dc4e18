// Image references as the registry adapter reads them: distribution/reference's grammar and
// Docker Hub's normalisation (docker.io → library/, API on registry-1.docker.io).
import {describe, expect, it} from '@jest/globals';
import {formatReference, parseReference, registryApiHost, type ImageReference} from '../../src/registry/reference.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseReference', () => {
  it.each<[string, ImageReference]>([
    ['busybox', {registry: 'docker.io', repository: 'library/busybox'}],
    ['busybox:1.36', {registry: 'docker.io', repository: 'library/busybox', tag: '1.36'}],
    ['docker.io/busybox', {registry: 'docker.io', repository: 'library/busybox'}],
    ['index.docker.io/library/busybox:latest', {registry: 'docker.io', repository: 'library/busybox', tag: 'latest'}],
    ['registry-1.docker.io/acme/app', {registry: 'docker.io', repository: 'acme/app'}],
    ['acme/app:v1', {registry: 'docker.io', repository: 'acme/app', tag: 'v1'}],
    ['ghcr.io/acme/app:v1.2.3', {registry: 'ghcr.io', repository: 'acme/app', tag: 'v1.2.3'}],
    ['ghcr.io/acme/team/app', {registry: 'ghcr.io', repository: 'acme/team/app'}],
    ['127.0.0.1:5000/bed-test/x:v1', {registry: '127.0.0.1:5000', repository: 'bed-test/x', tag: 'v1'}],
    ['registry.example.com:5000/app', {registry: 'registry.example.com:5000', repository: 'app'}],
    ['localhost/app', {registry: 'localhost', repository: 'app'}],
    [`localhost:5000/a/b/c@${D}`, {registry: 'localhost:5000', repository: 'a/b/c', digest: D}],
    [`quay.io/acme/app:v1@${D}`, {registry: 'quay.io', repository: 'acme/app', tag: 'v1', digest: D}],
    ['[::1]:5000/app:tag', {registry: '[::1]:5000', repository: 'app', tag: 'tag'}],
    ['Registry.Example.com/app', {registry: 'Registry.Example.com', repository: 'app'}],
    ['ghcr.io/a_b/c__d/e-f.g--h:V_1.0-rc.1', {registry: 'ghcr.io', repository: 'a_b/c__d/e-f.g--h', tag: 'V_1.0-rc.1'}],
    [
      `ghcr.io/acme/app@sha512:${'b'.repeat(128)}`,
      {registry: 'ghcr.io', repository: 'acme/app', digest: `sha512:${'b'.repeat(128)}`}
    ]
  ])('%s', (ref, expected) => {
    expect(parseReference(ref)).toEqual(expected);
  });

  it.each([
    ['', 'empty or surrounded by spaces'],
    [' ghcr.io/acme/app', 'empty or surrounded by spaces'],
    ['ghcr.io/acme/app:', 'tag "" must match'],
    ['ghcr.io/acme/app:-bad', 'tag "-bad" must match'],
    [`ghcr.io/acme/app:${'a'.repeat(129)}`, 'must match'],
    ['ghcr.io/acme/app@sha256:abc', 'digest "sha256:abc" is not'],
    [`ghcr.io/acme/app@md5:${'a'.repeat(32)}`, 'is not sha256'],
    ['ghcr.io/acme//app', 'repository "acme//app" must be lowercase'],
    ['ghcr.io/Acme/app', 'repository "Acme/app" must be lowercase'],
    ['Acme/App', 'repository "App" must be lowercase'],
    ['ghcr.io/acme/app-', 'repository "acme/app-"'],
    ['bad_host.io:x/app', 'registry host "bad_host.io:x"'],
    ['ghcr.io/', 'repository ""']
  ])('refuses %j (%s)', (ref, why) => {
    expect(() => parseReference(ref)).toThrow(`Invalid image reference "${ref}": `);
    expect(() => parseReference(ref)).toThrow(why);
  });
});

describe('registryApiHost', () => {
  it.each([
    ['docker.io', 'registry-1.docker.io'],
    ['index.docker.io', 'registry-1.docker.io'],
    ['registry-1.docker.io', 'registry-1.docker.io'],
    ['ghcr.io', 'ghcr.io'],
    ['127.0.0.1:5443', '127.0.0.1:5443']
  ])('%s → %s', (registry, host) => {
    expect(registryApiHost(registry)).toBe(host);
  });
});

describe('formatReference', () => {
  it.each(['docker.io/library/busybox:1.36', `127.0.0.1:5000/bed-test/x:v1@${D}`, `ghcr.io/acme/app@${D}`])(
    'round-trips %s',
    ref => {
      expect(formatReference(parseReference(ref))).toBe(ref);
    }
  );
});
