// What a function writes to stdout, with nothing reaching the test's own output.
import {jest} from '@jest/globals';

function spy(): {out: string[]; restore: () => void} {
  const out: string[] = [];
  const s = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  return {out, restore: () => s.mockRestore()};
}

export function captureStdout(fn: () => void): string {
  const s = spy();
  try {
    fn();
  } finally {
    s.restore();
  }
  return s.out.join('');
}

/** The async form; `fn` may add its own text to the record (e.g. a result) through `out`. */
export async function captureStdoutAsync(fn: (out: string[]) => Promise<void>): Promise<string> {
  const s = spy();
  try {
    await fn(s.out);
  } finally {
    s.restore();
  }
  return s.out.join('');
}
