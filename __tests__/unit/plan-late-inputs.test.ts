// Inputs that used to be checked late or not at all (issue "Hostile input, faults and secrets",
// corpus gaps): provenance and sbom attributes BuildKit would ignore, tool versions and the download
// mirror found only at install after login, and a promote source that names neither tag nor digest.
// All are refused by the plan now, naming the input; the accepted forms are tabled beside them so
// the rule cannot grow stricter than build-push-action unnoticed.
import {describe, expect, it} from '@jest/globals';
import {checkAttestInput} from '../../src/plan/attest-input.js';
import {checkDownloadBase, checkToolVersion} from '../../src/plan/tool-requests.js';
import {planFor} from '../helpers/fixtures.js';

const IMAGE = 'ghcr.io/octo/app';

describe('provenance and sbom values', () => {
  it.each([
    ['provenance', ''],
    ['provenance', 'true'],
    ['provenance', 'False'],
    ['provenance', '1'],
    ['provenance', 'mode=min'],
    ['provenance', 'mode=max'],
    ['provenance', ' mode=max , version=v1 '],
    ['provenance', 'mode=max,builder-id=https://ci.example/run/1'],
    ['provenance', 'mode=min,inline-only=true'],
    ['provenance', 'mode=max,false'],
    ['provenance', 'disabled=true'],
    ['provenance', 'reproducible=1,filename=prov.json'],
    ['sbom', ''],
    ['sbom', 'true'],
    ['sbom', 'false'],
    ['sbom', 'generator=docker/buildkit-syft-scanner:stable-1'],
    ['sbom', 'generator=127.0.0.1:5000/scanners/syft@sha256:' + 'a'.repeat(64)],
    ['sbom', 'disabled=false'],
    ['sbom', 'generator=docker/buildkit-syft-scanner,true']
  ] as const)('%s %j is accepted', (name, value) => {
    expect(() => checkAttestInput(name, value)).not.toThrow();
  });

  it.each([
    ['provenance', 'maybe', 'field "maybe" is not key=value'],
    ['provenance', 'max', 'field "max" is not key=value'],
    ['provenance', 'mode=maximum', 'attribute mode "maximum" must be min or max'],
    ['provenance', 'mode=', 'attribute mode "" must be min or max'],
    ['provenance', 'mode=max,mode=min', 'attribute "mode" is given twice'],
    ['provenance', 'mod=max', 'unknown attribute "mod"'],
    ['provenance', 'version=v2', 'attribute version "v2" must be v0.2 or v1'],
    ['provenance', 'builder-id=', 'attribute builder-id "" is empty'],
    ['provenance', 'builder-id=a b', 'attribute builder-id "a b" holds a space'],
    ['provenance', 'inline-only=yes', 'attribute inline-only "yes" must be true or false'],
    ['provenance', 'disabled=maybe', 'attribute disabled "maybe" must be true or false'],
    ['provenance', 'type=sbom,mode=max', "the type is set by the input's name"],
    ['provenance', 'mode=max,,version=v1', 'has an empty field'],
    ['provenance', '"mode=max"', 'holds a quote or a line break'],
    ['provenance', 'mode=max\n::warning::x', 'holds a quote or a line break'],
    ['provenance', 'generator=x', 'unknown attribute "generator"'],
    ['sbom', 'maybe', 'field "maybe" is not key=value'],
    ['sbom', 'generator=', 'attribute generator "" is not an image reference'],
    ['sbom', 'generator=Docker/Syft', 'attribute generator "Docker/Syft" is not an image reference'],
    ['sbom', 'generator=a/b:bad tag', 'is not an image reference'],
    ['sbom', 'mode=max', 'unknown attribute "mode"'],
    ['sbom', 'disabled=nope', 'attribute disabled "nope" must be true or false'],
    ['sbom', 'type=provenance', "the type is set by the input's name"]
  ] as const)('%s %j is refused: %s', (name, value, says) => {
    expect(() => checkAttestInput(name, value)).toThrow(`Input "${name}": `);
    expect(() => checkAttestInput(name, value)).toThrow(says);
  });

  it('the message lists the attributes the input takes', () => {
    expect(() => checkAttestInput('sbom', 'x=1')).toThrow(
      'Input "sbom": unknown attribute "x"; write true, false or generator=<image>,… (attributes: generator, disabled)'
    );
  });

  it.each([['buildx'], ['buildah']])('the plan refuses a bad provenance for engine %s too', async engine => {
    await expect(planFor('ip_push_main', {images: IMAGE, engine, provenance: 'mode=maximum'})).rejects.toThrow(
      'Input "provenance": attribute mode "maximum" must be min or max'
    );
    await expect(planFor('ip_push_main', {images: IMAGE, engine, sbom: 'yes'})).rejects.toThrow(
      'Input "sbom": field "yes" is not key=value'
    );
  });

  it('an accepted value reaches the build plan as before', async () => {
    const plan = await planFor('ip_push_main', {images: IMAGE, provenance: 'mode=min,version=v1', sbom: 'true'});
    expect(plan.build.provenance).toMatch(/^type=provenance,mode=min,version=v1(,builder-id=.*)?$/);
    expect(plan.build.sbom).toBe('type=sbom,disabled=false');
  });
});

