// Registry logins: the registry-auth input, GHCR defaults and the merged docker config.
import {describe, expect, it} from '@jest/globals';
import {mergeDockerConfig, secretsOf} from '../../src/login/credentials.js';
import {credentialsFor, parseRegistryAuth} from '../../src/plan/registry-auth.js';

describe('registry-auth input', () => {
  it('reads a list of logins', () => {
    expect(
      parseRegistryAuth(
        '- registry: quay.io\n  username: kubernaut+ci\n  password: s3cr3t\n- registry: 127.0.0.1:5443\n  username: ci\n  password: pw\n'
      )
    ).toEqual([
      {registry: 'quay.io', username: 'kubernaut+ci', password: 's3cr3t'},
      {registry: '127.0.0.1:5443', username: 'ci', password: 'pw'}
    ]);
    expect(parseRegistryAuth('')).toEqual([]);
  });
  it.each([
    ['registry: quay.io', 'Input "registry-auth" must be a YAML list of {registry, username, password}'],
    ['- registry: quay.io\n  username: a\n  pasword: x', 'Input "registry-auth" entry 1: unknown key "pasword"'],
    ['- username: a\n  password: b', 'Input "registry-auth" entry 1: "registry" is required'],
    ['- registry: https://quay.io\n  username: a\n  password: b', '"registry" is a host[:port] such as quay.io'],
    ['- registry: quay.io\n  username: a', 'Input "registry-auth" entry 1 (quay.io): "password" is required'],
    [
      '- registry: quay.io\n  username: Org+Bot\n  password: hunter2',
      'a Quay robot account is "<organization>+<name>", got "Org+Bot"'
    ],
    [
      '- registry: ghcr.io\n  username: a\n  password: b\n- registry: ghcr.io\n  username: c\n  password: d',
      'entry 2: "ghcr.io" is listed twice'
    ],
    ['- [', 'Input "registry-auth" is not valid YAML']
  ])('refuses %j', (text, message) => {
    expect(() => parseRegistryAuth(text)).toThrow(message);
  });
  it('never echoes a password in an error', () => {
    expect(() => parseRegistryAuth('- registry: quay.io\n  username: Org+Bot\n  password: hunter2')).not.toThrow(
      /hunter2/
    );
  });
});

describe('credentials for a run', () => {
  it('GHCR defaults to the actor and github-token unless given', () => {
    expect(credentialsFor(['ghcr.io', 'quay.io'], [], {actor: 'octo', token: 'ghs_x'})).toEqual([
      {registry: 'ghcr.io', username: 'octo', password: 'ghs_x'}
    ]);
    const explicit = [{registry: 'ghcr.io', username: 'bot', password: 'pat'}];
    expect(credentialsFor(['ghcr.io'], explicit, {actor: 'octo', token: 'ghs_x'})).toEqual(explicit);
  });
  it('keeps an existing docker login and its helpers, our logins win', () => {
    const merged = mergeDockerConfig(
      {
        auths: {'docker.example.com': {auth: 'ZXhpc3Rpbmc='}},
        credHelpers: {'quay.io': 'secretservice', 'gcr.io': 'gcloud'},
        credsStore: 'desktop'
      },
      [
        {registry: 'quay.io', username: 'kubernaut+ci', password: 'tok'},
        {registry: 'docker.io', username: 'u', password: 'p'}
      ]
    );
    expect(merged).toEqual({
      auths: {
        'docker.example.com': {auth: 'ZXhpc3Rpbmc='},
        'quay.io': {auth: Buffer.from('kubernaut+ci:tok').toString('base64')},
        'https://index.docker.io/v1/': {auth: Buffer.from('u:p').toString('base64')}
      },
      credHelpers: {'gcr.io': 'gcloud'},
      credsStore: 'desktop'
    });
  });
  it('masks passwords and their encoded form', () => {
    expect(secretsOf([{registry: 'r', username: 'u', password: 'p'}])).toEqual(['p', 'dTpw']);
  });
});
