// The orchestration without root or a bed: publish() in promote and merge mode against an in-memory
// registry (the network edge), with the real plan, policy, registry client and stages. Each case
// asserts the phases in the order they ran and what the registry holds afterwards — above all that
// a refusal at any phase leaves no tag behind.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {planRun} from '../../src/plan.js';
import {parsePolicy} from '../../src/policy/load.js';
import {publish} from '../../src/publish/publish.js';
import type {Progress} from '../../src/publish/stage.js';
import {addBlob, addManifest, fakeRegistry, type FakeRegistry} from '../helpers/fake-registry.js';
import {FIXED_DATE, inputsFrom, runContext} from '../helpers/fixtures.js';

const CONFIG = 'application/vnd.oci.image.config.v1+json';
const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

let reg: FakeRegistry;
let tmp: string;
const saved = {...process.env};

beforeAll(async () => {
  reg = await fakeRegistry();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrator-'));
  process.env.RUNNER_TEMP = tmp;
  process.env.GITHUB_STATE = path.join(tmp, 'state');
  process.env.DOCKER_CONFIG = path.join(tmp, 'no-docker-config');
  fs.writeFileSync(process.env.GITHUB_STATE, '');
});
afterAll(async () => {
  await reg.close();
  process.env = saved;
  fs.rmSync(tmp, {recursive: true, force: true});
});

/** A single-platform image in `repository`, running as `user`; returns its digest. */
function image(repository: string, user: string, arch = 'amd64', tag?: string): string {
  const config = addBlob(
    reg,
    repository,
    Buffer.from(JSON.stringify({os: 'linux', architecture: arch, config: {User: user, Labels: {}}})),
    CONFIG
  );
  const layer = addBlob(reg, repository, Buffer.from(`layer of ${repository} ${user} ${arch}`), LAYER);
  return addManifest(
    reg,
    repository,
    {schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [layer]},
    tag
  ).digest;
}

const policy = (prefix: string) =>
  parsePolicy(
    `version: 1\nregistries:\n  production:\n    match: ${prefix}\n    immutable: true\n    require:\n      non-root: true\n`,
    'policy.yml'
  );

async function run(inputs: Record<string, string>, prefix: string): Promise<{phases: string[]; error?: string}> {
  const {ctx, repo} = runContext('ip_tag_v1.0.0');
  const {plan, secrets} = planRun(
    inputsFrom({'insecure-registries': reg.host, ...inputs}),
    {
      ctx,
      repo,
      now: FIXED_DATE,
      created: FIXED_DATE,
      switches: {},
      runnerTemp: tmp,
      vars: {},
      actor: ''
    },
    'linux/amd64',
    policy(prefix)
  );
  const progress: Progress = {result: {durations: {}}};
  let error: string | undefined;
  await publish(plan, secrets, ctx, progress).catch((e: unknown) => (error = (e as Error).message));
  return {phases: Object.keys(progress.result.durations), ...(error ? {error} : {})};
}

const tags = (repository: string): Record<string, string> => Object.fromEntries(reg.repo(repository).tags);

describe('publish() in promote mode', () => {
  it.each([
    {
      name: 'a non-root image is copied, checked and tagged',
      user: '1000',
      existing: undefined as string | undefined,
      phases: [
        'Login',
        'Tools and settings',
        'Resolve the source',
        'Policy checks',
        'Check push access',
        'Immutable tags',
        'Copy by digest',
        'Tag'
      ],
      error: undefined as string | undefined,
      tagged: true
    },
    {
      name: 'a root image is refused at the policy checks: nothing copied, no tag',
      user: '',
      existing: undefined,
      phases: ['Login', 'Tools and settings', 'Resolve the source', 'Policy checks'],
      error: 'the policy refuses the image, nothing was tagged',
      tagged: false
    },
    {
      name: 'an immutable tag at another digest is refused before the copy: the tag stays',
      user: '1000',
      existing: 'other',
      phases: [
        'Login',
        'Tools and settings',
        'Resolve the source',
        'Policy checks',
        'Check push access',
        'Immutable tags'
      ],
      error: 'the policy makes these tags immutable, nothing was copied or tagged',
      tagged: false
    }
  ])('$name', async c => {
    const n = Math.random().toString(36).slice(2, 8);
    const digest = image(`dev/app${n}`, c.user);
    const other = c.existing ? image(`prod/app${n}`, '1000', 'arm64', 'v1.0.0') : undefined;
    const got = await run(
      {
        mode: 'promote',
        source: `${reg.host}/dev/app${n}@${digest}`,
        images: `${reg.host}/prod/app${n}`,
        tags: 'type=raw,value=v1.0.0'
      },
      `${reg.host}/prod/`
    );
    expect(got.phases).toEqual(c.phases);
    if (c.error) expect(got.error).toContain(c.error);
    else expect(got.error).toBeUndefined();
    expect(tags(`prod/app${n}`)).toEqual(c.tagged ? {'v1.0.0': digest} : other ? {'v1.0.0': other} : {});
    // Refused before the copy: the target holds no manifest of the source.
    if (!c.tagged) expect(reg.repo(`prod/app${n}`).manifests.has(digest)).toBe(false);
  });
});

