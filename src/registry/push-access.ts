// Before any build: do the credentials let this run push where it will push? Wrong passwords and
// missing push rights otherwise surface only after a long build. The check opens an upload session
// (which needs push: a push-scoped token, or Basic credentials the registry accepts) and deletes
// it, so it proves push on every registry kind and leaves nothing behind (no blob, no tag).
import {RegistryError, type RegistryClient} from './client.js';

export type PushCheckClient = Pick<RegistryClient, 'registry' | 'checkPush' | 'hasCredentials'>;

/** Why a failed check failed, in the user's terms; the registry's own detail stays in. */
function reason(client: PushCheckClient, repository: string, err: RegistryError, hasCredentials: boolean): string {
  const detail = err.detail;
  if (/ are valid but lack push access | pushing to .* needs them/.test(detail)) return detail;
  const tokenStep = /: token for .* from (\S+)$/.exec(err.operation);
  if (err.status === 401 && tokenStep) {
    return hasCredentials
      ? `the credentials for ${client.registry} were refused by its token server ${tokenStep[1]}: ${detail}`
      : `the token server ${tokenStep[1]} of ${client.registry} wants credentials: ${detail}`;
  }
  if (err.status === 401) {
    return hasCredentials
      ? `the credentials for ${client.registry} were refused: ${detail}`
      : `no credentials given for ${client.registry}, and pushing to ${repository} needs them: ${detail}`;
  }
  return `${err.operation}: ${detail}`;
}

/**
 * Throws unless the client's credentials may push to `repository`; the error names registry,
 * repository and the registry's answer. Takes seconds; call it for every repository a run
 * will write to before anything is built.
 */
export async function checkPushAccess(client: PushCheckClient, repository: string): Promise<void> {
  try {
    await client.checkPush(repository);
  } catch (err) {
    if (!(err instanceof RegistryError)) throw err;
    throw new RegistryError(
      client.registry,
      `push access check for ${repository}`,
      reason(client, repository, err, client.hasCredentials),
      err.status,
      undefined,
      err
    );
  }
}
