// The bed's two OCI 1.1 registries with the referrers API, independent implementations:
// go-containerregistry's pkg/registry and cuelabs.dev/go/oci/ociregistry (ociserver over ocimem).
// cosign stores signatures and attestations through the API there: no sha256- tags.
import {describe, it, expect, beforeAll} from '@jest/globals';
import {createHash} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {
  type GrownBed,
  cosignSignArgs,
  cosignVerifyArgs,
  requireGrownBed,
  run,
  runResult,
  tempDir,
  uniqueTag
} from './bed.js';
import {referrersOf, request} from './bed-http.js';

let bed: GrownBed;
beforeAll(() => {
  bed = requireGrownBed();
});

const impls = ['ggcr', 'cue'] as const;
const host = (impl: (typeof impls)[number]) => bed.referrersRegistries[impl].host;
const sha256 = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;

/** Copy the bed's clean image (an index) into a fresh repository; returns repo path and digest. */
function seed(impl: (typeof impls)[number], name: string): {repo: string; tag: string; digest: string} {
  // a repository of its own per run: these registries keep what earlier runs pushed
  const repo = `bed-test/${name}-${impl}-${uniqueTag('r')}`;
  const tag = uniqueTag();
  const src = `${bed.images.clean.ref.replace(/:[^:/]+$/, '')}@${bed.images.clean.digest}`;
  run(bed, 'regctl', ['image', 'copy', src, `${host(impl)}/${repo}:${tag}`]);
  const digest = run(bed, 'regctl', ['image', 'digest', `${host(impl)}/${repo}:${tag}`]).trim();
  return {repo, tag, digest};
}

function tags(impl: (typeof impls)[number], repo: string): string[] {
  return run(bed, 'regctl', ['tag', 'ls', `${host(impl)}/${repo}`])
    .split('\n')
    .filter(Boolean)
    .sort();
}

describe.each(impls)('referrers registry %s', impl => {
  it('answers the referrers API for a digest without referrers (cue: "manifests": null)', async () => {
    const {repo, digest} = seed(impl, 'empty');
    expect(digest).toBe(bed.images.clean.digest);
    const list = await referrersOf(bed, host(impl), repo, digest);
    expect(list.status).toBe(200);
    expect(list.contentType).toBe('application/vnd.oci.image.index.v1+json');
    expect(list.manifests).toEqual(impl === 'cue' ? null : []);
  });

  it('lists a manifest pushed with a subject; cue confirms with OCI-Subject, ggcr sends no such header', async () => {
    const {repo, digest} = seed(impl, 'subject');
    const empty = '{}';
    const emptyDigest = sha256(empty);
    const up = await request(bed, `http://${host(impl)}/v2/${repo}/blobs/uploads/`, {method: 'POST'});
    expect(up.status).toBe(202);
    const loc = new URL(up.headers.location!, `http://${host(impl)}`);
    loc.searchParams.set('digest', emptyDigest);
    const put = await request(bed, loc.toString(), {
      method: 'PUT',
      headers: {'Content-Type': 'application/octet-stream'},
      body: empty
    });
    expect(put.status).toBe(201);
    const subject = await request(bed, `http://${host(impl)}/v2/${repo}/manifests/${digest}`, {
      headers: {Accept: 'application/vnd.oci.image.index.v1+json'}
    });
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.image-publish.test',
      config: {mediaType: 'application/vnd.oci.empty.v1+json', digest: emptyDigest, size: 2},
      layers: [{mediaType: 'application/vnd.oci.empty.v1+json', digest: emptyDigest, size: 2}],
      subject: {mediaType: subject.headers['content-type'], digest, size: Buffer.byteLength(subject.body)}
    });
    const md = sha256(manifest);
    const res = await request(bed, `http://${host(impl)}/v2/${repo}/manifests/${md}`, {
      method: 'PUT',
      headers: {'Content-Type': 'application/vnd.oci.image.manifest.v1+json'},
      body: manifest
    });
    expect(res.status).toBe(201);
    expect(res.headers['oci-subject']).toBe(impl === 'cue' ? digest : undefined);
    const list = await referrersOf(bed, host(impl), repo, digest);
    // ggcr reports the config media type as artifactType, ignoring the manifest's artifactType field
    expect(list.manifests).toEqual([
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: md,
        size: manifest.length,
        artifactType: impl === 'cue' ? 'application/vnd.image-publish.test' : 'application/vnd.oci.empty.v1+json'
      }
    ]);
  });

  it('cosign sign + attest land as referrers, not as sha256- tags, and verify', async () => {
    const {repo, tag, digest} = seed(impl, 'cosign');
    const ref = `${host(impl)}/${repo}@${digest}`;
    const env = {COSIGN_PASSWORD: bed.cosign.password};
    // sign the index only (no --recursive) so that exactly one signature refers to it
    run(
      bed,
      'cosign',
      cosignSignArgs(bed, ref).filter(a => a !== '--recursive'),
      {env}
    );
    const predicate = path.join(tempDir('attest'), 'sbom.spdx.json');
    writeFileSync(
      predicate,
      JSON.stringify({spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT', name: 'bed', packages: []})
    );
    const v3 = bed.versions.cosign.startsWith('v3');
    run(
      bed,
      'cosign',
      [
        'attest',
        '--key',
        bed.cosign.key,
        '--type',
        'spdxjson',
        '--predicate',
        predicate,
        '--tlog-upload=false',
        ...(v3 ? ['--use-signing-config=false'] : []),
        '--yes',
        ref
      ],
      {env}
    );

    expect(tags(impl, repo)).toEqual([tag]);
    const list = await referrersOf(bed, host(impl), repo, digest);
    expect(list.status).toBe(200);
    expect(list.manifests).toHaveLength(2);
    for (const m of list.manifests!) {
      const manifest = JSON.parse(
        run(bed, 'regctl', ['manifest', 'get', '--format', 'raw-body', `${host(impl)}/${repo}@${m.digest}`])
      ) as {
        subject: {digest: string};
      };
      expect(manifest.subject.digest).toBe(digest);
    }

    const ok = runResult(bed, 'cosign', cosignVerifyArgs(bed, ref));
    expect(`${ok.status}\n${ok.stderr}`).toMatch(/^0\n/);
    const att = runResult(bed, 'cosign', [
      'verify-attestation',
      '--key',
      bed.cosign.pub,
      '--insecure-ignore-tlog',
      '--type',
      'spdxjson',
      ref
    ]);
    expect(`${att.status}\n${att.stderr}`).toMatch(/^0\n/);
  });
});
