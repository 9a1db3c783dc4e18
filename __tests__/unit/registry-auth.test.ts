// Credentials from Docker config files and the WWW-Authenticate challenges registries send.
import {describe, expect, it} from '@jest/globals';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {
  basicAuthorization,
  credentialsFromDockerConfig,
  dockerConfigKeyHost,
  dockerConfigPath,
  loadDockerCredentials,
  parseWwwAuthenticate,
  type AuthChallenge,
  type Credentials
} from '../../src/registry/auth.js';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

const config = {
  auths: {
    'ghcr.io': {auth: b64('octocat:ghp_token:with:colons')},
    'https://quay.io': {auth: b64('robot+ci:QUAYPW')},
    '127.0.0.1:5443': {username: 'bed', password: 'bed-pw'},
    'https://index.docker.io/v1/': {auth: b64('hubuser:hubpw')},
    'https://registry.example.com/v2/': {auth: b64('ex:expw')},
    'empty.example.com': {auth: ''},
    'onlyuser.example.com': {username: 'x'},
    'nocolon.example.com': {auth: b64('nocolon')}
  },
  credsStore: 'desktop'
};

describe('credentialsFromDockerConfig', () => {
  it.each<[string, Credentials | undefined]>([
    ['ghcr.io', {username: 'octocat', password: 'ghp_token:with:colons'}],
    ['GHCR.IO', {username: 'octocat', password: 'ghp_token:with:colons'}],
    ['quay.io', {username: 'robot+ci', password: 'QUAYPW'}],
    ['127.0.0.1:5443', {username: 'bed', password: 'bed-pw'}],
    ['127.0.0.1:5000', undefined],
    ['docker.io', {username: 'hubuser', password: 'hubpw'}],
    ['index.docker.io', {username: 'hubuser', password: 'hubpw'}],
    ['registry-1.docker.io', {username: 'hubuser', password: 'hubpw'}],
    ['registry.example.com', {username: 'ex', password: 'expw'}],
    ['empty.example.com', undefined],
    ['onlyuser.example.com', undefined],
    ['nocolon.example.com', undefined],
    ['example.com', undefined]
  ])('%s', (registry, expected) => {
    expect(credentialsFromDockerConfig(config, registry)).toEqual(expected);
  });

  it('prefers the exact key over another spelling of the same host', () => {
    const c = {auths: {'https://ghcr.io/': {auth: b64('old:1')}, 'ghcr.io': {auth: b64('new:2')}}};
    expect(credentialsFromDockerConfig(c, 'ghcr.io')).toEqual({username: 'new', password: '2'});
  });

  it('finds Docker Hub under docker.io when that is how it was written', () => {
    const c = {auths: {'docker.io': {auth: b64('u:p')}}};
    expect(credentialsFromDockerConfig(c, 'docker.io')).toEqual({username: 'u', password: 'p'});
  });

  it.each([null, 'x', {}, {auths: null}, {auths: {'ghcr.io': 'nope'}}])('no credentials in %j', c => {
    expect(credentialsFromDockerConfig(c, 'ghcr.io')).toBeUndefined();
  });
});

describe('dockerConfigKeyHost', () => {
  it.each([
    ['https://index.docker.io/v1/', 'index.docker.io'],
    ['http://127.0.0.1:5000', '127.0.0.1:5000'],
    ['GHCR.io', 'ghcr.io'],
    ['registry.example.com/v2/', 'registry.example.com']
  ])('%s → %s', (key, host) => {
    expect(dockerConfigKeyHost(key)).toBe(host);
  });
});

