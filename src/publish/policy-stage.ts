import {checkImage} from '../policy/decide.js';
import {resolveUsers, type ImageFacts} from '../registry/image-facts.js';
import type {Stage} from './stage.js';
import * as log from '../report/log.js';

/** The policy rules on what the registry holds (user, labels, size, expiry per platform). Throws on a violation. */
export async function policyChecks(stage: Stage, platforms: ImageFacts[]): Promise<void> {
  const bindings = stage.plan.policy?.bindings ?? [];
  if (bindings.length === 0) return;
  await stage.phase('Policy checks', async () => {
    // A named USER is looked up in the image's own /etc/passwd only when a rule is about the user.
    const first = stage.plan.mode === 'promote' && stage.plan.source ? stage.plan.source : stage.plan.images[0];
    if (bindings.some(b => b.rule.require.nonRoot || b.rule.require.uids)) {
      platforms = await resolveUsers(stage.session.client(first.registry), first.repository, platforms);
      for (const p of platforms.filter(x => x.resolvedUser)) {
        log.info(`${p.platform}: user "${p.user}" → ${p.resolvedUser?.source ?? ''}`);
      }
    }
    const violations = bindings.flatMap(b => checkImage({name: b.env, rule: b.rule}, b.image, platforms));
    if (violations.length > 0) {
      throw new Error(`the policy refuses the image, nothing was tagged:\n- ${violations.join('\n- ')}`);
    }
    for (const b of bindings) {
      const line = `${b.image}: policy "${b.env}" checks passed on ${platforms.map(p => p.platform).join(', ')}`;
      stage.progress.result.checks?.push(line);
      log.info(line);
    }
  });
}
