// How many cosign processes a sign stage starts, in which order and how many at once. The process
// edge is a fake `cosign` executable that logs its argv and timing and answers like cosign v3.1.2:
// `verify` prints one JSON list per reference, in argument order; a reference whose repository
// says "unsigned" (or "noatt" for verify-attestation) fails the whole call, as cosign's loop does.
import {afterEach, beforeEach, describe, expect, it} from '@jest/globals';
import {chmodSync, mkdtempSync, readFileSync, writeFileSync, existsSync} from 'node:fs';
import {availableParallelism, tmpdir} from 'node:os';
import path from 'node:path';
import {keyProven, materializeKey, startPublicKey, verifyDigests} from '../../src/supply/cosign.js';
import {signAndVerify, signConcurrency} from '../../src/supply/pipeline.js';
import type {SignConfig} from '../../src/supply/cosign-config.js';

const FAKE = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
const log = process.env.FAKE_COSIGN_LOG;
const start = Date.now();
const refs = args.filter(a => /@sha256:[0-9a-f]{64}$/.test(a));
const done = (code, out = '') => {
  if (out) process.stdout.write(out);
  fs.appendFileSync(log, JSON.stringify({cmd: args[0], refs, recursive: args.includes('--recursive'), start, end: Date.now()}) + '\\n');
  process.exit(code);
};
const sleep = ms => new Promise(r => setTimeout(r, ms));
(async () => {
  if (args[0] === 'public-key') {
    await sleep(Number(process.env.FAKE_PUBKEY_MS || 100));
    if (process.env.COSIGN_PASSWORD === 'pw-wrong-x7') {
      // As cosign v3.1.2 does: the output file exists (empty) before the key is decrypted.
      fs.writeFileSync(args[args.indexOf('--outfile') + 1], '');
      process.stderr.write('Error: decrypt: encrypted: decryption failed\\n');
      return done(1);
    }
    fs.writeFileSync(args[args.indexOf('--outfile') + 1], '-----BEGIN PUBLIC KEY-----\\nx\\n-----END PUBLIC KEY-----\\n');
    return done(0);
  }
  // long enough that processes started together overlap even when node starts slowly
  await sleep(args[0] === 'attest' ? 150 : args[0] === 'sign' && !args.includes('--recursive') ? 300 : 30);
  if (args[0] === 'verify') {
    let out = '';
    for (const r of refs) {
      if (r.includes('unsigned')) { process.stderr.write('Error: no signatures found\\n'); return done(1, out); }
      const digest = r.split('@')[1];
      const type = r.includes('attonly') ? 'https://spdx.dev/Document' : 'https://sigstore.dev/cosign/sign/v1';
      out += '\\n' + JSON.stringify([{critical: {image: {'docker-manifest-digest': digest}, type}, optional: {}}]) + '\\n';
    }
    return done(0, out);
  }
  if (args[0] === 'verify-attestation' && refs.some(r => r.includes('noatt'))) return done(1);
  done(0);
})();
`;

interface Call {
  cmd: string;
  refs: string[];
  recursive: boolean;
  start: number;
  end: number;
}

const d = (c: string): string => `sha256:${c.repeat(64)}`;
/** Two images, each an index (a) listing two platform manifests (b, c). */
const images = ['dev.example/app', 'prod.example/app'];
const refs = images.map(i => `${i}@${d('a')}`);
const platformRefs = images.flatMap(i => [`${i}@${d('b')}`, `${i}@${d('c')}`]);
/** An SBOM file for the attests (written in the test's directory). */
const sbomFile = (): string => {
  const f = path.join(dir, 'sbom.json');
  writeFileSync(f, '{}');
  return f;
};
let dir: string;
let cosign: string;
let env: Record<string, string>;
const calls = (): Call[] =>
  existsSync(env.FAKE_COSIGN_LOG)
    ? readFileSync(env.FAKE_COSIGN_LOG, 'utf8')
        .trim()
        .split('\n')
        .map(l => JSON.parse(l) as Call)
    : [];

function config(): SignConfig {
  return {
    mode: 'key',
    key: path.join(dir, 'cosign.key'),
    publicKey: path.join(dir, 'cosign-derived.pub'),
    derivePublicKey: true,
    password: 'pw',
    tlogUpload: false,
    recursive: true,
    signatureFormat: 'default',
    allowInsecureRegistry: false
  };
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fake-cosign-'));
  cosign = path.join(dir, 'cosign');
  writeFileSync(cosign, FAKE);
  chmodSync(cosign, 0o755);
  writeFileSync(path.join(dir, 'cosign.key'), 'fake');
  env = {FAKE_COSIGN_LOG: path.join(dir, 'calls.jsonl')};
});

describe('signAndVerify: processes', () => {
  it('one sign, one attest per platform SBOM (concurrent, after the sign), one verify and one verify-attestation', async () => {
    const sbom = sbomFile();
    const out = await signAndVerify({
      cosign,
      config: config(),
      refs,
      attestations: platformRefs.map(ref => ({ref, sbom})),
      sbomType: 'spdxjson',
      platformRefs,
      env
    });
    const log = calls();
    expect(log.map(c => c.cmd).sort()).toEqual(
      ['attest', 'attest', 'attest', 'attest', 'public-key', 'sign', 'verify', 'verify-attestation'].sort()
    );
    const one = (cmd: string): Call => log.find(c => c.cmd === cmd) as Call;
    expect(one('sign').refs).toEqual(refs);
    expect(one('verify').refs).toEqual([...refs, ...platformRefs]);
    expect(one('verify-attestation').refs).toEqual(platformRefs);
    const attests = log.filter(c => c.cmd === 'attest');
    expect(attests.map(a => a.refs[0]).sort()).toEqual([...platformRefs].sort());
    // Attests start only after the sign ended (both write a platform's referrers fallback tag).
    expect(Math.min(...attests.map(a => a.start))).toBeGreaterThanOrEqual(one('sign').end);
    // Concurrent, bounded by the cores: at some instant as many run as the bound allows.
    const bound = Math.min(attests.length, availableParallelism());
    const overlap = Math.max(...attests.map(a => attests.filter(b => b.start <= a.start && b.end > a.start).length));
    expect(overlap).toBe(bound);
    // Verifies read what every attest wrote.
    const lastAttest = Math.max(...attests.map(a => a.end));
    expect(one('verify').start).toBeGreaterThanOrEqual(lastAttest);
    expect(one('verify-attestation').start).toBeGreaterThanOrEqual(lastAttest);
    // The public key is derived once, though both verifies want it at the same time.
    expect(one('public-key').end).toBeLessThanOrEqual(Math.min(one('verify').start, one('verify-attestation').start));
    expect(out).toEqual({
      signed: [...refs, ...platformRefs],
      attested: platformRefs,
      verifyCommand: expect.stringContaining(refs[0]) as unknown as string
    });
  });

  it('a failed verify-attestation batch is retried one by one and names the reference', async () => {
    const good = `dev.example/app@${d('b')}`;
    const bad = `dev.example/noatt@${d('c')}`;
    const sbom = path.join(dir, 'sbom.json');
    writeFileSync(sbom, '{}');
    await expect(
      signAndVerify({
        cosign,
        config: config(),
        refs: [`dev.example/app@${d('a')}`],
        attestations: [good, bad].map(ref => ({ref, sbom})),
        sbomType: 'cyclonedx',
        platformRefs: [good, bad],
        env
      })
    ).rejects.toThrow(`The cyclonedx attestation of ${bad} does not verify`);
    expect(
      calls()
        .filter(c => c.cmd === 'verify-attestation')
        .map(c => c.refs)
    ).toEqual([[good, bad], [good], [bad]]);
  });
});

describe('signAndVerify: the sign split per subject', () => {
  const listed = platformRefs;
  const keyless = (): SignConfig =>
    ({
      ...config(),
      mode: 'keyless',
      key: undefined,
      publicKey: undefined,
      derivePublicKey: false,
      certificateIdentity: 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1',
      certificateOidcIssuer: 'https://token.actions.githubusercontent.com'
    }) as SignConfig;
  it.each([
    // [name, config, listed, expected sign calls as [refs, recursive]]
    [
      'recursive with the listed manifests known: one process per subject, none recursive',
      config,
      listed,
      [...refs, ...listed].map(r => [[r], false])
    ],
    ['an index listing an index (listed unknown): one recursive process', config, undefined, [[refs, true]]],
    ['keyless: one process (one Fulcio certificate)', keyless, listed, [[refs, true]]],
    [
      'not recursive: one process for the references alone',
      () => ({...config(), recursive: false}),
      listed,
      [[refs, false]]
    ]
  ])('%s', async (_name, cfg, given, expected) => {
    await signAndVerify({
      cosign,
      config: cfg(),
      refs,
      attestations: [],
      sbomType: 'spdxjson',
      platformRefs: listed,
      ...(given ? {listed: given} : {}),
      env
    });
    const signs = calls().filter(c => c.cmd === 'sign');
    expect(signs.map(c => [c.refs, c.recursive]).sort()).toEqual([...expected].sort());
    if (signs.length > 1) {
      // at once, as many as the bound allows; every verify reads what every sign wrote
      const overlap = Math.max(...signs.map(a => signs.filter(b => b.start <= a.start && b.end > a.start).length));
      expect(overlap).toBe(Math.min(signs.length, signConcurrency()));
    }
    const verify = calls().find(c => c.cmd === 'verify') as Call;
    expect(verify.start).toBeGreaterThanOrEqual(Math.max(...signs.map(c => c.end)));
  });
});

describe('signAndVerify: split signs with attestations', () => {
  it("each platform's attestation follows its own sign, beside the other subjects' work", async () => {
    const listed = platformRefs;
    const sbom = sbomFile();
    await signAndVerify({
      cosign,
      config: config(),
      refs,
      attestations: listed.map(ref => ({ref, sbom})),
      sbomType: 'spdxjson',
      platformRefs: listed,
      listed,
      env
    });
    const log = calls();
    const signOf = (ref: string): Call => log.find(c => c.cmd === 'sign' && c.refs[0] === ref) as Call;
    const attests = log.filter(c => c.cmd === 'attest');
    expect(attests.map(a => a.refs[0]).sort()).toEqual([...listed].sort());
    // never before its own subject's signature exists (both write its referrers fallback index)
    for (const a of attests) expect(a.start).toBeGreaterThanOrEqual(signOf(a.refs[0]).end);
    const signs = log.filter(c => c.cmd === 'sign');
    // more subjects than the bound: an attestation runs while a later subject is still signed
    if (signs.length > signConcurrency()) {
      expect(Math.min(...attests.map(a => a.start))).toBeLessThan(Math.max(...signs.map(c => c.end)));
    }
    const verify = log.find(c => c.cmd === 'verify') as Call;
    expect(verify.start).toBeGreaterThanOrEqual(Math.max(...attests.map(a => a.end)));
  });
});

describe('verifyDigests: one process, one by one only to name a failure', () => {
  it.each<[string, string[], string | undefined, string[][]]>([
    [
      'all signed: one process',
      [`r/app@${d('a')}`, `r/app@${d('b')}`, `s/app@${d('a')}`],
      undefined,
      [[`r/app@${d('a')}`, `r/app@${d('b')}`, `s/app@${d('a')}`]]
    ],
    ['one reference: one process', [`r/app@${d('a')}`], undefined, [[`r/app@${d('a')}`]]],
    [
      'one unsigned: the batch fails, the retry names it',
      [`r/app@${d('a')}`, `r/unsigned@${d('b')}`, `s/app@${d('c')}`],
      `Signature of r/unsigned@${d('b')} does not verify`,
      [[`r/app@${d('a')}`, `r/unsigned@${d('b')}`, `s/app@${d('c')}`], [`r/app@${d('a')}`], [`r/unsigned@${d('b')}`]]
    ],
    [
      'cosign exits 0 on an attestation alone: still no signature',
      [`r/app@${d('a')}`, `r/attonly@${d('b')}`],
      `no signature payload for ${d('b')}`,
      [[`r/app@${d('a')}`, `r/attonly@${d('b')}`], [`r/app@${d('a')}`], [`r/attonly@${d('b')}`]]
    ]
  ])('%s', async (_name, refs, error, processes) => {
    const run = verifyDigests(cosign, {...config(), derivePublicKey: false}, refs, env);
    if (error) await expect(run).rejects.toThrow(error);
    else await run;
    expect(calls().map(c => c.refs)).toEqual(processes);
  });
});

describe('startPublicKey: the derived public key off the critical path', () => {
  // The background derivation runs with the process environment (it has no registry to reach).
  const saved = process.env.FAKE_COSIGN_LOG;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };
  beforeEach(() => {
    process.env.FAKE_COSIGN_LOG = env.FAKE_COSIGN_LOG;
    rejections.length = 0;
    process.on('unhandledRejection', onRejection);
  });
  afterEach(() => {
    process.off('unhandledRejection', onRejection);
    if (saved === undefined) delete process.env.FAKE_COSIGN_LOG;
    else process.env.FAKE_COSIGN_LOG = saved;
  });
  const settle = async (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms));

  it('runs beside the sign; the verifies wait for that one derivation', async () => {
    const c = config();
    // Long enough that the sign, started after it, starts before it ends on a loaded machine too.
    process.env.FAKE_PUBKEY_MS = '1500';
    startPublicKey(cosign, c);
    delete process.env.FAKE_PUBKEY_MS;
    const refs = [`dev.example/app@${d('a')}`];
    await signAndVerify({cosign, config: c, refs, attestations: [], sbomType: 'spdxjson', platformRefs: [], env});
    const log = calls();
    const one = (cmd: string): Call => log.find(e => e.cmd === cmd) as Call;
    expect(log.map(e => e.cmd).sort()).toEqual(['public-key', 'sign', 'verify']);
    // The sign does not wait for the derivation...
    expect(one('sign').start).toBeLessThan(one('public-key').end);
    // ...and the verify reads the key it wrote.
    expect(one('verify').start).toBeGreaterThanOrEqual(one('public-key').end);
    expect(existsSync(c.publicKey as string)).toBe(true);
  });

  it.each<[string, Partial<SignConfig>]>([
    ['cosign-public-key given (a file)', {derivePublicKey: undefined}],
    ['KMS signing', {mode: 'kms', key: 'awskms:///alias/x', derivePublicKey: undefined}],
    ['keyless signing', {mode: 'keyless', key: undefined, publicKey: undefined, derivePublicKey: undefined}]
  ])('%s: nothing is derived', async (_name, over) => {
    startPublicKey(cosign, {...config(), ...over});
    await settle(300);
    expect(calls()).toEqual([]);
  });

  it('materializeKey with cosign-public-key as PEM content plans no derivation', async () => {
    const pem = '-----BEGIN PUBLIC KEY-----\ngiven\n-----END PUBLIC KEY-----';
    const c = await materializeKey(
      {...config(), key: undefined, publicKey: pem, derivePublicKey: undefined},
      {
        key: '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nk\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----',
        password: 'pw'
      },
      path.join(dir, 'creds')
    );
    startPublicKey(cosign, c);
    await settle(300);
    expect(c.derivePublicKey).toBeUndefined();
    expect(readFileSync(c.publicKey as string, 'utf8')).toContain('given');
    expect(calls()).toEqual([]);
  });

  it('a failed derivation is no unhandled rejection; the verify that needs the key reports it', async () => {
    const c = {...config(), password: 'pw-wrong-x7'};
    startPublicKey(cosign, c);
    // Until the background cosign has exited (and its failure was handled, or not).
    for (let i = 0; i < 100 && calls().length === 0; i++) await settle(50);
    await settle(50);
    expect(calls().map(e => e.cmd)).toEqual(['public-key']);
    expect(rejections).toEqual([]);
    const err = await verifyDigests(cosign, c, [`r/app@${d('a')}`], env).then(
      () => undefined,
      (e: unknown) => e as Error
    );
    expect(err?.message).toMatch(/^Cannot read the public key from cosign-key: .*check cosign-password/s);
    expect(err?.message).not.toContain('pw-wrong-x7');
    // The failure did not stick: the verify derived again (a corrected password would have passed).
    expect(calls().map(e => e.cmd)).toEqual(['public-key', 'public-key']);
  });

  it.each([
    ['while the derivation still runs', '600'],
    ['after it failed (the empty file it left is no key)', '0']
  ])('keyProven, awaited before the first push, fails on a wrong password %s', async (_name, ms) => {
    const c = {...config(), password: 'pw-wrong-x7'};
    process.env.FAKE_PUBKEY_MS = ms;
    startPublicKey(cosign, c);
    delete process.env.FAKE_PUBKEY_MS;
    if (ms === '0') for (let i = 0; i < 100 && calls().length === 0; i++) await settle(50);
    await settle(20);
    const err = await keyProven(cosign, c).then(
      () => undefined,
      (e: unknown) => e as Error
    );
    expect(err?.message).toMatch(/^Cannot read the public key from cosign-key: .*check cosign-password/s);
    expect(existsSync(c.publicKey as string)).toBe(false);
    expect(rejections).toEqual([]);
  });
});
