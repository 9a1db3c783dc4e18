// Target platforms: the form os/arch[/variant], a variant that exists for its architecture, and no
// platform twice under two spellings (buildx merges `linux/arm64` and `linux/arm64/v8` into one
// manifest, so the read-back would find fewer platforms than asked, after the push).

const OS = ['linux', 'windows', 'darwin', 'freebsd'];
/** Variants per architecture as containerd's platform matcher knows them; the first is the default. */
const VARIANTS: Readonly<Record<string, readonly string[]>> = {
  arm64: ['v8', 'v9'],
  arm: ['v7', 'v6', 'v5'],
  amd64: ['v1', 'v2', 'v3', 'v4'],
  '386': [],
  ppc64le: [],
  s390x: [],
  riscv64: [],
  mips64le: [],
  loong64: []
};

/** `linux/arm64/v8` → `linux/arm64`, `linux/arm` → `linux/arm/v7`: containerd's normal form. */
export function normalizePlatform(p: string): string {
  const [os, arch, variant] = p.split('/');
  const def = VARIANTS[arch]?.[0];
  if (arch === 'arm') return `${os}/arm/${variant ?? 'v7'}`;
  if (variant && variant === def) return `${os}/${arch}`;
  return p;
}

function check(p: string): void {
  const fail = (rule: string): never => {
    throw new Error(`Input "platforms": "${p}" ${rule}`);
  };
  const parts = p.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some(x => x === '')) {
    fail('is not a platform of the form os/arch[/variant] (e.g. linux/amd64, linux/arm64, linux/arm/v7)');
  }
  const [os, arch, variant] = parts;
  if (!OS.includes(os)) fail(`has an unknown os "${os}" (one of ${OS.join(', ')})`);
  const variants = VARIANTS[arch];
  if (!variants) fail(`has an unknown architecture "${arch}" (one of ${Object.keys(VARIANTS).join(', ')})`);
  if (variant !== undefined && !variants.includes(variant)) {
    fail(
      variants.length === 0
        ? `has a variant "${variant}", but ${arch} has none`
        : `has a variant "${variant}" that ${arch} does not have (${variants.join(', ')})`
    );
  }
}

/** The platforms to build; the host's when none are given. */
export function parsePlatforms(platforms: string[], hostPlatform: string): string[] {
  if (platforms.length === 0) return [hostPlatform];
  const seen = new Map<string, string>();
  for (const p of platforms) {
    check(p);
    const normal = normalizePlatform(p);
    const other = seen.get(normal);
    if (other !== undefined) {
      throw new Error(
        other === p
          ? `Input "platforms": "${p}" is listed twice`
          : `Input "platforms": "${p}" and "${other}" are the same platform (buildx would build it once)`
      );
    }
    seen.set(normal, p);
  }
  return [...seen.values()];
}
