import type {Session} from '../login/session.js';
import {latestDecision} from '../meta/latest.js';
import type {PlannedImage} from '../meta/index.js';
import type {ImageFacts} from '../registry/image-facts.js';
import {tagOps, type TagOp} from '../registry/manifests.js';
import {decideTags} from './immutable.js';
import {writeTags} from './tag-writes.js';
import type {Stage} from './stage.js';
import * as log from '../report/log.js';

/**
 * `flavor: latest=highest`: the one decision the plan cannot make alone, since it needs the tags the
 * registry holds. Read right before tagging (not at plan time) so a release that finished meanwhile
 * counts. Returns the ops without the `latest` tags this release may not take.
 */
export async function resolveLatest(ops: TagOp[], images: PlannedImage[], session: Session): Promise<TagOp[]> {
  const drop = new Set<string>();
  for (const image of images) {
    const guard = image.latestGuard;
    if (!guard) continue;
    const existing = await session.client(image.registry).listTags(image.repository);
    const d = latestDecision(guard, existing);
    if (d.keep) {
      log.info(
        d.highest
          ? log.line`${image.name}:${guard.tag} moves to ${guard.version} (latest=highest: the highest release so far is ${d.highestTag})`
          : log.line`${image.name}:${guard.tag} → ${guard.version} (latest=highest: no earlier release in the repository)`
      );
      continue;
    }
    drop.add(`${image.name}\n${guard.tag}`);
    log.info(
      log.line`${image.name}:${guard.tag} stays where it is: ${guard.version} is lower than ${d.highestTag} already in the repository (latest=highest)`
    );
  }
  return ops.filter(op => op.platform !== undefined || !drop.has(`${op.image}\n${op.tag}`));
}

/**
 * Tags last: immutable tags already in place are left alone, an overwrite is refused before any
 * write; the writes run concurrently (tag-writes.ts: children before indexes).
 */
export async function tagStage(stage: Stage, digest: string, platforms: ImageFacts[]): Promise<void> {
  const {plan, session} = stage;
  const planned = tagOps(
    plan.images,
    digest,
    platforms.map(p => ({platform: p.platform, digest: p.digest}))
  );
  await stage.phase('Tag', async () => {
    const ops = await resolveLatest(planned, plan.images, session);
    const {write, unchanged} = await decideTags(ops, plan, session);
    for (const op of unchanged) log.info(`${op.image}:${op.tag} already → ${op.digest} (immutable, unchanged)`);
    const landed = new Set<TagOp>();
    try {
      await writeTags(write, session, op => landed.add(op));
    } finally {
      // In the planned order, whatever order the concurrent writes finished in.
      for (const op of write.filter(o => landed.has(o))) {
        log.info(`${op.image}:${op.tag} → ${op.digest}${op.platform ? ` (${op.platform})` : ''}`);
      }
    }
    stage.progress.result.tags = write;
    stage.progress.result.unchanged = unchanged;
  });
}
