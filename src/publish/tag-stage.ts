import type {ImageFacts} from '../registry/image-facts.js';
import {tagOps} from '../registry/manifests.js';
import {decideTags} from './immutable.js';
import type {Stage} from './stage.js';
import * as log from '../report/log.js';

/** Tags last: immutable tags already in place are left alone, an overwrite is refused before any write. */
export async function tagStage(stage: Stage, digest: string, platforms: ImageFacts[]): Promise<void> {
  const {plan, session} = stage;
  const ops = tagOps(
    plan.images,
    digest,
    platforms.map(p => ({platform: p.platform, digest: p.digest}))
  );
  await stage.phase('Tag', async () => {
    const {write, unchanged} = await decideTags(ops, plan, session);
    for (const op of unchanged) log.info(`${op.image}:${op.tag} already → ${op.digest} (immutable, unchanged)`);
    for (const op of write) {
      await session.client(op.registry).tag(op.repository, op.digest, op.tag);
      log.info(`${op.image}:${op.tag} → ${op.digest}${op.platform ? ` (${op.platform})` : ''}`);
    }
    stage.progress.result.tags = write;
    stage.progress.result.unchanged = unchanged;
  });
}
