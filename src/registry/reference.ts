// Image references: `host[:port]/repo[:tag][@sha256:...]` → registry, repository, tag, digest.
// Pure. The grammar follows distribution/reference (the one docker, buildx and regctl share), so a
// name this module accepts is one every registry client of the pipeline accepts too.

export interface ImageReference {
  /** Registry as users write it: `ghcr.io`, `127.0.0.1:5000`, `docker.io` for Docker Hub. */
  registry: string;
  /** Repository path inside the registry: `acme/app`, `library/busybox`. */
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
 */
function splitHost(name: string): [string, string] {
  const slash = name.indexOf('/');
  if (slash < 0) return [DOCKER_HUB, name];
  const first = name.slice(0, slash);
  const isHost = /[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase();
  return isHost ? [first, name.slice(slash + 1)] : [DOCKER_HUB, name];
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
  let [registry, repository] = splitHost(rest);
  if (!HOST.test(registry)) bad(`registry host "${registry}" is not a host[:port]`);
  if (isDockerHub(registry)) {
    registry = DOCKER_HUB;
    // Docker Hub's official images live under library/: `busybox` is `library/busybox`.
    if (!repository.includes('/')) repository = `library/${repository}`;
  }
  if (!isValidRepository(repository)) {
    bad(`repository "${repository}" must be lowercase path components of [a-z0-9] joined by . _ __ or -`);
  }
  const out: ImageReference = {registry, repository};
  if (tag !== undefined) out.tag = tag;
  if (digest !== undefined) out.digest = digest;
  return out;
}

/** Back to text: `registry/repository[:tag][@digest]`. */
export function formatReference(r: ImageReference): string {
  return `${r.registry}/${r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}
