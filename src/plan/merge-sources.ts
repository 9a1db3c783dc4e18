import {errorText} from '../errors.js';
import {excerpt} from '../meta/refusal.js';
import {canonicalName, parseReference} from '../registry/reference.js';

/** One `digests` line of a merge run: `image@sha256:…` or a bare digest of the first image. */
export function parseMergeSources(lines: string[], images: string[]): {image: string; digest: string}[] {
  if (lines.length === 0) {
    throw new Error(
      'Input "digests" is required with mode: merge (the digest outputs of the build runs, one per line)'
    );
  }
  // Compared by canonical name (`acme/app` is `docker.io/acme/app`); the image is returned as the run spells it.
  const canonical = images.map(i => canonicalName(i));
  const DIGEST = /^sha256:[a-f0-9]{64}$/;
  return lines.map(line => {
    // Checked before the reference grammar, whose own message would not say what a digest looks like.
    const digestPart = line.includes('@')
      ? line.slice(line.lastIndexOf('@') + 1)
      : /^[a-z0-9]+:/.test(line)
        ? line
        : '';
    if (digestPart && !DIGEST.test(digestPart)) {
      throw new Error(
        `Input "digests": line "${excerpt(line)}": "${excerpt(digestPart)}" is not a digest; a digest is sha256: and 64 lowercase hex characters`
      );
    }
    if (DIGEST.test(line)) {
      if (images.length === 0) {
        throw new Error(`Input "digests": line "${line}": a bare digest needs an image in "images"`);
      }
      return {image: images[0], digest: line};
    }
    let ref;
    try {
      ref = parseReference(line);
    } catch (err: unknown) {
      throw new Error(`Input "digests": ${errorText(err)}`);
    }
    if (!ref.digest) {
      throw new Error(`Input "digests": "${excerpt(line)}" is not image@sha256:<hex> or sha256:<hex>`);
    }
    const at = canonical.indexOf(`${ref.registry}/${ref.repository}`);
    if (at < 0) {
      throw new Error(
        `Input "digests": "${excerpt(line)}" is not one of the images of this run (${images.join(', ')})`
      );
    }
    return {image: images[at], digest: ref.digest};
  });
}
