// The cosign adapter against the real cosign and the bed's registries: key content materialized,
// recursive signing of an index, verify per digest, SBOM attestation, TLS + auth registry, bad password.
import {describe, it, expect, beforeAll} from '@jest/globals';
import {lookup} from 'node:dns/promises';
import {readFileSync, statSync} from 'node:fs';
import {hostname} from 'node:os';
import path from 'node:path';
import {signConfigFrom, type SignConfig, type SignInputs} from '../../src/supply/cosign-config.js';
import {
  attest,
  cosignVersion,
  materializeKey,
  signDigests,
  verifyAttestation,
  verifyAttestations,
  verifyDigests
} from '../../src/supply/cosign.js';
import {
  type Bed,
  type IndexManifest,
  copyToScratchRepo,
  loadBed,
  manifestRaw,
  registryDigest,
  repoOf,
  run,
  tempDir,
  uniqueTag
} from './bed.js';

const SBOM = path.resolve('__tests__/fixtures/cosign/sbom.spdx.json');

let bed: Bed;
let cosign: string;
let env: Record<string, string>;
let pem: string;

function inputs(over: Partial<SignInputs> = {}): SignInputs {
  return {
    key: pem,
    publicKey: '',
    keyless: false,
    tlogUpload: false, // offline bed: no Rekor
    recursive: true,
    signatureFormat: '',
    certificateIdentity: '',
    certificateOidcIssuer: '',
    ...over
  };
}

async function keyConfig(
  over: Partial<SignInputs> & {password?: string} = {},
  extra: Partial<SignConfig> = {}
): Promise<SignConfig> {
  const {password = bed.cosign.password, ...rest} = over;
  const c = signConfigFrom(inputs(rest), {});
  if (!c) throw new Error('signing is off');
  return materializeKey({...c, ...extra}, {key: inputs(rest).key, password}, tempDir('cosign-creds'), cosign);
}

/** repo@digest of the index and of each platform manifest it lists. */
function refsOf(repo: string, indexDigest: string): {index: string; platforms: string[]} {
  const index = manifestRaw<IndexManifest>(bed, `${repo}@${indexDigest}`);
  const platforms = index.manifests
    .filter(m => m.platform && m.platform.os !== 'unknown')
    .map(m => `${repo}@${m.digest}`);
  return {index: `${repo}@${indexDigest}`, platforms};
}

/** Copies the bed's clean index to a fresh repo of the TLS + basic-auth registry. */
function copyToProd(): string {
  const ref = `${bed.prodRegistry.host}/bed-test/cosign-adapter:${uniqueTag()}`;
  const img = bed.images.clean;
  run(bed, 'regctl', ['image', 'copy', `${repoOf(img.ref)}@${img.digest}`, ref]);
  return `${repoOf(ref)}@${registryDigest(bed, ref)}`;
}

beforeAll(() => {
  bed = loadBed();
  cosign = path.join(bed.binDir, 'cosign');
  // Registry credentials reach cosign through DOCKER_CONFIG only; the CA is in the machine bundle.
  env = {DOCKER_CONFIG: bed.docker.config, SSL_CERT_FILE: bed.caBundle};
  pem = readFileSync(bed.cosign.key, 'utf8');
});

describe('cosign adapter: key content, dev registry', () => {
  it('reads the pinned cosign version', async () => {
    expect(await cosignVersion(cosign)).toBe(bed.versions.cosign);
  });

  it('writes PEM key content to a 0600 file and derives the public key from it', async () => {
    const c = await keyConfig();
    expect(c.key && path.basename(c.key)).toBe('cosign.key');
    expect(statSync(c.key!).mode & 0o777).toBe(0o600);
    expect(readFileSync(c.publicKey!, 'utf8')).toBe(readFileSync(bed.cosign.pub, 'utf8'));
  });

  it('signs an index recursively; the index and every platform verify; another digest does not', async () => {
    const c = await keyConfig();
    const img = copyToScratchRepo(bed, bed.images.clean, 'cosign-adapter');
    const repo = repoOf(img.ref);
    const {index, platforms} = refsOf(repo, img.digest);
    expect(platforms).toHaveLength(2);

    await signDigests(cosign, c, [index], env);
    await verifyDigests(cosign, c, [index, ...platforms], env);

    const other = copyToScratchRepo(bed, bed.images.vulnerable, 'cosign-adapter');
    const unsigned = `${repo}@${other.digest}`;
    await expect(verifyDigests(cosign, c, [index, unsigned], env)).rejects.toThrow(
      `Signature of ${unsigned} does not verify`
    );
  });

  it('attests an SPDX SBOM to a platform digest; it verifies as spdxjson, not as cyclonedx', async () => {
    const c = await keyConfig();
    const img = copyToScratchRepo(bed, bed.images.clean, 'cosign-adapter');
    const {index, platforms} = refsOf(repoOf(img.ref), img.digest);
    await signDigests(cosign, c, [index], env);
    await attest(cosign, c, platforms[0], SBOM, 'spdxjson', env);

    await verifyAttestation(cosign, c, platforms[0], 'spdxjson', env);
    await expect(verifyAttestation(cosign, c, platforms[0], 'cyclonedx', env)).rejects.toThrow(
      `The cyclonedx attestation of ${platforms[0]} does not verify`
    );
    // the attestation sits next to the signature and does not disturb it
    await verifyDigests(cosign, c, platforms, env);
  });

  it('verifyAttestations in one batch: both attested pass; the unattested second is named', async () => {
    const c = await keyConfig();
    // A repository of its own: attestations of this digest made by earlier runs must not be found.
    const img = copyToScratchRepo(bed, bed.images.clean, `cosign-batch-${uniqueTag()}`);
    const {platforms} = refsOf(repoOf(img.ref), img.digest);
    await attest(cosign, c, platforms[0], SBOM, 'spdxjson', env);
    // Only the first platform is attested: a batch that passed on the first reference alone would pass.
    await expect(verifyAttestations(cosign, c, platforms, 'spdxjson', env)).rejects.toThrow(
      `The spdxjson attestation of ${platforms[1]} does not verify`
    );
    await attest(cosign, c, platforms[1], SBOM, 'spdxjson', env);
    await verifyAttestations(cosign, c, platforms, 'spdxjson', env);
  });

  it('an attestation alone is no signature (cosign verify itself exits 0 for it)', async () => {
    const c = await keyConfig();
    const img = copyToScratchRepo(bed, bed.images.busybox, 'cosign-adapter');
    const ref = `${repoOf(img.ref)}@${img.digest}`;
    await attest(cosign, c, ref, SBOM, 'spdxjson', env);
    await expect(verifyDigests(cosign, c, [ref], env)).rejects.toThrow(`no signature payload for ${img.digest}`);
  });

  it('legacy format: .sig tags, verified the same way', async () => {
    const c = await keyConfig({signatureFormat: 'legacy'});
    const img = copyToScratchRepo(bed, bed.images.clean, 'cosign-adapter-legacy');
    const repo = repoOf(img.ref);
    const {index, platforms} = refsOf(repo, img.digest);
    await signDigests(cosign, c, [index], env);
    const tags = run(bed, 'regctl', ['tag', 'ls', repo]).split('\n');
    expect(tags).toContain(`${img.digest.replace(':', '-')}.sig`);
    await verifyDigests(cosign, c, [index, ...platforms], env);
  });

  it('refuses a reference that is not by digest', async () => {
    const c = await keyConfig();
    await expect(signDigests(cosign, c, [`${bed.devRegistry.host}/bed-test/x:latest`], env)).rejects.toThrow(
      'by digest only'
    );
  });
});

