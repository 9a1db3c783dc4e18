// Image references as the registry adapter reads them: distribution/reference's grammar and
// Docker Hub's normalisation (docker.io → library/, API on registry-1.docker.io).
import {describe, expect, it} from '@jest/globals';
import {
  canonicalName,
  canonicalPrefix,
  formatReference,
  parseReference,
  registryApiHost,
  type ImageReference
} from '../../src/registry/reference.js';

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
    ['Registry.Example.com/app', {registry: 'registry.example.com', repository: 'app'}],
    ['GHCR.IO/acme/app', {registry: 'ghcr.io', repository: 'acme/app'}],
    ['localhost:05000/x', {registry: 'localhost:5000', repository: 'x'}],
    ['127.0.0.1:65535/x/y', {registry: '127.0.0.1:65535', repository: 'x/y'}],
    ['docker.io:443/acme/app', {registry: 'docker.io:443', repository: 'acme/app'}],
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
    ['Acme/App', 'registry host "Acme" is a host only by its capitals'],
    ['127.0.0.1:99999/acme/app', 'registry "127.0.0.1:99999" has port 99999; a port is 1 to 65535'],
    ['localhost:0/x', 'registry "localhost:0" has port 0; a port is 1 to 65535'],
    ['[::1]:70000/x', 'registry "[::1]:70000" has port 70000; a port is 1 to 65535'],
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

describe('canonicalName: one spelling per image', () => {
  it.each([
    ['app', 'docker.io/library/app'],
    ['library/app', 'docker.io/library/app'],
    ['docker.io/app', 'docker.io/library/app'],
    ['docker.io/library/app', 'docker.io/library/app'],
    ['index.docker.io/app:1', 'docker.io/library/app'],
    ['acme/app', 'docker.io/acme/app'],
    ['docker.io/acme/app', 'docker.io/acme/app'],
    ['index.docker.io/acme/app', 'docker.io/acme/app'],
    ['registry-1.docker.io/acme/app', 'docker.io/acme/app'],
    ['Index.Docker.IO/acme/app', 'docker.io/acme/app'],
    [`acme/app:latest@${D}`, 'docker.io/acme/app'],
    ['ghcr.io/acme/app', 'ghcr.io/acme/app'],
    ['GHCR.io/acme/app:v1', 'ghcr.io/acme/app'],
    ['quay.io/acme/app', 'quay.io/acme/app'],
    ['127.0.0.1:5000/x/y', '127.0.0.1:5000/x/y'],
    ['localhost:5000/x', 'localhost:5000/x'],
    ['localhost/x', 'localhost/x'],
    ['[::1]:5000/x', '[::1]:5000/x']
  ])('%s → %s', (name, canonical) => {
    expect(canonicalName(name)).toBe(canonical);
    // Canonical is a fixed point: parsing it again gives itself.
    expect(canonicalName(canonical)).toBe(canonical);
  });
});

describe('canonicalPrefix: policy match prefixes in the same spelling', () => {
  const bad = (why: string): never => {
    throw new Error(why);
  };
  it.each([
    ['docker.io/acme/', 'docker.io/acme/'],
    ['index.docker.io/acme/', 'docker.io/acme/'],
    ['registry-1.docker.io/acme/', 'docker.io/acme/'],
    ['index.docker.io/', 'docker.io/'],
    ['index.docker.io', 'docker.io'],
    ['docker.io/library/nginx', 'docker.io/library/nginx'],
    ['docker.io/acme-', 'docker.io/acme-'],
    ['ghcr.io/acme/', 'ghcr.io/acme/'],
    ['ghcr.io/acme/release-', 'ghcr.io/acme/release-'],
    ['quay.io/takinosh/mcp-server-qdrant', 'quay.io/takinosh/mcp-server-qdrant'],
    ['127.0.0.1:5443/', '127.0.0.1:5443/'],
    ['127.0.0.1:05443/', '127.0.0.1:5443/'],
    ['quay.io', 'quay.io']
  ])('%s → %s', (prefix, canonical) => {
    expect(canonicalPrefix(prefix, bad)).toBe(canonical);
  });
  it.each([
    [
      'docker.io/nginx',
      'Docker Hub\'s "nginx" is ambiguous as a prefix: write docker.io/library/nginx for the official image or docker.io/nginx/ for the namespace'
    ],
    ['index.docker.io/acme', 'Docker Hub\'s "acme" is ambiguous as a prefix'],
    ['127.0.0.1:99999/', 'registry "127.0.0.1:99999" has port 99999; a port is 1 to 65535'],
    ['bad_host.io/', 'registry host "bad_host.io" is not a host[:port]']
  ])('refuses %s', (prefix, why) => {
    expect(() => canonicalPrefix(prefix, bad)).toThrow(why);
  });
});
