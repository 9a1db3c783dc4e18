import {execFileSync} from 'node:child_process';
import type {RunContext} from '../context.js';
import type {RepoInfo} from '../meta/types.js';

/** What a local checkout says about HEAD; read by `readGitFacts`, mapped by the pure functions below. */
export interface GitFacts {
  sha: string;
  /** Current branch; '' when HEAD is detached. */
  branch: string;
  /** Tags pointing at HEAD, highest version first. */
  tags: string[];
  /** Committer date, ISO 8601. */
  commitDate: string;
  /** origin/HEAD's branch (what `git clone` recorded); '' when the remote has none. */
  defaultBranch: string;
  remoteUrl: string;
  dirty: boolean;
}

/** One git command; argv only. Returns '' when git fails (no remote, detached HEAD, no tag). */
export type GitRunner = (args: string[]) => string;

export function gitRunner(cwd: string): GitRunner {
  return args => {
    try {
      return execFileSync('git', args, {cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim();
    } catch {
      return '';
    }
  };
}

export function readGitFacts(git: GitRunner): GitFacts {
  const sha = git(['rev-parse', 'HEAD']);
  if (!sha)
    throw new Error(
      'not a git checkout with a commit: run image-publish in the repository (or set the context by hand)'
    );
  return {
    sha,
    branch: git(['symbolic-ref', '--quiet', '--short', 'HEAD']),
    tags: git(['tag', '--points-at', 'HEAD', '--sort=-v:refname']).split('\n').filter(Boolean),
    commitDate: git(['log', '-1', '--format=%cI', 'HEAD']),
    defaultBranch: git(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']).replace(/^origin\//, ''),
    remoteUrl: git(['remote', 'get-url', 'origin']),
    dirty: git(['status', '--porcelain', '--untracked-files=no']) !== ''
  };
}

/** git@host:group/name.git, ssh://…, https://user@host/group/name.git → https://host/group/name. */
export function webUrlOf(remote: string): string {
  const scp = remote.match(/^[^@/]+@([^:]+):(.+?)(?:\.git)?\/?$/);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  try {
    const u = new URL(remote);
    if (!['http:', 'https:', 'ssh:', 'git:'].includes(u.protocol)) return '';
    return `https://${u.hostname}${u.pathname.replace(/\.git\/?$/, '').replace(/\/$/, '')}`;
  } catch {
    return '';
  }
}

/*
 * A checkout → the context of the GitHub push it corresponds to. A tag on HEAD wins over the
 * branch (a release checkout is a tag push, as `git push --tags` would trigger); the highest
 * version is taken when several tags point at HEAD. Detached without a tag: no ref (sha tags only).
 */
export function contextFromGit(f: GitFacts): RunContext {
  const ref = f.tags.length > 0 ? `refs/tags/${f.tags[0]}` : f.branch ? `refs/heads/${f.branch}` : '';
  const url = webUrlOf(f.remoteUrl);
  const repository = url ? new URL(url).pathname.slice(1) : '';
  const parts = repository.split('/');
  const date = new Date(f.commitDate);
  return {
    eventName: 'push',
    ref,
    sha: f.sha,
    payloadDefaultBranch: f.defaultBranch || undefined,
    commitDate: new Date(0),
    payloadCommitDate: Number.isNaN(date.getTime()) ? undefined : date,
    repository,
    owner: parts.slice(0, -1).join('/'),
    repoName: parts[parts.length - 1] ?? '',
    actor: '',
    runId: '',
    runNumber: '',
    workflow: '',
    serverUrl: url ? new URL(url).origin : '',
    apiUrl: '',
    payload: {}
  };
}

export function repoFromGit(f: GitFacts, description = ''): RepoInfo {
  const url = webUrlOf(f.remoteUrl);
  return {
    name: url ? (url.split('/').pop() ?? '') : '',
    description,
    htmlUrl: url,
    license: '',
    defaultBranch: f.defaultBranch
  };
}
