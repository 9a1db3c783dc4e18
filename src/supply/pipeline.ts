import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {attest, signDigests, verifyAttestations, verifyDigests} from './cosign.js';
import {verifyCommand, type SignConfig} from './cosign-config.js';
import {evaluateGate, type GateSpec, type GateVerdict} from './gate.js';
import {toSarif} from './sarif.js';
import {prepareTrivyDb, scanPlatforms, trivyVersion, type DbTranscript} from './trivy.js';
import type {Finding} from './trivy-report.js';
import {limit} from '../registry/limit.js';
import * as log from '../report/log.js';

export interface ScanOutcome {
  /** undefined when only SBOMs were asked for (no gate). */
  verdict?: GateVerdict;
  reports: Record<string, string>;
  sboms: Record<string, string>;
  sarif: string;
  packages: Record<string, number>;
}

export interface ScanRequest {
  trivy: string;
  /** One per platform: `registry/repo@sha256:<platform manifest>`. */
  scans: {platform: string; ref: string; input?: boolean}[];
  outDir: string;
  cacheDir: string;
  dbRepositories: string[];
  insecure: boolean;
  sbomFormat: 'spdx-json' | 'cyclonedx' | 'none';
  env: Record<string, string>;
  /** The image SARIF locations name when the scans are local inputs (push: false). */
  sarifName?: string;
  /** undefined: SBOMs only. */
  gate?: GateSpec;
  /** The DB fetch started beside the build (prefetchTrivyDb); absent: fetched here. */
  db?: DbPrefetch;
  now: Date;
}

type DbRequest = Pick<ScanRequest, 'trivy' | 'cacheDir' | 'dbRepositories' | 'insecure' | 'env'>;

const dbOptions = (req: DbRequest) => ({
  cacheDir: req.cacheDir,
  dbRepositories: req.dbRepositories,
  insecure: req.insecure,
  env: req.env
});

/** A DB fetch started beside the build: what it found, or undefined when it failed. */
export interface DbPrefetch {
  done: Promise<(DbTranscript & {seconds: number}) | undefined>;
}

/**
 * Fetches the DB while the image builds: it depends on nothing the build makes. Quiet (a build's
 * log group is open meanwhile) and never rejecting: a failed fetch is simply done again, loudly,
 * by the scan phase, which then reports the real error.
 */
export function prefetchTrivyDb(req: DbRequest): DbPrefetch {
  const start = Date.now();
  return {
    done: prepareTrivyDb(req.trivy, dbOptions(req), true).then(
      t => ({...t, seconds: (Date.now() - start) / 1000}),
      () => undefined
    )
  };
}

/** DB once, then every platform in parallel; the verdict is computed here from the JSON reports. */
export async function scanAndSbom(req: ScanRequest): Promise<ScanOutcome> {
  fs.mkdirSync(req.outDir, {recursive: true});
  const fetched = await req.db?.done;
  if (fetched) {
    log.relay(fetched.output);
    for (const w of fetched.failedMirrors) log.warning(w);
    log.info(`trivy: vulnerability DB fetched beside the build (${fetched.seconds.toFixed(1)} s)`);
  } else {
    await prepareTrivyDb(req.trivy, dbOptions(req));
  }
  const results = await scanPlatforms(req.trivy, req.scans, {
    outDir: req.outDir,
    cacheDir: req.cacheDir,
    insecure: req.insecure,
    sbomFormat: req.sbomFormat,
    env: req.env
  });
  const perPlatform: Record<string, Finding[]> = {};
  const reports: Record<string, string> = {};
  const sboms: Record<string, string> = {};
  const packages: Record<string, number> = {};
  for (const r of results) {
    perPlatform[r.platform] = r.findings;
    reports[r.platform] = r.report;
    packages[r.platform] = r.packageCount;
    if (r.sbom) sboms[r.platform] = r.sbom;
    log.info(
      `${r.platform}: ${r.findings.length} finding(s), ${r.packageCount} package(s)${r.os ? `, ${r.os}` : ', OS not detected'}`
    );
  }
  const sarif = path.join(req.outDir, 'trivy.sarif');
  const version = await trivyVersion(req.trivy);
  fs.writeFileSync(
    sarif,
    JSON.stringify(
      toSarif(
        results.map(r => ({platform: r.platform, ref: req.sarifName ?? r.ref, findings: r.findings})),
        version
      ),
      null,
      2
    )
  );
  const verdict = req.gate ? evaluateGate(req.gate, perPlatform, req.now) : undefined;
  return {verdict, reports, sboms, sarif, packages};
}

