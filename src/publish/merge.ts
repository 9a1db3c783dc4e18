import {digestOf} from '../registry/client.js';
import {readPushedImage, type ImageFacts} from '../registry/image-facts.js';
import {buildIndex, indexAnnotations, OCI_INDEX} from '../registry/index-manifest.js';
import {attestationsOfIndex, isIndex, type Descriptor} from '../registry/manifests.js';
import {canonicalName} from '../registry/reference.js';
import {collectDigests} from './artifacts.js';
import type {Stage} from './stage.js';
import * as log from '../report/log.js';

/** The sources of the merge: the `digests` input, or the artifacts the build runs of this workflow run recorded. */
async function mergeSources(stage: Stage): Promise<{image: string; digest: string}[]> {
  const {plan} = stage;
  const merge = plan.merge ?? {sources: []};
  if (!merge.collect) return merge.sources;
  const found = await collectDigests(merge.collect);
  if (found.length === 0) {
    throw new Error(
      `Input "digests" is empty and this workflow run holds no digest artifact of these images (image-publish-digests-*-${merge.collect}-*): run the mode: build jobs with the same "images" before this job (needs: build), or pass their digest outputs in "digests"`
    );
  }
  const first = plan.images[0].name;
  return found.map(({name, record}) => {
    log.info(`artifact ${name}: ${record.digest} (${record.platforms.join(', ')})`);
    const image =
      plan.images.find(i => record.images.some(r => canonicalName(r) === canonicalName(i.name)))?.name ?? first;
    return {image, digest: record.digest};
  });
}

/**
 * mode: merge — one index from the platform images the build runs pushed, PUT by digest to every
 * image. As `docker buildx imagetools create`: every attestation manifest of every source comes
 * along, its `vnd.docker.reference.digest` still naming its platform manifest.
 */
export async function mergeIndex(stage: Stage): Promise<string> {
  const {plan, session} = stage;
  return stage.phase('Merge the platform images into an index', async () => {
    const sources = await mergeSources(stage);
    const facts: ImageFacts[] = [];
    const attestations: Descriptor[] = [];
    for (const s of sources) {
      const image = plan.images.find(i => i.name === s.image) ?? plan.images[0];
      const client = session.client(image.registry);
      // A build run may have pushed an index (buildx attestations): its platform images are taken.
      const pushed = await readPushedImage(client, image.repository, s.digest);
      facts.push(...pushed.platforms);
      if (pushed.index) {
        const m = await client.getManifest(image.repository, s.digest);
        const body = JSON.parse(m.body.toString('utf8')) as {manifests?: Descriptor[]};
        if (isIndex(m.mediaType, body)) attestations.push(...attestationsOfIndex(body));
      }
      log.info(`${s.digest}: ${pushed.platforms.map(p => `${p.platform} ${p.digest}`).join(', ')}`);
    }
    const body = buildIndex(facts, indexAnnotations(plan.meta.annotations), attestations);
    const digest = digestOf(body);
    const needed = [
      ...facts.map(f => ({what: `${f.platform} image`, digest: f.digest})),
      ...attestations.map(a => ({what: 'attestation manifest', digest: a.digest}))
    ];
    for (const image of plan.images) {
      const client = session.client(image.registry);
      for (const n of needed) {
        if (!(await client.manifestDigest(image.repository, n.digest))) {
          throw new Error(
            `${image.name} has no ${n.what} ${n.digest}: every build run must push to every image of the merge run`
          );
        }
      }
      await client.putManifest(image.repository, digest, body, OCI_INDEX);
      log.info(
        `${image.name}@${digest}: index of ${facts.map(f => f.platform).join(', ')}${attestations.length ? ` + ${attestations.length} attestation manifest(s)` : ''} (no tag yet)`
      );
    }
    stage.progress.result.metadata = JSON.stringify({
      'containerimage.descriptor': {mediaType: OCI_INDEX, digest, size: body.length},
      'containerimage.digest': digest
    });
    return digest;
  });
}
