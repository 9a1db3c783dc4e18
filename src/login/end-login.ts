import * as fs from 'node:fs';

/** Removes the credentials directory; safe to call twice (post runs even when main failed). */
export function endLogin(dir: string): void {
  if (dir && fs.existsSync(dir)) fs.rmSync(dir, {recursive: true, force: true});
}
