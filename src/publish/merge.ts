import {digestOf} from '../registry/client.js';
import {readPushedImage, type ImageFacts} from '../registry/image-facts.js';
import {buildIndex, indexAnnotations, OCI_INDEX} from '../registry/index-manifest.js';
import type {Stage} from './stage.js';
import * as log from '../report/log.js';

/** mode: merge — one index from the platform images the build runs pushed, PUT by digest to every image. */
export async function mergeIndex(stage: Stage): Promise<string> {
  const {plan, session} = stage;
  const sources = plan.merge?.sources ?? [];
  return stage.phase('Merge the platform images into an index', async () => {
    const facts: ImageFacts[] = [];
    for (const s of sources) {
      const image = plan.images.find(i => i.name === s.image) ?? plan.images[0];
      // A build run may have pushed an index (buildx attestations): its platform images are taken.
      const pushed = await readPushedImage(session.client(image.registry), image.repository, s.digest);
      facts.push(...pushed.platforms);
      log.info(`${s.digest}: ${pushed.platforms.map(p => `${p.platform} ${p.digest}`).join(', ')}`);
    }
    const body = buildIndex(facts, indexAnnotations(plan.meta.annotations));
    const digest = digestOf(body);
    for (const image of plan.images) {
      const client = session.client(image.registry);
      for (const f of facts) {
        if (!(await client.manifestDigest(image.repository, f.digest))) {
          throw new Error(
            `${image.name} has no ${f.platform} image ${f.digest}: every build run must push to every image of the merge run`
          );
        }
      }
      await client.putManifest(image.repository, digest, body, OCI_INDEX);
      log.info(`${image.name}@${digest}: index of ${facts.map(f => f.platform).join(', ')} (no tag yet)`);
    }
    return digest;
  });
}
