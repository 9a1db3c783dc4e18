import type {Engine, Inputs} from './inputs.js';
import {computeMeta, type MetaEnv, type MetaResult, type PlannedImage} from './meta/index.js';

export interface PlanStep {
  phase: 'setup' | 'login' | 'build' | 'push' | 'tag';
  what: string;
}

export interface Plan {
  dryRun: boolean;
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

/** Inputs + context → everything a run will do. Pure. */
export function makePlan(inputs: Inputs, env: MetaEnv, hostPlatform: string): Plan {
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
  const refs: string[] = [];
  for (const image of meta.images) {
    refs.push(...image.tags.map(t => `${image.name}:${t}`));
    for (const platform of platforms) {
      refs.push(...(image.archTags[platform] ?? []).map(t => `${image.name}:${t}`));
    }
  }
  const steps: PlanStep[] = [];
  const foreign = platforms.filter(p => p.split('/')[1] !== hostPlatform.split('/')[1]);
  if (foreign.length > 0) steps.push({phase: 'setup', what: `QEMU emulation for ${foreign.join(', ')}`});
  steps.push({phase: 'setup', what: `${inputs.engine} builder`});
  for (const registry of [...new Set(meta.images.map(i => i.registry))]) {
    steps.push({phase: 'login', what: registry});
  }
  steps.push({
    phase: 'build',
    what: `${inputs.engine} build ${inputs.context}${inputs.file ? ` -f ${inputs.file}` : ''} for ${platforms.join(', ')}`
  });
  for (const image of meta.images) {
    steps.push({phase: 'push', what: `${image.name} by digest (no tag yet)`});
  }
  for (const image of meta.images) {
    const arch = Object.values(image.archTags).flat();
    steps.push({
      phase: 'tag',
      what: `${image.name}: ${[...image.tags, ...arch].join(', ') || '(no tags)'}`
    });
  }
  return {
    dryRun: inputs.dryRun,
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
    steps
  };
}
