import {tagDecisions, type ExistingTag} from '../policy/decide.js';
import type {Plan} from '../plan.js';
import type {TagOp} from '../registry/manifests.js';
import type {Session} from '../login/session.js';

/** Images the policy makes immutable (a tag there is never moved). */
export function immutableImages(plan: Plan): Set<string> {
  return new Set((plan.policy?.bindings ?? []).filter(b => b.rule.immutable).map(b => b.image));
}

/** The current digest of every planned tag of an immutable image that already exists. */
export async function existingImmutableTags(
  ops: TagOp[],
  plan: Plan,
  session: Session
): Promise<(ExistingTag & {op: TagOp})[]> {
  const immutable = immutableImages(plan);
  const found: (ExistingTag & {op: TagOp})[] = [];
  for (const op of ops.filter(o => immutable.has(o.image))) {
    const existing = await session.client(op.registry).manifestDigest(op.repository, op.tag);
    if (existing) found.push({op, existing});
  }
  return found;
}

/** Splits the tag operations: to write, already in place; throws (before any write) on an overwrite. */
export async function decideTags(
  ops: TagOp[],
  plan: Plan,
  session: Session
): Promise<{write: TagOp[]; unchanged: TagOp[]}> {
  const existing = new Map((await existingImmutableTags(ops, plan, session)).map(e => [e.op, e.existing]));
  const d = tagDecisions(ops, existing);
  if (d.refuse) throw new Error(d.refuse);
  return {write: d.write, unchanged: d.unchanged};
}
