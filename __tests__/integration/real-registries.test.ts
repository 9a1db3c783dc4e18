// Issue 16 through dist/index.js against registries that behave like the real ones: token auth in
// both realm styles (Docker Hub: realm on another host; GHCR/Quay: realm on the registry's origin)
// and the two referrers registries (ggcr, and cuelabs' ociregistry whose empty list is
// `manifests: null`). Each publishes with buildah (our uploader pushes the blobs), signs with the
// bed's cosign key, promotes and merges, and reads tags, digests and signatures back.
import {beforeAll, describe, expect, it} from '@jest/globals';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {errorsOf, runDist, type DistRun} from '../helpers/run-dist.js';
import {actionEnv, engineInputs} from './action-env.js';
import {
  type BedAccount,
  type GrownBed,
  type IndexManifest,
  requireGrownBed,
  runResult,
  tempDir,
  uniqueTag
} from './bed.js';
import {dockerConfigWith, referrersOf} from './bed-http.js';

const PLATFORMS = 'linux/amd64,linux/arm64';
const ok = (r: DistRun) => ({code: r.code, errors: errorsOf(r.stdout)});

function context(bed: GrownBed, text: string): string {
  const dir = tempDir('it16-ctx');
  writeFileSync(path.join(dir, 'hello.txt'), `${text}\n`);
  writeFileSync(
    path.join(dir, 'Dockerfile'),
    [`FROM ${bed.images.busybox.ref}`, 'COPY hello.txt /hello.txt', 'USER 1001'].join('\n') + '\n'
  );
  return dir;
}

/** The test's own view of a registry: regctl and cosign with exactly this login (none = anonymous). */
class Reader {
  private readonly env: Record<string, string>;
  constructor(
    private readonly bed: GrownBed,
    host: string,
    account?: BedAccount
  ) {
    const regctl = JSON.parse(readFileSync(bed.regctlConfig, 'utf8')) as {hosts: Record<string, object>};
    if (account) regctl.hosts[host] = {...regctl.hosts[host], user: account.username, pass: account.password};
    const file = path.join(tempDir('it16-regctl'), 'config.json');
    writeFileSync(file, JSON.stringify(regctl), {mode: 0o600});
    this.env = {
      REGCTL_CONFIG: file,
      DOCKER_CONFIG: dockerConfigWith(bed, account ? {[host]: account} : {}),
      COSIGN_PASSWORD: bed.cosign.password
    };
  }

  private run(cmd: string, args: string[]): string {
    const r = runResult(this.bed, cmd, args, {env: this.env});
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  }

  /** Every tag, sha256- ones included (sorted). */
  allTags(repo: string): string[] {
    const r = runResult(this.bed, 'regctl', ['tag', 'ls', repo], {env: this.env});
    return r.stdout.split('\n').filter(Boolean).sort();
  }

  tags(repo: string): string[] {
    return this.allTags(repo).filter(t => !t.startsWith('sha256-'));
  }

  digest(ref: string): string {
    return this.run('regctl', ['image', 'digest', ref]).trim();
  }

  index(ref: string): IndexManifest {
    return JSON.parse(this.run('regctl', ['manifest', 'get', '--format', 'raw-body', ref])) as IndexManifest;
  }

  manifest(ref: string): {artifactType?: string; subject?: {digest: string}} {
    return JSON.parse(this.run('regctl', ['manifest', 'get', '--format', 'raw-body', ref])) as {
      artifactType?: string;
      subject?: {digest: string};
    };
  }

  verify(refAtDigest: string): {status: number; stderr: string} {
    const r = runResult(
      this.bed,
      'cosign',
      ['verify', '--key', this.bed.cosign.pub, '--insecure-ignore-tlog', '--allow-http-registry', refAtDigest],
      {env: this.env}
    );
    return {status: r.status, stderr: r.stderr};
  }
}

function signing(bed: GrownBed): Record<string, string> {
  return {
    'cosign-key': readFileSync(bed.cosign.key, 'utf8'),
    'cosign-password': bed.cosign.password,
    'tlog-upload': 'false',
    'trivy-db-repository': bed.trivy.dbRepository,
    'trivy-cache-dir': path.join(tempDir('it16-trivy'), 'cache')
  };
}

interface Digests {
  index: string;
  platforms: Record<string, string>;
}

const platformRefs = (image: string, d: Digests) =>
  ['linux/amd64', 'linux/arm64'].map(p => `${image}@${d.platforms[p]}`);

