// DD-REGISTRY-001's "sign at promotion": the policy says where a required signature comes from
// (`signature: {at: source|promotion, tags: [...]}`), the plan decides per run whether a promotion
// verifies its source and whether it signs, and a run whose tags the requirement does not name
// needs no key.
import {describe, expect, it} from '@jest/globals';
import {parsePolicy, PolicyError} from '../../src/policy/load.js';
import {promotionSigning, signatureRequiredFor} from '../../src/policy/decide.js';
import type {RegistryRule} from '../../src/policy/types.js';
import {planFor} from '../helpers/fixtures.js';

const policy = (signature: string) =>
  parsePolicy(
    `version: 1
registries:
  dev:
    match: quay.io/jordigilh/
  production:
    match: quay.io/kubernaut/
    immutable: true
    tags:
      allow: ['v{semver}', 'v{semver}-rc{n}']
    require:
      scan: {max-critical: 0, max-high: 0}
      signature: ${signature}
`,
    'p.yml'
  );

const refusal = (signature: string): string => {
  try {
    policy(signature);
  } catch (e) {
    return e instanceof PolicyError ? e.message : `not a PolicyError: ${String(e)}`;
  }
  return 'accepted';
};

const PROD = 'quay.io/kubernaut/gateway';
const KEY = {'cosign-key': 'awskms:///alias/release'};

describe('policy: signature as a mapping', () => {
  it.each([
    ['true', {signature: true}],
    ['false', {signature: false}],
    ['{at: promotion}', {signature: true, signatureAt: 'promotion'}],
    ['{at: source}', {signature: true, signatureAt: 'source'}],
    ["{at: promotion, tags: ['v{semver}']}", {signature: true, signatureAt: 'promotion', signatureTags: ['v{semver}']}]
  ])('%s', (text, want) => {
    const req = policy(text).registries.production.require;
    expect({
      signature: req.signature,
      ...(req.signatureAt ? {signatureAt: req.signatureAt} : {}),
      ...(req.signatureTags ? {signatureTags: req.signatureTags.map(t => t.source)} : {})
    }).toEqual(want);
  });
  it.each([
    [
      'cosign',
      'p.yml:12: registries.production.require.signature: must be true, false or a mapping (at, tags), got "cosign"'
    ],
    [
      '{at: release}',
      'p.yml:12: registries.production.require.signature.at: must be source or promotion, got "release"'
    ],
    [
      '{tags: []}',
      'p.yml:12: registries.production.require.signature.tags: an empty list requires no signature; use signature: false'
    ],
    ['{when: promotion}', 'p.yml:12: registries.production.require.signature.when: unknown key (allowed: at, tags)']
  ])('refuses %s', (text, message) => {
    expect(refusal(text)).toBe(message);
  });
});

describe('signatureRequiredFor: tags narrow the requirement', () => {
  const rule = policy("{at: promotion, tags: ['v{semver}']}").registries.production;
  it.each([
    [['v1.0.0'], true],
    [['v1.0.0-rc1'], false],
    [['v1.0.0-rc1', 'v1.0.0'], true],
    [[], false]
  ])('%j → %s', (tags, want) => {
    expect(signatureRequiredFor(rule, tags)).toBe(want);
  });
  it('without tags every run needs it', () => {
    expect(signatureRequiredFor(policy('true').registries.production, [])).toBe(true);
  });
});

describe('promotionSigning', () => {
  const at = (where?: 'source' | 'promotion'): {env: string; rule: RegistryRule} => ({
    env: where ?? 'plain',
    rule: {
      match: ['x/'],
      immutable: true,
      tags: {forbid: []},
      require: {signature: true, sbom: false, nonRoot: false, labels: [], ...(where ? {signatureAt: where} : {})}
    }
  });
  it.each([
    [
      [],
      false,
      false,
      {verifySource: false, sign: false, reason: 'no signing key: signatures are neither checked nor made'}
    ],
    [[], true, false, {verifySource: true, sign: false, reason: 'the source is signed'}],
    [[], true, true, {verifySource: true, sign: true, reason: 'the source is signed; resign: true signs again'}],
    [[at()], true, false, {verifySource: true, sign: false, reason: 'policy "plain" requires a signed source'}],
    [
      [at('source')],
      true,
      true,
      {verifySource: true, sign: true, reason: 'policy "source" requires a signed source; resign: true signs again'}
    ],
    [
      [at('promotion')],
      true,
      false,
      {verifySource: false, sign: true, reason: 'policy "promotion" signs at promotion: the source need not be signed'}
    ],
    [
      [at('promotion'), at('source')],
      true,
      false,
      {verifySource: true, sign: false, reason: 'policy "source" requires a signed source'}
    ]
  ])('%# required=%j signing=%s resign=%s', (required, signing, resign, want) => {
    expect(promotionSigning(required, signing, resign)).toEqual(want);
  });
});

