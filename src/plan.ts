import type {Engine, Inputs, Mode, SbomFormat} from './inputs.js';
import {computeMeta, type MetaEnv, type MetaResult, type PlannedImage} from './meta/index.js';
import {parseMergeSources} from './publish/merge-index.js';
import {checkTags, expiryLabels, requiredGate, requiresSbom, requiresSignature, ruleFor} from './policy/decide.js';
import type {Policy, RegistryRule} from './policy/types.js';
import {parseReference} from './registry/reference.js';
import {failOnToMax} from './supply/gate.js';
import {stricterMax, type Maxima} from './supply/severity.js';

export interface PlanStep {
  phase: 'setup' | 'login' | 'build' | 'push' | 'merge' | 'promote' | 'check' | 'scan' | 'sign' | 'tag';
  what: string;
}

/** What happens between the push and the tags, from the inputs and the policy (the stricter wins). */
export interface SupplyPlan {
  scan: boolean;
  gate: {max: Maxima; ignoreUnfixed: boolean};
  /** SBOM files written per platform ('none': no SBOM). */
  sbom: SbomFormat;
  sign: boolean;
  /** Why a gate is on or stricter than the inputs: `policy "production" requires ...`. */
  reasons: string[];
}

export interface PolicyBinding {
  image: string;
  env: string;
  rule: RegistryRule;
}

