import {reportDir} from '../plan.js';
import type {ImageFacts} from '../registry/image-facts.js';
import {scanAndSbom, type ScanOutcome} from '../supply/pipeline.js';
import {required, type Stage} from './stage.js';

/** Scan + SBOM of every platform manifest (from the first image's registry: same digest everywhere). */
export async function scanStage(
  stage: Stage,
  platforms: ImageFacts[],
  label: string
): Promise<ScanOutcome | undefined> {
  const {plan, session} = stage;
  if (!plan.supply.scan && plan.supply.sbom === 'none') return undefined;
  const first = plan.mode === 'promote' && plan.source ? plan.source : plan.images[0];
  const outcome = await stage.phase(plan.supply.scan ? 'Scan and SBOM' : 'SBOM', async () =>
    scanAndSbom({
      trivy: required(stage.tools.trivy, 'trivy'),
      scans: platforms.map(p => ({platform: p.platform, ref: `${first.name}@${p.digest}`})),
      outDir: reportDir(plan, label),
      cacheDir: plan.scan.cacheDir,
      dbRepositories: plan.scan.dbRepositories,
      insecure: session.insecure(first.registry),
      sbomFormat: plan.supply.sbom,
      env: session.env,
      gate: stage.gate,
      now: plan.now
    })
  );
  stage.progress.result.scan = outcome;
  const verdict = outcome.verdict;
  if (verdict && !verdict.pass) {
    throw new Error(`the scan gate failed, nothing was tagged:\n- ${verdict.violations.join('\n- ')}`);
  }
  return outcome;
}
