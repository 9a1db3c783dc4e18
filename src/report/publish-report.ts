import type {PublishResult} from '../publish/stage.js';
import {formatBytes} from '../registry/manifests.js';
import {SEVERITIES} from '../supply/severity.js';

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
  if (r.tags) out.images = [...r.tags, ...(r.unchanged ?? [])].map(t => `${t.image}:${t.tag}@${t.digest}`).join('\n');
  const scan = r.scan;
  out['scan-verdict'] = scan?.verdict ? (scan.verdict.pass ? 'pass' : 'fail') : 'skipped';
  if (scan) {
    if (scan.verdict) out['scan-counts'] = JSON.stringify(scan.verdict.counts);
    out['scan-reports'] = JSON.stringify(scan.reports);
    out.sarif = scan.sarif;
    out.sboms = JSON.stringify(scan.sboms);
  }
  if (r.sign) {
    out.signed = r.sign.signed.join('\n');
    out['verify-command'] = r.sign.verifyCommand;
  }
  if (r.promoted) out.promoted = JSON.stringify(r.promoted);
  const metadata = buildPushMetadata(r);
  if (metadata) {
    out.metadata = JSON.stringify(metadata);
    const config = metadata['containerimage.config.digest'];
    out.imageid = typeof config === 'string' ? config : (r.digest ?? '');
  }
  return out;
}

/**
 * build-push-action's `metadata` for every mode: buildx's metadata file (merge and promote runs,
 * which build nothing, give the digest alone) with `image.name` listing every `name:tag` the run
 * made, as `--tag` would. Per-arch tags are left out (they name another digest); a run that made
 * no tag (mode: build) keeps what the build reported: the repositories pushed by digest.
 */
export function buildPushMetadata(r: Partial<PublishResult>): Record<string, unknown> | undefined {
  if (!r.metadata && !r.digest) return undefined;
  const meta: Record<string, unknown> = r.metadata
    ? (JSON.parse(r.metadata) as Record<string, unknown>)
    : {'containerimage.digest': r.digest};
  const names = [
    ...new Set([...(r.tags ?? []), ...(r.unchanged ?? [])].filter(t => !t.platform).map(t => `${t.image}:${t.tag}`))
  ];
  if (names.length > 0) meta['image.name'] = names.join(',');
  return meta;
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
  if (r.unchanged && r.unchanged.length > 0) {
    lines.push(
      `_Already in place (immutable, unchanged):_ ${r.unchanged.map(t => `\`${t.image}:${t.tag}\``).join(', ')}`,
      ''
    );
  }
  if (r.rerun) lines.push('_This release was published already: nothing was built, copied or signed again._', '');
  if (r.platforms && r.platforms.length > 0) {
    lines.push('| Platform | Manifest | Compressed size | Layers |', '|---|---|---|---|');
    for (const p of r.platforms)
      lines.push(`| ${p.platform} | \`${p.digest.slice(0, 19)}…\` | ${formatBytes(p.size)} | ${p.layers} |`);
    lines.push('');
  }
  lines.push(...supplySummary(r));
  const phases = Object.entries(r.durations ?? {});
  if (phases.length > 0) {
    lines.push('| Phase | Duration |', '|---|---|', ...phases.map(([k, v]) => `| ${k} | ${v.toFixed(1)} s |`), '');
  }
  return lines.join('\n');
}

/** Scan counts, top findings, signatures, policy checks and promotion: what a reviewer looks for. */
export function supplySummary(r: Partial<PublishResult>): string[] {
  const lines: string[] = [];
  const scan = r.scan;
  if (scan?.verdict) {
    const v = scan.verdict;
    lines.push(`### Scan gate: ${v.pass ? '✅ pass' : '❌ fail'}`, '');
    lines.push(
      `| Platform | ${SEVERITIES.join(' | ')} | Ignored |`,
      `|---|${SEVERITIES.map(() => '---').join('|')}|---|`
    );
    for (const [platform, counts] of Object.entries(v.counts)) {
      lines.push(`| ${platform} | ${SEVERITIES.map(s => counts[s]).join(' | ')} | ${v.ignored[platform] ?? 0} |`);
    }
    lines.push('');
    if (v.violations.length > 0) lines.push(...v.violations.map(x => `- ${x}`), '');
    if (v.top.length > 0) {
      lines.push(
        '| Vulnerability | Package | Installed | Fixed in | Severity | Platform |',
        '|---|---|---|---|---|---|'
      );
      for (const f of v.top) {
        lines.push(
          `| ${f.id} | ${f.pkg} | ${f.installed} | ${f.fixed ?? '_no fix_'} | ${f.severity} | ${f.platform} |`
        );
      }
      lines.push('');
    }
  }
  if (scan) {
    const sboms = Object.entries(scan.sboms);
    if (sboms.length > 0) lines.push(`**SBOMs:** ${sboms.map(([p, f]) => `${p} \`${f}\``).join(', ')}`, '');
    lines.push(`**SARIF:** \`${scan.sarif}\``, '');
  }
  if (r.checks && r.checks.length > 0) lines.push('### Policy', '', ...r.checks.map(c => `- ✅ ${c}`), '');
  if (r.promoted) {
    const p = r.promoted;
    lines.push(
      `### Promotion`,
      '',
      `\`${p.source}\` → \`${p.digest}\`${p.sourceVerified ? ' (signature verified)' : ''}`,
      ''
    );
    const targets = Object.entries(p.targets);
    if (targets.length > 0) {
      lines.push(
        '| Target | Blobs mounted | Blobs uploaded | Bytes uploaded | Already there | Signature tags |',
        '|---|---|---|---|---|---|'
      );
      for (const [image, s] of targets) {
        lines.push(
          `| \`${image}\` | ${s.blobsMounted} | ${s.blobsUploaded} | ${s.bytesUploaded} | ${s.blobsExisting} | ${s.tagsCopied.length} |`
        );
      }
      lines.push('');
    }
  }
  if (r.sign) {
    lines.push(
      `### Signatures`,
      '',
      `Signed and verified: ${r.sign.signed.length} digest(s)${r.sign.attested.length ? `, ${r.sign.attested.length} SBOM attestation(s)` : ''}.`,
      '',
      '```sh',
      r.sign.verifyCommand,
      '```',
      ''
    );
  }
  if (r.assets && r.assets.length > 0) lines.push(`**Release assets:** ${r.assets.length} uploaded`, '');
  return lines;
}
