import type {Inputs, Mode} from './inputs.js';
import {computeMeta, type MetaEnv, type MetaResult, type PlannedImage} from './meta/index.js';
import {
  checkTags,
  expiryLabels,
  promotionSigning,
  requiresSbom,
  ruleFor,
  signatureRequiredFor,
  type PromotionSigning
} from './policy/decide.js';
import type {Policy, RegistryRule} from './policy/types.js';
import {parseReference} from './registry/reference.js';
import {signConfigFrom, type SignConfig} from './supply/cosign-config.js';
import {buildPlan, type BuildPlan} from './plan/build.js';
import {parseMergeSources} from './plan/merge-sources.js';
import {artifactName, artifactServiceAvailable, imagesKey} from './plan/handover.js';
import {parsePlatforms} from './plan/platforms.js';
import {registryPlan, type RegistryPlan, type Secrets} from './plan/registries.js';
import {planSteps, type PlanStep} from './plan/steps.js';
import {supplyPlan, type SupplyPlan} from './plan/supply.js';
import {checkDownloadBase, checkToolVersion} from './plan/tool-requests.js';

export type {PlanStep} from './plan/steps.js';
export type {SupplyPlan} from './plan/supply.js';

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

/** Where the scan writes and reads: reports, the Trivy DB cache, the DB mirrors, the ignore file. */
export interface ScanPaths {
  /** The `report-dir` input; empty: `reportRoot/<digest>`. */
  reportDir: string;
  reportRoot: string;
  cacheDir: string;
  dbRepositories: string[];
  /** The `trivyignore` input; empty: `.trivyignore` when the workspace has one. */
  ignoreFile: string;
}

export interface ToolRequests {
  trivyVersion: string;
  cosignVersion: string;
  /** tool → SHA-256 the user vouches for (versions without a pinned sum). */
  checksums: Record<string, string>;
  downloadBase: string;
}

/** What a plan is made from besides the inputs and the policy: context, clock, environment switches. */
export interface PlanEnv extends MetaEnv {
  /** RUNNER_TEMP (else the OS temp dir): default locations of reports and caches. */
  runnerTemp: string;
  /** Environment values that settings default from (GITHUB_WORKFLOW_REF for the keyless identity, ...). */
  vars: Record<string, string | undefined>;
  /** Who runs the workflow (GHCR's default login). */
  actor: string;
  /** The repository is private (provenance mode=min, as build-push-action); undefined = public. */
  repoPrivate?: boolean;
}

