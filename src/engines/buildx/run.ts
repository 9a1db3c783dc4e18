import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  buildxBuildArgs,
  buildxCreateArgs,
  buildxEnv,
  buildxInspectArgs,
  buildxRemoveArgs,
  parseBuildxMetadata
} from './args.js';
import type {BuildSpec} from '../types.js';
import {runTool} from '../../tools/exec.js';
import {probe} from '../../tools/probe.js';
import {runnerTemp} from '../../runner.js';

/** `buildx` standalone when on PATH (test beds, CI images), else the docker CLI plugin; probed once per run. */
export async function resolveBuildx(env: Record<string, string>): Promise<string[]> {
  for (const [cmd, prefix] of [
    ['buildx', []],
    ['docker', ['buildx']]
  ] as const) {
    try {
      await probe(cmd, [...prefix, 'version'], {env});
      return [cmd, ...prefix];
    } catch {
      // try the next
    }
  }
  throw new Error('buildx is not installed: install docker buildx (docker/setup-buildx-action) or put buildx on PATH');
}

export interface BuilderHandle {
  name: string;
  /** True when this run created it (post removes it unless keep-builder). */
  created: boolean;
}

/** Uses the named builder, or creates one (docker-container by default, remote endpoint supported). */
export async function setupBuilder(
  buildx: string[],
  env: Record<string, string>,
  o: {name: string; driver: string; endpoint: string; driverOpts: string[]; configFile: string; platforms: string[]}
): Promise<BuilderHandle> {
  const [cmd, ...prefix] = buildx;
  if (o.name) {
    await runTool(cmd, [...prefix, ...buildxInspectArgs(o.name)], {env});
    return {name: o.name, created: false};
  }
  const name = `image-publish-${crypto.randomBytes(4).toString('hex')}`;
  await runTool(
    cmd,
    [
      ...prefix,
      ...buildxCreateArgs({
        name,
        driver: o.driver,
        endpoint: o.endpoint,
        driverOpts: o.driverOpts,
        configFile: o.configFile,
        platforms: o.platforms
      })
    ],
    {env}
  );
  await runTool(cmd, [...prefix, ...buildxInspectArgs(name)], {env});
  return {name, created: true};
}

export async function removeBuilder(buildx: string[], env: Record<string, string>, name: string): Promise<void> {
  const [cmd, ...prefix] = buildx;
  await runTool(cmd, [...prefix, ...buildxRemoveArgs(name)], {env});
}

/** One build for all platforms, pushed by digest to every repository; returns buildx's metadata. */
export async function buildxPush(
  buildx: string[],
  env: Record<string, string>,
  builder: string,
  spec: BuildSpec
): Promise<{digest: string; metadata: string}> {
  const [cmd, ...prefix] = buildx;
  const dir = fs.mkdtempSync(path.join(runnerTemp(), 'image-publish-build-'));
  const metadataFile = path.join(dir, 'metadata.json');
  try {
    const buildEnv = {...buildxEnv(spec, process.env), ...env};
    await runTool(cmd, [...prefix, ...buildxBuildArgs(spec, {builder, metadataFile})], {env: buildEnv});
    const metadata = fs.readFileSync(metadataFile, 'utf8');
    return {digest: parseBuildxMetadata(metadata).digest, metadata};
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

/** load: true — the docker archive buildx wrote, into the local daemon (tags included). */
export async function dockerLoad(env: Record<string, string>, archive: string): Promise<void> {
  await runTool('docker', ['load', '--input', archive], {env, label: 'docker load'});
}