describe('tool versions and the download mirror', () => {
  it.each([[''], ['0.58.1'], ['v0.58.1'], ['v3.0.2'], [' 2.4.1 '], ['1.2.3-rc.1']])('version %j is accepted', v => {
    expect(() => checkToolVersion('trivy-version', v)).not.toThrow();
  });
  it.each([['latest'], ['latest!'], ['x'], ['0.58'], ['^0.58.1'], ['>=1.0.0'], ['=1.2.3'], ['v1.2.3.4'], ['1.2.x']])(
    'version %j is refused',
    v => {
      expect(() => checkToolVersion('cosign-version', v)).toThrow(
        `Input "cosign-version": "${v}" is not an exact version like 0.58.1 or v0.58.1`
      );
    }
  );

  it.each([
    [''],
    ['https://mirror.example'],
    ['https://mirror.example:8443/github/'],
    ['http://10.0.0.5:8080/gh'],
    ['https://ghe.corp.example/']
  ])('mirror %j is accepted', v => {
    expect(() => checkDownloadBase(v)).not.toThrow();
  });
  it.each([
    ['ftp://example.com', 'scheme "ftp" is not https or http'],
    ['file:///srv/mirror', 'scheme "file" is not https or http'],
    ['mirror.example', 'it is not a URL'],
    ['https://', 'it is not a URL'],
    ['https://user:s3cret@mirror.example', 'it holds credentials'],
    ['https://mirror.example/?a=1', 'it has a query or a fragment'],
    ['https://mirror.example/#x', 'it has a query or a fragment']
  ])('mirror %j is refused: %s', (v, says) => {
    expect(() => checkDownloadBase(v)).toThrow(`Input "tools-download-base": ${says}`);
  });
  it('a refused mirror with credentials is not quoted', () => {
    expect(() => checkDownloadBase('https://user:s3cret@mirror.example')).toThrow(
      expect.objectContaining({message: expect.not.stringContaining('s3cret')})
    );
  });

  it.each([
    [{'trivy-version': 'latest', scan: 'true'}, 'Input "trivy-version"'],
    // Not used by this run (no signing): refused all the same.
    [{'cosign-version': 'x'}, 'Input "cosign-version"'],
    [{'tools-download-base': 'ftp://example.com'}, 'Input "tools-download-base"']
  ])('the plan refuses %j', async (inputs, says) => {
    await expect(planFor('ip_push_main', {images: IMAGE, ...inputs})).rejects.toThrow(says);
  });
});

describe('promote source', () => {
  const promote = (source: string) =>
    planFor('ip_dispatch', {mode: 'promote', images: IMAGE, source, version: '1.0.0', tags: 'type=raw,value=v1'});
  it.each([
    ['ghcr.io/octo/dev:v1', {registry: 'ghcr.io', repository: 'octo/dev', tag: 'v1'}],
    [`ghcr.io/octo/dev@sha256:${'b'.repeat(64)}`, {digest: `sha256:${'b'.repeat(64)}`}],
    [`127.0.0.1:5000/octo/dev:v1@sha256:${'b'.repeat(64)}`, {registry: '127.0.0.1:5000', tag: 'v1'}]
  ])('%s is planned', async (source, want) => {
    expect((await promote(source)).source).toMatchObject(want);
  });
  it.each([
    ['ghcr.io/octo/dev', 'names neither a tag nor a digest'],
    ['ghcr.io/octo/dev:', 'tag "" must match'],
    ['ghcr.io/octo/dev@sha256:abc', 'is not sha256:<64 hex>'],
    ['ghcr.io/Octo/dev:v1', 'must be lowercase'],
    ['127.0.0.1:99999/octo/dev:v1', 'a port is 1 to 65535'],
    ['::warning::x', 'Invalid image reference']
  ])('%j is refused in the plan: %s', async (source, says) => {
    await expect(promote(source)).rejects.toThrow('Input "source": ');
    await expect(promote(source)).rejects.toThrow(says);
  });
});
