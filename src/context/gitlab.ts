import type {Env, RunContext} from '../context.js';
import type {RepoInfo} from '../meta/types.js';

/*
 * GitLab CI's predefined variables → the RunContext a GitHub event of the same kind gives, so the
 * same tag rules give the same tags:
 *   CI_COMMIT_TAG                    → push of refs/tags/<tag>
 *   CI_MERGE_REQUEST_IID             → pull_request, refs/pull/<iid>/merge, base = target branch
 *   CI_PIPELINE_SOURCE=schedule      → schedule on refs/heads/<branch>
 *   CI_PIPELINE_SOURCE=web           → workflow_dispatch on refs/heads/<branch>
 *   CI_COMMIT_BRANCH                 → push of refs/heads/<branch>
 * CI_DEFAULT_BRANCH plays the payload's repository.default_branch ({{is_default_branch}}).
 */

export const isGitlab = (env: Env): boolean => env.GITLAB_CI === 'true';

function eventOf(env: Env): {eventName: string; ref: string; prNumber?: number; prBaseRef?: string} {
  if (env.CI_COMMIT_TAG) return {eventName: 'push', ref: `refs/tags/${env.CI_COMMIT_TAG}`};
  const iid = env.CI_MERGE_REQUEST_IID;
  if (iid && /^\d+$/.test(iid)) {
    return {
      eventName: 'pull_request',
      ref: `refs/pull/${iid}/merge`,
      prNumber: Number(iid),
      prBaseRef: env.CI_MERGE_REQUEST_TARGET_BRANCH_NAME
    };
  }
  const branch = env.CI_COMMIT_BRANCH ?? env.CI_COMMIT_REF_NAME ?? '';
  const ref = branch ? `refs/heads/${branch}` : '';
  if (env.CI_PIPELINE_SOURCE === 'schedule') return {eventName: 'schedule', ref};
  if (env.CI_PIPELINE_SOURCE === 'web') return {eventName: 'workflow_dispatch', ref};
  return {eventName: 'push', ref};
}

function dateOf(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function contextFromGitlab(env: Env): RunContext {
  const ev = eventOf(env);
  const path = env.CI_PROJECT_PATH ?? '';
  return {
    eventName: ev.eventName,
    ref: ev.ref,
    sha: env.CI_COMMIT_SHA ?? '',
    prBaseRef: ev.prBaseRef,
    payloadDefaultBranch: env.CI_DEFAULT_BRANCH,
    commitDate: new Date(0),
    payloadCommitDate: dateOf(env.CI_COMMIT_TIMESTAMP),
    repository: path,
    owner: env.CI_PROJECT_NAMESPACE ?? path.split('/').slice(0, -1).join('/'),
    repoName: env.CI_PROJECT_NAME ?? path.split('/').pop() ?? '',
    actor: env.GITLAB_USER_LOGIN ?? '',
    runId: env.CI_PIPELINE_ID ?? '',
    runNumber: env.CI_PIPELINE_IID ?? '',
    workflow: env.CI_JOB_NAME ?? '',
    serverUrl: env.CI_SERVER_URL ?? 'https://gitlab.com',
    apiUrl: env.CI_API_V4_URL ?? '',
    prNumber: ev.prNumber,
    payload: {}
  };
}

/** Repository data for labels (GitLab has no licence variable: the licence label stays empty). */
export function repoFromGitlab(env: Env): RepoInfo {
  return {
    name: env.CI_PROJECT_NAME ?? '',
    description: env.CI_PROJECT_DESCRIPTION ?? '',
    htmlUrl: env.CI_PROJECT_URL ?? '',
    license: '',
    defaultBranch: env.CI_DEFAULT_BRANCH ?? ''
  };
}
