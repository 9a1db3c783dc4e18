import type {Plan} from '../plan.js';

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/</g, '&lt;');

/** The job summary of a plan, as Markdown: what would be published, and how. */
export function planSummary(plan: Plan, warnings: string[]): string {
  const lines: string[] = [];
  lines.push(plan.dryRun ? '## image-publish — dry run (nothing built, nothing pushed)' : '### Plan', '');
  lines.push(
    `**Version:** \`${plan.meta.version.main ?? '(none)'}\` · **Engine:** ${plan.engine} · **Platforms:** ${plan.platforms.join(', ')}`,
    ''
  );
  if (plan.images.length === 0) {
    lines.push('_No image is enabled in `images`: nothing would be published._', '');
  } else {
    lines.push('| Image | Registry | Tags | Per-arch tags |', '|---|---|---|---|');
    for (const image of plan.images) {
      const arch = Object.entries(image.archTags)
        .map(([p, tags]) => `${p}: ${tags.map(t => `\`${t}\``).join(' ')}`)
        .join('<br>');
      lines.push(
        `| \`${esc(image.name)}\` | ${esc(image.registry)} | ${image.tags.map(t => `\`${t}\``).join(' ') || '_none_'} | ${arch || '—'} |`
      );
    }
    lines.push('');
  }
  if (plan.mode === 'build' && plan.images.length > 0) {
    lines.push(
      "_mode: build — these tags are planned for the merge run; this run makes none. The labels inside the platform images come from this build job's rules._",
      ''
    );
  }
  lines.push('<details><summary>Labels</summary>', '', '```', ...plan.meta.labels, '```', '</details>', '');
  lines.push('<details><summary>Annotations</summary>', '', '```', ...plan.meta.annotations, '```', '</details>', '');
  lines.push(
    '<details><summary>Build args</summary>',
    '',
    '```',
    ...Object.entries(plan.buildArgs).map(([k, v]) => `${k}=${v}`),
    '```',
    '</details>',
    ''
  );
  lines.push('### Steps', '');
  plan.steps.forEach((s, i) => lines.push(`${i + 1}. **${s.phase}** — ${esc(s.what)}`));
  lines.push('');
  if (warnings.length > 0) {
    lines.push('### Warnings', '', ...warnings.map(w => `- ${esc(w)}`), '');
  }
  return lines.join('\n');
}
