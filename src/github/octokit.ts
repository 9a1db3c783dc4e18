// Octokit (@actions/github) is a large part of the bundle and most runs never call the API (the
// event payload has the facts): loaded on the first call only, as its own chunk.
type GitHub = typeof import('@actions/github');

let loading: Promise<GitHub> | undefined;

export async function getOctokit(token: string, baseUrl: string): Promise<ReturnType<GitHub['getOctokit']>> {
  loading ??= import('@actions/github');
  return (await loading).getOctokit(token, {baseUrl});
}
