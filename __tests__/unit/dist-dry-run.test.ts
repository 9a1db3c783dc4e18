// dist/index.js as the runner runs it: outputs, summary, failures and the post step.
import * as http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {FIXED_EPOCH, loadEvent} from '../helpers/fixtures.js';
import {errorsOf, runDist} from '../helpers/run-dist.js';

const env = (event: string, extra: Record<string, string> = {}) => ({
  ...loadEvent(event).env,
  SOURCE_DATE_EPOCH: FIXED_EPOCH,
  ...extra
});

describe('dist in dry-run', () => {
  it('sets every plan output and writes the summary', async () => {
    const run = await runDist(env('ip_tag_v1.0.0'), {
      images: 'quay.io/takinosh/mcp-server-qdrant',
      'tag-preset': 'semver-release',
      'arch-tags': 'true',
      platforms: 'linux/amd64,linux/arm64',
      'dry-run': 'true'
    });
    expect(run.code).toBe(0);
    expect(Object.keys(run.outputs).sort()).toEqual(
      [
        'annotations',
        'build-args',
        'json',
        'labels',
        'plan',
        'platforms',
        'refs',
        'tag-names',
        'tags',
        'version'
      ].sort()
    );
    expect(run.outputs.refs.split('\n')).toEqual([
      'quay.io/takinosh/mcp-server-qdrant:v1.0.0',
      'quay.io/takinosh/mcp-server-qdrant:latest',
      'quay.io/takinosh/mcp-server-qdrant:v1.0.0-amd64',
      'quay.io/takinosh/mcp-server-qdrant:v1.0.0-arm64'
    ]);
    expect(run.outputs['build-args']).toBe(
      'VERSION=v1.0.0\nCOMMIT_SHA=3f9c2ab1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8\nBUILD_DATE=2020-01-10T00:30:00.000Z'
    );
    const plan = JSON.parse(run.outputs.plan) as {steps: {phase: string}[]};
    expect(plan.steps.map(s => s.phase)).toEqual(['setup', 'setup', 'login', 'build', 'push', 'tag']);
    expect(run.summary).toContain('## image-publish — dry run (nothing built, nothing pushed)');
    expect(run.summary).toContain(
      '| `quay.io/takinosh/mcp-server-qdrant` | quay.io | `v1.0.0` `latest` | linux/amd64: `v1.0.0-amd64`<br>linux/arm64: `v1.0.0-arm64` |'
    );
    expect(run.stdout).toContain('::group::Plan');
  });

  it('without dry-run and without an image it refuses before logging in or building', async () => {
    const run = await runDist(env('ip_push_main'), {images: ''});
    expect(run.code).toBe(1);
    expect(errorsOf(run.stdout)).toEqual([
      'Input "images" names no enabled image: there is nowhere to push (use dry-run: true to only compute tags)'
    ]);
    expect(run.stdout).not.toContain('::group::Login');
  });

  it('bad input fails naming the input, with no output set', async () => {
    const run = await runDist(env('ip_push_main'), {images: 'quay.io/kubernaut/team/gateway', 'dry-run': 'true'});
    expect(run.code).toBe(1);
    expect(errorsOf(run.stdout)).toEqual([
      'Input "images": invalid image name "quay.io/kubernaut/team/gateway": quay.io repositories are exactly <organization>/<repository>'
    ]);
    expect(run.outputs).toEqual({});
  });

  it('a real run with a bad tag rule fails in the plan, before login or build', async () => {
    const run = await runDist(env('ip_push_main'), {
      images: 'ghcr.io/kubernaut/gateway',
      tags: 'type=semver,patern={{version}}'
    });
    expect(run.code).toBe(1);
    expect(errorsOf(run.stdout)[0]).toContain(
      'Unknown tag attribute "patern" in tags entry "type=semver,patern={{version}}"'
    );
    expect(run.stdout).not.toContain('::group::Login');
    expect(run.stdout).not.toContain('::group::Build and push');
  });

  it('a bad registry-auth names the input, never echoes the password, and nothing is built', async () => {
    const run = await runDist(env('ip_push_main'), {
      images: 'quay.io/kubernaut/gateway',
      'registry-auth': '- registry: quay.io\n  username: Kubernaut+CI\n  password: hunter2-secret\n'
    });
    expect(run.code).toBe(1);
    expect(errorsOf(run.stdout)).toEqual([
      'Input "registry-auth" entry 1 (quay.io): a Quay robot account is "<organization>+<name>", got "Kubernaut+CI"'
    ]);
    expect(run.stdout).not.toContain('::group::Setup');
    expect(run.stdout).not.toContain('::group::Build and push');
    // The runner consumes ::add-mask:: lines (that is how it learns the secret); nothing else may show it.
    const shown = run.stdout
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(shown).not.toContain('hunter2-secret');
    expect(run.summary).not.toContain('hunter2-secret');
    expect(run.outputs.digest).toBeUndefined();
  });

  it.each([
    [
      'tool-checksums with an unknown tool',
      {'tool-checksums': `grype=${'a'.repeat(64)}`},
      `Input "tool-checksums" line 1: unknown tool "grype" (known: cosign, trivy)`
    ],
    [
      'a trivyignore file that does not exist',
      {scan: 'true', trivyignore: 'no/such/.trivyignore'},
      'Input "trivyignore": no/such/.trivyignore does not exist'
    ],
    ['keyless signing without the OIDC token of id-token: write', {keyless: 'true'}, 'id-token: write'],
    [
      'a cosign key file that does not exist',
      {'cosign-key': 'no/such/cosign.key'},
      'Input "cosign-key" is neither PEM content, a KMS URI nor an existing file (its value is a secret and is not shown)'
    ],
    ['a policy file that is named but missing', {policy: 'no/such/policy.yml'}, 'no/such/policy.yml']
  ])('%s fails naming the input, before anything is built or pushed', async (_name, inputs, message) => {
    // A runner always sets GITHUB_WORKFLOW_REF (the keyless identity); the event fixtures do not.
    const run = await runDist(
      env('ip_push_main', {
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKFLOW_REF: 'acme/app/.github/workflows/r.yml@refs/heads/main'
      }),
      {
        images: '127.0.0.1:5000/it/never-pushed',
        ...inputs
      }
    );
    expect(run.code).toBe(1);
    expect(errorsOf(run.stdout).join('\n')).toContain(message);
    expect(run.stdout).not.toContain('::group::Setup');
    expect(run.stdout).not.toContain('::group::Build and push');
    expect(run.outputs.digest).toBeUndefined();
  });

  it('masks the github token', async () => {
    const run = await runDist(env('ip_push_main'), {
      images: 'a/b',
      'dry-run': 'true',
      'github-token': 'ghs_secretvalue123'
    });
    expect(run.stdout).toContain('::add-mask::ghs_secretvalue123');
    expect(run.stdout.split('ghs_secretvalue123').length).toBe(2);
    expect(run.summary).not.toContain('ghs_secretvalue123');
  });

  it('the post step does nothing and succeeds', async () => {
    const run = await runDist({...env('ip_push_main'), STATE_isPost: 'true'}, {images: 'a/b'});
    expect({code: run.code, outputs: run.outputs, errors: errorsOf(run.stdout)}).toEqual({
      code: 0,
      outputs: {},
      errors: []
    });
  });
});