export interface SignRequest {
  cosign: string;
  config: SignConfig;
  /** Every image@indexDigest to sign (with `recursive`, cosign signs the platform manifests too). */
  refs: string[];
  /** image@platformDigest → SBOM file, attested when given. */
  attestations: {ref: string; sbom: string}[];
  sbomType: 'spdxjson' | 'cyclonedx';
  /** Platform manifests to verify besides the index (recursive signing). */
  platformRefs: string[];
  /**
   * With recursive: every manifest the indexes list (image@digest), each signed by its own
   * process beside the others (see signAll). Undefined: one `cosign sign --recursive` does it.
   */
  listed?: string[];
  env: Record<string, string>;
}

export interface SignOutcome {
  signed: string[];
  attested: string[];
  verifyCommand: string;
}

/** Runs every task, at most `bound` at once; throws the first failure once all have settled. */
async function settled<T>(items: T[], bound: number, fn: (item: T) => Promise<void>): Promise<void> {
  const run = limit(bound);
  const results = await Promise.allSettled(items.map(i => run(() => fn(i))));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** cosign processes at once: each is CPU-bound for its key decryption and hashing. */
export const cosignConcurrency = (): number => Math.max(1, os.availableParallelism());

/**
 * `cosign sign` processes at once. A signature is mostly waiting on the registry: measured on the
 * bed (2 cores), one process signing an index and its two platform manifests took 0.92–1.05 s,
 * three processes at once 0.58–0.65 s, two at a time 0.65–0.74 s.
 */
export const signConcurrency = (): number => Math.max(4, cosignConcurrency());

/**
 * Sign and attest. With recursive signing and the listed manifests known, every subject (each
 * index and each manifest it lists) is signed by its own non-recursive process: the same
 * signatures as `--recursive`, which signs them one after another. A subject's attestation
 * follows its own sign at once, beside the other subjects' work. A signature and an attestation
 * of one subject both write its `sha256-<digest>` referrers fallback index, and a concurrent write
 * would lose one; different subjects write different ones.
 * Else (not recursive, keyless: one process asks Fulcio for one certificate, N would ask N
 * times, an index listing an index) one sign for every reference, then the attests.
 */
async function signAndAttest(req: SignRequest): Promise<void> {
  const attestAll = (items: SignRequest['attestations'], bound: number): Promise<void> =>
    settled(items, bound, a => attest(req.cosign, req.config, a.ref, a.sbom, req.sbomType, req.env));
  const split = req.config.recursive && req.config.mode !== 'keyless' && req.listed !== undefined;
  const subjects = [...new Set([...req.refs, ...(req.listed ?? [])])];
  if (!split || subjects.length < 2) {
    await signDigests(req.cosign, req.config, req.refs, req.env);
    return attestAll(req.attestations, cosignConcurrency());
  }
  const single = {...req.config, recursive: false};
  const slot = limit(signConcurrency());
  await settled(subjects, subjects.length, async ref => {
    await slot(() => signDigests(req.cosign, single, [ref], req.env));
    await settled(
      req.attestations.filter(a => a.ref === ref),
      1,
      a => slot(() => attest(req.cosign, req.config, a.ref, a.sbom, req.sbomType, req.env))
    );
  });
  // An attestation of something not signed here (not expected): after every sign, as before.
  await attestAll(
    req.attestations.filter(a => !subjects.includes(a.ref)),
    cosignConcurrency()
  );
}

/**
 * sign → attest → verify with the same key/identity; any failure throws before a tag exists.
 * Processes: the signs and attests (signAndAttest); then one verify and one verify-attestation,
 * concurrently (reads only).
 */
export async function signAndVerify(req: SignRequest): Promise<SignOutcome> {
  await signAndAttest(req);
  const verify = [...req.refs, ...(req.config.recursive ? req.platformRefs : [])];
  await settled([0, 1], 2, async which =>
    which === 0
      ? verifyDigests(req.cosign, req.config, verify, req.env)
      : verifyAttestations(
          req.cosign,
          req.config,
          req.attestations.map(a => a.ref),
          req.sbomType,
          req.env
        )
  );
  log.info(`verified ${verify.length} signature(s) and ${req.attestations.length} attestation(s)`);
  return {
    signed: verify,
    attested: req.attestations.map(a => a.ref),
    verifyCommand: verifyCommand(req.config, req.refs[0])
  };
}
