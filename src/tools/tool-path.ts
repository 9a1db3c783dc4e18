import type {ToolRequests} from '../plan.js';
import {ensureTool} from './install.js';
import {TOOLS} from './versions.js';
import * as log from '../report/log.js';

/** cosign or trivy: on PATH at the wanted version, else from the tool cache, else downloaded and checked. */
export async function toolPath(
  name: 'cosign' | 'trivy',
  requests: ToolRequests,
  secrets: {githubToken: string}
): Promise<string> {
  const got = await ensureTool({
    tool: TOOLS[name],
    version: name === 'cosign' ? requests.cosignVersion : requests.trivyVersion,
    sha256: requests.checksums[name],
    downloadBase: requests.downloadBase || undefined,
    token: secrets.githubToken || undefined
  });
  log.info(`${name} ${got.version} (${got.source}): ${got.path}`);
  return got.path;
}
