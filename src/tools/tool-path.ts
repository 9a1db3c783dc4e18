import * as core from '@actions/core';
import type {Inputs} from '../inputs.js';
import {ensureTool} from './install.js';
import {TOOLS} from './versions.js';

/** cosign or trivy: on PATH at the wanted version, else from the tool cache, else downloaded and checked. */
export async function toolPath(name: 'cosign' | 'trivy', inputs: Inputs): Promise<string> {
  const got = await ensureTool({
    tool: TOOLS[name],
    version: name === 'cosign' ? inputs.cosignVersion : inputs.trivyVersion,
    sha256: inputs.toolChecksums[name],
    downloadBase: inputs.toolsDownloadBase || undefined,
    token: inputs.githubToken || undefined
  });
  core.info(`${name} ${got.version} (${got.source}): ${got.path}`);
  return got.path;
}
