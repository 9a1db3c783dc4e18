// The bed's own fixtures are what bed.json says they are (digests, platforms, image config).
import {describe, it, expect, beforeAll} from '@jest/globals';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {type Bed, type IndexManifest, loadBed, manifestRaw, platformsOf, registryDigest, run, tempDir} from './bed.js';

interface ImageConfig {
  architecture: string;
  os: string;
  config: {User?: string; Labels?: Record<string, string>};
}

function config(bed: Bed, ref: string, platform: string): ImageConfig {
  return JSON.parse(
    run(bed, 'regctl', ['image', 'config', '--platform', platform, '--format', '{{json .}}', ref])
  ) as ImageConfig;
}

describe('bed: fixtures', () => {
  let bed: Bed;
  beforeAll(() => {
    bed = loadBed();
  });

  it.each(['busybox', 'vulnerable', 'clean'] as const)(
    '%s: digest in bed.json matches the registry; exactly amd64 + arm64',
    name => {
      const img = bed.images[name];
      expect(registryDigest(bed, img.ref)).toBe(img.digest);
      expect(platformsOf(manifestRaw<IndexManifest>(bed, img.ref))).toEqual(['linux/amd64', 'linux/arm64']);
      for (const arch of ['amd64', 'arm64']) expect(config(bed, img.ref, `linux/${arch}`).architecture).toBe(arch);
    }
  );

  it('clean: non-root user and source label', () => {
    for (const arch of ['amd64', 'arm64']) {
      const cfg = config(bed, bed.images.clean.ref, `linux/${arch}`);
      expect(cfg.config.User).toBe('1001');
      expect(cfg.config.Labels?.['org.opencontainers.image.source']).toMatch(/^https:\/\//);
    }
  });

  it('vulnerable: Debian 12 markers and fixture-pkg 1.0-1 in the dpkg status', () => {
    for (const arch of ['amd64', 'arm64']) {
      const p = `linux/${arch}`;
      const ref = bed.images.vulnerable.ref;
      expect(run(bed, 'regctl', ['image', 'get-file', '--platform', p, ref, '/etc/debian_version']).trim()).toMatch(
        /^12\.\d+$/
      );
      expect(run(bed, 'regctl', ['image', 'get-file', '--platform', p, ref, '/etc/os-release'])).toContain(
        'VERSION_CODENAME=bookworm'
      );
      const status = run(bed, 'regctl', ['image', 'get-file', '--platform', p, ref, '/var/lib/dpkg/status']);
      expect(status).toMatch(
        /Package: fixture-pkg\nStatus: install ok installed\n[\s\S]*?Architecture: (\w+)\nSource: fixture-pkg\nVersion: 1\.0-1\n/
      );
      expect(status).toContain(`Architecture: ${arch}\n`);
    }
  });

  it('busybox: /bin/busybox is an ELF for the right machine on each platform', () => {
    const dir = tempDir('busybox');
    const machine: Record<string, number> = {amd64: 0x3e, arm64: 0xb7}; // ELF e_machine
    for (const arch of ['amd64', 'arm64']) {
      const out = path.join(dir, `busybox-${arch}`);
      run(bed, 'regctl', [
        'image',
        'get-file',
        '--platform',
        `linux/${arch}`,
        bed.images.busybox.ref,
        '/bin/busybox',
        out
      ]);
      const elf = readFileSync(out);
      expect(elf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
      expect(elf.readUInt16LE(18)).toBe(machine[arch]);
    }
  });

  it('trivy DB artifact: one layer with the trivy media type and a title', () => {
    const m = manifestRaw<{
      config: {mediaType: string};
      layers: {mediaType: string; annotations?: Record<string, string>}[];
    }>(bed, bed.trivy.dbRepository);
    expect(m.config.mediaType).toBe('application/vnd.aquasec.trivy.config.v1+json');
    expect(m.layers).toHaveLength(1);
    expect(m.layers[0].mediaType).toBe('application/vnd.aquasec.trivy.db.layer.v1.tar+gzip');
    expect(m.layers[0].annotations?.['org.opencontainers.image.title']).toBe('db.tar.gz');
    expect(registryDigest(bed, bed.trivy.dbRepository)).toBe(bed.trivy.dbDigest);
  });
});
