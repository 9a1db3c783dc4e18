// What the stages share: the run's state as it goes, and the one way a phase is timed and grouped.
import {group} from '../report/commands.js';
import type {RunContext} from '../context.js';
import type {Session} from '../login/session.js';
import type {Plan} from '../plan.js';
import type {Secrets} from '../plan/registries.js';
import type {TagOp} from '../registry/manifests.js';
import type {SignConfig} from '../supply/cosign-config.js';
import type {GateSpec} from '../supply/gate.js';
import type {DbPrefetch, ScanOutcome, SignOutcome} from '../supply/pipeline.js';
import type {CopyStats} from '../registry/copy.js';

export interface PlatformResult {
  platform: string;
  digest: string;
  size: number;
  layers: number;
}

export interface PromoteResult {
  source: string;
  digest: string;
  /** target image → what the copy moved (no entry: same repository, tags only). */
  targets: Record<string, CopyStats>;
  sourceVerified: boolean;
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

/** Every phase is a log group whose duration lands in the summary. */
export function phaser(progress: Progress): Phase {
  return async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const start = Date.now();
    try {
      return await group(name, fn);
    } finally {
      progress.result.durations[name] = (Date.now() - start) / 1000;
    }
  };
}

/** Tools and settings resolved before anything is built (see prepare.ts). */
export interface Prepared {
  tools: {trivy?: string; cosign?: string};
  /** The plan's signing settings with the key written to a private file and the password added. */
  signing?: SignConfig;
  gate?: GateSpec;
}

/** Everything a stage needs: the plan, the secrets held apart, the logins, and the run's progress. */
export interface Stage extends Prepared {
  plan: Plan;
  secrets: Secrets;
  ctx: RunContext;
  session: Session;
  phase: Phase;
  progress: Progress;
  /** The trivy DB fetch started beside the build (scan-stage.ts startDbPrefetch). */
  trivyDb?: DbPrefetch;
}

/** A tool the prepare phase resolved; missing means a phase ran that the plan did not announce. */
export function required(tool: string | undefined, name: string): string {
  if (!tool) throw new Error(`internal: ${name} was not prepared for this run`);
  return tool;
}
