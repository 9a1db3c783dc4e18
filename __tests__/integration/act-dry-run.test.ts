// act runs a workflow that `uses: ./` (this action, from dist/) in dry-run on the host, and the
// step outputs are read back through a later step, as a real workflow would consume them.
import {describe, expect, it} from '@jest/globals';
import {cpSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {ROOT} from '../helpers/fixtures.js';
import {loadBed, run, tempDir} from './bed.js';

const WORKFLOW = `name: dry-run
on: push
permissions:
  contents: read
jobs:
  plan:
    runs-on: ubuntu-latest
    steps:
      # act's host runner starts in an empty workspace; actions/checkout cannot be fetched offline.
      - name: checkout (offline stand-in for actions/checkout)
        run: test -f "$REPO_DIR/action.yml" && cp -a "$REPO_DIR"/. .
      - id: img
        uses: ./
        with:
          images: |
            127.0.0.1:5000/act/hello
            quay.io/takinosh/mcp-server-qdrant
          tag-preset: semver-release
          arch-tags: true
          platforms: linux/amd64,linux/arm64
          dry-run: true
      - name: read outputs back
        env:
          VERSION: \${{ steps.img.outputs.version }}
          TAGS: \${{ steps.img.outputs.tags }}
          REFS: \${{ steps.img.outputs.refs }}
          TAG_NAMES: \${{ steps.img.outputs.tag-names }}
        run: |
          printf '%s' "$VERSION" > "$OUT_DIR/version"
          printf '%s' "$TAGS" > "$OUT_DIR/tags"
          printf '%s' "$REFS" > "$OUT_DIR/refs"
          printf '%s' "$TAG_NAMES" > "$OUT_DIR/tag-names"
          printf '%s' "$DOCKER_METADATA_OUTPUT_VERSION" > "$OUT_DIR/env-version"
`;

describe('act: the action in a workflow', () => {
  it('runs uses: ./ in dry-run and its outputs reach the next step', () => {
    const bed = loadBed();
    const repo = tempDir('act-repo');
    const out = tempDir('act-out');
    const home = tempDir('act-home');
    cpSync(path.join(ROOT, 'action.yml'), path.join(repo, 'action.yml'));
    cpSync(path.join(ROOT, 'dist'), path.join(repo, 'dist'), {recursive: true});
    mkdirSync(path.join(repo, '.github/workflows'), {recursive: true});
    writeFileSync(path.join(repo, '.github/workflows/dry-run.yml'), WORKFLOW);
    // A dry-run checks the files a real run would read: the build context needs its Dockerfile.
    writeFileSync(path.join(repo, 'Dockerfile'), 'FROM scratch\n');
    const event = path.join(home, 'event.json');
    writeFileSync(
      event,
      JSON.stringify({
        ref: 'refs/tags/v0.7.1',
        repository: {
          name: 'mcp-server-qdrant',
          full_name: 'takinosh/mcp-server-qdrant',
          description: 'MCP server',
          html_url: 'https://github.com/takinosh/mcp-server-qdrant',
          default_branch: 'main',
          license: {spdx_id: 'Apache-2.0'}
        }
      })
    );
    writeFileSync(path.join(home, '.actrc'), '-P ubuntu-latest=-self-hosted\n');
    const git = (args: string[]) => run(bed, 'git', args, {cwd: repo, env: {HOME: home}});
    git(['init', '-q', '-b', 'main']);
    git(['add', '-A']);
    git(['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', 'action']);
    git(['tag', 'v0.7.1']);

    const log = run(
      bed,
      'act',
      [
        'push',
        '-W',
        '.github/workflows/dry-run.yml',
        '-P',
        'ubuntu-latest=-self-hosted',
        '-e',
        event,
        '--env',
        `OUT_DIR=${out}`,
        '--env',
        `REPO_DIR=${repo}`
      ],
      {cwd: repo, env: {HOME: home, XDG_CONFIG_HOME: path.join(home, '.config')}, timeoutMs: 300_000}
    );
    const read = (f: string) => readFileSync(path.join(out, f), 'utf8');
    expect(read('version')).toBe('v0.7.1');
    expect(read('tag-names').split('\n')).toEqual(['v0.7.1', 'latest']);
    expect(read('tags').split('\n')).toEqual([
      '127.0.0.1:5000/act/hello:v0.7.1',
      '127.0.0.1:5000/act/hello:latest',
      'quay.io/takinosh/mcp-server-qdrant:v0.7.1',
      'quay.io/takinosh/mcp-server-qdrant:latest'
    ]);
    expect(read('refs').split('\n')).toEqual([
      '127.0.0.1:5000/act/hello:v0.7.1',
      '127.0.0.1:5000/act/hello:latest',
      '127.0.0.1:5000/act/hello:v0.7.1-amd64',
      '127.0.0.1:5000/act/hello:v0.7.1-arm64',
      'quay.io/takinosh/mcp-server-qdrant:v0.7.1',
      'quay.io/takinosh/mcp-server-qdrant:latest',
      'quay.io/takinosh/mcp-server-qdrant:v0.7.1-amd64',
      'quay.io/takinosh/mcp-server-qdrant:v0.7.1-arm64'
    ]);
    expect(read('env-version')).toBe('v0.7.1');
    expect(log).toContain('Job succeeded');
  });
});