describe('Docker config file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'image-publish-auth-'));

  it('is $DOCKER_CONFIG/config.json, else ~/.docker/config.json', () => {
    expect(dockerConfigPath({DOCKER_CONFIG: '/etc/dc'}, '/home/u')).toBe('/etc/dc/config.json');
    expect(dockerConfigPath({}, '/home/u')).toBe('/home/u/.docker/config.json');
  });

  it('loads credentials from a file', () => {
    const file = path.join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(config));
    expect(loadDockerCredentials('quay.io', file)).toEqual({username: 'robot+ci', password: 'QUAYPW'});
  });

  it('a missing file means anonymous', () => {
    expect(loadDockerCredentials('quay.io', path.join(dir, 'missing.json'))).toBeUndefined();
  });

  it('a broken file is an error naming the file but not quoting its secrets', () => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{"auths": {"ghcr.io": {"auth": "SECRETSECRET"}');
    expect(() => loadDockerCredentials('ghcr.io', file)).toThrow(`Docker config ${file} is not valid JSON`);
    expect(() => loadDockerCredentials('ghcr.io', file)).not.toThrow(/SECRETSECRET/);
  });
});

describe('basicAuthorization', () => {
  it('is base64 of user:password', () => {
    expect(basicAuthorization({username: 'bed', password: 'p:w'})).toBe(`Basic ${b64('bed:p:w')}`);
  });
});

describe('parseWwwAuthenticate', () => {
  it.each<[string, string, AuthChallenge[]]>([
    [
      'distribution 2.8 htpasswd',
      'Basic realm="Registry Realm"',
      [{scheme: 'basic', params: {realm: 'Registry Realm'}}]
    ],
    [
      'Docker Hub pull',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:library/busybox:pull'
          }
        }
      ]
    ],
    [
      'Docker Hub push without rights',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:acme/app:pull,push",error="insufficient_scope"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:acme/app:pull,push',
            error: 'insufficient_scope'
          }
        }
      ]
    ],
    [
      'GHCR',
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull"',
      [
        {
          scheme: 'bearer',
          params: {realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:user/image:pull'}
        }
      ]
    ],
    [
      'Quay',
      'Bearer realm="https://quay.io/v2/auth",service="quay.io",scope="repository:coreos/etcd:pull"',
      [
        {
          scheme: 'bearer',
          params: {realm: 'https://quay.io/v2/auth', service: 'quay.io', scope: 'repository:coreos/etcd:pull'}
        }
      ]
    ],
    [
      'Harbor',
      'Bearer realm="https://harbor.example.com/service/token",service="harbor-registry",scope="repository:library/nginx:pull,push"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://harbor.example.com/service/token',
            service: 'harbor-registry',
            scope: 'repository:library/nginx:pull,push'
          }
        }
      ]
    ],
    [
      'distribution token auth, expired token, /v2/ (no scope)',
      'Bearer realm="https://auth.example.com/token",service="registry.example.com",error="invalid_token"',
      [
        {
          scheme: 'bearer',
          params: {realm: 'https://auth.example.com/token', service: 'registry.example.com', error: 'invalid_token'}
        }
      ]
    ],
    [
      'ECR',
      'Basic realm="https://123456789012.dkr.ecr.us-east-1.amazonaws.com/",service="ecr.amazonaws.com"',
      [
        {
          scheme: 'basic',
          params: {realm: 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com/', service: 'ecr.amazonaws.com'}
        }
      ]
    ],
    [
      'several scopes, spaces and commas inside quotes',
      'Bearer realm="https://auth.example.com/token",service="reg",scope="repository:a/b:pull repository:c/d:pull,push"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.example.com/token',
            service: 'reg',
            scope: 'repository:a/b:pull repository:c/d:pull,push'
          }
        }
      ]
    ],
    [
      'lower-case scheme, spaces around "=" and ","',
      'bearer realm = "https://x.example/token" , service = x.example',
      [{scheme: 'bearer', params: {realm: 'https://x.example/token', service: 'x.example'}}]
    ],
    [
      'two challenges in one header',
      'Basic realm="registry", Bearer realm="https://auth.example/token",service="reg"',
      [
        {scheme: 'basic', params: {realm: 'registry'}},
        {scheme: 'bearer', params: {realm: 'https://auth.example/token', service: 'reg'}}
      ]
    ],
    ['escaped quote', 'Basic realm="say \\"hi\\""', [{scheme: 'basic', params: {realm: 'say "hi"'}}]],
    ['scheme only', 'Basic', [{scheme: 'basic', params: {}}]],
    ['empty', '', []]
  ])('%s', (_name, header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });
});
