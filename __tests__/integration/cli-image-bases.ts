import {execFileSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {type Bed, run, tempDir} from './bed.js';

/*
 * The base images cli.Containerfile takes as BASE and TOOLS, made on the bed from what it has
 * (nothing can be pulled): the bed's busybox plus the host's node, podman and buildah with the
 * libraries ldd lists (BASE, standing in for node:24-bookworm-slim + Debian's podman), and the
 * busybox plus the bed's trivy and cosign (TOOLS, standing in for a Go image that would build them).
 */

/** An executable and the shared libraries it loads, copied under root at their own paths. */
function copyWithLibs(binary: string, root: string): void {
  const files = new Set([binary]);
  const ldd = execFileSync('ldd', [binary], {encoding: 'utf8'});
  for (const line of ldd.split('\n')) {
    const m = line.match(/=>\s*(\/\S+)/) ?? line.match(/^\s*(\/\S+)\s+\(/);
    if (m) files.add(m[1]);
  }
  for (const f of files) {
    const dest = path.join(root, f);
    fs.mkdirSync(path.dirname(dest), {recursive: true});
    fs.copyFileSync(fs.realpathSync(f), dest);
    fs.chmodSync(dest, 0o755);
  }
}

function buildFrom(bed: Bed, tag: string, rootfs: string): void {
  const ctx = path.dirname(rootfs);
  fs.writeFileSync(
    path.join(ctx, 'Containerfile'),
    `FROM ${bed.images.busybox.ref}\nCOPY ${path.basename(rootfs)}/ /\n`
  );
  run(bed, 'buildah', ['build', '--isolation', 'chroot', '--platform', 'linux/amd64', '-t', tag, ctx]);
}

/** Builds both bases; returns their local names. */
export function buildCliBases(bed: Bed, id: string): {base: string; tools: string} {
  const baseCtx = tempDir('cli-base');
  const baseRoot = path.join(baseCtx, 'rootfs');
  for (const bin of ['/usr/bin/node', '/usr/bin/podman', '/usr/bin/buildah']) copyWithLibs(bin, baseRoot);
  // node scripts start with #!/usr/bin/env node; the busybox base has env in /bin only.
  fs.symlinkSync('/bin/busybox', path.join(baseRoot, 'usr/bin/env'));
  const base = `localhost/cli2-test/base:${id}`;
  buildFrom(bed, base, baseRoot);

  const toolsCtx = tempDir('cli-tools');
  const toolsBin = path.join(toolsCtx, 'rootfs/usr/local/bin');
  fs.mkdirSync(toolsBin, {recursive: true});
  for (const t of ['trivy', 'cosign']) fs.copyFileSync(path.join(bed.binDir, t), path.join(toolsBin, t));
  for (const t of ['trivy', 'cosign']) fs.chmodSync(path.join(toolsBin, t), 0o755);
  const tools = `localhost/cli2-test/tools:${id}`;
  buildFrom(bed, tools, path.join(toolsCtx, 'rootfs'));
  fs.rmSync(baseCtx, {recursive: true, force: true});
  fs.rmSync(toolsCtx, {recursive: true, force: true});
  return {base, tools};
}
