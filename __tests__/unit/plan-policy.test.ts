// The plan with a policy and the supply chain settings: what is refused before anything runs, and
// which gates a run gets (the inputs, made stricter by the policy).
import {describe, expect, it} from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {parsePolicy} from '../../src/policy/load.js';
import {planFor, ROOT} from '../helpers/fixtures.js';

const DD = parsePolicy(
  fs.readFileSync(path.join(ROOT, 'examples/policies/dd-registry-001.yml'), 'utf8'),
  'dd-registry-001.yml'
);
const PROD = 'quay.io/kubernaut/gateway';
const DEV = 'quay.io/jordigilh/gateway';
const KEY = {'cosign-key': 'awskms:///alias/release'};

describe('policy in the plan', () => {
  it('refuses forbidden and not-allowed tags before anything runs, naming each', async () => {
    await expect(planFor('ip_push_main', {images: PROD, 'tag-preset': 'development', ...KEY}, {}, DD)).rejects.toThrow(
      'Input "tags": the policy dd-registry-001.yml refuses tags; nothing was built or pushed:\n' +
        '- policy "production" (quay.io/kubernaut/): tag "main" of quay.io/kubernaut/gateway is not allowed: it matches none of v{semver}, v{semver}-rc{n}, v{semver}-beta{n}\n' +
        '- policy "production" (quay.io/kubernaut/) forbids tag "latest" of quay.io/kubernaut/gateway: matches forbid pattern "latest"\n' +
        '- policy "production" (quay.io/kubernaut/) forbids tag "dev" of quay.io/kubernaut/gateway: matches forbid pattern "dev"\n' +
        '- policy "production" (quay.io/kubernaut/): tag "main-3f9c2ab" of quay.io/kubernaut/gateway is not allowed: it matches none of v{semver}, v{semver}-rc{n}, v{semver}-beta{n}\n' +
        '- policy "production" (quay.io/kubernaut/) forbids tag "3f9c2ab" of quay.io/kubernaut/gateway: matches forbid pattern "{sha}"'
    );
  });

  it('refuses a run into a registry that requires a signature when no signing is configured', async () => {
    await expect(planFor('ip_tag_v1.0.0', {images: PROD, 'tag-preset': 'production'}, {}, DD)).rejects.toThrow(
      'Input "cosign-key": policy "production" (quay.io/kubernaut/gateway) requires a cosign signature: set cosign-key (with cosign-password) or keyless: true; nothing was built or pushed'
    );
  });

  it('turns on the scan gate, SBOM and signing the policy requires, and plans each step', async () => {
    const plan = await planFor('ip_tag_v1.0.0', {images: PROD, 'tag-preset': 'production', ...KEY}, {}, DD);
    expect(plan.supply).toEqual({
      scan: true,
      gate: {max: {CRITICAL: 0, HIGH: 0}, ignoreUnfixed: false},
      sbom: 'spdx-json',
      sign: true,
      reasons: [
        'policy "production" requires a scan (CRITICAL≤0 HIGH≤0), a cosign signature (made at promotion), an SBOM for quay.io/kubernaut/gateway'
      ]
    });
    expect(plan.policy?.bindings.map(b => [b.image, b.env, b.rule.immutable])).toEqual([[PROD, 'production', true]]);
    expect(plan.steps.filter(s => ['scan', 'check', 'sign', 'tag'].includes(s.phase))).toEqual([
      {phase: 'scan', what: 'trivy per platform, gate CRITICAL≤0 HIGH≤0'},
      {phase: 'scan', what: 'SBOM per platform (spdx-json)'},
      {phase: 'check', what: 'quay.io/kubernaut/gateway: policy "production" (immutable tags)'},
      {phase: 'sign', what: 'cosign sign --recursive, attest SBOMs, verify'},
      {phase: 'tag', what: 'quay.io/kubernaut/gateway: v1.0.0'}
    ]);
  });

  it.each([
    [{'max-high': '3'}, {CRITICAL: 0, HIGH: 0}],
    [{'max-medium': '5'}, {CRITICAL: 0, HIGH: 0, MEDIUM: 5}],
    [{'fail-on': 'medium'}, {CRITICAL: 0, HIGH: 0, MEDIUM: 0}]
  ])('the stricter of inputs %j and the policy wins: %j', async (inputs, max) => {
    const plan = await planFor('ip_tag_v1.0.0', {images: PROD, 'tag-preset': 'production', ...KEY, ...inputs}, {}, DD);
    expect(plan.supply.gate.max).toEqual(max);
  });

  it('ignore-unfixed cannot relax a policy scan that counts unfixed findings', async () => {
    const plan = await planFor(
      'ip_tag_v1.0.0',
      {images: PROD, 'tag-preset': 'production', ...KEY, 'ignore-unfixed': 'true'},
      {},
      DD
    );
    expect(plan.supply.gate.ignoreUnfixed).toBe(false);
  });

  it('refuses sbom-format: none when the policy requires an SBOM', async () => {
    await expect(
      planFor('ip_tag_v1.0.0', {images: PROD, 'tag-preset': 'production', ...KEY, 'sbom-format': 'none'}, {}, DD)
    ).rejects.toThrow('Input "sbom-format": the policy requires an SBOM, so it cannot be none');
  });

  it('asks nothing of a development image', async () => {
    const plan = await planFor('ip_push_main', {images: DEV, 'tag-preset': 'development'}, {}, DD);
    expect(plan.supply).toEqual({
      scan: false,
      gate: {max: {}, ignoreUnfixed: false},
      sbom: 'none',
      sign: false,
      reasons: []
    });
    expect(plan.meta.tags).toEqual([
      `${DEV}:main`,
      `${DEV}:latest`,
      `${DEV}:dev`,
      `${DEV}:main-3f9c2ab`,
      `${DEV}:3f9c2ab`
    ]);
  });
});

