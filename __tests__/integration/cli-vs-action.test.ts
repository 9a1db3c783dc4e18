// The CLI and the action publish the built-in example (top-level Dockerfile, the inputs of
// scripts/example.sh) for the same release: the action for a GitHub push of tag v1.0.0, the CLI in
// a git checkout of that tag. Same engine (the bed's buildkitd), SOURCE_DATE_EPOCH for both: the
// same tags land in both registries and the digests are equal, so the labels matched too.
import {spawn} from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {beforeAll, describe, expect, it} from '@jest/globals';
import {errorsOf, runDist, type DistRun} from '../helpers/run-dist.js';
import {FIXED_EPOCH, ROOT} from '../helpers/fixtures.js';
import {type Bed, loadBed, registryDigest, run, tagsOf, tempDir, uniqueTag} from './bed.js';

const ORIGIN = 'https://github.com/image-publish/hello.git';
const EXAMPLE_INPUTS = {
  'tag-preset': 'ghcr-standard',
  'arch-tags': 'true',
  platforms: 'linux/amd64,linux/arm64'
};

/** A clone of the example's repository checked out at tag v1.0.0 (as `git clone` + `git checkout`). */
function checkout(bed: Bed): {dir: string; sha: string} {
  const dir = tempDir('cli-parity-git');
  fs.mkdirSync(path.join(dir, 'examples/hello'), {recursive: true});
  fs.copyFileSync(path.join(ROOT, 'Dockerfile'), path.join(dir, 'Dockerfile'));
  fs.copyFileSync(path.join(ROOT, 'examples/hello/hello.txt'), path.join(dir, 'examples/hello/hello.txt'));
  fs.copyFileSync(path.join(ROOT, '.dockerignore'), path.join(dir, '.dockerignore'));
  const env = {
    GIT_AUTHOR_NAME: 'example',
    GIT_AUTHOR_EMAIL: 'example@example.invalid',
    GIT_COMMITTER_NAME: 'example',
    GIT_COMMITTER_EMAIL: 'example@example.invalid',
    GIT_AUTHOR_DATE: '2020-01-10T00:30:00Z',
    GIT_COMMITTER_DATE: '2020-01-10T00:30:00Z'
  };
  const git = (args: string[]): string => run(bed, 'git', args, {cwd: dir, env}).trim();
  git(['init', '-q', '-b', 'main']);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'hello']);
  git(['tag', 'v1.0.0']);
  git(['remote', 'add', 'origin', ORIGIN]);
  git(['update-ref', 'refs/remotes/origin/main', 'HEAD']);
  git(['symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main']);
  git(['checkout', '-q', 'v1.0.0']);
  return {dir, sha: git(['rev-parse', 'HEAD'])};
}

/**
 * The push event GitHub sends for that tag; the repository carries what a checkout can know too
 * (no description or licence: git has neither), so the labels can be the same.
 */
function event(dir: string, sha: string): string {
  const file = path.join(dir, '..', `event-${path.basename(dir)}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      ref: 'refs/tags/v1.0.0',
      after: sha,
      repository: {
        name: 'hello',
        full_name: 'image-publish/hello',
        html_url: 'https://github.com/image-publish/hello',
        default_branch: 'main'
      }
    })
  );
  return file;
}

async function runCli(bed: Bed, cwd: string, args: string[]): Promise<{code: number; out: string; json: string}> {
  const env: Record<string, string> = {
    PATH: `${bed.binDir}:${process.env.PATH ?? ''}`,
    HOME: tempDir('cli-parity-home'),
    DOCKER_CONFIG: bed.docker.config,
    NODE_EXTRA_CA_CERTS: bed.prodRegistry.caCert,
    SSL_CERT_FILE: bed.caBundle,
    SOURCE_DATE_EPOCH: FIXED_EPOCH
  };
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], {cwd, env});
  let json = '';
  let out = '';
  child.stdout.on('data', d => (json += String(d)));
  child.stderr.on('data', d => (out += String(d)));
  const code = await new Promise<number>(resolve => child.on('close', c => resolve(c ?? -1)));
  return {code, out, json};
}

describe('CLI vs action: the built-in example for tag v1.0.0', () => {
  let bed: Bed;
  let action: DistRun;
  let cli: {code: number; out: string; json: string};
  let repos: {action: string[]; cli: string[]};
  let commit = '';

  beforeAll(async () => {
    bed = loadBed();
    const id = uniqueTag('parity');
    const names = (who: string): string[] =>
      [bed.devRegistry.host, bed.prodRegistry.host].map(h => `${h}/cli2-${id}/hello-${who}`);
    repos = {action: names('action'), cli: names('cli')};
    const {dir, sha} = checkout(bed);
    commit = sha;
    const common = {
      ...EXAMPLE_INPUTS,
      builder: bed.buildkit.builder,
      provenance: 'false',
      'insecure-registries': bed.devRegistry.host,
      'registry-auth': `- registry: ${bed.prodRegistry.host}\n  username: ${bed.prodRegistry.username}\n  password: ${bed.prodRegistry.password}\n`
    };
    action = await runDist(
      {
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/tags/v1.0.0',
        GITHUB_SHA: sha,
        GITHUB_ACTOR: 'example',
        GITHUB_REPOSITORY: 'image-publish/hello',
        GITHUB_EVENT_PATH: event(dir, sha),
        PATH: `${bed.binDir}:${process.env.PATH ?? ''}`,
        DOCKER_CONFIG: bed.docker.config,
        NODE_EXTRA_CA_CERTS: bed.prodRegistry.caCert,
        SSL_CERT_FILE: bed.caBundle,
        RUNNER_TEMP: tempDir('cli-parity-runner'),
        SOURCE_DATE_EPOCH: FIXED_EPOCH
      },
      {...common, images: repos.action.join('\n'), context: dir, file: path.join(dir, 'Dockerfile')}
    );
    const flags = Object.entries({...common, images: repos.cli.join('\n')}).map(([k, v]) => `--${k}=${v}`);
    cli = await runCli(bed, dir, [...flags, '--json']);
  }, 900_000);

  it('both succeed', () => {
    expect({code: action.code, errors: errorsOf(action.stdout)}).toEqual({code: 0, errors: []});
    expect({code: cli.code, tail: cli.code === 0 ? '' : cli.out.slice(-2000)}).toEqual({code: 0, tail: ''});
  });

  it('the same tags land in every registry', () => {
    // ghcr-standard for a release tag: v1.0.0, 1.0.0, 1.0, 1, the short SHA, latest; arch-tags
    // adds -amd64/-arm64 to each but latest.
    const names = ['1', '1.0', '1.0.0', commit.slice(0, 7), 'v1.0.0'];
    const want = [...names.flatMap(n => [n, `${n}-amd64`, `${n}-arm64`]), 'latest'].sort();
    expect([...repos.action, ...repos.cli].map(r => tagsOf(bed, r))).toEqual([want, want, want, want]);
  });

  it('the same digest: outputs, and every tag read back from the registries', () => {
    const outputs = JSON.parse(cli.json) as Record<string, string>;
    expect(action.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(outputs.digest).toBe(action.outputs.digest);
    for (const repo of [...repos.action, ...repos.cli]) {
      expect(registryDigest(bed, `${repo}:v1.0.0`)).toBe(action.outputs.digest);
    }
    for (const tag of ['v1.0.0-amd64', 'v1.0.0-arm64']) {
      expect(registryDigest(bed, `${repos.cli[0]}:${tag}`)).toBe(registryDigest(bed, `${repos.action[0]}:${tag}`));
    }
    expect(outputs.labels).toBe(action.outputs.labels);
  });
});
