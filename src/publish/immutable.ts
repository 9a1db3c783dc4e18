import {tagDecisions, type ExistingTag} from '../policy/decide.js';
import type {Plan} from '../plan.js';
import type {TagOp} from '../registry/manifests.js';
import type {Session} from '../login/session.js';
import {limit, type Limit} from '../registry/limit.js';
import {TAG_WRITES_PER_REGISTRY} from './tag-writes.js';

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
  // Reads only, before any write: concurrent, a few per registry, results in the planned order.
  const limits = new Map<string, Limit>();
  const bound = (registry: string): Limit => {
    let l = limits.get(registry);
    if (!l) limits.set(registry, (l = limit(TAG_WRITES_PER_REGISTRY)));
    return l;
  };
  const heads = await Promise.all(
    ops
      .filter(o => immutable.has(o.image))
      .map(async op => ({
        op,
        existing: await bound(op.registry)(() => session.client(op.registry).manifestDigest(op.repository, op.tag))
      }))
  );
  return heads.filter((h): h is ExistingTag & {op: TagOp} => h.existing !== undefined);
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
