// Writing tags concurrently, in an order distribution accepts.
//
// Why the order: a manifest PUT makes distribution (2.8, filesystem storage) rewrite the
// repository's revision link of that manifest, and the rewrite truncates the link file before
// writing it. An index PUT checks that each manifest it lists exists in the repository by reading
// those links; one read inside a concurrent rewrite sees an empty link and the index is refused
// (`400 DIGEST_INVALID … MANIFEST_BLOB_UNKNOWN`). A per-arch tag is such a rewrite of a child's
// link, and a tag's GET by digest reads the link too. So: every manifest is read first, then all
// per-arch tags (children), then all index tags; inside a wave nothing reads a link the wave writes.
import type {Manifest} from '../registry/client.js';
import {limit, type Limit} from '../registry/limit.js';
import type {TagOp} from '../registry/manifests.js';
import type {Session} from '../login/session.js';

/** Tag writes in flight per registry: a handful, as a registry serves one repository's tags. */
export const TAG_WRITES_PER_REGISTRY = 4;

const manifestKey = (op: Pick<TagOp, 'registry' | 'repository' | 'digest'>): string =>
  `${op.registry}\n${op.repository}\n${op.digest}`;

/**
 * The waves, in order: per-arch tags (platform manifests) before index tags, since an index PUT
 * reads the links a child's PUT rewrites. Pure; order inside a wave is the planned order.
 */
export function tagWaves(ops: TagOp[]): TagOp[][] {
  const children = ops.filter(o => o.platform !== undefined);
  const indexes = ops.filter(o => o.platform === undefined);
  return [children, indexes].filter(w => w.length > 0);
}

/** Each distinct registry/repository/digest once: the manifests to read before any tag is written. */
export function manifestsToRead(ops: TagOp[]): TagOp[] {
  const seen = new Map<string, TagOp>();
  for (const op of ops) if (!seen.has(manifestKey(op))) seen.set(manifestKey(op), op);
  return [...seen.values()];
}

/**
 * Writes every tag, at most `perRegistry` requests at once per registry; `done` is called as each
 * tag lands (the log keeps the planned order only within what finished). Throws the first failure
 * after the wave it belongs to has settled, so no request is left running behind the error.
 */
export async function writeTags(
  ops: TagOp[],
  session: Session,
  done: (op: TagOp) => void,
  perRegistry = TAG_WRITES_PER_REGISTRY
): Promise<void> {
  const limits = new Map<string, Limit>();
  const bound = (registry: string): Limit => {
    let l = limits.get(registry);
    if (!l) limits.set(registry, (l = limit(perRegistry)));
    return l;
  };
  const settle = async <T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> => {
    const results = await Promise.allSettled(items.map(fn));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
  const read = new Map<string, Manifest>();
  await settle(manifestsToRead(ops), async op => {
    const m = await bound(op.registry)(() => session.client(op.registry).getManifest(op.repository, op.digest));
    read.set(manifestKey(op), m);
  });
  for (const wave of tagWaves(ops)) {
    await settle(wave, async op => {
      await bound(op.registry)(() =>
        session.client(op.registry).tag(op.repository, op.digest, op.tag, read.get(manifestKey(op)))
      );
      done(op);
    });
  }
}
