import {reportDir} from '../plan.js';
import type {ImageFacts} from '../registry/image-facts.js';
import {prefetchTrivyDb, scanAndSbom, type DbPrefetch, type ScanOutcome} from '../supply/pipeline.js';
import {required, type Stage} from './stage.js';

/** The image the scans read (the first image's registry: same digest everywhere). */
const scannedImage = (stage: Stage) =>
  stage.plan.mode === 'promote' && stage.plan.source ? stage.plan.source : stage.plan.images[0];

/** Whether trivy's `--insecure` applies to this run's DB fetch and scans. */
export const scanInsecure = (stage: Stage, local: boolean): boolean =>
  local
    ? stage.plan.scan.dbRepositories.some(r => stage.plan.build.insecureRegistries.includes(r.split('/')[0]))
    : stage.session.insecure(scannedImage(stage).registry);

/**
 * Starts the vulnerability DB fetch when this run will scan or write SBOMs, to run beside the
 * build (or the source checks of a promotion); scanStage awaits it.
 */
export function startDbPrefetch(stage: Stage, local: boolean): DbPrefetch | undefined {
  const {plan} = stage;
  if (!stage.tools.trivy || plan.mode === 'build' || (!plan.supply.scan && plan.supply.sbom === 'none')) return;
  return prefetchTrivyDb({
    trivy: stage.tools.trivy,
    cacheDir: plan.scan.cacheDir,
    dbRepositories: plan.scan.dbRepositories,
    insecure: scanInsecure(stage, local),
    env: stage.session.env
  });
}

/** Scan + SBOM of every platform manifest (from the first image's registry: same digest everywhere). */
export async function scanStage(
  stage: Stage,
  platforms: ImageFacts[],
  label: string
): Promise<ScanOutcome | undefined> {
  const {plan, session} = stage;
  if (!plan.supply.scan && plan.supply.sbom === 'none') return undefined;
  const first = scannedImage(stage);
  const outcome = await stage.phase(plan.supply.scan ? 'Scan and SBOM' : 'SBOM', async () =>
    scanAndSbom({
      trivy: required(stage.tools.trivy, 'trivy'),
      scans: platforms.map(p => ({platform: p.platform, ref: `${first.name}@${p.digest}`})),
      outDir: reportDir(plan, label),
      cacheDir: plan.scan.cacheDir,
      dbRepositories: plan.scan.dbRepositories,
      insecure: scanInsecure(stage, false),
      sbomFormat: plan.supply.sbom,
      env: session.env,
      gate: stage.gate,
      now: plan.now,
      db: stage.trivyDb
    })
  );
  stage.progress.result.scan = outcome;
  const verdict = outcome.verdict;
  if (verdict && !verdict.pass) {
    throw new Error(`the scan gate failed, nothing was tagged:\n- ${verdict.violations.join('\n- ')}`);
  }
  return outcome;
}
