// Stalls longer than the registry client's progress deadline (issue "Hostile input, faults and
// secrets"): the proxy takes the request and then sends nothing, holding the connection until the
// client gives up. (faults.test.ts stalls 3 s and resets, which a client sees as a reset.)
// 1. The action, with its real 60 s deadline: one request stalled past it is abandoned, retried,
//    and the promotion succeeds, tags checked afterwards.
// 2. A registry whose every request stalls: the client (deadline shortened to 1.5 s, the same code
//    path) fails in bounded time — attempts × deadline + backoff — naming the registry and the
//    operation. (Through the action that is 4 attempts × 60 s per operation, over 4 minutes, so the
//    phase naming is proved by faults.test.ts's registry that is down, which fails the same way.)
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {RegistryClient} from '../../src/registry/client.js';
import {startFaultProxy, type FaultProxy} from '../helpers/fault-proxy.js';
import {errorsOf, runDist} from '../helpers/run-dist.js';
import {actionEnv} from './action-env.js';
import {type Bed, copyToScratchRepo, loadBed, registryDigest, tagsOf, tempDir, uniqueTag} from './bed.js';

function policyFor(prodMatch: string, devHosts: string[]): string {
  const file = path.join(tempDir('stall-policy'), 'image-publish-policy.yml');
  writeFileSync(
    file,
    `version: 1
registries:
  production:
    match: ${prodMatch}
    immutable: true
    tags:
      allow: ['v{semver}']
${devHosts.map((h, i) => `  dev${i}:\n    match: ${h}/\n`).join('')}`
  );
  return file;
}

describe('a stall past the progress deadline', () => {
  let bed: Bed;
  let once: FaultProxy;
  beforeAll(async () => {
    bed = loadBed();
    // The first manifest read of our client is held without a byte: the source's resolution.
    let stalled = false;
    once = await startFaultProxy({
      upstream: bed.devRegistry.host,
      stallMs: Infinity,
      script: req => {
        if (stalled || !/\/manifests\//.test(req.url ?? '')) return undefined;
        stalled = true;
        return 'stall';
      }
    });
  });
  afterAll(async () => {
    await once?.close();
  });

  it('is abandoned after 60 s without progress, retried, and the promotion succeeds', async () => {
    const u = uniqueTag('stall');
    const src = copyToScratchRepo(bed, bed.images.clean, `${u}-src`);
    const repo = src.ref.replace(/:[^:/]+$/, '').replace(bed.devRegistry.host, once.host);
    const image = `${once.host}/${u}-prod/app`;
    const started = Date.now();
    const r = await runDist(actionEnv(bed, tempDir('stall-runner'), 'ip_dispatch'), {
      mode: 'promote',
      source: `${repo}:${src.ref.split(':').pop() as string}`,
      images: image,
      version: '3.0.0',
      tags: 'type=semver,pattern={{version}},prefix=v',
      flavor: 'latest=false',
      policy: policyFor(`${once.host}/${u}-prod/`, [bed.devRegistry.host, once.host]),
      'insecure-registries': `${bed.devRegistry.host},${once.host}`
    });
    const ms = Date.now() - started;
    expect({code: r.code, errors: errorsOf(r.stdout)}).toEqual({code: 0, errors: []});
    expect(once.injected.map(f => f.kind)).toEqual(['stall']);
    // The client said why it retried (a ::debug:: line: shown when the runner's debug logging is on).
    expect(r.stdout).toMatch(new RegExp(`registry ${once.host}: [^\\n]*no progress for 60 s[^\\n]*attempt 2/4`));
    expect(ms).toBeGreaterThanOrEqual(60_000);
    expect(ms).toBeLessThan(240_000);
    const direct = image.replace(once.host, bed.devRegistry.host);
    expect(tagsOf(bed, direct)).toEqual(['v3.0.0']);
    expect(registryDigest(bed, `${direct}:v3.0.0`)).toBe(src.digest);
    console.log(
      `faults-stall: 1 stall held past the 60 s deadline, retried; run took ${Math.round(ms / 1000)} s; 1 tag checked`
    );
  }, 400_000);
});

describe('a registry whose every request stalls', () => {
  let always: FaultProxy;
  beforeAll(async () => {
    // Nothing is forwarded: no upstream is needed.
    always = await startFaultProxy({upstream: '127.0.0.1:9', stallMs: Infinity, script: () => 'stall'});
  });
  afterAll(async () => {
    await always?.close();
  });

  it('the client fails in bounded time naming the registry and the operation', async () => {
    const client = new RegistryClient({
      registry: always.host,
      insecure: true,
      timeoutMs: 1500,
      retry: {attempts: 3, baseDelayMs: 100}
    });
    const started = Date.now();
    const err = await client.manifestDigest('acme/app', 'v1').then(
      () => undefined,
      (e: unknown) => e as Error
    );
    const ms = Date.now() - started;
    expect(err?.message).toContain(`registry ${always.host}`);
    expect(err?.message).toContain('acme/app');
    expect(err?.message).toMatch(/no progress for 1\.5 s[^]* after 3 attempts/);
    // 3 × 1.5 s of deadline + ~0.3 s of backoff; never the minutes a hung socket could take.
    expect(ms).toBeGreaterThanOrEqual(4_500);
    expect(ms).toBeLessThan(15_000);
    expect(always.injected.length).toBe(3);
  }, 60_000);
});
