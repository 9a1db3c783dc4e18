import type {PublishResult} from '../publish/publish.js';
import {formatBytes} from '../publish/manifests.js';

/** Outputs a later step can use, from what the registries hold. */
export function publishOutputs(r: Partial<PublishResult>): Record<string, string> {
  const out: Record<string, string> = {};
  if (r.digest) out.digest = r.digest;
  if (r.registries || r.platforms) {
    out.digests = JSON.stringify({
      index: r.digest ?? '',
      registries: r.registries ?? {},
      platforms: Object.fromEntries((r.platforms ?? []).map(p => [p.platform, p.digest]))
    });
  }
  if (r.tags) out.images = r.tags.map(t => `${t.image}:${t.tag}@${t.digest}`).join('\n');
  if (r.metadata) {
    out.metadata = r.metadata;
    const config = (JSON.parse(r.metadata) as Record<string, unknown>)['containerimage.config.digest'];
    out.imageid = typeof config === 'string' ? config : (r.digest ?? '');
  }
  return out;
}

/** The summary of a real run: image × tag × digest, each platform's weight, each phase's duration. */
export function publishSummary(r: Partial<PublishResult>, failure?: string): string {
  const lines: string[] = [];
  lines.push(`## image-publish — ${failure ? 'failed' : 'published'}`, '');
  if (failure) lines.push(`> **Error:** ${failure.replace(/\n/g, ' ')}`, '');
  if (r.digest) lines.push(`**Index digest:** \`${r.digest}\``, '');
  if (r.tags && r.tags.length > 0) {
    lines.push('| Image | Tag | Digest | Platforms |', '|---|---|---|---|');
    const all = (r.platforms ?? []).map(p => p.platform).join(', ');
    for (const t of r.tags) {
      lines.push(`| \`${t.image}\` | \`${t.tag}\` | \`${t.digest.slice(0, 19)}…\` | ${t.platform ?? all} |`);
    }
    lines.push('');
  } else if (r.registries) {
    lines.push('_No tag was made visible._', '');
  }
  if (r.platforms && r.platforms.length > 0) {
    lines.push('| Platform | Manifest | Compressed size | Layers |', '|---|---|---|---|');
    for (const p of r.platforms)
      lines.push(`| ${p.platform} | \`${p.digest.slice(0, 19)}…\` | ${formatBytes(p.size)} | ${p.layers} |`);
    lines.push('');
  }
  const phases = Object.entries(r.durations ?? {});
  if (phases.length > 0) {
    lines.push('| Phase | Duration |', '|---|---|', ...phases.map(([k, v]) => `| ${k} | ${v.toFixed(1)} s |`), '');
  }
  return lines.join('\n');
}
