// A bound on how many transfers run at once. Memory per transfer is a few pieces of a MiB, so the
// bound is about not flooding the link and the registries (several engineers' runners share both).

export type Limit = <T>(fn: () => Promise<T>) => Promise<T>;

export function limit(concurrency: number): Limit {
  const max = Math.max(1, Math.floor(concurrency));
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    // A finishing task hands its slot straight to the next waiter, so no newcomer slips in between.
    if (running >= max) await new Promise<void>(resolve => waiting.push(resolve));
    else running++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/** Manifest requests in flight per copy: the walk over children and referrers goes this wide. */
export const DEFAULT_REQUEST_CONCURRENCY = 8;

/** Blobs in flight per copy or push (each may go to its own registry). */
export const DEFAULT_BLOB_CONCURRENCY = 4;

/**
 * Blob uploads in flight in the whole process, across every registry and copy: promoting to
 * several registries at once cannot multiply the transfers past this.
 */
export const PROCESS_BLOB_TRANSFERS = 6;
export const blobTransfers: Limit = limit(PROCESS_BLOB_TRANSFERS);
