import {assetName, releaseOf, uploadReleaseAssets} from '../github/release-assets.js';
import type {Stage} from './stage.js';
import * as log from '../report/log.js';

/** On a release event: the SBOMs, reports and SARIF of this run become assets of that release. */
export async function releaseStage(stage: Stage): Promise<void> {
  const {plan, secrets, ctx, progress} = stage;
  if (!plan.releaseAssets) return;
  if (!releaseOf(ctx)) {
    log.info('release-assets: not a release event, nothing uploaded');
    return;
  }
  const scan = progress.result.scan;
  if (!scan) return;
  const image = plan.images[0].name;
  const files = [...Object.values(scan.sboms), ...Object.values(scan.reports), scan.sarif].map(file => ({
    file,
    name: assetName(image, file)
  }));
  progress.result.assets = await stage.phase('Release assets', async () =>
    uploadReleaseAssets(ctx, secrets.githubToken, files)
  );
}
