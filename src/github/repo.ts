import {errorText} from '../errors.js';
import {debug, warning} from '../report/commands.js';
import {getOctokit} from './octokit.js';
import {repoFromApi, repoFromPayload, type RunContext} from '../context.js';
import type {RepoInfo} from '../meta/types.js';

/** Repository data for labels: the payload when it has it, else GET /repos/{owner}/{repo}. */
export async function loadRepoInfo(ctx: RunContext, token: string): Promise<RepoInfo> {
  const fromPayload = repoFromPayload(ctx.payload);
  if (fromPayload) return fromPayload;
  const fallback: RepoInfo = {
    name: ctx.repoName,
    description: '',
    htmlUrl: ctx.repository ? `${ctx.serverUrl}/${ctx.repository}` : '',
    license: '',
    defaultBranch: ''
  };
  if (!token || !ctx.owner) {
    warning(
      'The event payload has no repository data and no github-token is set: labels carry only the repository name and URL'
    );
    return fallback;
  }
  try {
    const octokit = await getOctokit(token, ctx.apiUrl);
    const res = await octokit.rest.repos.get({owner: ctx.owner, repo: ctx.repoName});
    return repoFromApi(res.data as unknown as Record<string, unknown>);
  } catch (err: unknown) {
    warning(
      `Could not read repository data from the GitHub API (${errorText(err)}); labels carry only the repository name and URL`
    );
    return fallback;
  }
}

/** The commit date: payload first, then the API, then now (as metadata-action does). */
export async function loadCommitDate(ctx: RunContext, token: string, now: Date): Promise<Date> {
  if (ctx.payloadCommitDate) return ctx.payloadCommitDate;
  if (token && ctx.owner && ctx.sha) {
    try {
      const octokit = await getOctokit(token, ctx.apiUrl);
      const res = await octokit.rest.repos.getCommit({owner: ctx.owner, repo: ctx.repoName, ref: ctx.sha});
      const date = res.data.commit.committer?.date;
      if (date) return new Date(date);
    } catch (err: unknown) {
      debug(`commit date from API failed: ${errorText(err)}`);
    }
  }
  return now;
}

/**
 * Whether the repository is private, from a repository object (event payload or API): `private`
 * first, else `visibility` (internal counts as private: not everyone may read it). Unknown: undefined.
 */
export function privateFrom(repository: unknown): boolean | undefined {
  if (!repository || typeof repository !== 'object') return undefined;
  const r = repository as {private?: unknown; visibility?: unknown};
  if (typeof r.private === 'boolean') return r.private;
  if (typeof r.visibility === 'string') return r.visibility !== 'public';
  return undefined;
}

/** The provenance default depends on it: the payload when it says, else the API, else unknown (public). */
export async function loadRepoPrivate(ctx: RunContext, token: string): Promise<boolean | undefined> {
  const fromPayload = privateFrom((ctx.payload as Record<string, unknown>).repository);
  if (fromPayload !== undefined || !token || !ctx.owner) return fromPayload;
  try {
    const octokit = await getOctokit(token, ctx.apiUrl);
    const res = await octokit.rest.repos.get({owner: ctx.owner, repo: ctx.repoName});
    return privateFrom(res.data);
  } catch (err: unknown) {
    debug(`repository visibility from API failed: ${errorText(err)}`);
    return undefined;
  }
}
