// A small streaming tar reader: headers are parsed as the bytes go by, file bodies are skipped unless
// the caller asks for one (and then only up to a limit), so a layer of any size costs one chunk of memory.

export interface TarEntry {
  /** Path without a leading `./` or `/` (`etc/passwd`). */
  name: string;
  /** Tar type flag: '0' regular file, '2' symlink, '1' hard link, '5' directory, ... */
  type: string;
  size: number;
  linkName: string;
}

const BLOCK = 512;

/** Bytes as they arrive, taken in exact amounts. */
class ByteQueue {
  private parts: Buffer[] = [];
  private length = 0;
  private done = false;
  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  private async fill(n: number): Promise<boolean> {
    while (this.length < n && !this.done) {
      const next = await this.source.next();
      if (next.done) this.done = true;
      else {
        const b = Buffer.from(next.value);
        this.parts.push(b);
        this.length += b.length;
      }
    }
    return this.length >= n;
  }

  /** Exactly n bytes, or undefined at the end of the stream. */
  async take(n: number): Promise<Buffer | undefined> {
    if (!(await this.fill(n))) return undefined;
    const all = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    this.parts = all.length > n ? [all.subarray(n)] : [];
    this.length = all.length - n;
    return all.subarray(0, n);
  }

  /** Drops n bytes without holding more than one chunk. */
  async skip(n: number): Promise<void> {
    let left = n;
    while (left > 0) {
      if (this.length === 0 && !(await this.fill(1))) throw new Error('the tar stream ends inside an entry');
      const head = this.parts[0];
      if (head.length <= left) {
        this.parts.shift();
        this.length -= head.length;
        left -= head.length;
      } else {
        this.parts[0] = head.subarray(left);
        this.length -= left;
        left = 0;
      }
    }
  }
}

const text = (b: Buffer): string => {
  const end = b.indexOf(0);
  return b.subarray(0, end < 0 ? b.length : end).toString('utf8');
};

/** Numeric header fields are octal text, or base-256 when the high bit of the first byte is set. */
function numberField(b: Buffer): number {
  if (b[0] & 0x80) {
    let n = b[0] & 0x7f;
    for (let i = 1; i < b.length; i++) n = n * 256 + b[i];
    return n;
  }
  const s = text(b).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function checksumOk(h: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
  return sum === numberField(h.subarray(148, 156));
}

/** `key=value` records of a pax extended header (`<len> <key>=<value>\n`). */
function paxRecords(b: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  while (at < b.length) {
    const space = b.indexOf(0x20, at);
    if (space < 0) break;
    const len = Number(b.subarray(at, space).toString('ascii'));
    if (!Number.isFinite(len) || len <= 0) break;
    const record = b.subarray(space + 1, at + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    at += len;
  }
  return out;
}

const clean = (name: string): string => name.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
const padded = (n: number): number => Math.ceil(n / BLOCK) * BLOCK;

/** Long names and pax headers are at most this big; anything larger is not a header we trust. */
const MAX_META_BYTES = 1024 * 1024;

/**
 * Every entry of a tar stream, in order. `wantBody(entry)` gives the most bytes the caller will hold
 * for that entry's body (0: skip it); a body within the limit comes with the entry. Stops at the
 * end-of-archive blocks; a broken header throws (a layer we cannot read is not treated as empty).
 */
export async function* tarEntries(
  source: AsyncIterable<Uint8Array>,
  wantBody: (entry: TarEntry) => number
): AsyncGenerator<TarEntry & {body?: Buffer}> {
  const q = new ByteQueue(source[Symbol.asyncIterator]());
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax: Record<string, string> = {};
  for (;;) {
    const h = await q.take(BLOCK);
    if (!h || h.every(x => x === 0)) return;
    if (!checksumOk(h)) throw new Error('a tar header has a bad checksum (not a tar stream?)');
    const size = numberField(h.subarray(124, 136));
    const type = String.fromCharCode(h[156] || 0x30);
    if (type === 'L' || type === 'K' || type === 'x' || type === 'g') {
      if (size > MAX_META_BYTES) throw new Error(`a tar ${type} header of ${size} B is too large`);
      const body = (await q.take(padded(size)))?.subarray(0, size);
      if (!body) throw new Error('the tar stream ends inside a header');
      if (type === 'L') longName = text(body);
      else if (type === 'K') longLink = text(body);
      else if (type === 'x') pax = paxRecords(body);
      continue;
    }
    const prefix = h.subarray(257, 263).toString('ascii').startsWith('ustar') ? text(h.subarray(345, 500)) : '';
    const short = text(h.subarray(0, 100));
    const entry: TarEntry = {
      name: clean(pax.path ?? longName ?? (prefix ? `${prefix}/${short}` : short)),
      type,
      size: pax.size !== undefined ? Number(pax.size) : size,
      linkName: pax.linkpath ?? longLink ?? text(h.subarray(157, 257))
    };
    longName = longLink = undefined;
    pax = {};
    const limit = wantBody(entry);
    if (limit > 0 && entry.size <= limit) {
      const body = await q.take(padded(entry.size));
      if (!body) throw new Error(`the tar stream ends inside ${entry.name}`);
      yield {...entry, body: body.subarray(0, entry.size)};
    } else {
      await q.skip(padded(entry.size));
      yield entry;
    }
  }
}