describe('publish() in promote mode without push access to the target', () => {
  it('runs the push check beside the source work and fails before the first write: nothing copied', async () => {
    const tokenReg = await fakeRegistry({accounts: {ci: {password: 'pw', grants: {'dev/app': ['pull', 'push']}}}});
    try {
      const saved = reg;
      reg = tokenReg;
      const digest = image('dev/app', '1000');
      reg = saved;
      const got = await run(
        {
          mode: 'promote',
          source: `${tokenReg.host}/dev/app@${digest}`,
          images: `${tokenReg.host}/prod/app`,
          tags: 'type=raw,value=v1.0.0',
          'insecure-registries': tokenReg.host,
          'registry-auth': `- registry: ${tokenReg.host}\n  username: ci\n  password: pw\n`
        },
        `${tokenReg.host}/prod/`
      );
      expect(got.phases).toEqual([
        'Login',
        'Tools and settings',
        'Resolve the source',
        'Policy checks',
        'Check push access'
      ]);
      expect(got.error).toContain(`credentials for ${tokenReg.host} are valid but lack push access to prod/app`);
      expect(tokenReg.repo('prod/app').manifests.size).toBe(0);
      expect(tokenReg.repo('prod/app').tags.size).toBe(0);
      // The check ran before the source was resolved, not after it (it started with the tools).
      const check = tokenReg.log.indexOf('POST /v2/prod/app/blobs/uploads/');
      const resolve = tokenReg.log.findIndex(l => l.startsWith(`GET /v2/dev/app/manifests/`));
      expect(check).toBeGreaterThanOrEqual(0);
      expect(check).toBeLessThan(resolve);
    } finally {
      await tokenReg.close();
    }
  });
});

describe('publish() in merge mode', () => {
  it('assembles the index from the build runs, checks it, then tags it', async () => {
    const amd = image('prod/merged', '1000', 'amd64');
    const arm = image('prod/merged', '1000', 'arm64');
    const got = await run(
      {
        mode: 'merge',
        images: `${reg.host}/prod/merged`,
        platforms: 'linux/amd64,linux/arm64',
        digests: `${reg.host}/prod/merged@${amd}\n${reg.host}/prod/merged@${arm}`,
        tags: 'type=raw,value=v2.0.0'
      },
      `${reg.host}/prod/`
    );
    expect(got).toEqual({
      phases: [
        'Login',
        'Tools and settings',
        'Check push access',
        'Merge the platform images into an index',
        'Read back from the registries',
        'Policy checks',
        'Tag'
      ]
    });
    const index = tags('prod/merged')['v2.0.0'];
    const body = JSON.parse(reg.repo('prod/merged').manifests.get(index)?.body.toString() ?? '{}') as {
      manifests: {digest: string}[];
    };
    expect(body.manifests.map(m => m.digest)).toEqual([amd, arm]);
  });

  it('a root platform image is refused after the index exists by digest: no tag', async () => {
    const amd = image('prod/rooted', '1000', 'amd64');
    const arm = image('prod/rooted', '', 'arm64');
    const got = await run(
      {
        mode: 'merge',
        images: `${reg.host}/prod/rooted`,
        platforms: 'linux/amd64,linux/arm64',
        digests: `${amd}\n${arm}`,
        tags: 'type=raw,value=v2.0.0'
      },
      `${reg.host}/prod/`
    );
    expect(got.phases.at(-1)).toBe('Policy checks');
    expect(got.error).toContain('linux/arm64 runs as root');
    expect(tags('prod/rooted')).toEqual({});
  });
});

describe('publish() with push: false', () => {
  it('asks no registry anything, not even for push access (fork pull requests have none)', async () => {
    // No build tool on PATH: the run fails at the build, after every phase that could talk to a registry.
    const path0 = process.env.PATH;
    process.env.PATH = fs.mkdtempSync(path.join(tmp, 'no-tools-'));
    const before = reg.log.length;
    try {
      const got = await run(
        {push: 'false', images: `${reg.host}/pr/app`, tags: 'type=raw,value=pr-1', builder: 'none-here'},
        `${reg.host}/prod/`
      );
      expect(got.phases).not.toContain('Check push access');
      expect(got.phases.slice(0, 2)).toEqual(['Login', 'Tools and settings']);
      expect(got.error).toBeDefined();
      expect(reg.log.slice(before)).toEqual([]);
    } finally {
      process.env.PATH = path0;
    }
  });
});

describe('publish(): the push-access check beside the tool preparation', () => {
  it('runs while prepare works; a prepare that fails first leaves its failure and no unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => {
      rejections.push(reason);
    };
    process.on('unhandledRejection', onRejection);
    const oidc = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'SIGSTORE_ID_TOKEN'];
    const kept = oidc.map(k => [k, process.env[k]] as const);
    for (const k of oidc) delete process.env[k];
    const before = reg.log.length;
    try {
      // Keyless signing without an OIDC token: prepare refuses at once, before any tool is probed.
      const got = await run(
        {
          images: `${reg.host}/early/app`,
          tags: 'type=raw,value=v1',
          keyless: 'true',
          'certificate-identity': 'https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1.0.0',
          'certificate-oidc-issuer': 'https://token.actions.githubusercontent.com'
        },
        `${reg.host}/prod/`
      );
      expect(got.phases).toEqual(['Login', 'Tools and settings']);
      expect(got.error).toContain('Input "keyless": this job gets no OIDC token');
      // The check was under way: its upload session is opened and deleted all the same.
      for (let i = 0; i < 50 && !reg.log.slice(before).some(l => l.startsWith('DELETE')); i++) {
        await new Promise(r => setTimeout(r, 20));
      }
      const requests = reg.log.slice(before).filter(l => l.includes('/early/app/'));
      expect(requests.some(l => /^POST \/v2\/early\/app\/blobs\/uploads\/$/.test(l))).toBe(true);
      expect(requests.some(l => l.startsWith('DELETE /v2/early/app/blobs/uploads/'))).toBe(true);
      await new Promise(r => setTimeout(r, 50));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
      for (const [k, v] of kept) if (v !== undefined) process.env[k] = v;
    }
  });
});
