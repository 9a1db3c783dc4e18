import type {Plan} from '../plan.js';
import {formatLimits} from './supply.js';

export interface PlanStep {
  phase: 'setup' | 'login' | 'build' | 'push' | 'merge' | 'promote' | 'check' | 'scan' | 'sign' | 'tag';
  what: string;
}

const NOT_PUSHED = 'built, not pushed';

/** push: false — the build, the optional scan and load, and the tags a push would make. */
function localSteps(plan: Omit<Plan, 'steps'>, buildStep: string): PlanStep[] {
  const {supply, images} = plan;
  const steps: PlanStep[] = [{phase: 'build', what: `${buildStep} into a local OCI layout (${NOT_PUSHED})`}];
  if (plan.load)
    steps.push({phase: 'build', what: `docker load ${plan.refs.join(', ') || '(no tags)'} (${NOT_PUSHED})`});
  if (supply.scan) {
    steps.push({
      phase: 'scan',
      what: `trivy per platform from the OCI layout, gate ${formatLimits(supply.gate.max) || 'no limit'}${supply.gate.ignoreUnfixed ? ' (unfixed ignored)' : ''}`
    });
  }
  if (supply.sbom !== 'none') steps.push({phase: 'scan', what: `SBOM per platform (${supply.sbom})`});
  for (const image of images) {
    const arch = Object.values(image.archTags).flat();
    steps.push({
      phase: 'tag',
      what: `${image.name}: would tag ${[...image.tags, ...arch].join(', ') || '(no tags)'} (${NOT_PUSHED})`
    });
  }
  return steps;
}

/** The plan as the steps a person reads (dry-run log, summary): what will run, in order. */
export function planSteps(plan: Omit<Plan, 'steps'>): PlanStep[] {
  const {images, platforms, hostPlatform, supply, source, build} = plan;
  const bindings = plan.policy?.bindings ?? [];
  const steps: PlanStep[] = [];
  const builds = plan.mode === 'publish' || plan.mode === 'build';
  if (builds) {
    const foreign = platforms.filter(p => p.split('/')[1] !== hostPlatform.split('/')[1]);
    if (foreign.length > 0) steps.push({phase: 'setup', what: `QEMU emulation for ${foreign.join(', ')}`});
    steps.push({phase: 'setup', what: `${build.engine} builder`});
  }
  for (const r of plan.registries) {
    steps.push({phase: 'login', what: `${r.registry}${r.login ? ` as ${r.login.username} (${r.login.from})` : ''}`});
  }
  const buildStep = `${build.engine} build ${build.context}${build.file ? ` -f ${build.file}` : ''} for ${platforms.join(', ')}`;
  if (builds && !plan.push) return steps.concat(localSteps(plan, buildStep));
  if (builds) {
    steps.push({phase: 'build', what: buildStep});
    for (const image of images) steps.push({phase: 'push', what: `${image.name} by digest (no tag yet)`});
  }
  if (plan.mode === 'build') {
    if (plan.handover)
      steps.push({phase: 'push', what: `digest recorded as workflow artifact ${plan.handover.artifact}`});
    return steps;
  }
  if (plan.merge) {
    for (const image of images) {
      steps.push({
        phase: 'merge',
        what: plan.merge.collect
          ? `${image.name}: index of ${platforms.join(', ')} from the build runs' digest artifacts (image-publish-digests-*-${plan.merge.collect}-*)`
          : `${image.name}: index of ${platforms.join(', ')} from ${plan.merge.sources.length} digest(s)`
      });
    }
  }
  if (source) {
    steps.push({
      phase: 'promote',
      what: `resolve ${source.ref} to a digest${plan.promotion?.verifySource ? ', verify its signature' : ''}`
    });
  }
  if (supply.scan) {
    steps.push({
      phase: 'scan',
      what: `trivy per platform, gate ${formatLimits(supply.gate.max) || 'no limit'}${supply.gate.ignoreUnfixed ? ' (unfixed ignored)' : ''}`
    });
  }
  if (supply.sbom !== 'none') steps.push({phase: 'scan', what: `SBOM per platform (${supply.sbom})`});
  for (const b of bindings)
    steps.push({phase: 'check', what: `${b.image}: policy "${b.env}"${b.rule.immutable ? ' (immutable tags)' : ''}`});
  if (source) {
    for (const image of images.filter(i => i.name !== source.name)) {
      steps.push({
        phase: 'promote',
        what: `copy ${source.name}@digest to ${image.name} with signatures and attestations`
      });
    }
  }
  if (supply.sign) {
    steps.push({
      phase: 'sign',
      what:
        source && !plan.promotion?.sign
          ? 'verify the carried signature in every target'
          : `cosign sign${plan.signing?.recursive ? ' --recursive' : ''}${supply.sbom !== 'none' ? ', attest SBOMs' : ''}, verify`
    });
  }
  for (const image of images) {
    const arch = Object.values(image.archTags).flat();
    steps.push({phase: 'tag', what: `${image.name}: ${[...image.tags, ...arch].join(', ') || '(no tags)'}`});
  }
  return steps;
}
