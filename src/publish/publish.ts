import * as core from '@actions/core';
import type {RunContext} from '../context.js';
import type {BuildSpec} from '../engines/types.js';
import type {Inputs} from '../inputs.js';
import type {Plan} from '../plan.js';
import {loadDockerCredentials} from '../registry/auth.js';
import {RegistryClient} from '../registry/client.js';
import {binfmtInstallArgs, missingEmulators, registeredEmulators} from '../setup/qemu.js';
import {saveCleanup} from '../state.js';
import {runTool} from '../tools/exec.js';
import {buildahBuild} from './buildah-run.js';
import {buildxPush, resolveBuildx, setupBuilder} from './buildx-run.js';
import {pushLayout} from './oci-layout.js';
import {startLogin} from './login.js';
import {imageWeight, isIndex, platformsOfIndex, tagOps, type PlatformImage, type TagOp} from './manifests.js';

export interface PlatformResult extends PlatformImage {
  size: number;
  layers: number;
}

export interface PublishResult {
  digest: string;
  /** image name → index digest read back from that registry. */
  registries: Record<string, string>;
  platforms: PlatformResult[];
  tags: TagOp[];
  metadata: string;
  durations: Record<string, number>;
}

/** Where a run stands when it fails, so the outputs and summary can still say what happened. */
export interface Progress {
  result: Partial<PublishResult> & {durations: Record<string, number>};
}

async function phase<T>(name: string, progress: Progress, fn: () => Promise<T>): Promise<T> {
  const start = Date.now();
  try {
    return await core.group(name, fn);
  } finally {
    progress.result.durations[name] = (Date.now() - start) / 1000;
  }
}

function buildSpec(plan: Plan, inputs: Inputs): BuildSpec {
  return {
    context: plan.context,
    file: plan.file,
    target: plan.target,
    platforms: plan.platforms,
    buildArgs: plan.buildArgs,
    labels: plan.meta.labels,
    annotations: plan.meta.annotations,
    secrets: inputs.secrets,
    cacheFrom: inputs.cacheFrom,
    cacheTo: inputs.cacheTo,
    provenance: inputs.provenance,
    sbom: inputs.sbom,
    pull: inputs.pull,
    noCache: inputs.noCache,
    repositories: [...new Set(plan.images.map(i => i.name))]
  };
}

/**
 * build → push by digest → read back from every registry → tag. Tags are written last, only
 * after every registry holds the digest; no tag exists before this phase.
 */