describe('cosign adapter: plain-http registry flags', () => {
  // cosign treats 127.0.0.1 as plain http by itself; the machine's host name (when it resolves to
  // 127.0.0.1) is a name it does not, so there the http flags are what make it work.
  let host: string;
  beforeAll(async () => {
    const name = hostname();
    const ip = await lookup(name, 4).then(
      r => r.address,
      () => ''
    );
    host = ip === '127.0.0.1' ? `${name}:${bed.devRegistry.host.split(':')[1]}` : bed.devRegistry.host;
  });

  it('sign, attest and both verifies pass with allowInsecureRegistry', async () => {
    const img = copyToScratchRepo(bed, bed.images.clean, 'cosign-adapter-http');
    const repo = repoOf(img.ref).replace(bed.devRegistry.host, host);
    const {platforms} = refsOf(repoOf(img.ref), img.digest);
    const platform = platforms[0].replace(bed.devRegistry.host, host);
    const index = `${repo}@${img.digest}`;
    if (host !== bed.devRegistry.host) {
      const strict = await keyConfig();
      await expect(signDigests(cosign, strict, [index], env)).rejects.toThrow(
        'server gave HTTP response to HTTPS client'
      );
    }
    const c = await keyConfig({}, {allowInsecureRegistry: true});
    await signDigests(cosign, c, [index], env);
    await attest(cosign, c, platform, SBOM, 'spdxjson', env);
    await verifyDigests(cosign, c, [index, platform], env);
    await verifyAttestation(cosign, c, platform, 'spdxjson', env);
  });
});

describe('cosign adapter: TLS + basic-auth registry', () => {
  it('signs, attests and verifies with credentials from DOCKER_CONFIG', async () => {
    const c = await keyConfig();
    const signed = copyToProd();
    const [repo, digest] = signed.split('@');
    const {index, platforms} = refsOf(repo, digest);
    await signDigests(cosign, c, [index], env);
    await attest(cosign, c, platforms[1], SBOM, 'spdxjson', env);
    await verifyDigests(cosign, c, [index, ...platforms], env);
    await verifyAttestation(cosign, c, platforms[1], 'spdxjson', env);
  });

  it('without the credentials, signing fails naming the ref', async () => {
    const c = await keyConfig();
    const ref = copyToProd();
    // go-containerregistry also reads podman's REGISTRY_AUTH_FILE: neither may hold a login here.
    const none = tempDir('cosign-no-auth');
    const noAuth = {...env, DOCKER_CONFIG: none, REGISTRY_AUTH_FILE: `${none}/auth.json`};
    await expect(signDigests(cosign, c, [ref], noAuth)).rejects.toThrow(`Signing ${ref} failed`);
  });
});

describe('cosign adapter: wrong password', () => {
  const wrong = 'not-the-password-7f3a9c';

  it('materializeKey with cosign fails early, without the password in the message', async () => {
    const err = await keyConfig({password: wrong}).then(
      () => undefined,
      (e: unknown) => e as Error
    );
    expect(err?.message).toContain('Cannot read the public key from cosign-key');
    expect(err?.message).toContain('check cosign-password');
    expect(err?.message).not.toContain(wrong);
  });

  it('signDigests fails, without the password in the message', async () => {
    const c = await keyConfig({password: wrong, publicKey: readFileSync(bed.cosign.pub, 'utf8')});
    const img = copyToScratchRepo(bed, bed.images.clean, 'cosign-adapter');
    const ref = `${repoOf(img.ref)}@${img.digest}`;
    const err = await signDigests(cosign, c, [ref], env).then(
      () => undefined,
      (e: unknown) => e as Error
    );
    expect(err?.message).toContain(`Signing ${ref} failed`);
    expect(err?.message).toContain('check cosign-password');
    expect(err?.message).not.toContain(wrong);
  });
});
