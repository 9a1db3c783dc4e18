import * as core from '@actions/core';
import * as fs from 'node:fs';
import type {RunContext} from '../context.js';
import type {Inputs} from '../inputs.js';
import type {Plan} from '../plan.js';
import {isKmsRef, isPem, signConfigFrom, type SignConfig} from '../supply/cosign-config.js';
import {materializeKey} from '../supply/cosign.js';
import {parseIgnoreFile, type GateSpec} from '../supply/gate.js';
import {buildAndPush} from './build-stage.js';
import {finish} from './finish.js';
import {readPushedImage, type PushedImage} from '../registry/image-facts.js';
import {existingImmutableTags, rerunDecision} from './immutable.js';
import {tagOps, type TagOp} from '../registry/manifests.js';
import {mergeIndex} from './merge.js';
import {promote, type PromoteResult} from './promote.js';
import {openSession, type Session} from '../login/session.js';
import {toolPath} from '../tools/tool-path.js';
import type {ScanOutcome, SignOutcome} from './supply.js';

export interface PlatformResult {
  platform: string;
  digest: string;
  size: number;
  layers: number;
}

export interface PublishResult {
  digest: string;
  /** image name → index digest read back from that registry. */
  registries: Record<string, string>;
  platforms: PlatformResult[];
  /** Tags written by this run. */
  tags: TagOp[];
  /** Tags that already pointed at the digest (immutable re-run): nothing written. */
  unchanged: TagOp[];
  metadata: string;
  durations: Record<string, number>;
  /** Policy rules checked on the pushed image, as "rule: what was found" lines. */
  checks: string[];
  scan?: ScanOutcome;
  sign?: SignOutcome;
  promoted?: PromoteResult;
  /** The release was published already (same commit, same tags): nothing was built or pushed. */
  rerun?: boolean;
  assets?: string[];
}

/** Where a run stands when it fails, so the outputs and summary can still say what happened. */
export interface Progress {
  result: Partial<PublishResult> & {durations: Record<string, number>};
}

export type Phase = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

function phaser(progress: Progress): Phase {
  return async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const start = Date.now();
    try {
      return await core.group(name, fn);
    } finally {
      progress.result.durations[name] = (Date.now() - start) / 1000;
    }
  };
}

/** Everything a stage after the push needs. */
export interface Stage {
  plan: Plan;
  inputs: Inputs;
  ctx: RunContext;
  session: Session;
  signing?: SignConfig;
  /** Tool paths, resolved before the build; present when the plan needs them. */
  tools: {trivy?: string; cosign?: string};
  gate?: GateSpec;
  phase: Phase;
  progress: Progress;
}

const PENDING = 'sha256:' + '0'.repeat(64);
const REVISION = 'org.opencontainers.image.revision';

