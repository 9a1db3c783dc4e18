// How many cosign processes a sign stage starts, in which order and how many at once. The process
// edge is a fake `cosign` executable that logs its argv and timing and answers like cosign v3.1.2:
// `verify` prints one JSON list per reference, in argument order; a reference whose repository
// says "unsigned" (or "noatt" for verify-attestation) fails the whole call, as cosign's loop does.
import {beforeEach, describe, expect, it} from '@jest/globals';
import {chmodSync, mkdtempSync, readFileSync, writeFileSync, existsSync} from 'node:fs';
import {availableParallelism, tmpdir} from 'node:os';
import path from 'node:path';
import {verifyDigests} from '../../src/supply/cosign.js';
import {signAndVerify} from '../../src/supply/pipeline.js';
import type {SignConfig} from '../../src/supply/cosign-config.js';

const FAKE = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
const log = process.env.FAKE_COSIGN_LOG;
const start = Date.now();
const refs = args.filter(a => /@sha256:[0-9a-f]{64}$/.test(a));
const done = (code, out = '') => {
  if (out) process.stdout.write(out);
  fs.appendFileSync(log, JSON.stringify({cmd: args[0], refs, start, end: Date.now()}) + '\\n');
  process.exit(code);
};
const sleep = ms => new Promise(r => setTimeout(r, ms));
(async () => {
  if (args[0] === 'public-key') {
    await sleep(100);
    fs.writeFileSync(args[args.indexOf('--outfile') + 1], '-----BEGIN PUBLIC KEY-----\\nx\\n-----END PUBLIC KEY-----\\n');
    return done(0);
  }
  await sleep(args[0] === 'attest' ? 150 : 30);
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
  start: number;
  end: number;
}

const d = (c: string): string => `sha256:${c.repeat(64)}`;
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
    const images = ['dev.example/app', 'prod.example/app'];
    const refs = images.map(i => `${i}@${d('a')}`);
    const platformRefs = images.flatMap(i => [`${i}@${d('b')}`, `${i}@${d('c')}`]);
    const sbom = path.join(dir, 'sbom.json');
    writeFileSync(sbom, '{}');
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
