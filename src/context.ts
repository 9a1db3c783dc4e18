import * as fs from 'node:fs';
import type {MetaContext, RepoInfo} from './meta/types.js';

export type Env = Record<string, string | undefined>;
type Payload = Record<string, unknown>;

/** The GitHub run as plain data: what happened (event, ref, sha) and where (repository, server). */
export interface RunContext extends MetaContext {
  repository: string;
  owner: string;
  repoName: string;
  actor: string;
  runId: string;
  runNumber: string;
  workflow: string;
  serverUrl: string;
  apiUrl: string;
  prNumber?: number;
  release?: {tagName: string; prerelease: boolean; id: number; uploadUrl: string};
  /** Commit date when the payload carries it; otherwise resolved later (API, then now). */
  payloadCommitDate?: Date;
  payload: Payload;
}

function obj(v: unknown): Payload | undefined {
  return v !== null && typeof v === 'object' ? (v as Payload) : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function readPayload(env: Env): Payload {
  const file = env.GITHUB_EVENT_PATH;
  if (file && fs.existsSync(file)) {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Payload;
  }
  return {};
}

/** GITHUB_* variables + event payload → RunContext, with metadata-action's overrides applied. */
export function contextFromEnv(env: Env, payload: Payload): RunContext {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  let ref = env.GITHUB_REF ?? '';
  let sha = env.GITHUB_SHA ?? '';
  const pr = obj(payload.pull_request);
  // pull_request_target runs on the base branch; tags must still name the PR.
  if (/pull_request_target/.test(eventName)) {
    ref = `refs/pull/${String(payload.number)}/merge`;
  }
  if (/true/i.test(env.DOCKER_METADATA_PR_HEAD_SHA ?? '') && /pull_request/.test(eventName)) {
    const headSha = str(obj(pr?.head)?.sha);
    if (headSha !== undefined) sha = headSha;
  }
  const [owner = '', repoName = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const release = obj(payload.release);
  return {
    eventName,
    ref,
    sha,
    payloadBaseRef: str(payload.base_ref),
    prBaseRef: str(obj(pr?.base)?.ref),
    payloadDefaultBranch: str(obj(payload.repository)?.default_branch),
    commitDate: new Date(0),
    payloadCommitDate: commitDateFromPayload(payload, sha),
    repository: env.GITHUB_REPOSITORY ?? '',
    owner,
    repoName,
    actor: env.GITHUB_ACTOR ?? '',
    runId: env.GITHUB_RUN_ID ?? '',
    runNumber: env.GITHUB_RUN_NUMBER ?? '',
    workflow: env.GITHUB_WORKFLOW ?? '',
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    prNumber: typeof pr?.number === 'number' ? pr.number : undefined,
    release: release
      ? {
          tagName: str(release.tag_name) ?? '',
          prerelease: release.prerelease === true,
          id: typeof release.id === 'number' ? release.id : 0,
          uploadUrl: str(release.upload_url) ?? ''
        }
      : undefined,
    payload
  };
}

function commitDateFromPayload(payload: Payload, sha: string): Date | undefined {
  if (Array.isArray(payload.commits)) {
    for (const c of payload.commits as unknown[]) {
      const commit = obj(c);
      if (commit?.id === sha && str(commit.timestamp)) return new Date(str(commit.timestamp) as string);
    }
  }
  const head = obj(payload.head_commit);
  if (head?.id === sha && str(head.timestamp)) {
    return new Date(str(head.timestamp) as string);
  }
  return undefined;
}

/** Repository data for labels from the payload, when it carries it (push, PR, release, dispatch do). */
export function repoFromPayload(payload: Payload): RepoInfo | undefined {
  const repo = obj(payload.repository);
  if (!repo || !str(repo.html_url) || !str(repo.name)) {
    return undefined;
  }
  // The payload's repository object has the REST API's fields.
  return repoFromApi(repo);
}

/** What the REST API returns for GET /repos/{owner}/{repo}, reduced to what labels use. */
export function repoFromApi(data: Payload): RepoInfo {
  return {
    name: str(data.name) ?? '',
    description: str(data.description) ?? '',
    htmlUrl: str(data.html_url) ?? '',
    license: str(obj(data.license)?.spdx_id) ?? '',
    defaultBranch: str(data.default_branch) ?? ''
  };
}

/** `org.opencontainers.image.created`: SOURCE_DATE_EPOCH (reproducible builds) when set, else now. */
export function createdDate(env: Env, now: Date): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') {
    return now;
  }
  if (!/^[0-9]+$/.test(epoch)) {
    throw new Error(`SOURCE_DATE_EPOCH must be a number of seconds since 1970-01-01, got "${epoch}"`);
  }
  return new Date(Number(epoch) * 1000);
}
