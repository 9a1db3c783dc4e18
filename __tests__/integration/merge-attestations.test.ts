// Issue 13, point 1 and 2 on the bed: two `mode: build` runs with BuildKit provenance (mode=max),
// one per platform, then `mode: merge` through dist/index.js. The merged index keeps both platform
// manifests and both attestation manifests (as `docker buildx imagetools create` does), each
// attestation pointing at its own platform, and the provenance names the run URL as its builder.
import {beforeAll, describe, expect, it} from '@jest/globals';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {errorsOf, runDist, type DistRun} from '../helpers/run-dist.js';
import {actionEnv} from './action-env.js';
import {type Bed, type Descriptor, loadBed, manifestRaw, run, tagsOf, tempDir, uniqueTag} from './bed.js';

const REFERENCE = 'vnd.docker.reference.digest';
const ATTESTATION = 'attestation-manifest';

interface Index {
  manifests: Descriptor[];
}
interface Manifest {
  layers: {mediaType: string; digest: string; annotations?: Record<string, string>}[];
}
interface Statement {
  predicateType: string;
  subject: {digest: {sha256: string}}[];
  predicate: {builder?: {id?: string}; runDetails?: {builder?: {id?: string}}};
}

const ok = (r: DistRun) => ({code: r.code, errors: errorsOf(r.stdout)});
const platformOf = (d: Descriptor): string => `${d.platform?.os}/${d.platform?.architecture}`;
const isAttestation = (d: Descriptor): boolean => d.annotations?.['vnd.docker.reference.type'] === ATTESTATION;

/** The in-toto provenance statement an attestation manifest carries (one layer per predicate). */
function provenance(bed: Bed, repo: string, attestation: string): Statement {
  const m = manifestRaw<Manifest>(bed, `${repo}@${attestation}`);
  const layer = m.layers.find(l =>
    (l.annotations?.['in-toto.io/predicate-type'] ?? '').includes('slsa.dev/provenance')
  );
  if (!layer) throw new Error(`no provenance layer in ${attestation}`);
  return JSON.parse(run(bed, 'regctl', ['blob', 'get', repo, layer.digest])) as Statement;
}

/** SLSA v0.2 keeps the builder at predicate.builder, v1 at predicate.runDetails.builder. */
const builderId = (s: Statement): string | undefined => s.predicate.builder?.id ?? s.predicate.runDetails?.builder?.id;

describe('mode: merge keeps the BuildKit attestations of every build run', () => {
  let bed: Bed;
  let image: string;
  let runUrl: string;
  let amd: DistRun;
  let arm: DistRun;
  let merged: DistRun;
  let builds: Record<string, Index>;
  let index: Index;
  beforeAll(async () => {
    bed = loadBed();
    const u = uniqueTag();
    image = `${bed.devRegistry.host}/it/attest-${u}`;
    const ctx = tempDir('attest-ctx');
    writeFileSync(path.join(ctx, 'hello.txt'), `attestations ${u}\n`);
    writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${bed.images.clean.ref}\nCOPY hello.txt /hello.txt\nUSER 1001\n`);
    // A run URL of our own: the builder id must come from these three variables (and the attempt).
    const runId = String(Date.now());
    const vars = {
      GITHUB_SERVER_URL: 'https://github.example.test',
      GITHUB_REPOSITORY: `acme/attest-${u}`,
      GITHUB_RUN_ID: runId,
      GITHUB_RUN_ATTEMPT: '2'
    };
    runUrl = `https://github.example.test/acme/attest-${u}/actions/runs/${runId}/attempts/2`;
    const env = () => ({...actionEnv(bed, tempDir('runner'), 'ip_tag_v1.0.0'), ...vars});
    const base = {
      images: image,
      context: ctx,
      'insecure-registries': bed.devRegistry.host,
      builder: bed.buildkit.builder,
      provenance: 'mode=max'
    };
    amd = await runDist(env(), {...base, mode: 'build', platforms: 'linux/amd64'});
    arm = await runDist(env(), {...base, mode: 'build', platforms: 'linux/arm64'});
    builds = {
      'linux/amd64': manifestRaw<Index>(bed, `${image}@${amd.outputs.digest}`),
      'linux/arm64': manifestRaw<Index>(bed, `${image}@${arm.outputs.digest}`)
    };
    merged = await runDist(env(), {
      ...base,
      mode: 'merge',
      platforms: 'linux/amd64,linux/arm64',
      digests: `${amd.outputs.digest}\n${arm.outputs.digest}`,
      'tag-preset': 'semver-release'
    });
    index = manifestRaw<Index>(bed, `${image}:v1.0.0`);
  }, 900_000);

  it('each build run pushed an index of its platform manifest and one attestation manifest', () => {
    expect([ok(amd), ok(arm)]).toEqual([
      {code: 0, errors: []},
      {code: 0, errors: []}
    ]);
    for (const [platform, build] of Object.entries(builds)) {
      const platforms = build.manifests.filter(m => !isAttestation(m)).map(platformOf);
      const attestations = build.manifests.filter(isAttestation);
      expect({platforms, attestations: attestations.length}).toEqual({platforms: [platform], attestations: 1});
    }
  });

  it('the merged index lists both platform manifests and both attestation manifests', () => {
    expect(ok(merged)).toEqual({code: 0, errors: []});
    expect(tagsOf(bed, image)).toEqual(['latest', 'v1.0.0']);
    const expected = Object.values(builds).flatMap(b => b.manifests.map(m => m.digest));
    expect(index.manifests.map(m => m.digest).sort()).toEqual(expected.sort());
    expect(index.manifests.filter(m => !isAttestation(m)).map(platformOf)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(index.manifests.filter(isAttestation)).toHaveLength(2);
  });

  it("each attestation's reference annotation names its own platform manifest", () => {
    for (const build of Object.values(builds)) {
      const platform = build.manifests.find(m => !isAttestation(m));
      const attestation = build.manifests.find(isAttestation);
      const inMerged = index.manifests.find(m => m.digest === attestation?.digest);
      expect(inMerged?.annotations?.[REFERENCE]).toBe(platform?.digest);
      expect(index.manifests.some(m => m.digest === platform?.digest && !isAttestation(m))).toBe(true);
    }
  });

  it('the provenance predicate names the run URL as builder, and its subject is the platform image', () => {
    for (const build of Object.values(builds)) {
      const platform = build.manifests.find(m => !isAttestation(m));
      const attestation = build.manifests.find(isAttestation);
      const statement = provenance(bed, image, attestation?.digest ?? '');
      expect(builderId(statement)).toBe(runUrl);
      expect(statement.subject.map(s => `sha256:${s.digest.sha256}`)).toContain(platform?.digest);
    }
  });
});