export async function publish(plan: Plan, inputs: Inputs, ctx: RunContext, progress: Progress): Promise<PublishResult> {
  if (plan.images.length === 0) {
    throw new Error(
      'Input "images" names no enabled image: there is nowhere to push (use dry-run: true to only compute tags)'
    );
  }
  const registries = [...new Set(plan.images.map(i => i.registry))];

  const session = await phase('Login', progress, async () => {
    const s = startLogin({
      registries,
      registryAuth: inputs.registryAuth,
      actor: ctx.actor,
      githubToken: inputs.githubToken
    });
    saveCleanup({credentialsDir: s.dir});
    return s;
  });
  const env = session.env;
  const clients = new Map<string, RegistryClient>();
  const client = (registry: string): RegistryClient => {
    let c = clients.get(registry);
    if (!c) {
      c = new RegistryClient({
        registry,
        insecure: inputs.insecureRegistries.includes(registry),
        credentials: loadDockerCredentials(registry, session.configFile),
        log: m => core.debug(m)
      });
      clients.set(registry, c);
    }
    return c;
  };

  const buildx = inputs.engine === 'buildx';
  const setup = await phase('Setup', progress, async () => {
    const missing = missingEmulators(plan.platforms, plan.hostPlatform.split('/')[1], registeredEmulators());
    const remote = buildx && (inputs.builderDriver === 'remote' || inputs.builder !== '');
    if (missing.length > 0 && !remote) {
      core.info(`registering QEMU for ${missing.join(', ')} with ${inputs.binfmtImage}`);
      await runTool('docker', binfmtInstallArgs(inputs.binfmtImage, missing), {env});
    } else {
      core.info(
        missing.length
          ? `QEMU: ${missing.join(', ')} left to the builder (${inputs.builder || inputs.builderEndpoint})`
          : 'QEMU: every platform already runs here'
      );
    }
    if (!buildx) return undefined;
    const bx = await resolveBuildx(env);
    const b = await setupBuilder(bx, env, {
      builder: inputs.builder,
      driver: inputs.builderDriver,
      endpoint: inputs.builderEndpoint,
      driverOpts: inputs.builderDriverOpts,
      configFile: inputs.buildkitdConfig,
      platforms: plan.platforms
    });
    if (b.created && !inputs.keepBuilder) saveCleanup({builder: b.name, buildx: bx, dockerConfig: session.dir});
    return {buildx: bx, builder: b};
  });

  const built = await phase('Build and push by digest', progress, async () => {
    const spec = buildSpec(plan, inputs);
    if (setup) {
      const r = await buildxPush(setup.buildx, env, setup.builder.name, spec);
      core.info(`pushed ${r.digest} to ${plan.images.map(i => i.name).join(', ')} (no tag)`);
      return r;
    }
    const engine = inputs.engine as 'buildah' | 'podman';
    const b = await buildahBuild(engine, env, spec, {
      globalFlags: inputs.engineFlags,
      isolation: inputs.isolation,
      insecureRegistries: inputs.insecureRegistries
    });
    try {
      for (const image of plan.images) {
        const n = await pushLayout(b.layoutDir, b.image, client(image.registry), image.repository);
        core.info(
          `pushed ${b.image.digest} to ${image.name} (no tag): ${n.uploaded} blobs uploaded, ${n.existing} already there`
        );
      }
    } finally {
      b.cleanup();
    }
    const metadata = JSON.stringify({
      engine,
      'containerimage.digest': b.image.digest,
      manifests: b.image.manifests.map(m => m.digest)
    });
    return {digest: b.image.digest, metadata};
  });
  progress.result.digest = built.digest;
  progress.result.metadata = built.metadata;

  const readBack = await phase('Read back from the registries', progress, async () => {
    const perRegistry: Record<string, string> = {};
    let platforms: PlatformImage[] = [];
    for (const image of plan.images) {
      const m = await client(image.registry).getManifest(image.repository, built.digest);
      perRegistry[image.name] = m.digest;
      const body = JSON.parse(m.body.toString('utf8')) as {manifests?: []};
      platforms = isIndex(m.mediaType, body)
        ? platformsOfIndex(body)
        : [{platform: plan.platforms[0], digest: m.digest}];
      core.info(`${image.name}@${m.digest}: ${platforms.map(p => p.platform).join(', ')}`);
    }
    const first = plan.images[0];
    const weighed: PlatformResult[] = [];
    for (const p of platforms) {
      const m = await client(first.registry).getManifest(first.repository, p.digest);
      weighed.push({...p, ...imageWeight(JSON.parse(m.body.toString('utf8')))});
    }
    const got = weighed.map(p => p.platform).sort();
    const want = [...plan.platforms].sort();
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      throw new Error(`the pushed image holds ${got.join(', ')} but platforms asked ${want.join(', ')}`);
    }
    return {perRegistry, platforms: weighed};
  });
  progress.result.registries = readBack.perRegistry;
  progress.result.platforms = readBack.platforms;

  const ops = tagOps(plan.images, built.digest, readBack.platforms);
  await phase('Tag', progress, async () => {
    for (const op of ops) {
      await client(op.registry).tag(op.repository, op.digest, op.tag);
      core.info(`${op.image}:${op.tag} → ${op.digest}${op.platform ? ` (${op.platform})` : ''}`);
    }
  });
  progress.result.tags = ops;
  return {...(progress.result as PublishResult), tags: ops};
}