describe.each(['hub', 'origin'] as const)('token-auth registry, %s realm (account pusher)', style => {
  let bed: GrownBed;
  let host: string;
  let app: string;
  let release: string;
  let reader: Reader;
  let auth: (a: BedAccount) => Record<string, string>;
  let published: DistRun;
  let promoted: DistRun;
  let merged: DistRun;
  let digests: Digests;
  beforeAll(async () => {
    bed = requireGrownBed();
    host = bed.tokenRegistries[style].host;
    const u = uniqueTag('it16');
    app = `${host}/${u}/app`;
    release = `${host}/${u}/release`;
    reader = new Reader(bed, host, bed.tokenRegistries.pusher);
    auth = a => ({
      'registry-auth': `- registry: ${host}\n  username: ${a.username}\n  password: ${a.password}\n`,
      'insecure-registries': bed.devRegistry.host
    });
    const pusher = auth(bed.tokenRegistries.pusher);
    published = await runDist(actionEnv(bed, tempDir('runner')), {
      images: app,
      'tag-preset': 'semver-release',
      platforms: PLATFORMS,
      context: context(bed, `token ${style}`),
      ...pusher,
      ...signing(bed),
      ...engineInputs(bed, 'buildah')
    });
    digests = JSON.parse(published.outputs.digests ?? '{}') as Digests;
    promoted = await runDist(actionEnv(bed, tempDir('runner'), 'ip_dispatch'), {
      mode: 'promote',
      source: `${app}:v1.0.0`,
      images: release,
      version: '1.0.0',
      tags: 'type=semver,pattern={{version}},prefix=v',
      flavor: 'latest=false',
      ...pusher,
      ...signing(bed)
    });
    merged = await runDist(actionEnv(bed, tempDir('runner'), 'ip_push_main'), {
      mode: 'merge',
      images: app,
      platforms: PLATFORMS,
      digests: platformRefs(app, digests).join('\n'),
      tags: 'type=raw,value=merged',
      ...pusher,
      ...signing(bed),
      ...engineInputs(bed, 'buildah')
    });
  }, 1_200_000);

  it('publish: exactly the planned tags, the digest output is the registry digest, cosign verifies it', () => {
    expect(ok(published)).toEqual({code: 0, errors: []});
    // the registry's final tag list (merge added one) is asserted in the merge test
    expect(published.outputs.images.split('\n')).toEqual([
      `${app}:v1.0.0@${published.outputs.digest}`,
      `${app}:latest@${published.outputs.digest}`
    ]);
    expect(reader.digest(`${app}:v1.0.0`)).toBe(published.outputs.digest);
    expect(reader.digest(`${app}:latest`)).toBe(published.outputs.digest);
    expect(Object.keys(digests.platforms).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    expect(
      reader
        .index(`${app}@${published.outputs.digest}`)
        .manifests.map(m => m.digest)
        .sort()
    ).toEqual(Object.values(digests.platforms).sort());
    expect(reader.verify(`${app}@${published.outputs.digest}`)).toMatchObject({status: 0});
  });

  it('promote: the same digest under exactly v1.0.0 in another repository, the signature verifies there', () => {
    expect(ok(promoted)).toEqual({code: 0, errors: []});
    expect(reader.tags(release)).toEqual(['v1.0.0']);
    expect(reader.digest(`${release}:v1.0.0`)).toBe(published.outputs.digest);
    expect(JSON.parse(promoted.outputs.promoted)).toMatchObject({digest: published.outputs.digest});
    expect(reader.verify(`${release}@${published.outputs.digest}`)).toMatchObject({status: 0});
  });

  it('merge: an index of the two platform digests, tagged merged, signed', () => {
    expect(ok(merged)).toEqual({code: 0, errors: []});
    expect(reader.tags(app)).toEqual(['latest', 'merged', 'v1.0.0']);
    expect(reader.digest(`${app}:merged`)).toBe(merged.outputs.digest);
    const index = reader.index(`${app}:merged`);
    expect(index.manifests.map(m => [`${m.platform?.os}/${m.platform?.architecture}`, m.digest])).toEqual([
      ['linux/amd64', digests.platforms['linux/amd64']],
      ['linux/arm64', digests.platforms['linux/arm64']]
    ]);
    expect(reader.verify(`${app}@${merged.outputs.digest}`)).toMatchObject({status: 0});
  });

  it('puller: fails within seconds at "Check push access", naming registry and repository, before any build', async () => {
    const repo = `${uniqueTag('it16-puller')}/app`;
    const started = Date.now();
    const run = await runDist(actionEnv(bed, tempDir('runner')), {
      images: `${host}/${repo}`,
      'tag-preset': 'semver-release',
      platforms: PLATFORMS,
      context: context(bed, 'puller'),
      ...auth(bed.tokenRegistries.puller),
      ...engineInputs(bed, 'buildah')
    });
    const seconds = (Date.now() - started) / 1000;
    expect(run.code).toBe(1);
    const errors = errorsOf(run.stdout).join('\n');
    expect(errors).toContain(`credentials for ${host} are valid but lack push access to ${repo}`);
    const groups = [...run.stdout.matchAll(/^::group::(.*)$/gm)].map(m => m[1]);
    expect(groups.slice(groups.indexOf('Login'))).toEqual(['Login', 'Tools and settings', 'Check push access']);
    expect(reader.allTags(`${host}/${repo}`)).toEqual([]);
    expect(seconds).toBeLessThan(30);
  }, 120_000);
});

describe('referrers registries: signatures and attestations as referrers, through a ggcr ↔ cuelabs promotion', () => {
  let bed: GrownBed;
  let ggcr: string;
  let cue: string;
  let back: string;
  let readers: Record<string, Reader>;
  let published: DistRun;
  let toCue: DistRun;
  let toGgcr: DistRun;
  let digests: Digests;
  const insecure = (b: GrownBed) =>
    [b.devRegistry.host, b.referrersRegistries.ggcr.host, b.referrersRegistries.cue.host].join(',');
  beforeAll(async () => {
    bed = requireGrownBed();
    const u = uniqueTag('it16');
    ggcr = `${bed.referrersRegistries.ggcr.host}/${u}/app`;
    cue = `${bed.referrersRegistries.cue.host}/${u}/app`;
    back = `${bed.referrersRegistries.ggcr.host}/${u}/back`;
    readers = {
      ggcr: new Reader(bed, bed.referrersRegistries.ggcr.host),
      cue: new Reader(bed, bed.referrersRegistries.cue.host)
    };
    const common = {'insecure-registries': insecure(bed), 'signature-format': 'bundle', ...signing(bed)};
    published = await runDist(actionEnv(bed, tempDir('runner')), {
      images: ggcr,
      'tag-preset': 'semver-release',
      platforms: PLATFORMS,
      context: context(bed, 'referrers'),
      ...common,
      ...engineInputs(bed, 'buildah')
    });
    digests = JSON.parse(published.outputs.digests ?? '{}') as Digests;
    const promote = (source: string, image: string) =>
      runDist(actionEnv(bed, tempDir('runner'), 'ip_dispatch'), {
        mode: 'promote',
        source,
        images: image,
        version: '1.0.0',
        tags: 'type=semver,pattern={{version}},prefix=v',
        flavor: 'latest=false',
        ...common
      });
    toCue = await promote(`${ggcr}:v1.0.0`, cue);
    toGgcr = await promote(`${cue}:v1.0.0`, back);
  }, 1_200_000);

  const hostOf = (image: string) => image.split('/')[0];
  const repoOf = (image: string) => image.split('/').slice(1).join('/');

  /**
   * `artifactType digest` of the referrers of the index and of each platform manifest, read from
   * the referrer manifests themselves: ggcr's referrers list reports config.mediaType
   * (application/vnd.oci.empty.v1+json) as artifactType, cuelabs the manifest's artifactType.
   */
  async function referrers(image: string, digest: string): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    const reader = hostOf(image) === bed.referrersRegistries.cue.host ? readers.cue : readers.ggcr;
    for (const [name, d] of [['index', digest], ...Object.entries(digests.platforms)]) {
      const list = await referrersOf(bed, hostOf(image), repoOf(image), d);
      expect(list.status).toBe(200);
      out[name] = (list.manifests ?? [])
        .map(m => {
          const manifest = reader.manifest(`${image}@${m.digest}`);
          expect(manifest.subject?.digest).toBe(d);
          return `${manifest.artifactType} ${m.digest}`;
        })
        .sort();
    }
    return out;
  }
  const types = (r: Record<string, string[]>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.map(x => x.split(' ')[0])]));
  const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

  it('publish to ggcr: tags without any sha256- tag; signature on index and platforms, SBOM attestation on platforms', async () => {
    expect(ok(published)).toEqual({code: 0, errors: []});
    expect(readers.ggcr.allTags(ggcr)).toEqual(['latest', 'v1.0.0']);
    expect(readers.ggcr.digest(`${ggcr}:v1.0.0`)).toBe(published.outputs.digest);
    // index: its signature; each platform: its signature and its SBOM attestation (both bundles)
    expect(types(await referrers(ggcr, published.outputs.digest))).toEqual({
      index: [BUNDLE],
      'linux/amd64': [BUNDLE, BUNDLE],
      'linux/arm64': [BUNDLE, BUNDLE]
    });
    expect(readers.ggcr.verify(`${ggcr}@${published.outputs.digest}`)).toMatchObject({status: 0});
  });

  it('promote ggcr → cuelabs (empty referrers list is null there): same digest, same referrers, no sha256- tag', async () => {
    expect(ok(toCue)).toEqual({code: 0, errors: []});
    expect(readers.cue.allTags(cue)).toEqual(['v1.0.0']);
    expect(readers.cue.digest(`${cue}:v1.0.0`)).toBe(published.outputs.digest);
    // the very same referrer manifests (same digests) on every subject
    expect(await referrers(cue, published.outputs.digest)).toEqual(await referrers(ggcr, published.outputs.digest));
    expect(readers.cue.verify(`${cue}@${published.outputs.digest}`)).toMatchObject({status: 0});
  });

  it('promote cuelabs → ggcr: the referrers survive the way back', async () => {
    expect(ok(toGgcr)).toEqual({code: 0, errors: []});
    expect(readers.ggcr.allTags(back)).toEqual(['v1.0.0']);
    expect(readers.ggcr.digest(`${back}:v1.0.0`)).toBe(published.outputs.digest);
    expect(await referrers(back, published.outputs.digest)).toEqual(await referrers(ggcr, published.outputs.digest));
    expect(readers.ggcr.verify(`${back}@${published.outputs.digest}`)).toMatchObject({status: 0});
  });
});
