/**
 * Tag presets: the tagging strategies of the teams this action was written for, as plain
 * metadata-action rules, so a preset can always be written out by hand. Explicit `tags` win.
 */
export interface Preset {
  description: string;
  tags: string[];
  /** Flavor lines the preset needs (e.g. no automatic latest). */
  flavor: string[];
}

export const PRESETS: Record<string, Preset> = {
  // ADR-003 (Quay): vX.Y.Z releases, latest only for a final release ("Latest release: latest", so
  // latest=highest: a patch of an older line leaves latest on the newer one), edge for the default branch.
  'semver-release': {
    description: 'vX.Y.Z on release tags, latest for the highest final release, edge on the default branch',
    tags: ['type=semver,pattern={{version}},prefix=v', 'type=edge'],
    flavor: ['latest=highest']
  },
  // The GHCR multi-service guide: branch, pr-N, v1.2.3 + 1.2.3 + 1.2 + 1, short SHA, latest on main
  // ("Latest Stable Version"); a release tag takes latest only when it is the highest release.
  'ghcr-standard': {
    description:
      'branch, pr-N, vX.Y.Z, X.Y.Z, X.Y, X, short SHA, latest on the default branch and the highest final release',
    tags: [
      'type=ref,event=branch',
      'type=ref,event=pr',
      'type=semver,pattern={{version}},prefix=v',
      'type=semver,pattern={{version}}',
      'type=semver,pattern={{major}}.{{minor}}',
      'type=semver,pattern={{major}}',
      'type=sha,prefix=,format=short',
      'type=raw,value=latest,enable={{is_default_branch}}'
    ],
    flavor: ['latest=highest']
  },
  // DD-REGISTRY-001 development registry: latest/dev on the default branch, branch names
  // (feature/x becomes feature-x), <branch>-<sha>, short SHA, test-<date> on schedules, pr-N.
  development: {
    description:
      'latest and dev on the default branch, branch names, pr-N, <branch>-<sha>, short SHA, test-<date> on schedules',
    tags: [
      'type=raw,value=latest,enable={{is_default_branch}}',
      'type=raw,value=dev,enable={{is_default_branch}}',
      'type=ref,event=branch',
      'type=ref,event=pr',
      "type=schedule,pattern=test-{{date 'YYYYMMDD'}}",
      'type=sha,prefix={{branch}}-,format=short',
      'type=sha,prefix=,format=short'
    ],
    flavor: ['latest=false']
  },
  // DD-REGISTRY-001 staging: release candidates only (vX.Y.Z-rcN), never latest.
  staging: {
    description: 'vX.Y.Z-rcN (and -betaN) pre-release tags only, never latest',
    // metadata-action has no "pre-release only" switch; a match rule on the tag expresses it.
    tags: ['type=match,pattern=^v?(\\d+\\.\\d+\\.\\d+-(rc|beta|alpha)\\.?\\d+)$,group=1,prefix=v'],
    flavor: ['latest=false']
  },
  // DD-REGISTRY-001 production: final vX.Y.Z only; no latest, no SHA, no branch.
  production: {
    description: 'final vX.Y.Z releases only, never latest',
    tags: ['type=match,pattern=^v?(\\d+\\.\\d+\\.\\d+)$,group=1,prefix=v'],
    flavor: ['latest=false']
  }
};

export function presetNames(): string[] {
  return Object.keys(PRESETS);
}

export function getPreset(name: string, input = 'tag-preset'): Preset {
  const preset = PRESETS[name];
  if (!preset) {
    throw new Error(`Input "${input}": unknown preset "${name}"; choose one of ${presetNames().join(', ')}`);
  }
  return preset;
}
