// Facts about the machine the run is on, read in one place.
import * as os from 'node:os';

/** RUNNER_TEMP on a runner (cleaned after the job), else the OS temp dir. */
export const runnerTemp = (): string => process.env.RUNNER_TEMP || os.tmpdir();

/** The runner's platform (what runs without emulation), in OCI form. */
export function hostPlatform(): string {
  const arch = (
    {x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64'} as Record<
      string,
      string
    >
  )[os.arch()];
  return `linux/${arch ?? os.arch()}`;
}
