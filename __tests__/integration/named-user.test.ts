// Issue 11 flow 3 through dist/index.js with buildah (our own upload path): a two-stage build whose
// runtime stage adds a named user to its /etc/passwd and ends `USER mcp`, as ADR-002's Dockerfile
// does. The policy resolves the name through the pushed layers: uids [1000] passes and tags,
// uids [1001] refuses naming the passwd line, and no tag is made.
import {beforeAll, describe, expect, it} from '@jest/globals';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {errorsOf, runDist, type DistRun} from '../helpers/run-dist.js';
import {actionEnv, engineInputs} from './action-env.js';
import {type Bed, loadBed, registryDigest, runResult, tagsOf, tempDir, uniqueTag} from './bed.js';

// One platform: the /etc/passwd lookup is per platform and the same code for each; buildah on vfs
// copies every layer, so a second platform only doubles the time on the shared machine.
const PLATFORM = 'linux/amd64';

function context(bed: Bed): string {
  const dir = tempDir('named-user-ctx');
  writeFileSync(path.join(dir, 'hello.txt'), 'named user\n');
  writeFileSync(
    path.join(dir, 'Containerfile'),
    [
      `ARG BASE=${bed.images.busybox.ref}`,
      'FROM ${BASE} AS build',
      'COPY hello.txt /src/hello.txt',
      'RUN cp /src/hello.txt /src/app.txt',
      'FROM ${BASE}',
      // The bed's busybox has no /etc/passwd and no adduser applet: root first, mcp appended as
      // line 2, the line ADR-002's `useradd -m -u 1000 mcp` writes.
      "RUN mkdir -p /etc /home/mcp && echo 'root:x:0:0:root:/root:/bin/sh' > /etc/passwd && echo 'mcp:x:1000:1000::/home/mcp:/bin/sh' >> /etc/passwd",
      'COPY --from=build /src/app.txt /home/mcp/app.txt',
      'EXPOSE 8080',
      'USER mcp',
      'ENTRYPOINT ["/bin/cat", "/home/mcp/app.txt"]'
    ].join('\n') + '\n'
  );
  return dir;
}

function policy(bed: Bed, ns: string, uid: number): string {
  const file = path.join(tempDir('named-user-policy'), 'image-publish-policy.yml');
  writeFileSync(
    file,
    `version: 1
registries:
  named:
    match: ${bed.devRegistry.host}/${ns}/
    tags:
      allow: ['v{semver}']
    require:
      non-root: true
      uids: [${uid}]
`
  );
  return file;
}

describe('a named USER resolved through the image /etc/passwd (buildah)', () => {
  let bed: Bed;
  let ns: string;
  let ctx: string;
  let pass: DistRun;
  let refuse: DistRun;
  const image = (name: string) => `${bed.devRegistry.host}/${ns}/${name}`;
  const runWith = (uid: number, name: string) =>
    runDist(actionEnv(bed, tempDir('runner'), 'ip_tag_v1.0.0'), {
      policy: policy(bed, ns, uid),
      images: image(name),
      tags: 'type=semver,pattern={{version}},prefix=v',
      flavor: 'latest=false',
      platforms: PLATFORM,
      context: ctx,
      file: path.join(ctx, 'Containerfile'),
      'insecure-registries': bed.devRegistry.host,
      ...engineInputs(bed, 'buildah')
    });
  beforeAll(async () => {
    bed = loadBed();
    ns = `it-named-${uniqueTag()}`;
    ctx = context(bed);
    pass = await runWith(1000, 'mcp-pass');
    refuse = await runWith(1001, 'mcp-refuse');
  }, 900_000);

  it('uids [1000] passes: the tag exists at the output digest, config.User is the name', () => {
    expect({code: pass.code, errors: errorsOf(pass.stdout)}).toEqual({code: 0, errors: []});
    expect(tagsOf(bed, image('mcp-pass'))).toEqual(['v1.0.0']);
    expect(registryDigest(bed, `${image('mcp-pass')}:v1.0.0`)).toBe(pass.outputs.digest);
    const config = JSON.parse(
      runResult(bed, 'regctl', ['image', 'config', '--platform', PLATFORM, `${image('mcp-pass')}:v1.0.0`]).stdout
    ) as {config: {User?: string; ExposedPorts?: object}};
    expect(config.config.User).toBe('mcp');
    expect(Object.keys(config.config.ExposedPorts ?? {})).toEqual(['8080/tcp']);
  });

  it('uids [1001] refuses, naming the /etc/passwd line that gave uid 1000, and tags nothing', () => {
    expect(refuse.code).toBe(1);
    const errors = errorsOf(refuse.stdout);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(
        `policy "named": ${image('mcp-refuse').replace(/[.]/g, '\\.')} ${PLATFORM} runs as uid 1000 ` +
          `\\(config\\.User is "mcp", /etc/passwd line 2: mcp:x:1000:1000::/home/mcp:/bin/sh\\); ` +
          `the policy requires non-root \\(uids 1001\\)`
      )
    );
    expect(tagsOf(bed, image('mcp-refuse'))).toEqual([]);
  });
});
