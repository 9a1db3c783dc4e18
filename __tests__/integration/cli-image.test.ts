// cli.Containerfile built with buildah on the bed (bases made from the bed's binaries), pushed to
// the dev registry, pulled and run by dockerd with no network: `--help`, the tools inside, the
// non-root user, the labels, and a GitLab tag pipeline's dry-run with its exact tags.
// (podman run fails on this machine's rlimits, TEST-BED.md; docker run does not.)
import * as fs from 'node:fs';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {type Bed, loadBed, run, runResult, tempDir, uniqueTag} from './bed.js';
import {buildCliBases} from './cli-image-bases.js';
import {ROOT} from '../helpers/fixtures.js';

describe('CLI image (cli.Containerfile)', () => {
  let bed: Bed;
  let ref: string;
  const id = uniqueTag('cli');
  const local = `localhost/cli2-test/image-publish-cli:${id}`;
  const localNames: string[] = [];

  beforeAll(() => {
    bed = loadBed();
    const {base, tools} = buildCliBases(bed, id);
    localNames.push(base, tools);
    run(bed, 'buildah', [
      'build',
      '--isolation',
      'chroot',
      '--platform',
      'linux/amd64',
      '--build-arg',
      `BASE=${base}`,
      '--build-arg',
      `TOOLS=${tools}`,
      '--build-arg',
      'VERSION=v9.9.9',
      '-f',
      path.join(ROOT, 'cli.Containerfile'),
      '-t',
      local,
      ROOT
    ]);
    localNames.push(local);
    ref = `${bed.devRegistry.host}/cli2-test/image-publish-cli:${id}`;
    run(bed, 'buildah', ['push', '--tls-verify=false', local, `docker://${ref}`]);
    run(bed, 'docker', ['pull', '-q', ref]);
  }, 1_200_000);

  afterAll(() => {
    if (!bed) return;
    if (ref) runResult(bed, 'docker', ['rmi', '-f', ref]);
    for (const name of localNames) runResult(bed, 'buildah', ['rmi', '-f', name]);
  });

  const docker = (args: string[]): string => run(bed, 'docker', ['run', '--rm', '--network', 'none', ...args]);

  it('runs `image-publish --help` as its entrypoint', () => {
    const help = docker([ref, '--help']);
    expect(help.split('\n')[0]).toBe('Usage: image-publish [--flag value | --flag=value]...');
    expect(help).toContain('  --push\n');
  });

  it('carries trivy, cosign, podman and buildah and runs as uid 1001 with vfs + chroot', () => {
    const out = docker([
      '--entrypoint',
      '/bin/sh',
      ref,
      '-c',
      'id -u; trivy --version | head -1; cosign version 2>&1 | grep GitVersion; podman --version 2>&1; buildah --version 2>&1 | cut -d" " -f1-3; echo "$STORAGE_DRIVER $BUILDAH_ISOLATION"; pwd'
    ]);
    expect(out.trim().split('\n')).toEqual([
      '1001',
      `Version: ${bed.versions.trivy.replace(/^v/, '')}`,
      `GitVersion:    ${bed.versions.cosign}`,
      expect.stringMatching(/^podman version \d/),
      expect.stringMatching(/^buildah version \d/),
      'vfs chroot',
      '/work'
    ]);
  });

  it('has the OCI labels and the non-root user in its config', () => {
    const config = JSON.parse(run(bed, 'docker', ['image', 'inspect', ref])) as {
      Config: {User: string; Labels: Record<string, string>; Entrypoint: string[]};
    }[];
    const {User, Labels, Entrypoint} = config[0].Config;
    expect({User, Entrypoint}).toEqual({User: '1001:1001', Entrypoint: ['image-publish']});
    expect(Labels).toMatchObject({
      'org.opencontainers.image.title': 'image-publish',
      'org.opencontainers.image.version': 'v9.9.9',
      'org.opencontainers.image.licenses': 'MIT',
      'org.opencontainers.image.source': 'https://github.com/image-publish/image-publish'
    });
  });

  it('keeps the dist bundle and nothing else of the repository', () => {
    const out = docker(['--entrypoint', '/bin/sh', ref, '-c', 'ls /opt/image-publish/dist; ls /opt/image-publish']);
    expect(out.trim().split('\n')).toEqual(['cli', 'cli.js', 'package.json', 'dist']);
  });

  it('dry-runs a GitLab tag pipeline with the exact tags', () => {
    const work = tempDir('cli-image-work');
    fs.writeFileSync(path.join(work, 'Containerfile'), 'FROM scratch\n');
    fs.chmodSync(work, 0o755);
    const env = {
      GITLAB_CI: 'true',
      CI_PIPELINE_SOURCE: 'push',
      CI_COMMIT_TAG: 'v2.3.4',
      CI_COMMIT_SHA: '3f9c2ab1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8',
      CI_DEFAULT_BRANCH: 'main',
      CI_PROJECT_PATH: 'group/app',
      IMAGE_PUBLISH_IMAGES: 'registry.gitlab.example/group/app',
      IMAGE_PUBLISH_ENGINE: 'podman',
      IMAGE_PUBLISH_FILE: 'Containerfile'
    };
    const out = docker([
      '-v',
      `${work}:/work:ro`,
      ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
      ref,
      '--dry-run',
      '--json',
      '--tag-preset',
      'semver-release'
    ]);
    fs.rmSync(work, {recursive: true, force: true});
    const outputs = JSON.parse(out) as Record<string, string>;
    // semver-release: vX.Y.Z, and latest for the highest release (the only one here).
    expect(outputs.tags.split('\n')).toEqual([
      'registry.gitlab.example/group/app:v2.3.4',
      'registry.gitlab.example/group/app:latest'
    ]);
  });
});