/** Reads the pushed digest back from every image's registry and checks the platforms. */
export async function readBack(stage: Stage, digest: string): Promise<PushedImage> {
  const {plan, session} = stage;
  return stage.phase('Read back from the registries', async () => {
    const perRegistry: Record<string, string> = {};
    let first: PushedImage | undefined;
    for (const image of plan.images) {
      const pushed = await readPushedImage(session.client(image.registry), image.repository, digest);
      perRegistry[image.name] = pushed.digest;
      first ??= pushed;
      core.info(`${image.name}@${pushed.digest}: ${pushed.platforms.map(p => p.platform).join(', ')}`);
    }
    const pushed = first as PushedImage;
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

/** Signing settings from the inputs (pure: a bad combination fails before any tool is fetched). */
function signingConfig(plan: Plan, inputs: Inputs, session: Session): SignConfig | undefined {
  const config = signConfigFrom(
    {
      key: inputs.cosignKey,
      password: inputs.cosignPassword,
      publicKey: inputs.cosignPublicKey,
      keyless: inputs.keyless,
      tlogUpload: inputs.tlogUpload,
      recursive: inputs.signRecursive,
      signatureFormat: inputs.signatureFormat,
      certificateIdentity: inputs.certificateIdentity,
      certificateOidcIssuer: inputs.certificateOidcIssuer
    },
    process.env
  );
  if (!config) return undefined;
  // Key files are read by cosign much later; a wrong path must fail now, before anything is pushed.
  for (const [input, file] of [
    ['cosign-key', config.mode === 'key' ? config.key : undefined],
    [
      'cosign-public-key',
      config.publicKey && !isKmsRef(config.publicKey) && !isPem(config.publicKey) ? config.publicKey : undefined
    ]
  ] as const) {
    if (file && !fs.existsSync(file)) throw new Error(`Input "${input}": the file ${file} does not exist`);
  }
  const registries = [...plan.images.map(i => i.registry), ...(plan.source ? [plan.source.registry] : [])];
  return {...config, allowInsecureRegistry: registries.some(r => session.insecure(r))};
}

/** The gate: the plan's limits plus the ignore file (`trivyignore`, else `.trivyignore` when present). */
function gateSpec(plan: Plan, inputs: Inputs): GateSpec {
  const file = inputs.scanIgnoreFile || (fs.existsSync('.trivyignore') ? '.trivyignore' : '');
  if (inputs.scanIgnoreFile && !fs.existsSync(file)) {
    throw new Error(`Input "trivyignore": ${file} does not exist`);
  }
  const ignore = file ? parseIgnoreFile(fs.readFileSync(file, 'utf8'), file) : [];
  return {max: plan.supply.gate.max, ignoreUnfixed: plan.supply.gate.ignoreUnfixed, ignore};
}

/**
 * Everything a later phase needs that can fail on the user's settings — the tools (found or
 * downloaded and checked), the signing key and its password, the ignore file — resolved before
 * anything is built or pushed.
 */
async function prepare(plan: Plan, inputs: Inputs, session: Session): Promise<Prepared> {
  if (plan.mode === 'build') return {tools: {}};
  // What only reads the inputs first, then the tools, then what needs a tool.
  const gate = plan.supply.scan ? gateSpec(plan, inputs) : undefined;
  const config = plan.supply.sign ? signingConfig(plan, inputs, session) : undefined;
  const trivy = plan.supply.scan || plan.supply.sbom !== 'none' ? await toolPath('trivy', inputs) : undefined;
  const cosign = config ? await toolPath('cosign', inputs) : undefined;
  // Deriving the public key proves the key and its password before anything is built.
  const signing = config && cosign ? await materializeKey(config, inputs.cosignKey, session.dir, cosign) : undefined;
  return {tools: {trivy, cosign}, signing, gate};
}

interface Prepared {
  tools: {trivy?: string; cosign?: string};
  signing?: SignConfig;
  gate?: GateSpec;
}

/**
 * publish: build → push by digest → read back → policy checks → scan + SBOM → gate → sign + attest
 * → verify → tags. `build` stops after the read-back (a platform job of a distributed build),
 * `merge` starts from the digests of such jobs, `promote` from an existing image. No tag exists
 * before the last phase.
 */
export async function publish(plan: Plan, inputs: Inputs, ctx: RunContext, progress: Progress): Promise<PublishResult> {
  if (plan.images.length === 0) {
    throw new Error(
      'Input "images" names no enabled image: there is nowhere to push (use dry-run: true to only compute tags)'
    );
  }
  const phase = phaser(progress);
  const registries = [
    ...new Set([...plan.images.map(i => i.registry), ...(plan.source ? [plan.source.registry] : [])])
  ];
  const session = await phase('Login', async () => openSession(registries, inputs, ctx.actor));
  const prepared = await phase('Tools and settings', async () => prepare(plan, inputs, session));
  const stage: Stage = {plan, inputs, ctx, session, ...prepared, phase, progress};
  progress.result.checks = [];

  if (plan.mode === 'promote') {
    await promote(stage);
    return progress.result as PublishResult;
  }

  let digest: string;
  if (plan.mode === 'merge') {
    digest = await mergeIndex(stage);
  } else {
    const pre = tagOps(
      plan.images,
      PENDING,
      plan.platforms.map(platform => ({platform, digest: PENDING}))
    );
    const existing = await phase('Immutable tags', async () => existingImmutableTags(pre, plan, session));
    let rerun: string | undefined;
    if (existing.length > 0) {
      const revisionOf: Record<string, string> = {};
      for (const e of [...new Set(existing.map(x => x.existing))]) {
        const op = existing.find(x => x.existing === e)?.op as TagOp;
        const image = await readPushedImage(session.client(op.registry), op.repository, e);
        revisionOf[e] = image.platforms[0]?.labels[REVISION] ?? '';
      }
      const decision = rerunDecision(existing, revisionOf, ctx.sha);
      if (decision.refuse) throw new Error(decision.refuse);
      rerun = decision.rerun;
      if (rerun) core.info(`${rerun} is already published from commit ${ctx.sha}: nothing to build or push`);
    }
    if (rerun) {
      digest = rerun;
      progress.result.rerun = true;
    } else {
      const built = await buildAndPush(plan, inputs, session, phase);
      digest = built.digest;
      progress.result.metadata = built.metadata;
    }
  }
  progress.result.digest = digest;
  const pushed = await readBack(stage, digest);
  if (plan.mode === 'build') {
    core.info(`mode: build — ${digest} pushed by digest, no tag (a merge run assembles and tags the index)`);
    progress.result.tags = [];
    progress.result.unchanged = [];
    return progress.result as PublishResult;
  }
  await finish(stage, digest, pushed);
  return progress.result as PublishResult;
}
