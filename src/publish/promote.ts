import {copyImage} from '../registry/copy.js';
import {verifyDigests} from '../supply/cosign.js';
import {promotionRefusal} from '../policy/decide.js';
import {readPushedImage} from '../registry/image-facts.js';
import {tagOps} from '../registry/manifests.js';
import {errorText} from '../errors.js';
import {existingImmutableTags} from './immutable.js';
import {policyChecks} from './policy-stage.js';
import {scanStage} from './scan-stage.js';
import {signStage} from './sign-stage.js';
import {required, type PromoteResult, type Stage} from './stage.js';
import {tagStage} from './tag-stage.js';
import * as log from '../report/log.js';

/**
 * mode: promote — an existing image, by digest, to this run's images under this run's tags: verify
 * the source signature and scan gate first, refuse immutable overwrites, copy with signatures and
 * attestations (blob mounts within a registry), optionally re-sign, then tag. Nothing is built.
 * `pushAccess` is the push check started beside this: awaited before the first write.
 */
export async function promote(stage: Stage, pushAccess: () => Promise<void>): Promise<void> {
  const {plan, session, signing, progress} = stage;
  const src = plan.source;
  if (!src) throw new Error('Input "source" is required with mode: promote');
  const srcClient = session.client(src.registry);
  const digest = await stage.phase('Resolve the source', async () => {
    const d = src.digest ?? (await srcClient.manifestDigest(src.repository, src.tag ?? 'latest'));
    if (!d) throw new Error(`Input "source": ${src.ref} does not exist`);
    log.info(`${src.ref} → ${d}`);
    return d;
  });
  progress.result.digest = digest;
  const pushed = await readPushedImage(srcClient, src.repository, digest);
  progress.result.registries = {[src.name]: digest};
  progress.result.platforms = pushed.platforms.map(p => ({
    platform: p.platform,
    digest: p.digest,
    size: p.compressedSize,
    layers: p.layers
  }));
  const result: PromoteResult = {source: src.ref, digest, targets: {}, sourceVerified: false};
  progress.result.promoted = result;

  // The policy decides (plan.promotion): a source signed at build is verified here; an entry that
  // signs at promotion takes an unsigned source and the sign stage below signs the target.
  if (signing && plan.promotion) log.info(plan.promotion.reason);
  if (signing && plan.promotion?.verifySource) {
    const cosign = required(stage.tools.cosign, 'cosign');
    await stage.phase('Verify the source signature', async () => {
      try {
        await verifyDigests(cosign, signing, [`${src.name}@${digest}`], session.env);
      } catch (err: unknown) {
        throw new Error(`cannot promote ${src.name}@${digest}: its signature does not verify (${errorText(err)})`);
      }
    });
    result.sourceVerified = true;
  }
  const scan = await scanStage(stage, pushed.platforms, digest.slice(7, 19)).catch((err: unknown) => {
    throw new Error(`cannot promote ${src.name}@${digest}: ${errorText(err)}`);
  });
  await policyChecks(stage, pushed.platforms);

  const ops = tagOps(
    plan.images,
    digest,
    pushed.platforms.map(p => ({platform: p.platform, digest: p.digest}))
  );
  await pushAccess();
  const existing = await stage.phase('Immutable tags', async () => existingImmutableTags(ops, plan, session));
  const refusal = promotionRefusal(existing);
  if (refusal) throw new Error(refusal);
  const rerun = ops.length > 0 && existing.length === ops.length;
  progress.result.rerun = rerun;
  if (!rerun) {
    await stage.phase('Copy by digest', async () => {
      // Targets at once (each copy bounds its own requests and blobs; limit.ts bounds the blob
      // transfers of the whole process); every copy finishes before the first failure is thrown.
      const targets = plan.images.filter(image => image.canonical !== src.name);
      const copies = await Promise.allSettled(
        targets.map(image =>
          copyImage(
            {client: srcClient, repository: src.repository},
            {client: session.client(image.registry), repository: image.repository},
            digest,
            {log: m => log.info(m)}
          )
        )
      );
      targets.forEach((image, i) => {
        const copy = copies[i];
        if (copy.status !== 'fulfilled') return;
        const stats = copy.value;
        result.targets[image.name] = stats;
        log.info(
          `${image.name}@${digest}: ${stats.manifests} manifest(s), ${stats.blobsMounted} blob(s) mounted, ` +
            `${stats.blobsUploaded} uploaded (${stats.bytesUploaded} bytes), ${stats.blobsExisting} already there, ` +
            `${stats.tagsCopied.length} signature/attestation tag(s)`
        );
      });
      const failed = copies.find((c): c is PromiseRejectedResult => c.status === 'rejected');
      if (failed) throw failed.reason;
    });
  }
  // Without signing here the signature carried along is verified in each target; either way the
  // target holds a signature that verifies before tagStage writes the first tag.
  await signStage(stage, digest, pushed, scan, rerun || !plan.promotion?.sign);
  await tagStage(stage, digest, pushed.platforms);
}
