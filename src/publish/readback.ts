import {readPushedImage, type PushedImage} from '../registry/image-facts.js';
import type {Stage} from './stage.js';
import * as log from '../report/log.js';

/** Reads the pushed digest back from every image's registry and checks the platforms. */
export async function readBack(stage: Stage, digest: string): Promise<PushedImage> {
  const {plan, session} = stage;
  return stage.phase('Read back from the registries', async () => {
    const perRegistry: Record<string, string> = {};
    // Every registry at once; reported in the order of the images.
    const all = await Promise.all(
      plan.images.map(image => readPushedImage(session.client(image.registry), image.repository, digest))
    );
    plan.images.forEach((image, i) => {
      perRegistry[image.name] = all[i].digest;
      log.info(`${image.name}@${all[i].digest}: ${all[i].platforms.map(p => p.platform).join(', ')}`);
    });
    const pushed = all[0] as PushedImage;
    const got = pushed.platforms.map(p => p.platform).sort();
    const want = [...plan.platforms].sort();
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      throw new Error(`the pushed image holds ${got.join(', ')} but platforms asked ${want.join(', ')}`);
    }
    stage.progress.result.registries = perRegistry;
    stage.progress.result.platforms = pushed.platforms.map(p => ({
      platform: p.platform,
      digest: p.digest,
      size: p.compressedSize,
      layers: p.layers
    }));
    return pushed;
  });
}
