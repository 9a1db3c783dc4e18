import {immutabilityDecision} from '../policy/decide.js';
import type {Plan} from '../plan.js';
import type {TagOp} from '../registry/manifests.js';
import type {Session} from '../login/session.js';

/** Images the policy makes immutable (a tag there is never moved). */
export function immutableImages(plan: Plan): Set<string> {
  return new Set((plan.policy?.bindings ?? []).filter(b => b.rule.immutable).map(b => b.image));
}

export interface ExistingTag {
  op: TagOp;
  /** Where the tag points now. */
  existing: string;
}

/** The current digest of every planned tag of an immutable image that already exists. */
export async function existingImmutableTags(ops: TagOp[], plan: Plan, session: Session): Promise<ExistingTag[]> {
  const immutable = immutableImages(plan);
  const found: ExistingTag[] = [];
  for (const op of ops.filter(o => immutable.has(o.image))) {
    const existing = await session.client(op.registry).manifestDigest(op.repository, op.tag);
    if (existing) found.push({op, existing});
  }
  return found;
}

/**
 * Before a build: the planned tags of an immutable registry that exist already. All index tags at
 * one digest built from this very commit → a re-run of the same release (nothing to build); any
 * other existing tag → refuse now, before anything is pushed.
 */
export function rerunDecision(
  existing: ExistingTag[],
  revisionOf: Record<string, string>,
  sha: string
): {rerun?: string; refuse?: string} {
  if (existing.length === 0) return {};
  const indexDigests = [...new Set(existing.filter(e => !e.op.platform).map(e => e.existing))];
  if (indexDigests.length === 1 && revisionOf[indexDigests[0]] === sha) return {rerun: indexDigests[0]};
  const lines = existing.map(
    e =>
      `${e.op.image}:${e.op.tag} already points at ${e.existing}` +
      (revisionOf[e.existing] ? ` (built from ${revisionOf[e.existing].slice(0, 12)})` : '')
  );
  return {
    refuse:
      `the policy makes these tags immutable and this run (commit ${sha.slice(0, 12)}) would overwrite them; ` +
      `nothing was built or pushed:\n- ${lines.join('\n- ')}`
  };
}

/** Splits the tag operations: to write, already in place; throws (before any write) on an overwrite. */
export async function decideTags(
  ops: TagOp[],
  plan: Plan,
  session: Session
): Promise<{write: TagOp[]; unchanged: TagOp[]}> {
  const existing = new Map((await existingImmutableTags(ops, plan, session)).map(e => [e.op, e.existing]));
  const write: TagOp[] = [];
  const unchanged: TagOp[] = [];
  const refusals: string[] = [];
  for (const op of ops) {
    if (!existing.has(op)) {
      write.push(op);
      continue;
    }
    const d = immutabilityDecision(`${op.image}:${op.tag}`, existing.get(op), op.digest);
    if (d === 'same') unchanged.push(op);
    else if (d === 'create') write.push(op);
    else refusals.push(d.refuse);
  }
  if (refusals.length > 0) throw new Error(`immutable tags, nothing was tagged:\n- ${refusals.join('\n- ')}`);
  return {write, unchanged};
}