export interface PromoteSource {
  ref: string;
  name: string;
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export interface Plan {
  dryRun: boolean;
  mode: Mode;
  engine: Engine;
  /** The runner's platform (what runs without emulation). */
  hostPlatform: string;
  platforms: string[];
  context: string;
  file: string;
  target: string;
  meta: MetaResult;
  images: PlannedImage[];
  /** Every `image:tag` that a real run would make visible, per-arch tags included. */
  refs: string[];
  buildArgs: Record<string, string>;
  steps: PlanStep[];
  supply: SupplyPlan;
  policy?: {file: string; bindings: PolicyBinding[]};
  source?: PromoteSource;
}

const PLATFORM =
  /^(linux|windows|darwin|freebsd)\/(amd64|386|arm64|arm|ppc64le|s390x|riscv64|mips64le|loong64)(\/(v5|v6|v7|v8))?$/;

export function parsePlatforms(platforms: string[], hostPlatform: string): string[] {
  if (platforms.length === 0) return [hostPlatform];
  const seen = new Set<string>();
  for (const p of platforms) {
    if (!PLATFORM.test(p)) {
      throw new Error(
        `Input "platforms": "${p}" is not a platform of the form os/arch[/variant] (e.g. linux/amd64, linux/arm64, linux/arm/v7)`
      );
    }
    if (seen.has(p)) throw new Error(`Input "platforms": "${p}" is listed twice`);
    seen.add(p);
  }
  return [...seen];
}

/** `KEY=value` lines; a later line wins, and user values win over the computed VERSION/COMMIT_SHA/BUILD_DATE. */
export function mergeBuildArgs(computed: Record<string, string>, lines: string[]): Record<string, string> {
  const out = {...computed};
  for (const line of lines) {
    const i = line.indexOf('=');
    if (i <= 0) throw new Error(`Input "build-args": "${line}" is not KEY=value`);
    out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** Scan, SBOM and signing: the inputs, made stricter by every policy entry the run touches. */
export function supplyPlan(inputs: Inputs, bindings: PolicyBinding[]): SupplyPlan {
  const rules = bindings.map(b => b.rule);
  const fromInputs = stricterMax(failOnToMax(inputs.scanFailOn, 'fail-on'), inputs.scanMax);
  const required = requiredGate(rules);
  const scanRequired = rules.some(r => r.require.scan !== undefined);
  const reasons: string[] = [];
  for (const b of bindings) {
    const req = b.rule.require;
    const what = [
      req.scan
        ? `a scan (${
            Object.entries(req.scan.max)
              .map(([k, v]) => `${k}≤${v}`)
              .join(' ') || 'no limit'
          })`
        : '',
      req.signature ? 'a cosign signature' : '',
      req.sbom ? 'an SBOM' : ''
    ].filter(Boolean);
    if (what.length > 0) reasons.push(`policy "${b.env}" requires ${what.join(', ')} for ${b.image}`);
  }
  const sign = inputs.cosignKey !== '' || inputs.keyless;
  const signNeeded = bindings.filter(b => b.rule.require.signature);
  if (requiresSignature(rules) && !sign) {
    throw new Error(
      `Input "cosign-key": policy "${signNeeded[0].env}" (${signNeeded[0].image}) requires a cosign signature: ` +
        'set cosign-key (with cosign-password) or keyless: true; nothing was built or pushed'
    );
  }
  const scan = inputs.scan || scanRequired || Object.keys(fromInputs).length > 0;
  const sbomRequired = requiresSbom(rules);
  if (sbomRequired && inputs.sbomFormat === 'none') {
    throw new Error('Input "sbom-format": the policy requires an SBOM, so it cannot be none');
  }
  return {
    scan,
    gate: {
      max: stricterMax(fromInputs, required.max),
      // A policy scan that counts unfixed findings cannot be relaxed by the input.
      ignoreUnfixed: inputs.scanIgnoreUnfixed && (!scanRequired || required.ignoreUnfixed)
    },
    sbom: scan || sign || sbomRequired ? inputs.sbomFormat : 'none',
    sign,
    reasons
  };
}

/** Binds every image to its policy entry and refuses, before anything runs, a tag the policy forbids. */
export function applyPolicy(policy: Policy | undefined, images: PlannedImage[]): PolicyBinding[] {
  if (!policy) return [];
  const bindings: PolicyBinding[] = [];
  const violations: string[] = [];
  for (const image of images) {
    const bound = ruleFor(policy, image.name);
    if (!bound) continue;
    bindings.push({image: image.name, env: bound.name, rule: bound.rule});
    const tags = [...image.tags, ...Object.values(image.archTags).flat()];
    violations.push(...checkTags(bound, image.name, tags));
  }
  if (violations.length > 0) {
    throw new Error(
      `Input "tags": the policy ${policy.file} refuses ${violations.length === 1 ? 'a tag' : 'tags'}; nothing was built or pushed:\n- ${violations.join('\n- ')}`
    );
  }
  return bindings;
}

function promoteSource(inputs: Inputs): PromoteSource | undefined {
  if (inputs.mode !== 'promote') return undefined;
  if (!inputs.source) {
    throw new Error('Input "source" is required with mode: promote (image@sha256:... or image:tag)');
  }
  let ref;
  try {
    ref = parseReference(inputs.source);
  } catch (err: unknown) {
    throw new Error(`Input "source": ${err instanceof Error ? err.message : String(err)}`);
  }
  return {
    ref: inputs.source,
    name: `${ref.registry}/${ref.repository}`,
    registry: ref.registry,
    repository: ref.repository,
    ...(ref.tag ? {tag: ref.tag} : {}),
    ...(ref.digest ? {digest: ref.digest} : {})
  };
}

/** Inputs + context + policy → everything a run will do. Pure. */
export function makePlan(inputs: Inputs, env: MetaEnv, hostPlatform: string, policy?: Policy): Plan {
  if (inputs.mode === 'merge' && inputs.platforms.length === 0) {
    throw new Error('Input "platforms" is required with mode: merge (the platforms of the build runs)');
  }
  const platforms = parsePlatforms(inputs.platforms, hostPlatform);
  const meta = computeMeta(
    {
      images: inputs.images,
      tags: inputs.tags,
      flavor: inputs.flavor,
      labels: inputs.labels,
      annotations: inputs.annotations,
      tagPreset: inputs.tagPreset,
      tagPrefix: inputs.tagPrefix,
      version: inputs.version,
      archTags: inputs.archTags,
      platforms
    },
    env
  );
  const bindings = applyPolicy(policy, meta.images);
  const supply = supplyPlan(inputs, bindings);
  const source = promoteSource(inputs);
  if (inputs.mode === 'merge')
    parseMergeSources(
      inputs.digests,
      meta.images.map(i => i.name)
    );
  // Quay deletes an image after `quay.expires-after`: the policy's value is added to the labels.
  for (const [k, v] of Object.entries(expiryLabels(bindings.map(b => b.rule)))) {
    if (!meta.labels.some(l => l.startsWith(`${k}=`))) meta.labels.push(`${k}=${v}`);
  }
  const refs: string[] = [];
  for (const image of meta.images) {
    refs.push(...image.tags.map(t => `${image.name}:${t}`));
    for (const platform of platforms) {
      refs.push(...(image.archTags[platform] ?? []).map(t => `${image.name}:${t}`));
    }
  }
  const steps = planSteps(inputs, meta.images, platforms, hostPlatform, supply, bindings, source);
  return {
    dryRun: inputs.dryRun,
    mode: inputs.mode,
    engine: inputs.engine,
    hostPlatform,
    platforms,
    context: inputs.context,
    file: inputs.file,
    target: inputs.target,
    meta,
    images: meta.images,
    refs,
    buildArgs: mergeBuildArgs(meta.buildArgs, inputs.buildArgs),
    steps,
    supply,
    ...(policy ? {policy: {file: policy.file, bindings}} : {}),
    ...(source ? {source} : {})
  };
}

function planSteps(
  inputs: Inputs,
  images: PlannedImage[],
  platforms: string[],
  hostPlatform: string,
  supply: SupplyPlan,
  bindings: PolicyBinding[],
  source: PromoteSource | undefined
): PlanStep[] {
  const steps: PlanStep[] = [];
  const registries = [...new Set([...images.map(i => i.registry), ...(source ? [source.registry] : [])])];
  if (inputs.mode === 'publish' || inputs.mode === 'build') {
    const foreign = platforms.filter(p => p.split('/')[1] !== hostPlatform.split('/')[1]);
    if (foreign.length > 0) steps.push({phase: 'setup', what: `QEMU emulation for ${foreign.join(', ')}`});
    steps.push({phase: 'setup', what: `${inputs.engine} builder`});
  }
  for (const registry of registries) steps.push({phase: 'login', what: registry});
  if (inputs.mode === 'publish' || inputs.mode === 'build') {
    steps.push({
      phase: 'build',
      what: `${inputs.engine} build ${inputs.context}${inputs.file ? ` -f ${inputs.file}` : ''} for ${platforms.join(', ')}`
    });
    for (const image of images) steps.push({phase: 'push', what: `${image.name} by digest (no tag yet)`});
  }
  if (inputs.mode === 'build') return steps;
  if (inputs.mode === 'merge') {
    for (const image of images) {
      steps.push({
        phase: 'merge',
        what: `${image.name}: index of ${platforms.join(', ')} from ${inputs.digests.length} digest(s)`
      });
    }
  }
  if (source) {
    steps.push({
      phase: 'promote',
      what: `resolve ${source.ref} to a digest${supply.sign ? ', verify its signature' : ''}`
    });
  }
  if (supply.scan) {
    const max =
      Object.entries(supply.gate.max)
        .map(([k, v]) => `${k}≤${v}`)
        .join(' ') || 'no limit';
    steps.push({
      phase: 'scan',
      what: `trivy per platform, gate ${max}${supply.gate.ignoreUnfixed ? ' (unfixed ignored)' : ''}`
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
    const resign = source && !inputs.resign;
    steps.push({
      phase: 'sign',
      what: resign
        ? 'verify the carried signature in every target'
        : `cosign sign${inputs.signRecursive ? ' --recursive' : ''}${supply.sbom !== 'none' ? ', attest SBOMs' : ''}, verify`
    });
  }
  for (const image of images) {
    const arch = Object.values(image.archTags).flat();
    steps.push({
      phase: 'tag',
      what: `${image.name}: ${[...image.tags, ...arch].join(', ') || '(no tags)'}`
    });
  }
  return steps;
}
