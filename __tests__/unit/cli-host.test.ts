// The CLI host's edges: a real git checkout, local auth files and a credential helper, the log translator.
import {describe, expect, it} from '@jest/globals';
import {execFileSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {Translator, dotenvText, markdownToText} from '../../src/cli/terminal.js';
import {contextFromGit, gitRunner, readGitFacts, repoFromGit, webUrlOf} from '../../src/context/git.js';
import {helperFor, localAuthFiles, localCredentials, parseHelperOutput} from '../../src/registry/auth.js';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'ip-cli-'));

describe('git context', () => {
  const repo = tmp();
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=a@b.c', '-c', 'user.name=t', ...args], {cwd: repo, encoding: 'utf8'});
  git('init', '-q', '-b', 'main');
  git('remote', 'add', 'origin', 'git@gitlab.example.com:acme/tools/app.git');
  fs.writeFileSync(path.join(repo, 'f'), 'x');
  git('add', 'f');
  execFileSync('git', ['-c', 'user.email=a@b.c', '-c', 'user.name=t', 'commit', '-q', '-m', 'one'], {
    cwd: repo,
    env: {...process.env, GIT_COMMITTER_DATE: '2025-12-17T10:00:00Z', GIT_AUTHOR_DATE: '2025-12-17T10:00:00Z'}
  });
  git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
  const sha = git('rev-parse', 'HEAD').trim();

  it('a branch checkout is a push of the branch', () => {
    const facts = readGitFacts(gitRunner(repo));
    expect(facts).toEqual({
      sha,
      branch: 'main',
      tags: [],
      commitDate: '2025-12-17T10:00:00Z'.replace('Z', '+00:00'),
      defaultBranch: 'main',
      remoteUrl: 'git@gitlab.example.com:acme/tools/app.git',
      dirty: false
    });
    const ctx = contextFromGit(facts);
    expect([ctx.eventName, ctx.ref, ctx.repository, ctx.owner, ctx.repoName, ctx.payloadDefaultBranch]).toEqual([
      'push',
      'refs/heads/main',
      'acme/tools/app',
      'acme/tools',
      'app',
      'main'
    ]);
    expect(repoFromGit(facts).htmlUrl).toBe('https://gitlab.example.com/acme/tools/app');
  });
  it('the highest tag on HEAD wins; a changed file makes the tree dirty', () => {
    git('tag', 'v1.2.0');
    git('tag', 'v1.10.0');
    fs.writeFileSync(path.join(repo, 'f'), 'changed');
    const facts = readGitFacts(gitRunner(repo));
    expect([facts.tags, facts.dirty, contextFromGit(facts).ref]).toEqual([
      ['v1.10.0', 'v1.2.0'],
      true,
      'refs/tags/v1.10.0'
    ]);
  });
  it('outside a checkout: an error saying so', () => {
    expect(() => readGitFacts(gitRunner(tmp()))).toThrow('not a git checkout with a commit');
  });
  it.each([
    ['https://oauth2:secret@gitlab.example.com/acme/app.git', 'https://gitlab.example.com/acme/app'],
    ['ssh://git@github.com/acme/app.git', 'https://github.com/acme/app'],
    ['git@github.com:acme/app', 'https://github.com/acme/app'],
    ['/srv/git/app.git', '']
  ])('web URL of %s', (remote, url) => expect(webUrlOf(remote)).toBe(url));
});

