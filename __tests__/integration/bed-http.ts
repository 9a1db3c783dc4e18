// HTTP and credential helpers for the grown test bed (token registries, referrers registries).
// Requests go through node:http(s) with the bed's CA passed explicitly, so a test process started
// without NODE_EXTRA_CA_CERTS still trusts the bed.
import http from 'node:http';
import https from 'node:https';
import {mkdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {type Bed, type BedAccount, tempDir} from './bed.js';

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export function request(bed: Bed, url: string, opts: HttpOptions = {}): Promise<HttpResult> {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      u,
      {
        method: opts.method ?? 'GET',
        headers: opts.headers,
        ...(u.protocol === 'https:' ? {ca: readFileSync(bed.prodRegistry.caCert)} : {})
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8')})
        );
        res.on('error', reject);
      }
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

export function basicAuth(acct: BedAccount): string {
  return `Basic ${Buffer.from(`${acct.username}:${acct.password}`).toString('base64')}`;
}

export interface Access {
  type: string;
  name: string;
  actions: string[];
}

/** Claims of a JWT (not verified here: the registry verifies it). */
export function jwtClaims(token: string): {iss: string; sub: string; aud: string; exp: number; access: Access[]} {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

/** `Bearer realm="…",service="…"` -> {realm, service, scope, error}. */
export function parseChallenge(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of (header ?? '').matchAll(/(\w+)="([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}

/**
 * A fresh DOCKER_CONFIG holding exactly these logins (none = anonymous), with the buildx plugin
 * linked so `docker buildx` works with it. Builders created under it stay out of the bed's config.
 */
export function dockerConfigWith(bed: Bed, auths: Record<string, BedAccount>): string {
  const dir = tempDir('docker-config');
  const config = {
    auths: Object.fromEntries(
      Object.entries(auths).map(([host, a]) => [
        host,
        {auth: Buffer.from(`${a.username}:${a.password}`).toString('base64')}
      ])
    )
  };
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config), {mode: 0o600});
  mkdirSync(path.join(dir, 'cli-plugins'));
  symlinkSync(path.join(bed.binDir, 'buildx'), path.join(dir, 'cli-plugins', 'docker-buildx'));
  return dir;
}

export interface ReferrersList {
  status: number;
  contentType: string | undefined;
  /** `manifests` exactly as the registry sent it (null for cuelabs' ociregistry when empty) */
  manifests: {mediaType: string; digest: string; size: number; artifactType?: string}[] | null | undefined;
}

/** GET /v2/<repo>/referrers/<digest> on a plain-http bed registry. */
export async function referrersOf(bed: Bed, host: string, repo: string, digest: string): Promise<ReferrersList> {
  const r = await request(bed, `http://${host}/v2/${repo}/referrers/${digest}`, {
    headers: {Accept: 'application/vnd.oci.image.index.v1+json'}
  });
  const parsed = r.status === 200 ? (JSON.parse(r.body) as {manifests?: ReferrersList['manifests']}) : {};
  return {status: r.status, contentType: r.headers['content-type'], manifests: parsed.manifests};
}
