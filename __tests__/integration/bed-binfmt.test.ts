// QEMU registration through a binfmt installer image, as the action does when an emulator is
// missing: the action's default `binfmt-image` (tonistiigi/binfmt:latest) is the bed's local
// installer with the same contract. The host's arm64 handler is removed first and restored after.
import {describe, it, expect, beforeAll} from '@jest/globals';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {BINFMT_DIR, binfmtInstallArgs, missingEmulators, registeredEmulators} from '../../src/setup/qemu.js';
import {type GrownBed, requireGrownBed, run, runResult} from './bed.js';

let bed: GrownBed;
beforeAll(() => {
  bed = requireGrownBed();
});

const handler = `${BINFMT_DIR}/qemu-aarch64`;

function entry(): Record<string, string> {
  const lines = readFileSync(handler, 'utf8').trim().split('\n');
  return Object.fromEntries(
    lines.map(l => (l === 'enabled' || l === 'disabled' ? ['state', l] : [l.split(/:? /)[0], l.replace(/^\S+:? /, '')]))
  );
}

describe('bed: binfmt installer image', () => {
  it('registers qemu-aarch64 that was absent, with the F flag; arm64 binaries then run', () => {
    const before = entry();
    expect(before.state).toBe('enabled');
    try {
      writeFileSync(handler, '-1');
      expect(existsSync(handler)).toBe(false);
      expect(registeredEmulators()).not.toContain('qemu-aarch64');
      expect(missingEmulators(['linux/amd64', 'linux/arm64'], 'amd64', registeredEmulators())).toEqual(['arm64']);

      // the action's default image name, resolved to the bed's local installer
      const out = run(bed, 'docker', binfmtInstallArgs('docker.io/tonistiigi/binfmt:latest', ['arm64']));
      const status = JSON.parse(out) as {supported: string[]; emulators: string[]};
      expect(status.supported).toContain('linux/arm64');
      expect(status.emulators).toContain('qemu-aarch64');

      const after = entry();
      expect(after).toMatchObject({
        state: 'enabled',
        interpreter: before.interpreter,
        magic: before.magic,
        mask: before.mask
      });
      expect(after.flags).toContain('F');
      expect(registeredEmulators()).toContain('qemu-aarch64');
      // F flag: the interpreter came from the (removed) container and still runs arm64 binaries
      expect(run(bed, bed.binfmt.busyboxArm64, ['uname', '-m']).trim()).toBe('aarch64');

      // an installed handler is left alone (exit 0), an unknown arch is an error
      expect(runResult(bed, 'docker', binfmtInstallArgs(bed.binfmt.bedImage, ['arm64'])).stderr).toContain(
        'qemu-aarch64 already registered'
      );
      const bad = runResult(bed, 'docker', binfmtInstallArgs(bed.binfmt.bedImage, ['sparc99']));
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain('installing: sparc99 unsupported architecture');
    } finally {
      // back to the host's own registration (Debian's update-binfmts)
      if (existsSync(handler)) writeFileSync(handler, '-1');
      runResult(bed, 'update-binfmts', ['--enable', 'qemu-aarch64']);
    }
    expect(entry()).toEqual(before);
  });
});
