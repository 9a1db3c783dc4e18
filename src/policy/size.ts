const UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1000,
  MB: 1000 ** 2,
  GB: 1000 ** 3,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3
};
const SIZE = /^(\d+(?:\.\d+)?) ?([A-Za-z]+)$/;
const HOW = 'write a number and a unit: B, KB, MB, GB (1000-based) or KiB, MiB, GiB (1024-based), e.g. 500MB';

/**
 * Bytes in a size such as `500MB`, `1.5GiB` or `300 KB`. A unit is required: a bare `500`
 * is more likely a forgotten `MB` than a 500-byte limit. Units are case-sensitive because
 * `mb` (millibits) and `Mb` (megabits) are not bytes.
 */
export function parseSize(text: string): number {
  const m = SIZE.exec(text.trim());
  if (!m || !Object.hasOwn(UNITS, m[2])) throw new Error(`"${text}" is not a size: ${HOW}`);
  return Math.round(Number(m[1]) * UNITS[m[2]]);
}

/** `bytes` in the unit `like` is written in (for a refusal next to the limit), one decimal. */
export function formatSize(bytes: number, like: string): string {
  const unit = SIZE.exec(like.trim())?.[2] ?? 'B';
  const factor = UNITS[unit] ?? 1;
  const value = bytes / factor;
  return `${Number.isInteger(value) ? value : value.toFixed(1)}${factor === 1 ? 'B' : unit}`;
}
