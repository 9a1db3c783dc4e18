import {buildahBuild} from '../engines/buildah/run.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {buildxPush, dockerLoad, resolveBuildx, setupBuilder} from '../engines/buildx/run.js';
import {platformInputs} from '../engines/local-layout.js';
import {runnerTemp} from '../runner.js';
import type {BuildSpec} from '../engines/types.js';
import type {Session} from '../login/session.js';
import type {Plan} from '../plan.js';
import {pushLayout} from '../registry/oci-layout.js';
import {setupQemu} from '../setup/qemu.js';
import {saveCleanup} from '../state-save.js';
import type {Phase} from './stage.js';
import * as log from '../report/log.js';

function buildSpec(plan: Plan): BuildSpec {
  const b = plan.build;
  return {
    context: b.context,
    file: b.file,
    target: b.target,
    platforms: plan.platforms,
    buildArgs: b.buildArgs,
    labels: plan.meta.labels,
    annotations: plan.meta.annotations,
    secrets: b.secrets,
    cacheFrom: b.cacheFrom,
    cacheTo: b.cacheTo,
    provenance: b.provenance,
    sbom: b.sbom,
    pull: b.pull,
    noCache: b.noCache,
    repositories: [...new Set(plan.images.map(i => i.name))]
  };
}

/**
 * Asks `buildx version` while the logins and tool probes run: the probe's answer is kept for the
 * run (tools/probe.ts), so Setup finds it ready. Nothing is printed or thrown here; Setup reports.
 */
export function warmEngine(plan: Plan, session: Session): void {
  if (plan.build.engine === 'buildx') resolveBuildx(session.env).catch(() => undefined);
}

async function setupEngine(plan: Plan, session: Session, phase: Phase) {
  const env = session.env;
  const b = plan.build;
  const buildx = b.engine === 'buildx';
  return phase('Setup', async () => {
    log.info(
      await setupQemu({
        platforms: plan.platforms,
        hostArch: plan.hostPlatform.split('/')[1],
        binfmtImage: b.binfmtImage,
        remoteBuilder: buildx && (b.builder.driver === 'remote' || b.builder.name !== ''),
        env
      })
    );
    if (!buildx) return undefined;
    const bx = await resolveBuildx(env);
    const handle = await setupBuilder(bx, env, {...b.builder, platforms: plan.platforms});
    if (handle.created && !b.builder.keep) saveCleanup({builder: handle.name, buildx: bx, dockerConfig: session.dir});
    return {buildx: bx, builder: handle};
  });
}

/** What a build that pushes nothing leaves behind: the digest, and per platform a ref trivy can read. */
export interface LocalBuild {
  digest: string;
  metadata: string;
  scans: {platform: string; ref: string; input: true}[];
  cleanup: () => void;
}

/**
 * push: false — every platform built (a broken Dockerfile fails here), into a local OCI layout (or,
 * with load, a docker archive loaded into the daemon). Nothing reaches a registry.
 */
export async function buildLocal(plan: Plan, session: Session, phase: Phase): Promise<LocalBuild> {
  const env = session.env;
  const setup = await setupEngine(plan, session, phase);
  return phase('Build (not pushed)', async () => {
    const spec = {...buildSpec(plan), repositories: []};
    if (setup) {
      const work = fs.mkdtempSync(path.join(runnerTemp(), 'image-publish-local-'));
      const cleanup = (): void => fs.rmSync(work, {recursive: true, force: true});
      try {
        if (plan.load) {
          const archive = path.join(work, 'image.tar');
          const r = await buildxPush(setup.buildx, env, setup.builder.name, {
            ...spec,
            local: {type: 'docker', dest: archive, names: plan.refs}
          });
          await dockerLoad(env, archive);
          log.info(
            `built ${r.digest} for ${plan.platforms.join(', ')} and loaded it as ${plan.refs.join(', ') || '(no tags)'} (built, not pushed)`
          );
          return {...r, scans: [{platform: plan.platforms[0], ref: archive, input: true}], cleanup};
        }
        const dir = path.join(work, 'layout');
        const r = await buildxPush(setup.buildx, env, setup.builder.name, {...spec, local: {type: 'oci', dest: dir}});
        const layout = platformInputs(dir);
        log.info(`built ${r.digest} for ${layout.scans.map(s => s.platform).join(', ')} (built, not pushed)`);
        return {...r, scans: layout.scans, cleanup};
      } catch (err) {
        cleanup();
        throw err;
      }
    }
    const engine = plan.build.engine as 'buildah' | 'podman';
    const built = await buildahBuild(engine, env, spec, {
      globalFlags: plan.build.engineFlags,
      isolation: plan.build.isolation,
      insecureRegistries: plan.build.insecureRegistries
    });
    const layout = platformInputs(built.layoutDir);
    log.info(`built ${built.image.digest} for ${layout.scans.map(s => s.platform).join(', ')} (built, not pushed)`);
    const metadata = JSON.stringify({
      engine,
      'containerimage.digest': built.image.digest,
      manifests: built.image.manifests.map(m => m.digest)
    });
    return {digest: built.image.digest, metadata, scans: layout.scans, cleanup: built.cleanup};
  });
}

/** QEMU + builder, then one build pushed by digest (no tag) to every image of the plan. */
export async function buildAndPush(
  plan: Plan,
  session: Session,
  phase: Phase,
  beforePush: () => Promise<void> = async () => undefined
): Promise<{digest: string; metadata: string}> {
  const env = session.env;
  const b = plan.build;
  const setup = await setupEngine(plan, session, phase);

  return phase('Build and push by digest', async () => {
    await beforePush();
    const spec = buildSpec(plan);
    if (setup) {
      const r = await buildxPush(setup.buildx, env, setup.builder.name, spec);
      log.info(`pushed ${r.digest} to ${plan.images.map(i => i.name).join(', ')} (no tag)`);
      return r;
    }
    const engine = b.engine as 'buildah' | 'podman';
    const built = await buildahBuild(engine, env, spec, {
      globalFlags: b.engineFlags,
      isolation: b.isolation,
      insecureRegistries: b.insecureRegistries
    });
    try {
      for (const image of plan.images) {
        const n = await pushLayout(built.layoutDir, built.image, session.client(image.registry), image.repository);
        log.info(
          `pushed ${built.image.digest} to ${image.name} (no tag): ${n.uploaded} blobs uploaded, ${n.existing} already there`
        );
      }
    } finally {
      built.cleanup();
    }
    const metadata = JSON.stringify({
      engine,
      'containerimage.digest': built.image.digest,
      manifests: built.image.manifests.map(m => m.digest)
    });
    return {digest: built.image.digest, metadata};
  });
}
