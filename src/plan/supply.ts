import type {Inputs, SbomFormat} from '../inputs.js';
import {requiredGate, requiresSbom, signatureRequiredFor} from '../policy/decide.js';
import {failOnToMax} from '../supply/gate.js';
import {stricterMax, type Maxima} from '../supply/severity.js';
import type {PolicyBinding} from '../plan.js';

/** What happens between the push and the tags, from the inputs and the policy (the stricter wins). */
export interface SupplyPlan {
  scan: boolean;
  gate: {max: Maxima; ignoreUnfixed: boolean};
  /** SBOM files written per platform ('none': no SBOM). */
  sbom: SbomFormat;
  sign: boolean;
  /** Why a gate is on or stricter than the inputs: `policy "production" requires ...`. */
  reasons: string[];
}

export const formatLimits = (max: Maxima): string =>
  Object.entries(max)
    .map(([k, v]) => `${k}≤${v}`)
    .join(' ');

/** Scan, SBOM and signing: the inputs, made stricter by every policy entry the run touches. */
export function supplyPlan(
  inputs: Inputs,
  bindings: PolicyBinding[],
  sign: boolean,
  tagsOf: (image: string) => string[] = () => [],
  pushes = true
): SupplyPlan {
  const rules = bindings.map(b => b.rule);
  const fromInputs = stricterMax(failOnToMax(inputs.scanFailOn, 'fail-on'), inputs.scanMax);
  const required = requiredGate(rules);
  const scanRequired = rules.some(r => r.require.scan !== undefined);
  const reasons: string[] = [];
  for (const b of bindings) {
    const req = b.rule.require;
    const what = [
      req.scan ? `a scan (${formatLimits(req.scan.max) || 'no limit'})` : '',
      signatureRequiredFor(b.rule, tagsOf(b.image))
        ? `a cosign signature${req.signatureAt === 'promotion' ? ' (made at promotion)' : ''}`
        : '',
      req.sbom ? 'an SBOM' : ''
    ].filter(Boolean);
    if (what.length > 0) reasons.push(`policy "${b.env}" requires ${what.join(', ')} for ${b.image}`);
  }
  // A run that pushes nothing (push: false) writes no signature either: nothing to require a key for.
  const signNeeded = bindings.filter(b => signatureRequiredFor(b.rule, tagsOf(b.image)));
  if (signNeeded.length > 0 && !sign && pushes) {
    throw new Error(
      `Input "cosign-key": policy "${signNeeded[0].env}" (${signNeeded[0].image}) requires a cosign signature: ` +
        'set cosign-key (with cosign-password) or keyless: true; nothing was built or pushed'
    );
  }
  const scan = inputs.scan || scanRequired || Object.keys(fromInputs).length > 0;
  const sbomRequired = requiresSbom(rules);
  if (sbomRequired && inputs.sbomFormat === 'none') {
    throw new Error('Input "sbom-format": the policy requires an SBOM, so it cannot be none');
  }
  return {
    scan,
    gate: {
      max: stricterMax(fromInputs, required.max),
      // A policy scan that counts unfixed findings cannot be relaxed by the input.
      ignoreUnfixed: inputs.scanIgnoreUnfixed && (!scanRequired || required.ignoreUnfixed)
    },
    sbom: scan || sign || sbomRequired ? inputs.sbomFormat : 'none',
    sign,
    reasons
  };
}
