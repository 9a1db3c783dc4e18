// A named USER (`mcp`, `mcp:mcp`) means whatever the image's own /etc/passwd says. It is read from
// the pushed layers, top layer first, streamed (gzip, zstd where node:zlib has it, or plain tar), and
// the search stops at the first layer that holds the file or deletes it (whiteouts).
import {Readable} from 'node:stream';
import * as zlib from 'node:zlib';
import {tarEntries} from './tar-entries.js';

/** What /etc/passwd in the image says about a named user: the uid, or why there is none. */
export interface UserSource {
  uid?: number;
  gid?: number;
  /** `/etc/passwd line 12: mcp:x:1000:1000`, or why no line gave the uid. */
  source: string;
}

export interface LayerSource {
  digest: string;
  open: () => Promise<AsyncIterable<Uint8Array>>;
}

const PASSWD = 'etc/passwd';
/** /etc/passwd larger than this is not read (a real one is a few KiB). */
const MAX_PASSWD_BYTES = 4 * 1024 * 1024;

/** The layer bytes as tar: gzip and zstd recognised by their magic numbers, anything else taken as tar. */
export async function* tarStream(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = body[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  while (head.length < 4) {
    const n = await it.next();
    if (n.done) break;
    head = Buffer.concat([head, Buffer.from(n.value)]);
  }
  async function* all(): AsyncGenerator<Uint8Array> {
    if (head.length > 0) yield head;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield n.value;
    }
  }
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const zstd = head.readUInt32LE(0) === 0xfd2fb528;
  if (!gzip && !zstd) {
    yield* all();
    return;
  }
  const zstdFactory = (zlib as unknown as {createZstdDecompress?: () => NodeJS.ReadWriteStream}).createZstdDecompress;
  if (zstd && !zstdFactory) {
    await it.return?.();
    throw new Error('the layer is zstd-compressed and this Node.js has no zstd decompressor (node:zlib ≥ 22.15)');
  }
  const z = (gzip ? zlib.createGunzip() : (zstdFactory as () => NodeJS.ReadWriteStream)()) as NodeJS.ReadWriteStream &
    Readable;
  const src = Readable.from(all());
  src.on('error', err => z.destroy(err));
  src.pipe(z);
  try {
    for await (const piece of z) yield piece as Buffer;
  } finally {
    // Stopped early (the file was found): free the decompressor and the download.
    src.destroy();
    z.destroy();
    await it.return?.();
  }
}

export type LayerLookup = {found: string; layer: string} | {deleted: string; layer: string} | undefined;

/** One layer: the file's text, a whiteout that hides it (and every lower layer), or nothing. */
async function lookInLayer(layer: LayerSource, path: string): Promise<LayerLookup> {
  const dir = path.slice(0, path.lastIndexOf('/'));
  const base = path.slice(path.lastIndexOf('/') + 1);
  const hiding = new Map<string, string>([
    [`${dir}/.wh.${base}`, `${layer.digest} deletes /${path} (whiteout ${dir}/.wh.${base})`],
    [`${dir}/.wh..wh..opq`, `${layer.digest} replaces /${dir} (opaque whiteout) without a ${base}`],
    [`.wh.${dir}`, `${layer.digest} deletes /${dir} (whiteout .wh.${dir})`]
  ]);
  let hidden: string | undefined;
  for await (const e of tarEntries(tarStream(await layer.open()), e =>
    e.name === path && e.type === '0' ? MAX_PASSWD_BYTES : 0
  )) {
    if (e.name === path) {
      if (e.body) return {found: e.body.toString('utf8'), layer: layer.digest};
      const what =
        e.type === '2' ? `a symlink to ${e.linkName}` : e.type === '1' ? `a hard link to /${e.linkName}` : '';
      return {
        deleted: `/${path} in ${layer.digest} is ${what || `larger than ${MAX_PASSWD_BYTES} B`}`,
        layer: layer.digest
      };
    }
    hidden ??= hiding.get(e.name);
  }
  return hidden ? {deleted: hidden, layer: layer.digest} : undefined;
}

/** `path` as the image sees it: layers are given bottom first (manifest order) and read top first. */
export async function findFile(layers: LayerSource[], path = PASSWD): Promise<LayerLookup> {
  for (const layer of [...layers].reverse()) {
    const hit = await lookInLayer(layer, path);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * `config.User` against the text of /etc/passwd: a name (or the name part of `user:group`) is looked
 * up; the first matching line wins, as getpwnam does.
 */
export function resolveUser(
  user: string,
  passwd: string | undefined,
  missing = 'the image has no /etc/passwd'
): UserSource {
  const name = user.trim().split(':')[0];
  if (passwd === undefined) return {source: `${missing}, so user "${name}" has no uid`};
  const lines = passwd.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    const fields = line.split(':');
    if (fields.length < 4 || fields[0] !== name) continue;
    const source = `/etc/passwd line ${i + 1}: ${line}`;
    if (!/^\d+$/.test(fields[2])) return {source: `${source} (the uid field is not a number)`};
    return {uid: Number(fields[2]), ...(/^\d+$/.test(fields[3]) ? {gid: Number(fields[3])} : {}), source};
  }
  return {source: `/etc/passwd (${lines.filter(l => l.trim()).length} lines) has no user "${name}"`};
}

/** The uid of a named user, read from the layers; numbers and root need no lookup (undefined). */
export async function userFromLayers(user: string, layers: LayerSource[]): Promise<UserSource | undefined> {
  const name = user.trim().split(':')[0];
  if (name === '' || name === 'root' || /^\d+$/.test(name)) return undefined;
  const hit = await findFile(layers);
  if (hit && 'found' in hit) return resolveUser(user, hit.found);
  return resolveUser(user, undefined, hit ? hit.deleted : 'no layer holds /etc/passwd');
}