describe('local credentials', () => {
  const home = tmp();
  const bin = tmp();
  // A real credential helper program, as docker runs it: `get` with the server on stdin.
  fs.writeFileSync(
    path.join(bin, 'docker-credential-fake'),
    '#!/bin/sh\nread server\n[ "$1" = get ] || exit 3\ncase "$server" in\n' +
      '  reg.helper.test) echo \'{"ServerURL":"reg.helper.test","Username":"hu","Secret":"hs3cret"}\' ;;\n' +
      '  https://index.docker.io/v1/) echo \'{"Username":"hub","Secret":"hubpw"}\' ;;\n' +
      '  *) echo "credentials not found in native keychain" ; exit 1 ;;\nesac\n',
    {mode: 0o755}
  );
  const dockerDir = path.join(home, '.docker');
  fs.mkdirSync(dockerDir);
  fs.writeFileSync(
    path.join(dockerDir, 'config.json'),
    JSON.stringify({
      auths: {'https://reg.direct.test': {auth: Buffer.from('du:dpw').toString('base64')}},
      credHelpers: {'reg.helper.test': 'fake'},
      credsStore: 'fake'
    })
  );
  const runtime = tmp();
  fs.mkdirSync(path.join(runtime, 'containers'));
  fs.writeFileSync(
    path.join(runtime, 'containers', 'auth.json'),
    JSON.stringify({auths: {'reg.podman.test': {auth: Buffer.from('pu:ppw').toString('base64')}}})
  );
  const env = {PATH: `${bin}:${process.env.PATH}`, XDG_RUNTIME_DIR: runtime, HOME: home};
  const run = (program: string, server: string) =>
    execFileSync(program, ['get'], {input: server, encoding: 'utf8', env});

  it('the files, in podman order', () => {
    expect(localAuthFiles({REGISTRY_AUTH_FILE: '/a.json', XDG_RUNTIME_DIR: '/run/u'}, '/h')).toEqual([
      '/a.json',
      '/run/u/containers/auth.json',
      '/h/.docker/config.json'
    ]);
  });
  it.each([
    ['reg.direct.test', {username: 'du', password: 'dpw'}],
    ['reg.podman.test', {username: 'pu', password: 'ppw'}],
    ['reg.helper.test', {username: 'hu', password: 'hs3cret'}],
    ['docker.io', {username: 'hub', password: 'hubpw'}],
    ['reg.unknown.test', undefined]
  ])('%s', (registry, want) => {
    expect(localCredentials(registry, env, home, run)).toEqual(want);
  });
  it("GitLab's job credentials for its own registry only", () => {
    const gl = {
      ...env,
      CI_REGISTRY: 'registry.gitlab.example.com:5050',
      CI_REGISTRY_USER: 'gitlab-ci-token',
      CI_REGISTRY_PASSWORD: 'jobtok'
    };
    expect(localCredentials('registry.gitlab.example.com:5050', gl, home, run)).toEqual({
      username: 'gitlab-ci-token',
      password: 'jobtok'
    });
    expect(localCredentials('reg.direct.test', gl, home, run)).toEqual({username: 'du', password: 'dpw'});
  });
  it.each([
    ['{"Username":"u","Secret":"s"}', {username: 'u', password: 's'}],
    ['{"Username":"<token>","Secret":"refresh"}', undefined],
    ['not json', undefined]
  ])('helper output %s', (text, want) => expect(parseHelperOutput(text)).toEqual(want));
  it('credHelpers wins over credsStore', () => {
    expect(helperFor({credHelpers: {'https://a.test/v2/': 'ecr'}, credsStore: 'desktop'}, 'a.test')).toBe('ecr');
    expect(helperFor({credHelpers: {'a.test': 'ecr'}, credsStore: 'desktop'}, 'b.test')).toBe('desktop');
  });
});

describe('log translator', () => {
  const run = (gitlab: boolean, text: string) => {
    let out = '';
    let t = 100;
    const tr = new Translator({gitlab, write: s => (out += s), clock: () => (t += 1.5)});
    tr.feed(text);
    tr.flush();
    return {out, tr};
  };
  const input =
    '::add-mask::hunter22\n::group::Build\nlogin with hunter22\n::warning::50%25 done%0Anext\n' +
    '::stop-commands::tok\n::group::not a group\n::tok::\n::save-state name=cleanup::{"a":1}\n::debug::hidden\n::endgroup::\n';
  it('a terminal: headers with durations, masks applied, commands dropped', () => {
    const {out, tr} = run(false, input);
    expect(out).toBe('▶ Build\nlogin with ***\nwarning: 50% done\nnext\n::group::not a group\n  Build done in 1.5s\n');
    expect(tr.state.get('cleanup')).toBe('{"a":1}');
  });
  it('GitLab: collapsible sections', () => {
    const {out} = run(true, '::group::Build image\nx\n::endgroup::\n');
    expect(out).toBe(
      '\u001b[0Ksection_start:101:ip_1_build_image[collapsed=true]\r\u001b[0KBuild image\nx\n' +
        '\u001b[0Ksection_end:103:ip_1_build_image\r\u001b[0KBuild image: 1.5s\n'
    );
  });
  it('the summary as text, the table aligned', () => {
    expect(
      markdownToText('### Plan\n\n| Image | Tags |\n|---|---|\n| `r/a` | `v1` `latest` |\n| `reg/long` | _none_ |\n')
    ).toBe('Plan\n====\n\nImage     Tags\n--------  ---------\nr/a       v1 latest\nreg/long  none\n');
  });
  it('dotenv: one line per output', () => {
    expect(dotenvText({digest: 'sha256:1', tags: 'r/a:v1\nr/a:latest\n'})).toBe(
      'IMAGE_PUBLISHED_DIGEST=sha256:1\nIMAGE_PUBLISHED_TAGS=r/a:v1,r/a:latest\n'
    );
  });
});
