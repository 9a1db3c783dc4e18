// GitHub event fixtures → plain RunContext data.
import {describe, expect, it} from '@jest/globals';
import {contextFromEnv, createdDate, repoFromPayload} from '../../src/context.js';
import {loadEvent} from '../helpers/fixtures.js';

const pick = (event: string, env: Record<string, string> = {}) => {
  const fx = loadEvent(event);
  const c = contextFromEnv({...fx.env, ...env}, fx.payload);
  return {
    eventName: c.eventName,
    ref: c.ref,
    sha: c.sha,
    prNumber: c.prNumber,
    prBaseRef: c.prBaseRef,
    payloadDefaultBranch: c.payloadDefaultBranch,
    release: c.release && {tagName: c.release.tagName, prerelease: c.release.prerelease},
    commitDate: c.payloadCommitDate?.toISOString()
  };
};

describe('contextFromEnv', () => {
  it.each([
    [
      'ip_push_main',
      {},
      {
        eventName: 'push',
        ref: 'refs/heads/main',
        sha: '3f9c2ab1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8',
        payloadDefaultBranch: 'main',
        commitDate: '2025-12-17T10:00:00.000Z'
      }
    ],
    [
      'ip_pull_request',
      {},
      {
        eventName: 'pull_request',
        ref: 'refs/pull/123/merge',
        sha: '3f9c2ab1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8',
        prNumber: 123,
        prBaseRef: 'main',
        payloadDefaultBranch: 'main'
      }
    ],
    [
      'ip_pull_request',
      {DOCKER_METADATA_PR_HEAD_SHA: 'true'},
      {
        eventName: 'pull_request',
        ref: 'refs/pull/123/merge',
        sha: 'aaaabbbbccccddddeeeeffff0000111122223333',
        prNumber: 123,
        prBaseRef: 'main',
        payloadDefaultBranch: 'main'
      }
    ],
    [
      'pull_request_target',
      {},
      {
        eventName: 'pull_request_target',
        ref: 'refs/pull/15/merge',
        sha: '266574110acf203503badf966df2ea24b5d732d7',
        prNumber: 15,
        prBaseRef: 'master',
        payloadDefaultBranch: 'master'
      }
    ],
    [
      'ip_release',
      {},
      {
        eventName: 'release',
        ref: 'refs/tags/v2.3.4',
        sha: '3f9c2ab1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8',
        payloadDefaultBranch: 'main',
        release: {tagName: 'v2.3.4', prerelease: false}
      }
    ],
    [
      'ip_schedule',
      {},
      {
        eventName: 'schedule',
        ref: 'refs/heads/main',
        sha: '3f9c2ab1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8',
        payloadDefaultBranch: 'main'
      }
    ],
    [
      'ip_dispatch',
      {},
      {
        eventName: 'workflow_dispatch',
        ref: 'refs/heads/main',
        sha: '3f9c2ab1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8',
        payloadDefaultBranch: 'main'
      }
    ],
    [
      'merge_group',
      {},
      {
        eventName: 'merge_group',
        ref: 'refs/heads/gh-readonly-queue/main/pr-12-abc',
        sha: '4f1c5e2a9b7d3c6e8a0b1d2c3e4f5a6b7c8d9e0f',
        payloadDefaultBranch: 'main'
      }
    ]
  ])('%s %j', (event, env, expected) => {
    expect(JSON.parse(JSON.stringify(pick(event, env)))).toEqual(expected);
  });

  it('reads repository data from the payload', () => {
    expect(repoFromPayload(loadEvent('ip_push_main').payload)).toEqual({
      name: 'gateway',
      description: 'Kubernaut gateway',
      htmlUrl: 'https://github.com/kubernaut/gateway',
      license: 'Apache-2.0',
      defaultBranch: 'main'
    });
    expect(repoFromPayload({})).toBeUndefined();
  });

  it.each([
    [undefined, '2026-01-01T00:00:00.000Z'],
    ['', '2026-01-01T00:00:00.000Z'],
    ['1578616200', '2020-01-10T00:30:00.000Z']
  ])('SOURCE_DATE_EPOCH=%s → %s', (epoch, iso) => {
    expect(createdDate({SOURCE_DATE_EPOCH: epoch}, new Date('2026-01-01T00:00:00Z')).toISOString()).toBe(iso);
  });
  it('refuses a malformed SOURCE_DATE_EPOCH', () => {
    expect(() => createdDate({SOURCE_DATE_EPOCH: 'yesterday'}, new Date())).toThrow(
      'SOURCE_DATE_EPOCH must be a number of seconds'
    );
  });
});