describe('the plan of DD-REGISTRY-001 promotions', () => {
  const signAtPromotion = policy("{at: promotion, tags: ['v{semver}']}");
  const promote = (version: string, source: string, more: Record<string, string> = {}) =>
    planFor(
      'ip_dispatch',
      {
        images: PROD,
        mode: 'promote',
        source,
        version,
        tags: 'type=semver,pattern={{version}},prefix=v',
        flavor: 'latest=false',
        ...more
      },
      {},
      signAtPromotion
    );

  it('staging (-rc1): scanned, no key needed, no signature step', async () => {
    const plan = await promote('1.0.0-rc1', 'quay.io/jordigilh/gateway:dev');
    expect(plan.supply.sign).toBe(false);
    expect(plan.promotion).toEqual({
      verifySource: false,
      sign: false,
      reason: 'no signing key: signatures are neither checked nor made'
    });
    expect(plan.steps.filter(s => ['promote', 'scan', 'sign', 'tag'].includes(s.phase))).toEqual([
      {phase: 'promote', what: 'resolve quay.io/jordigilh/gateway:dev to a digest'},
      {phase: 'scan', what: 'trivy per platform, gate CRITICAL≤0 HIGH≤0'},
      {phase: 'scan', what: 'SBOM per platform (spdx-json)'},
      {phase: 'promote', what: `copy quay.io/jordigilh/gateway@digest to ${PROD} with signatures and attestations`},
      {phase: 'tag', what: `${PROD}: v1.0.0-rc1`}
    ]);
  });
  it('production (v1.0.0) without a key is refused before anything runs', async () => {
    await expect(promote('1.0.0', `${PROD}:v1.0.0-rc1`)).rejects.toThrow(
      `Input "cosign-key": policy "production" (${PROD}) requires a cosign signature: set cosign-key (with cosign-password) or keyless: true; nothing was built or pushed`
    );
  });
  it('production (v1.0.0): the unsigned rc is not verified, the promotion signs then verifies, then tags', async () => {
    const plan = await promote('1.0.0', `${PROD}:v1.0.0-rc1`, KEY);
    expect(plan.promotion).toEqual({
      verifySource: false,
      sign: true,
      reason: 'policy "production" signs at promotion: the source need not be signed'
    });
    expect(plan.supply.reasons).toEqual([
      `policy "production" requires a scan (CRITICAL≤0 HIGH≤0), a cosign signature (made at promotion) for ${PROD}`
    ]);
    expect(plan.steps.filter(s => ['promote', 'sign', 'tag'].includes(s.phase))).toEqual([
      {phase: 'promote', what: `resolve ${PROD}:v1.0.0-rc1 to a digest`},
      {phase: 'sign', what: 'cosign sign --recursive, attest SBOMs, verify'},
      {phase: 'tag', what: `${PROD}: v1.0.0`}
    ]);
  });
  it('signature: true keeps the source check, even with resign', async () => {
    const plan = await planFor(
      'ip_dispatch',
      {
        images: PROD,
        mode: 'promote',
        source: `${PROD}:v1.0.0-rc1`,
        version: '1.0.0',
        tags: 'type=semver,pattern=v{{version}}',
        flavor: 'latest=false',
        resign: 'true',
        ...KEY
      },
      {},
      policy('true')
    );
    expect(plan.promotion).toEqual({
      verifySource: true,
      sign: true,
      reason: 'policy "production" requires a signed source; resign: true signs again'
    });
    expect(plan.steps.find(s => s.phase === 'promote')).toEqual({
      phase: 'promote',
      what: `resolve ${PROD}:v1.0.0-rc1 to a digest, verify its signature`
    });
  });
});

describe('the SBOM of a promotion', () => {
  // Written only when something uses it: the scan, or the promotion's own signature (attested).
  const SOURCE = `quay.io/jordigilh/gateway@sha256:${'a'.repeat(64)}`;
  it.each([
    ['no scan, no resign: the source carries its attestations', {}, 'none'],
    ['resign: attested by the promotion', {resign: 'true'}, 'spdx-json'],
    ['scan: written with the scan', {scan: 'true'}, 'spdx-json'],
    ['cyclonedx with resign', {resign: 'true', 'sbom-format': 'cyclonedx'}, 'cyclonedx']
  ])('%s', async (_, more, want) => {
    const plan = await planFor('ip_dispatch', {
      images: PROD,
      mode: 'promote',
      source: SOURCE,
      version: '1.0.0',
      tags: 'type=semver,pattern=v{{version}}',
      flavor: 'latest=false',
      ...KEY,
      ...more
    });
    expect(plan.supply.sbom).toBe(want);
    expect(plan.steps.some(s => s.phase === 'scan')).toBe(want !== 'none');
  });
});
