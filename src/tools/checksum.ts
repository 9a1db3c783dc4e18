// SHA-256 of downloads, and the user's own sums for tool versions we pin none for.
import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {pipeline} from 'node:stream/promises';
import {TOOLS} from './versions.js';

/** Streams the file: release binaries are 100+ MB. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

export const SHA256_RE = /^[0-9a-f]{64}$/;

/**
 * Parses lines `cosign=<64 hex>` / `trivy=<64 hex>` (blank lines and `#` comments skipped; an optional
 * `sha256:` prefix is accepted because that is how digests are often copied).
 */
export function parseChecksumInput(text: string, inputName: string): Record<string, string> {
  const sums: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `Input "${inputName}" line ${i + 1}`;
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`${where}: expected "<tool>=<sha256>", got "${line}"`);
    const tool = line.slice(0, eq).trim();
    const sum = line
      .slice(eq + 1)
      .trim()
      .toLowerCase()
      .replace(/^sha256:/, '');
    if (!Object.hasOwn(TOOLS, tool)) {
      throw new Error(`${where}: unknown tool "${tool}" (known: ${Object.keys(TOOLS).join(', ')})`);
    }
    if (!SHA256_RE.test(sum)) throw new Error(`${where}: ${tool} sum is not 64 hex digits`);
    if (sums[tool] !== undefined) throw new Error(`${where}: ${tool} is listed twice`);
    sums[tool] = sum;
  });
  return sums;
}
