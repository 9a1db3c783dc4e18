// Environment tags by retagging (Kubernaut standards): a promotion within one repository plans no
// build and no copy, only tags at the source digest.
import {describe, expect, it} from '@jest/globals';
import {planFor} from '../helpers/fixtures.js';

const REPO = 'quay.io/jordigilh/gateway';

describe('promote within one repository = retag', () => {
  it.each([
    ['staging', `${REPO}: staging-v1.2.3`],
    ['prod', `${REPO}: prod-v1.2.3`]
  ])('%s', async (env, tagStep) => {
    const plan = await planFor('ip_dispatch', {
      mode: 'promote',
      source: `${REPO}:v1.2.3`,
      images: REPO,
      version: '1.2.3',
      tags: `type=semver,pattern={{version}},prefix=${env}-v`,
      flavor: 'latest=false'
    });
    expect(plan.steps).toEqual([
      {phase: 'login', what: 'quay.io'},
      {phase: 'promote', what: `resolve ${REPO}:v1.2.3 to a digest`},
      {phase: 'tag', what: tagStep}
    ]);
  });
});
