import * as core from '@actions/core';
import type {BuildSpec} from '../engines/types.js';
import type {Inputs} from '../inputs.js';
import type {Plan} from '../plan.js';
import {binfmtInstallArgs, missingEmulators, registeredEmulators} from '../setup/qemu.js';
import {saveCleanup} from '../state.js';
import {runTool} from '../tools/exec.js';
import {buildahBuild} from '../engines/buildah/run.js';
import {buildxPush, resolveBuildx, setupBuilder} from '../engines/buildx/run.js';
import {pushLayout} from '../registry/oci-layout.js';
import type {Session} from '../login/session.js';

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

type Phase = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/** QEMU + builder, then one build pushed by digest (no tag) to every image of the plan. */
export async function buildAndPush(
  plan: Plan,
  inputs: Inputs,
  session: Session,
  phase: Phase
): Promise<{digest: string; metadata: string}> {
  const env = session.env;
  const buildx = inputs.engine === 'buildx';
  const setup = await phase('Setup', async () => {
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

  return phase('Build and push by digest', async () => {
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
        const n = await pushLayout(b.layoutDir, b.image, session.client(image.registry), image.repository);
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
}
