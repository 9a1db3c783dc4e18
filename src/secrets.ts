import {setSecret as maskCommand} from './report/commands.js';
import * as fs from 'node:fs';

/*
 * One place that decides what a secret looks like once it has been transformed, so a log line, an
 * error or the summary cannot carry a secret the runner does not mask. The runner masks exact
 * strings only; it is told about every form we (or a tool) could print.
 */

// Pieces shorter than this are not masked on their own: masking "ab" would blank out every word
// holding it. Whole values are masked at any length.
const MIN_PIECE = 6;

/**
 * The stable inside of base64(x) when x sits at byte offset 0, 1 or 2 of a longer encoded text
 * (a docker `auth` holds base64("user:" + password)): the characters that depend on x alone.
 */
function base64Inner(value: Buffer, url: boolean): string[] {
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const enc = Buffer.concat([Buffer.alloc(shift), value]).toString(url ? 'base64url' : 'base64');
    const from = Math.ceil((8 * shift) / 6);
    const to = Math.floor((8 * (shift + value.length)) / 6);
    out.push(enc.slice(from, to));
  }
  // The whole encoding as written on its own, padding included.
  out.push(value.toString(url ? 'base64url' : 'base64'));
  return out;
}

/** Every form of one secret value worth masking: itself, each line, base64/base64url, JSON- and URL-escaped. */
export function secretForms(value: string): string[] {
  if (value.trim() === '') return [];
  const forms = new Set<string>([value, value.trim()]);
  const lines = value.split(/\r\n|\r|\n/).map(l => l.trim());
  for (const l of lines) if (l.length >= MIN_PIECE) forms.add(l);
  for (const v of [value, value.trim(), ...lines.filter(l => l.length >= MIN_PIECE)]) {
    const bytes = Buffer.from(v, 'utf8');
    for (const url of [false, true]) for (const f of base64Inner(bytes, url)) if (f.length >= MIN_PIECE) forms.add(f);
    forms.add(JSON.stringify(v).slice(1, -1));
    forms.add(encodeURIComponent(v));
  }
  return [...forms].filter(f => f === value.trim() || f.length >= MIN_PIECE || f === value);
}

/** Masks a value and every form of it; `setSecret` is injected by tests. */
export function maskSecret(value: string, setSecret: (s: string) => void = maskCommand): void {
  for (const f of secretForms(value)) if (f !== '') setSecret(f);
}

// A key file larger than this is not a key; its content is not read into memory to be masked.
const MAX_KEY_FILE = 64 * 1024;

/**
 * A value that may name a file holding a secret (cosign-key as a path): the value is masked, and
 * so is the file's content when it is a small readable file. A KMS URI or PEM content is masked as is.
 */
export function maskSecretOrFile(value: string, setSecret: (s: string) => void = maskCommand): void {
  maskSecret(value, setSecret);
  const file = value.trim();
  if (file === '' || /\n|-----BEGIN|^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return;
  try {
    const st = fs.statSync(file);
    if (st.isFile() && st.size <= MAX_KEY_FILE) maskSecret(fs.readFileSync(file, 'utf8'), setSecret);
  } catch {
    // Not a readable file: the value alone is what can be printed.
  }
}