describe('repository data from the REST API', () => {
  let server: http.Server;
  let api = '';
  const requests: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      if (req.url === '/repos/kubernaut/gateway') {
        res.writeHead(200, {'content-type': 'application/json'});
        res.end(
          JSON.stringify({
            name: 'gateway',
            description: 'From the API',
            html_url: 'https://github.com/kubernaut/gateway',
            default_branch: 'main',
            license: {spdx_id: 'Apache-2.0'}
          })
        );
      } else {
        res.writeHead(404, {'content-type': 'application/json'});
        res.end('{"message":"Not Found"}');
      }
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>(r => server.close(() => r())));

  it('is used when the payload has no repository', async () => {
    const e = env('ip_push_main', {GITHUB_API_URL: api, GITHUB_EVENT_PATH: '/nonexistent.json'});
    const run = await runDist(e, {images: 'a/b', 'dry-run': 'true', 'github-token': 'tkn'});
    expect(run.code).toBe(0);
    expect(run.outputs.labels.split('\n')).toEqual([
      'org.opencontainers.image.created=2020-01-10T00:30:00.000Z',
      'org.opencontainers.image.description=From the API',
      'org.opencontainers.image.licenses=Apache-2.0',
      'org.opencontainers.image.revision=3f9c2ab1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8',
      'org.opencontainers.image.source=https://github.com/kubernaut/gateway',
      'org.opencontainers.image.title=gateway',
      'org.opencontainers.image.url=https://github.com/kubernaut/gateway',
      'org.opencontainers.image.version=main'
    ]);
    expect(requests).toContain('GET /repos/kubernaut/gateway token tkn');
  });
});
