import * as core from '@actions/core';
import {parseList} from './meta/list.js';

export type Engine = 'buildx' | 'podman' | 'buildah';
const ENGINES: readonly Engine[] = ['buildx', 'podman', 'buildah'];

/** Every action input, read once. This is the only module that calls core.getInput. */
export interface Inputs {
  images: string[];
  tags: string[];
  flavor: string[];
  labels: string[];
  annotations: string[];
  sepTags: string;
  sepLabels: string;
  sepAnnotations: string;
  tagPreset: string;
  tagPrefix: string;
  version: string;
  archTags: boolean;
  platforms: string[];
  context: string;
  file: string;
  target: string;
  buildArgs: string[];
  engine: Engine;
  dryRun: boolean;
  githubToken: string;
  // Build and push
  builder: string;
  builderDriver: string;
  builderEndpoint: string;
  builderDriverOpts: string[];
  buildkitdConfig: string;
  keepBuilder: boolean;
  binfmtImage: string;
  registryAuth: string;
  insecureRegistries: string[];
  secrets: string[];
  cacheFrom: string[];
  cacheTo: string[];
  provenance: string;
  sbom: string;
  pull: boolean;
  noCache: boolean;
  engineFlags: string[];
  isolation: string;
}

/** Reads one raw input; `trim: false` keeps separators such as a lone newline. */
export type InputGetter = (name: string, trim?: boolean) => string;

/** Every input, parsed and checked. Pure given the getter, so tests feed it a plain map. */
export function readInputs(get: InputGetter): Inputs {
  const list = (name: string): string[] => parseList(get(name), {ignoreComma: true, comment: '#', quote: false});
  const bool = (name: string): boolean => {
    const raw = get(name);
    if (raw === '') return false;
    if (/^(true|True|TRUE)$/.test(raw)) return true;
    if (/^(false|False|FALSE)$/.test(raw)) return false;
    throw new Error(`Input "${name}" must be true or false, got "${raw}"`);
  };
  const engine = get('engine') || 'buildx';
  if (!(ENGINES as readonly string[]).includes(engine)) {
    throw new Error(`Input "engine" must be one of ${ENGINES.join(', ')}, got "${engine}"`);
  }
  const driver = get('builder-driver') || 'docker-container';
  if (!['docker-container', 'remote', 'docker', 'kubernetes'].includes(driver)) {
    throw new Error(`Input "builder-driver" must be docker-container, remote, docker or kubernetes, got "${driver}"`);
  }
  if (driver === 'remote' && !get('builder-endpoint') && !get('builder')) {
    throw new Error(
      'Input "builder-endpoint" is required with builder-driver: remote (e.g. unix:///run/buildkit/buildkitd.sock)'
    );
  }
  return {
    images: list('images'),
    tags: list('tags'),
    flavor: list('flavor'),
    labels: list('labels'),
    annotations: list('annotations'),
    sepTags: get('sep-tags', false) || '\n',
    sepLabels: get('sep-labels', false) || '\n',
    sepAnnotations: get('sep-annotations', false) || '\n',
    tagPreset: get('tag-preset'),
    tagPrefix: get('tag-prefix'),
    version: get('version'),
    archTags: bool('arch-tags'),
    platforms: parseList(get('platforms'), {ignoreComma: false, comment: '#'}),
    context: get('context') || '.',
    file: get('file'),
    target: get('target'),
    buildArgs: list('build-args'),
    engine: engine as Engine,
    dryRun: bool('dry-run'),
    githubToken: get('github-token'),
    builder: get('builder'),
    builderDriver: driver,
    builderEndpoint: get('builder-endpoint'),
    builderDriverOpts: list('builder-driver-opts'),
    buildkitdConfig: get('buildkitd-config'),
    keepBuilder: bool('keep-builder'),
    binfmtImage: get('binfmt-image') || 'docker.io/tonistiigi/binfmt:latest',
    registryAuth: get('registry-auth'),
    insecureRegistries: parseList(get('insecure-registries'), {ignoreComma: false, comment: '#'}),
    secrets: list('secrets'),
    cacheFrom: list('cache-from'),
    cacheTo: list('cache-to'),
    provenance: get('provenance'),
    sbom: get('sbom'),
    pull: bool('pull'),
    noCache: bool('no-cache'),
    engineFlags: parseList(get('engine-flags'), {ignoreComma: false, comment: '#'})
      .flatMap(f => f.split(/\s+/))
      .filter(Boolean),
    isolation: get('isolation')
  };
}

export function getInputs(): Inputs {
  const inputs = readInputs((name, trim = true) => core.getInput(name, {trimWhitespace: trim}));
  if (inputs.githubToken) core.setSecret(inputs.githubToken);
  return inputs;
}
