import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {buildahBuildArgs, buildahPushToLayoutArgs, buildahRemoveManifestArgs, type BuildahOptions} from './args.js';
import type {BuildSpec} from '../types.js';
import {runTool} from '../../tools/exec.js';
import {annotateIndex, readLayout, type LayoutImage} from '../../registry/oci-layout.js';
import {runnerTemp} from '../../runner.js';
import * as log from '../../report/log.js';

/**
 * Base images may come from plain-http registries (insecure-registries): containers/image learns
 * that from registries.conf. The file keeps Docker Hub as the search registry for short names.
 */
function registriesConf(dir: string, insecure: string[]): Record<string, string> {
  if (insecure.length === 0) return {};
  const file = path.join(dir, 'registries.conf');
  const entries = insecure.map(r => `[[registry]]\nlocation = ${JSON.stringify(r)}\ninsecure = true\n`);
  fs.writeFileSync(file, ['unqualified-search-registries = ["docker.io"]', '', ...entries].join('\n'));
  return {CONTAINERS_REGISTRIES_CONF: file};
}

/**
 * buildah/podman: one build for every platform into a manifest list, written to a local OCI
 * layout. The caller uploads it by digest to each registry; the digest is that of the bytes uploaded.
 */
export async function buildahBuild(
  engine: 'buildah' | 'podman',
  env: Record<string, string>,
  spec: BuildSpec,
  o: {globalFlags: string[]; isolation: string; insecureRegistries: string[]}
): Promise<{layoutDir: string; image: LayoutImage; cleanup: () => void}> {
  const work = fs.mkdtempSync(path.join(runnerTemp(), `image-publish-${engine}-`));
  const opts: BuildahOptions = {
    engine,
    globalFlags: o.globalFlags,
    isolation: o.isolation,
    manifest: `image-publish-${crypto.randomBytes(4).toString('hex')}`
  };
  const layoutDir = path.join(work, 'layout');
  const digestFile = path.join(work, 'digest');
  try {
    await runTool(engine, buildahBuildArgs(spec, opts), {
      env: {...env, ...registriesConf(work, o.insecureRegistries)},
      label: `${engine} build`
    });
    await runTool(engine, buildahPushToLayoutArgs(opts, layoutDir, digestFile), {
      env,
      label: `${engine} manifest push`
    });
  } finally {
    await runTool(engine, buildahRemoveManifestArgs(opts), {env, silent: true}).catch(() => undefined);
  }
  const listDigest = fs.readFileSync(digestFile, 'utf8').trim();
  const indexAnnotations = Object.fromEntries(
    spec.annotations
      .filter(a => a.startsWith('index:'))
      .map(a => a.slice('index:'.length))
      .map(a => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)])
  );
  const image = annotateIndex(readLayout(layoutDir, listDigest), indexAnnotations);
  log.info(`${engine}: ${image.digest} with ${image.manifests.length} image(s)`);
  return {layoutDir, image, cleanup: () => fs.rmSync(work, {recursive: true, force: true})};
}
