// Image references: `host[:port]/repo[:tag][@sha256:...]` → registry, repository, tag, digest.
// Pure. The grammar follows distribution/reference (the one docker, buildx and regctl share), so a
// name this module accepts is one every registry client of the pipeline accepts too. It is the
// action's only image-name grammar: policy binding, merge sources, SARIF and the images input all
// compare canonicalName's spelling. Stricter than distribution/reference on purpose: the host is
// lowercased, a port must be 1..65535, and `docker.io:443` stays a registry of its own (docker's
// behaviour: only the bare aliases are Docker Hub).

export interface ImageReference {
  /** Canonical registry: lowercased, `ghcr.io`, `127.0.0.1:5000`, `docker.io` for every Docker Hub alias. */
  registry: string;
  /** Repository path inside the registry: `acme/app`, `library/busybox` (Docker Hub's `busybox`). */
  repository: string;
  /** Left undefined when absent: whether a bare name means `latest` is the caller's decision. */
  tag?: string;
  digest?: string;
}

export const DOCKER_HUB = 'docker.io';
/** Docker Hub's registry API lives on another host than the name users write. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
const DOCKER_HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io', DOCKER_HUB_API_HOST]);

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const DOMAIN_LABEL = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = new RegExp(`^(?:${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?$`);
const MAX_NAME_LENGTH = 255;

export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

export function isValidTag(value: string): boolean {
  return TAG.test(value);
}

export function isValidRepository(value: string): boolean {
  return value.length > 0 && value.length <= MAX_NAME_LENGTH && value.split('/').every(c => PATH_COMPONENT.test(c));
}

export function isDockerHub(registry: string): boolean {
  return DOCKER_HUB_ALIASES.has(registry.toLowerCase());
}

/** The host the /v2/ API is reached on: `docker.io` → `registry-1.docker.io`, others unchanged. */
export function registryApiHost(registry: string): string {
  return isDockerHub(registry) ? DOCKER_HUB_API_HOST : registry;
}

/**
 * The first path component is a registry host only when it looks like one (has a dot or a port,
 * or is `localhost`), exactly docker's rule: `acme/app` is Docker Hub's acme/app, not a host "acme".
 * Docker also takes a component with capitals for a host (`Acme/app`); such a host has no
 * lowercase spelling that still reads as a host, so it is refused rather than guessed.
 */
function splitHost(name: string): [string | undefined, string] {
  const slash = name.indexOf('/');
  if (slash < 0) return [undefined, name];
  const first = name.slice(0, slash);
  const isHost = /[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase();
  return isHost ? [first, name.slice(slash + 1)] : [undefined, name];
}

/**
 * `host[:port]` → the one spelling every comparison uses: lowercased (host names are
 * case-insensitive, RFC 4343, and the images input is lowercased anyway, so `GHCR.io` and
 * `ghcr.io` are one registry), the port without leading zeros, Docker Hub's aliases as `docker.io`.
 * (distribution/reference keeps the host as written.) Comparing any other spelling is how
 * `index.docker.io/acme/app` used to escape a `docker.io/acme/` policy.
 */
export function canonicalHost(written: string, bad: (why: string) => never): string {
  if (!HOST.test(written)) bad(`registry host "${written}" is not a host[:port]`);
  const lower = written.toLowerCase();
  const portAt = lower.startsWith('[') ? lower.indexOf(']:') + 1 : lower.lastIndexOf(':');
  const host = portAt > 0 ? lower.slice(0, portAt) : lower;
  if (!/[.:[]/.test(host) && host !== 'localhost') {
    bad(`registry host "${written}" is a host only by its capitals; write the host lowercase with a dot or a port`);
  }
  let port = '';
  if (portAt > 0) {
    const n = Number(lower.slice(portAt + 1));
    if (!(n >= 1 && n <= 65535)) bad(`registry "${written}" has port ${lower.slice(portAt + 1)}; a port is 1 to 65535`);
    port = `:${n}`;
  }
  return isDockerHub(host) && port === '' ? DOCKER_HUB : `${host}${port}`;
}

/**
 * `[host[:port]/]path` (no tag, no digest) → canonical registry and repository, Docker Hub's
 * official images under `library/`. The path is not checked here: callers word that rule
 * themselves (the images input names path components, a reference names the repository).
 */
export function splitName(name: string, bad: (why: string) => never): {registry: string; repository: string} {
  const [written, path] = splitHost(name);
  const registry = written === undefined ? DOCKER_HUB : canonicalHost(written, bad);
  // Docker Hub's official images live under library/: `busybox` is `library/busybox`.
  const repository = registry === DOCKER_HUB && !path.includes('/') ? `library/${path}` : path;
  return {registry, repository};
}

export function parseReference(ref: string): ImageReference {
  const bad = (why: string): never => {
    throw new Error(`Invalid image reference "${ref}": ${why}`);
  };
  if (ref.trim() !== ref || ref.length === 0) bad('empty or surrounded by spaces');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) bad(`digest "${digest}" is not sha256:<64 hex> or sha512:<128 hex>`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!isValidTag(tag)) bad(`tag "${tag}" must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`);
  }
  const {registry, repository} = splitName(rest, bad);
  if (!isValidRepository(repository)) {
    bad(`repository "${repository}" must be lowercase path components of [a-z0-9] joined by . _ __ or -`);
  }
  const out: ImageReference = {registry, repository};
  if (tag !== undefined) out.tag = tag;
  if (digest !== undefined) out.digest = digest;
  return out;
}

/**
 * The name every comparison uses (policy binding, merge sources, SARIF): `registry/repository`
 * of a reference, tag and digest dropped. `app`, `library/app`, `docker.io/app` and
 * `index.docker.io/library/app` are all `docker.io/library/app`. Throws on an invalid reference.
 */
export function canonicalName(ref: string): string {
  const {registry, repository} = parseReference(ref);
  return `${registry}/${repository}`;
}

/**
 * A policy `match` prefix in canonicalName's spelling, so it is compared with like: the host as
 * canonicalHost writes it (`index.docker.io/acme/` is `docker.io/acme/`), the rest as written —
 * a prefix may end mid-name (`ghcr.io/acme/release-`). A lone Docker Hub name (`docker.io/nginx`)
 * is refused: it reads as the official image (`docker.io/library/nginx`) or as the start of a
 * namespace, and guessing either lets the other's images escape the entry.
 */
export function canonicalPrefix(prefix: string, bad: (why: string) => never): string {
  const slash = prefix.indexOf('/');
  if (slash < 0) return HOST.test(prefix) && isDockerHub(prefix) ? DOCKER_HUB : prefix;
  const registry = canonicalHost(prefix.slice(0, slash), bad);
  const path = prefix.slice(slash + 1);
  if (registry === DOCKER_HUB && isValidRepository(path) && !path.includes('/')) {
    bad(
      `Docker Hub's "${path}" is ambiguous as a prefix: write ${DOCKER_HUB}/library/${path} for the official image ` +
        `or ${DOCKER_HUB}/${path}/ for the namespace`
    );
  }
  return `${registry}/${path}`;
}

/** Back to text: `registry/repository[:tag][@digest]`. */
export function formatReference(r: ImageReference): string {
  return `${r.registry}/${r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}