describe('supply settings without a policy', () => {
  it.each([
    [{}, {scan: false, max: {}, sbom: 'none', sign: false}],
    [{scan: 'true'}, {scan: true, max: {}, sbom: 'spdx-json', sign: false}],
    [{'fail-on': 'high'}, {scan: true, max: {CRITICAL: 0, HIGH: 0}, sbom: 'spdx-json', sign: false}],
    [
      {'max-critical': '0', 'sbom-format': 'cyclonedx'},
      {scan: true, max: {CRITICAL: 0}, sbom: 'cyclonedx', sign: false}
    ],
    [
      {
        keyless: 'true',
        'certificate-identity': 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.0.0',
        'certificate-oidc-issuer': 'https://token.actions.githubusercontent.com'
      },
      {scan: false, max: {}, sbom: 'spdx-json', sign: true}
    ]
  ])('%j → %j', async (inputs, want) => {
    const plan = await planFor('ip_tag_v1.0.0', {images: 'ghcr.io/acme/app', ...inputs});
    expect({scan: plan.supply.scan, max: plan.supply.gate.max, sbom: plan.supply.sbom, sign: plan.supply.sign}).toEqual(
      want
    );
  });

  it.each([
    [{'max-high': 'two'}, 'Input "max-high" must be a whole number of findings (0 or more), got "two"'],
    [{'fail-on': 'severe'}, 'fail-on'],
    [{'sbom-format': 'spdx'}, 'Input "sbom-format" must be spdx-json, cyclonedx or none, got "spdx"'],
    [{mode: 'copy'}, 'Input "mode" must be one of publish, build, merge, promote, got "copy"'],
    [{mode: 'merge', digests: 'sha256:' + 'a'.repeat(64)}, 'Input "platforms" is required with mode: merge'],
    [
      {mode: 'merge', platforms: 'linux/amd64', digests: 'ghcr.io/acme/app:v1'},
      'Input "digests": "ghcr.io/acme/app:v1" is not image@sha256:<hex> or sha256:<hex>'
    ],
    [
      {mode: 'merge', platforms: 'linux/amd64', digests: `ghcr.io/acme/other@sha256:${'a'.repeat(64)}`},
      'is not one of the images of this run (ghcr.io/acme/app)'
    ],
    [{mode: 'promote'}, 'Input "source" is required with mode: promote'],
    [{mode: 'promote', source: 'Not A Ref'}, 'Input "source": ']
  ])('refuses %j', async (inputs, message) => {
    await expect(planFor('ip_tag_v1.0.0', {images: 'ghcr.io/acme/app', ...inputs})).rejects.toThrow(message);
  });

  it('plans a promotion: no build, the source resolved, the copy, the carried signature verified', async () => {
    const plan = await planFor('ip_dispatch', {
      images: PROD,
      mode: 'promote',
      source: `${DEV}:dev`,
      version: '1.0.0-rc1',
      tags: 'type=semver,pattern={{version}},prefix=v',
      ...KEY
    });
    expect(plan.source).toEqual({
      ref: `${DEV}:dev`,
      name: DEV,
      registry: 'quay.io',
      repository: 'jordigilh/gateway',
      tag: 'dev'
    });
    expect(plan.steps).toEqual([
      {phase: 'login', what: 'quay.io'},
      {phase: 'promote', what: 'resolve quay.io/jordigilh/gateway:dev to a digest, verify its signature'},
      {phase: 'promote', what: `copy ${DEV}@digest to ${PROD} with signatures and attestations`},
      {phase: 'sign', what: 'verify the carried signature in every target'},
      {phase: 'tag', what: `${PROD}: v1.0.0-rc1`}
    ]);
  });
});
