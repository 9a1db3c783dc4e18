import {getOctokit} from './octokit.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type {RunContext} from '../context.js';

/** The release of a `release` event: its id and upload URL template from the payload. */
export function releaseOf(ctx: RunContext): {id: number; uploadUrl: string; tag: string} | undefined {
  if (ctx.eventName !== 'release') return undefined;
  const release = ctx.payload.release as {id?: unknown; upload_url?: unknown; tag_name?: unknown} | undefined;
  if (typeof release?.id !== 'number' || typeof release.upload_url !== 'string') return undefined;
  return {id: release.id, uploadUrl: release.upload_url, tag: String(release.tag_name ?? '')};
}

/**
 * Uploads files as assets of the event's release (POST to the payload's upload_url, so GHES and
 * test servers work the same). An asset of the same name is replaced: a re-run must not fail.
 */
export async function uploadReleaseAssets(
  ctx: RunContext,
  token: string,
  files: {file: string; name: string}[]
): Promise<string[]> {
  const release = releaseOf(ctx);
  if (!release) throw new Error('Input "release-assets": the event is not a release with an upload_url');
  if (!token) throw new Error('Input "release-assets" needs github-token (with contents: write)');
  const octokit = await getOctokit(token, ctx.apiUrl);
  const existing = await octokit.rest.repos.listReleaseAssets({
    owner: ctx.owner,
    repo: ctx.repoName,
    release_id: release.id,
    per_page: 100
  });
  const uploaded: string[] = [];
  for (const f of files) {
    const old = existing.data.find(a => a.name === f.name);
    if (old) await octokit.rest.repos.deleteReleaseAsset({owner: ctx.owner, repo: ctx.repoName, asset_id: old.id});
    const data = fs.readFileSync(f.file);
    const url = release.uploadUrl.replace(/\{[^}]*\}$/, '');
    const res = await octokit.request({
      method: 'POST',
      url: `${url}?name=${encodeURIComponent(f.name)}`,
      headers: {'content-type': f.name.endsWith('.json') ? 'application/json' : 'application/octet-stream'},
      data
    });
    uploaded.push(String((res.data as {browser_download_url?: string}).browser_download_url ?? f.name));
  }
  return uploaded;
}

/** Asset names unique per image and platform: sbom-gateway-linux-amd64.spdx.json. */
export function assetName(image: string, file: string): string {
  const repo = image.split('/').pop() ?? image;
  return `${repo}-${path.basename(file)}`;
}