/** Everything a run will do. Stages read this (and the Secrets), never the Inputs. */
export interface Plan {
  dryRun: boolean;
  /** false: build only — no login, no push, no signature, no tag (see localBuild). */
  push: boolean;
  /** push: false + one platform: load the result into the local docker daemon. */
  load: boolean;
  mode: Mode;
  engine: Inputs['engine'];
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
  build: BuildPlan;
  registries: RegistryPlan[];
  steps: PlanStep[];
  supply: SupplyPlan;
  signing?: SignConfig;
  scan: ScanPaths;
  tools: ToolRequests;
  policy?: {file: string; bindings: PolicyBinding[]};
  source?: PromoteSource;
  resign: boolean;
  /** mode: promote — whether the source's signature is verified and whether the promotion signs (policy). */
  promotion?: PromotionSigning;
  /** `collect`: no `digests` given — the merge stage reads the build runs' artifacts of this images key. */
  merge?: {sources: {image: string; digest: string}[]; collect?: string};
  /** mode: build inside a workflow job: the artifact that hands this run's digest to the merge run. */
  handover?: {artifact: string};
  releaseAssets: boolean;
  separators: {tags: string; labels: string; annotations: string};
  /** The run's clock (SOURCE_DATE_EPOCH when set): created label, BUILD_DATE, gate expiry dates. */
  now: Date;
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
  // A bare name would promote whatever `latest` is when the run reaches the registry: a release
  // names what it promotes. Whether a tag exists is a registry fact, found at "Resolve the source".
  if (!ref.tag && !ref.digest) {
    throw new Error(
      `Input "source": "${inputs.source.slice(0, 80)}" names neither a tag nor a digest; write image@sha256:<digest> (recommended) or image:tag`
    );
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

function signing(inputs: Inputs, vars: PlanEnv['vars'], registries: RegistryPlan[]): SignConfig | undefined {
  const config = signConfigFrom(
    {
      key: inputs.cosignKey,
      publicKey: inputs.cosignPublicKey,
      keyless: inputs.keyless,
      tlogUpload: inputs.tlogUpload,
      recursive: inputs.signRecursive,
      signatureFormat: inputs.signatureFormat,
      certificateIdentity: inputs.certificateIdentity,
      certificateOidcIssuer: inputs.certificateOidcIssuer
    },
    vars
  );
  // Checked even when nothing is signed: a typo here must not wait for the day signing is turned on.
  if (
    !config &&
    inputs.signatureFormat.trim() &&
    !['default', 'bundle', 'legacy'].includes(inputs.signatureFormat.trim())
  ) {
    throw new Error(
      `Input "signature-format" must be default, bundle or legacy, got "${inputs.signatureFormat.slice(0, 40)}"`
    );
  }
  return config && {...config, allowInsecureRegistry: registries.some(r => r.insecure)};
}

/** push: false / load: what a build that pushes nothing can be asked for. */
function checkLocalBuild(inputs: Inputs, platforms: string[]): void {
  if (!inputs.push && inputs.mode !== 'publish' && inputs.mode !== 'build') {
    throw new Error(`Input "push": false builds without pushing; mode: ${inputs.mode} builds nothing (use push: true)`);
  }
  if (!inputs.load) return;
  if (inputs.push) {
    throw new Error('Input "load": loading into the docker daemon is for builds that push nothing; set push: false');
  }
  if (inputs.engine !== 'buildx') {
    throw new Error(
      `Input "load": engine ${inputs.engine} keeps its result in its own storage; load needs engine: buildx`
    );
  }
  if (platforms.length !== 1) {
    throw new Error(
      `Input "load": the docker daemon holds one platform, but input "platforms" names ${platforms.length} (${platforms.join(', ')}); ` +
        'build one platform with load: true, or drop load'
    );
  }
}

const ANNOTATION_LEVEL =
  /^(manifest|index|manifest-descriptor|index-descriptor)(\[[^\]]*\])?(,(manifest|index|manifest-descriptor|index-descriptor)(\[[^\]]*\])?)*:/;

/**
 * What build-push-action users paste that means something else here, refused by name before
 * anything runs: exporters (`outputs`), and `annotations` lines carrying a level prefix (metadata-
 * action's `annotations` output): image-publish computes the annotations and applies the levels
 * (DOCKER_METADATA_ANNOTATIONS_LEVELS) itself, so a prefixed line would be prefixed twice.
 */
function checkPastedInputs(inputs: Inputs): void {
  if (inputs.outputs.length > 0) {
    throw new Error(
      `Input "outputs": image-publish pushes by digest to the repositories in "images" and tags them after its checks; exporters (${inputs.outputs[0]}) are not supported — remove "outputs" (for type=image/registry,name=…, list the names in "images")`
    );
  }
  const leveled = inputs.annotations.find(a => ANNOTATION_LEVEL.test(a));
  if (leveled) {
    throw new Error(
      `Input "annotations": "${leveled}" carries a level prefix; give key=value lines (image-publish computes the OCI annotations and applies the levels of DOCKER_METADATA_ANNOTATIONS_LEVELS, default manifest, itself — metadata-action's annotations output is not needed)`
    );
  }
}

const join = (...parts: string[]): string => parts.join('/').replace(/\/+/g, '/');

