// A named USER resolved through the image's own /etc/passwd: tar layers made here (gzip and plain),
// read top layer first, whiteouts honoured, the search stopping at the first layer that decides.
import * as zlib from 'node:zlib';
import {describe, expect, it} from '@jest/globals';
import {findFile, resolveUser, tarStream, userFromLayers, type LayerSource} from '../../src/registry/passwd.js';
import {tarEntries} from '../../src/registry/tar-entries.js';

interface Entry {
  name: string;
  body?: string;
  type?: string;
  link?: string;
  /** Write the name as a pax `path` record (names over 100 bytes). */
  pax?: boolean;
}

function header(name: string, size: number, type: string, link = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 100), 0);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write(type, 156);
  h.write(link, 157);
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

const pad = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);

function tar(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.body ?? '');
    if (e.pax) {
      const rec = ` path=${e.name}\n`;
      let len = rec.length + 1;
      while (String(len).length + rec.length !== len) len = String(len).length + rec.length;
      const record = Buffer.from(`${len}${rec}`);
      parts.push(header('PaxHeader', record.length, 'x'), pad(record));
    }
    parts.push(header(e.pax ? 'short-name' : e.name, body.length, e.type ?? '0', e.link), pad(body));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A layer served in small pieces, counting how many bytes were read and whether it was opened. */
function layer(digest: string, bytes: Buffer, piece = 700): LayerSource & {opened: () => boolean; read: () => number} {
  let opened = false;
  let read = 0;
  return {
    digest,
    opened: () => opened,
    read: () => read,
    open: async () => {
      opened = true;
      return (async function* () {
        for (let i = 0; i < bytes.length; i += piece) {
          read += Math.min(piece, bytes.length - i);
          yield bytes.subarray(i, i + piece);
        }
      })();
    }
  };
}

const gz = (entries: Entry[]): Buffer => zlib.gzipSync(tar(entries));
const PASSWD =
  'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/sbin/nologin\nmcp:x:1000:1000::/home/mcp:/bin/sh\n';

describe('tarEntries', () => {
  it('reads names (ustar, pax), types and the bodies it is asked for', async () => {
    const long = `usr/share/${'d'.repeat(120)}/file`;
    const bytes = tar([
      {name: './etc/', type: '5'},
      {name: './etc/passwd', body: PASSWD},
      {name: long, body: 'x'.repeat(2000), pax: true},
      {name: 'bin/sh', type: '2', link: '/bin/busybox'}
    ]);
    const seen: string[] = [];
    for await (const e of tarEntries(await layer('l', bytes).open(), e => (e.name === 'etc/passwd' ? 1000 : 0))) {
      seen.push(
        `${e.type} ${e.name} ${e.size}${e.linkName ? ` -> ${e.linkName}` : ''}${e.body ? ` [${e.body.length}]` : ''}`
      );
    }
    expect(seen).toEqual([
      '5 etc 0',
      `0 etc/passwd ${PASSWD.length} [${PASSWD.length}]`,
      `0 ${long} 2000`,
      '2 bin/sh 0 -> /bin/busybox'
    ]);
  });
  it('refuses a stream that is not tar', async () => {
    const it2 = tarEntries(
      (async function* () {
        yield Buffer.alloc(512, 7);
      })(),
      () => 0
    );
    await expect(it2.next()).rejects.toThrow('a tar header has a bad checksum (not a tar stream?)');
  });
});

