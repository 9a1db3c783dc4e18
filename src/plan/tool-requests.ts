// `trivy-version`, `cosign-version` and `tools-download-base`, checked by shape in the plan: the
// installer (src/tools/install.ts) runs after login and builder creation, and a typo found there has
// already spent a login and, for buildx, a build. Only the shape is known here; whether the version
// exists or the mirror answers is found at install time.
import * as semver from 'semver';

/** The installer's grammar (tools/versions.ts normalizeVersion): an exact version, `v` optional. */
export function checkToolVersion(name: 'trivy-version' | 'cosign-version', value: string): void {
  const v = value.trim();
  if (v === '') return;
  if (!semver.valid(semver.clean(v) ?? '') || !/^v?\d/.test(v)) {
    throw new Error(
      `Input "${name}": "${v.slice(0, 40)}" is not an exact version like 0.58.1 or v0.58.1 (downloads are pinned by SHA-256, so ranges and latest are refused)`
    );
  }
}

/** A mirror base replacing https://github.com: http(s), a host, no query, fragment or credentials. */
export function checkDownloadBase(value: string): void {
  const v = value.trim();
  if (v === '') return;
  const fail = (why: string): never => {
    throw new Error(
      `Input "tools-download-base": ${why}; write the mirror's base URL, https://host[:port][/path] (it replaces https://github.com in release download URLs)`
    );
  };
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return fail('it is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    fail(`scheme "${url.protocol.replace(/:$/, '')}" is not https or http`);
  if (!url.hostname) fail('it has no host');
  // Credentials in the URL would be printed in the download log line and kept in the plan.
  if (url.username || url.password)
    fail('it holds credentials (user:password@); the mirror must be readable without them');
  if (url.search || url.hash || v.includes('?') || v.includes('#'))
    fail('it has a query or a fragment, which the release path would be appended after');
}