/** Inputs + context + policy → everything a run will do, and the secrets it needs held apart. Pure. */
export function planRun(
  inputs: Inputs,
  env: PlanEnv,
  hostPlatform: string,
  policy?: Policy
): {plan: Plan; secrets: Secrets} {
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
      platforms,
      customTag: inputs.customTag,
      autoLabels: inputs.autoLabels,
      autoAnnotations: inputs.autoAnnotations
    },
    env
  );
  const bindings = applyPolicy(policy, meta.images);
  const source = promoteSource(inputs);
  checkLocalBuild(inputs, platforms);
  // push: false talks to no registry: no login is planned, so fork pull requests need no secret.
  const {registries, credentials} = registryPlan(
    inputs.push ? meta.images.map(i => i.registry) : [],
    source ? [source.registry] : [],
    inputs,
    env.actor
  );
  const signConfig = signing(inputs, env.vars, registries);
  const tagsOf = (name: string): string[] => {
    const image = meta.images.find(i => i.name === name);
    return image ? [...image.tags, ...Object.values(image.archTags).flat()] : [];
  };
  const supplied = supplyPlan(inputs, bindings, signConfig !== undefined && inputs.push, tagsOf, inputs.push);
  const promotion = source
    ? promotionSigning(
        bindings.filter(b => signatureRequiredFor(b.rule, tagsOf(b.image))),
        signConfig !== undefined,
        inputs.resign
      )
    : undefined;
  // A promotion that neither scans nor signs has nothing to write an SBOM for: the source's own
  // attestations travel with the digest, and a fresh SBOM would only be thrown away.
  const supply =
    promotion && !promotion.sign && !supplied.scan && !requiresSbom(bindings.map(b => b.rule))
      ? {...supplied, sbom: 'none' as const}
      : supplied;
  checkPastedInputs(inputs);
  // Checked whether or not the tool is used this run: a typo must not wait for the day it is.
  checkToolVersion('trivy-version', inputs.trivyVersion);
  checkToolVersion('cosign-version', inputs.cosignVersion);
  checkDownloadBase(inputs.toolsDownloadBase);
  const imageNames = meta.images.map(i => i.name);
  const merge =
    inputs.mode === 'merge'
      ? inputs.digests.length === 0 && imageNames.length > 0 && artifactServiceAvailable(env.vars)
        ? {sources: [], collect: imagesKey(imageNames)}
        : // Outside a workflow job there are no artifacts to collect: digests must be given.
          {sources: parseMergeSources(inputs.digests, imageNames)}
      : undefined;
  const handover =
    inputs.mode === 'build' && imageNames.length > 0 && artifactServiceAvailable(env.vars)
      ? {artifact: artifactName(imageNames, platforms, env.vars.GITHUB_RUN_ATTEMPT || '1')}
      : undefined;
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
  const build = buildPlan(inputs, meta.buildArgs, meta.templateVars, {private: env.repoPrivate, vars: env.vars});
  const plan: Plan = {
    dryRun: inputs.dryRun,
    push: inputs.push,
    load: inputs.load,
    mode: inputs.mode,
    engine: inputs.engine,
    hostPlatform,
    platforms,
    context: build.context,
    file: build.file,
    target: build.target,
    meta,
    images: meta.images,
    refs,
    buildArgs: build.buildArgs,
    build,
    registries,
    steps: [],
    supply,
    ...(signConfig ? {signing: signConfig} : {}),
    scan: {
      reportDir: inputs.reportDir,
      reportRoot: join(env.runnerTemp, 'image-publish', 'reports'),
      cacheDir: inputs.trivyCacheDir || join(env.runnerTemp, 'image-publish', 'trivy-cache'),
      dbRepositories: inputs.trivyDbRepositories,
      ignoreFile: inputs.scanIgnoreFile
    },
    tools: {
      trivyVersion: inputs.trivyVersion,
      cosignVersion: inputs.cosignVersion,
      checksums: inputs.toolChecksums,
      downloadBase: inputs.toolsDownloadBase
    },
    ...(policy ? {policy: {file: policy.file, bindings}} : {}),
    ...(source ? {source} : {}),
    resign: inputs.resign,
    ...(promotion ? {promotion} : {}),
    ...(merge ? {merge} : {}),
    ...(handover ? {handover} : {}),
    releaseAssets: inputs.releaseAssets,
    separators: {tags: inputs.sepTags, labels: inputs.sepLabels, annotations: inputs.sepAnnotations},
    now: env.created
  };
  plan.steps = planSteps(plan);
  return {
    plan,
    secrets: {
      githubToken: inputs.githubToken,
      cosignKey: inputs.cosignKey,
      cosignPassword: inputs.cosignPassword,
      credentials
    }
  };
}

/** The plan alone (dry-run views and tests). */
export function makePlan(inputs: Inputs, env: PlanEnv | MetaEnv, hostPlatform: string, policy?: Policy): Plan {
  const full: PlanEnv = {runnerTemp: '/tmp', vars: {}, actor: '', ...env};
  return planRun(inputs, full, hostPlatform, policy).plan;
}

/** Where this run's reports go: the `report-dir` input, else RUNNER_TEMP/image-publish/reports/<digest>. */
export function reportDir(plan: Plan, label: string): string {
  return plan.scan.reportDir || join(plan.scan.reportRoot, label);
}
