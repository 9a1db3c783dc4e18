// Exact argv of every engine command, as tables.
import {describe, expect, it} from '@jest/globals';
import {buildahBuildArgs, buildahPushToLayoutArgs, buildahRemoveManifestArgs} from '../../src/engines/buildah/args.js';
import {buildxBuildArgs, buildxCreateArgs, csvField, parseBuildxMetadata} from '../../src/engines/buildx/args.js';
import type {BuildSpec} from '../../src/engines/types.js';

const base: BuildSpec = {
  context: '.',
  file: '',
  target: '',
  platforms: ['linux/amd64', 'linux/arm64'],
  buildArgs: {VERSION: 'v1.0.0'},
  labels: [],
  annotations: [],
  secrets: [],
  cacheFrom: [],
  cacheTo: [],
  provenance: '',
  sbom: '',
  pull: false,
  noCache: false,
  repositories: ['127.0.0.1:5000/dev/gateway']
};
const opts = {builder: 'ip-builder', metadataFile: '/tmp/m.json'};
const head = [
  'build',
  '--builder',
  'ip-builder',
  '--platform',
  'linux/amd64,linux/arm64',
  '--metadata-file',
  '/tmp/m.json'
];

describe('buildx build', () => {
  it.each<[string, Partial<BuildSpec>, string[]]>([
    [
      'minimal, one registry',
      {},
      [
        ...head,
        '--build-arg',
        'VERSION=v1.0.0',
        '--output',
        'type=image,name=127.0.0.1:5000/dev/gateway,push-by-digest=true,name-canonical=true,push=true',
        '.'
      ]
    ],
    [
      'two registries in one output (name quoted for the comma)',
      {repositories: ['127.0.0.1:5000/dev/gateway', 'quay.io/kubernaut/gateway'], buildArgs: {}},
      [
        ...head,
        '--output',
        'type=image,"name=127.0.0.1:5000/dev/gateway,quay.io/kubernaut/gateway",push-by-digest=true,name-canonical=true,push=true',
        '.'
      ]
    ],
    [
      'every option',
      {
        context: 'svc',
        file: 'svc/Containerfile',
        target: 'runtime',
        buildArgs: {A: '1', B: 'x=y'},
        labels: ['org.opencontainers.image.version=v1.0.0'],
        annotations: ['index:org.opencontainers.image.title=gw', 'manifest:org.opencontainers.image.title=gw'],
        secrets: ['id=npm,src=/run/npmrc'],
        cacheFrom: ['type=gha'],
        cacheTo: ['type=gha,mode=max'],
        provenance: 'type=provenance,disabled=true',
        sbom: 'type=sbom,disabled=true',
        pull: true,
        noCache: true,
        repositories: []
      },
      [
        ...head,
        '--file',
        'svc/Containerfile',
        '--target',
        'runtime',
        '--build-arg',
        'A=1',
        '--build-arg',
        'B=x=y',
        '--label',
        'org.opencontainers.image.version=v1.0.0',
        '--annotation',
        'index:org.opencontainers.image.title=gw',
        '--annotation',
        'manifest:org.opencontainers.image.title=gw',
        '--secret',
        'id=npm,src=/run/npmrc',
        '--cache-from',
        'type=gha',
        '--cache-to',
        'type=gha,mode=max',
        '--attest',
        'type=provenance,disabled=true',
        '--attest',
        'type=sbom,disabled=true',
        '--pull',
        '--no-cache',
        'svc'
      ]
    ]
  ])('%s', (_name, over, argv) => {
    expect(buildxBuildArgs({...base, ...over}, opts)).toEqual(argv);
  });
  it.each([
    ['a', 'a'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""']
  ])('csv field %s → %s', (input, out) => expect(csvField(input)).toBe(out));
});

describe('buildx create', () => {
  it.each<[string, Parameters<typeof buildxCreateArgs>[0], string[]]>([
    [
      'docker-container (GitHub default)',
      {
        name: 'ip-1',
        driver: 'docker-container',
        endpoint: '',
        driverOpts: ['image=moby/buildkit:buildx-stable-1'],
        configFile: '/tmp/bk.toml',
        platforms: ['linux/amd64', 'linux/arm64']
      },
      [
        'create',
        '--name',
        'ip-1',
        '--driver',
        'docker-container',
        '--driver-opt',
        'image=moby/buildkit:buildx-stable-1',
        '--buildkitd-config',
        '/tmp/bk.toml',
        '--platform',
        'linux/amd64,linux/arm64'
      ]
    ],
    [
      'remote endpoint',
      {
        name: 'ip-2',
        driver: 'remote',
        endpoint: 'unix:///run/buildkit/buildkitd.sock',
        driverOpts: [],
        configFile: '',
        platforms: ['linux/amd64']
      },
      ['create', '--name', 'ip-2', '--driver', 'remote', 'unix:///run/buildkit/buildkitd.sock']
    ]
  ])('%s', (_n, spec, argv) => expect(buildxCreateArgs(spec)).toEqual(argv));
});

describe('buildx metadata', () => {
  it('reads the pushed digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseBuildxMetadata(JSON.stringify({'containerimage.digest': digest, 'image.name': 'r/a,q/b'}))).toEqual({
      digest,
      imageNames: ['r/a', 'q/b']
    });
  });
  it('refuses metadata without a digest', () => {
    expect(() => parseBuildxMetadata('{"buildx.build.ref":"x"}')).toThrow(
      'buildx metadata has no containerimage.digest'
    );
  });
});

describe('buildah / podman', () => {
  const o = {
    engine: 'buildah' as const,
    globalFlags: ['--storage-driver', 'vfs'],
    isolation: 'chroot',
    manifest: 'ip-list-7'
  };
  it('build', () => {
    expect(
      buildahBuildArgs(
        {...base, file: 'Containerfile', labels: ['a=b'], annotations: ['manifest:x=y', 'index:z=w'], pull: true},
        o
      )
    ).toEqual([
      '--storage-driver',
      'vfs',
      'build',
      '--manifest',
      'ip-list-7',
      '--platform',
      'linux/amd64,linux/arm64',
      '--isolation',
      'chroot',
      '--file',
      'Containerfile',
      '--build-arg',
      'VERSION=v1.0.0',
      '--label',
      'a=b',
      '--annotation',
      'x=y',
      '--pull=always',
      '.'
    ]);
  });
  it('push to an OCI layout', () => {
    expect(buildahPushToLayoutArgs(o, '/tmp/layout', '/tmp/digest')).toEqual([
      '--storage-driver',
      'vfs',
      'manifest',
      'push',
      '--all',
      '--format',
      'oci',
      '--digestfile',
      '/tmp/digest',
      'ip-list-7',
      'oci:/tmp/layout'
    ]);
    expect(buildahRemoveManifestArgs({...o, engine: 'podman', globalFlags: []})).toEqual([
      'manifest',
      'rm',
      'ip-list-7'
    ]);
  });
});
