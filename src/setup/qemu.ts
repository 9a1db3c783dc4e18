import * as fs from 'node:fs';
import {runTool} from '../tools/exec.js';

/** binfmt_misc handler names per Go architecture. */
const QEMU_ARCH: Record<string, string> = {
  arm64: 'aarch64',
  arm: 'arm',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  mips64le: 'mips64el',
  loong64: 'loongarch64',
  '386': 'i386',
  amd64: 'x86_64'
};

/** Architectures (Go names, as binfmt --install takes them) whose emulator is not registered yet. */
export function missingEmulators(platforms: string[], hostArch: string, registered: string[]): string[] {
  const need = new Set<string>();
  for (const p of platforms) {
    const arch = p.split('/')[1];
    if (arch === hostArch) continue;
    // An amd64 host runs 386 natively; arm64 hosts often run arm natively, but only the kernel knows.
    if (hostArch === 'amd64' && arch === '386') continue;
    const q = QEMU_ARCH[arch];
    if (q && !registered.includes(`qemu-${q}`)) need.add(arch);
  }
  return [...need];
}

export const BINFMT_DIR = '/proc/sys/fs/binfmt_misc';

/** Enabled qemu-* handlers in binfmt_misc. */
export function registeredEmulators(dir = BINFMT_DIR): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter(f => f.startsWith('qemu-'))
    .filter(f => {
      try {
        return fs.readFileSync(`${dir}/${f}`, 'utf8').startsWith('enabled');
      } catch {
        return false;
      }
    });
}

/** `docker run` argv that registers the emulators with the binfmt image (tonistiigi/binfmt style). */
export function binfmtInstallArgs(image: string, arches: string[]): string[] {
  return ['run', '--rm', '--privileged', image, '--install', arches.join(',')];
}

/**
 * Registers QEMU for the platforms binfmt_misc lacks, with the binfmt installer image, unless the
 * builder is remote (its own machine decides). Returns what it did, for the log.
 */
export async function setupQemu(o: {
  platforms: string[];
  hostArch: string;
  binfmtImage: string;
  remoteBuilder: boolean;
  env: Record<string, string>;
}): Promise<string> {
  const missing = missingEmulators(o.platforms, o.hostArch, registeredEmulators());
  if (missing.length === 0) return 'QEMU: every platform already runs here';
  if (o.remoteBuilder) return `QEMU: ${missing.join(', ')} left to the remote builder`;
  await runTool('docker', binfmtInstallArgs(o.binfmtImage, missing), {env: o.env});
  return `QEMU: registered ${missing.join(', ')} with ${o.binfmtImage}`;
}
