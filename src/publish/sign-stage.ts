import type {PushedImage} from '../registry/image-facts.js';
import {isIndex} from '../registry/manifests.js';
import {verifyDigests} from '../supply/cosign.js';
import {verifyCommand} from '../supply/cosign-config.js';
import {signAndVerify, type ScanOutcome} from '../supply/pipeline.js';
import {required, type Stage} from './stage.js';

/** Sign every image by digest, attest each platform's SBOM, verify; or only verify (re-run, promotion). */
export async function signStage(
  stage: Stage,
  digest: string,
  pushed: Pick<PushedImage, 'platforms' | 'listed'>,
  scan: ScanOutcome | undefined,
  verifyOnly: boolean
): Promise<void> {
  const {plan, session, signing} = stage;
  const {platforms} = pushed;
  if (!signing) return;
  const cosign = required(stage.tools.cosign, 'cosign');
  const refs = plan.images.map(i => `${i.name}@${digest}`);
  const platformRefs = plan.images.flatMap(i => platforms.map(p => `${i.name}@${p.digest}`));
  if (verifyOnly) {
    // Nothing is signed by this run: `signed` lists what was verified, with the same key/identity.
    const verified = signing.recursive ? [...refs, ...platformRefs] : refs;
    await stage.phase('Verify signatures', async () => verifyDigests(cosign, signing, verified, session.env));
    stage.progress.result.sign = {signed: verified, attested: [], verifyCommand: verifyCommand(signing, refs[0])};
    return;
  }
  const sboms = scan?.sboms ?? {};
  stage.progress.result.sign = await stage.phase('Sign, attest and verify', async () =>
    signAndVerify({
      cosign,
      config: signing,
      refs,
      attestations: plan.images.flatMap(i =>
        platforms.filter(p => sboms[p.platform]).map(p => ({ref: `${i.name}@${p.digest}`, sbom: sboms[p.platform]}))
      ),
      sbomType: plan.supply.sbom === 'cyclonedx' ? 'cyclonedx' : 'spdxjson',
      platformRefs,
      // An index listing another index: cosign's own recursion goes deeper than one level.
      listed: pushed.listed.some(l => isIndex(l.mediaType, {}))
        ? undefined
        : plan.images.flatMap(i => pushed.listed.map(l => `${i.name}@${l.digest}`)),
      env: session.env
    })
  );
}