describe('findFile: top layer first, whiteouts', () => {
  const base = (pw: string): Entry[] => [
    {name: 'etc/', type: '5'},
    {name: 'etc/passwd', body: pw}
  ];
  it.each([
    ['the top layer that holds it wins', [gz(base('a:x:1:1::/:\n')), gz(base(PASSWD))], {found: PASSWD, layer: 'L1'}],
    [
      'a lower layer when the top has none',
      [gz(base(PASSWD)), gz([{name: 'app/run', body: 'x'}])],
      {found: PASSWD, layer: 'L0'}
    ],
    ['plain (uncompressed) tar', [tar(base(PASSWD))], {found: PASSWD, layer: 'L0'}],
    [
      'a whiteout hides the lower file',
      [gz(base(PASSWD)), gz([{name: 'etc/.wh.passwd'}])],
      {deleted: 'L1 deletes /etc/passwd (whiteout etc/.wh.passwd)', layer: 'L1'}
    ],
    [
      'an opaque /etc without passwd hides the lower file',
      [gz(base(PASSWD)), gz([{name: 'etc/.wh..wh..opq'}, {name: 'etc/hosts', body: 'h'}])],
      {deleted: 'L1 replaces /etc (opaque whiteout) without a passwd', layer: 'L1'}
    ],
    [
      'an opaque /etc with a new passwd gives the new one',
      [gz(base('old:x:5:5::/:\n')), gz([{name: 'etc/.wh..wh..opq'}, {name: 'etc/passwd', body: PASSWD}])],
      {found: PASSWD, layer: 'L1'}
    ],
    [
      'a symlinked passwd is not followed',
      [gz([{name: 'etc/passwd', type: '2', link: '../run/passwd'}])],
      {deleted: '/etc/passwd in L0 is a symlink to ../run/passwd', layer: 'L0'}
    ],
    ['no layer holds it', [gz([{name: 'bin/busybox', body: 'elf'}])], undefined]
  ])('%s', async (_what, layers, want) => {
    expect(await findFile(layers.map((b, i) => layer(`L${i}`, b)))).toEqual(want);
  });

  it('stops at the first layer that holds it: lower layers are never opened, the rest of the top one never read', async () => {
    const big = zlib.gzipSync(tar([...base(PASSWD), {name: 'blob', body: 'z'.repeat(4 * 1024 * 1024)}]), {level: 0});
    const lower = layer('L0', gz(base('old:x:5:5::/:\n')));
    const top = layer('L1', big, 16 * 1024);
    expect(await findFile([lower, top])).toEqual({found: PASSWD, layer: 'L1'});
    expect(lower.opened()).toBe(false);
    expect(top.read()).toBeLessThan(big.length / 4);
  });
});

describe('resolveUser', () => {
  it.each([
    ['mcp', PASSWD, {uid: 1000, gid: 1000, source: '/etc/passwd line 3: mcp:x:1000:1000::/home/mcp:/bin/sh'}],
    ['mcp:staff', PASSWD, {uid: 1000, gid: 1000, source: '/etc/passwd line 3: mcp:x:1000:1000::/home/mcp:/bin/sh'}],
    ['nobody', PASSWD, {uid: 65534, gid: 65534, source: '/etc/passwd line 2: nobody:x:65534:65534::/:/sbin/nologin'}],
    ['ghost', PASSWD, {source: '/etc/passwd (3 lines) has no user "ghost"'}],
    ['bad', 'bad:x:abc:1::/:\n', {source: '/etc/passwd line 1: bad:x:abc:1::/: (the uid field is not a number)'}],
    ['dup', 'dup:x:7:7::/:\ndup:x:8:8::/:\n', {uid: 7, gid: 7, source: '/etc/passwd line 1: dup:x:7:7::/:'}],
    ['mcp', undefined, {source: 'the image has no /etc/passwd, so user "mcp" has no uid'}]
  ])('%j', (user, passwd, want) => {
    expect(resolveUser(user, passwd)).toEqual(want);
  });
});

describe('userFromLayers', () => {
  it.each([
    ['1000', undefined],
    ['root', undefined],
    ['', undefined],
    ['mcp', {uid: 1000, gid: 1000, source: '/etc/passwd line 3: mcp:x:1000:1000::/home/mcp:/bin/sh'}]
  ])('%j', async (user, want) => {
    const l = layer('L0', gz([{name: 'etc/passwd', body: PASSWD}]));
    expect(await userFromLayers(user, [l])).toEqual(want);
    expect(l.opened()).toBe(want !== undefined);
  });
  it('says which whiteout removed the file', async () => {
    const layers = [layer('L0', gz([{name: 'etc/passwd', body: PASSWD}])), layer('L1', gz([{name: 'etc/.wh.passwd'}]))];
    expect(await userFromLayers('mcp', layers)).toEqual({
      source: 'L1 deletes /etc/passwd (whiteout etc/.wh.passwd), so user "mcp" has no uid'
    });
  });
  it('zstd layers need a Node.js with a zstd decompressor', async () => {
    const magic = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]);
    const has = typeof (zlib as unknown as {createZstdDecompress?: unknown}).createZstdDecompress === 'function';
    const read = async (): Promise<number> => {
      let n = 0;
      for await (const piece of tarStream(
        (async function* () {
          yield magic;
        })()
      ))
        n += piece.length;
      return n;
    };
    if (has) await expect(read()).rejects.toThrow();
    else await expect(read()).rejects.toThrow('the layer is zstd-compressed and this Node.js has no zstd decompressor');
  });
});
