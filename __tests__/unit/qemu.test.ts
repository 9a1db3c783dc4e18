import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {describe, expect, it} from '@jest/globals';
import {binfmtInstallArgs, missingEmulators, registeredEmulators} from '../../src/setup/qemu.js';

describe('QEMU setup', () => {
  it.each<[string[], string, string[], string[]]>([
    [['linux/amd64'], 'amd64', [], []],
    [['linux/amd64', 'linux/arm64'], 'amd64', [], ['arm64']],
    [['linux/amd64', 'linux/arm64'], 'amd64', ['qemu-aarch64'], []],
    [['linux/arm64', 'linux/arm/v7', 'linux/s390x', 'linux/386'], 'amd64', ['qemu-arm'], ['arm64', 's390x']],
    [['linux/amd64'], 'arm64', [], ['amd64']]
  ])('%j on %s with %j registered needs %j', (platforms, host, registered, missing) => {
    expect(missingEmulators(platforms, host, registered)).toEqual(missing);
  });
  it('reads enabled handlers only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'binfmt-'));
    fs.writeFileSync(
      path.join(dir, 'qemu-aarch64'),
      'enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: PF\n'
    );
    fs.writeFileSync(path.join(dir, 'qemu-riscv64'), 'disabled\n');
    fs.writeFileSync(path.join(dir, 'register'), '');
    expect(registeredEmulators(dir)).toEqual(['qemu-aarch64']);
    expect(registeredEmulators(path.join(dir, 'nope'))).toEqual([]);
  });
  it('binfmt install argv', () => {
    expect(binfmtInstallArgs('docker.io/tonistiigi/binfmt:latest', ['arm64', 's390x'])).toEqual([
      'run',
      '--rm',
      '--privileged',
      'docker.io/tonistiigi/binfmt:latest',
      '--install',
      'arm64,s390x'
    ]);
  });
});
