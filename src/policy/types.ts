/** Scanner severities, in the order Trivy reports them. */
// One severity scale for the policy, the inputs and the gate.
export {SEVERITIES, type Severity} from '../supply/severity.js';
import type {Severity} from '../supply/severity.js';

/** A tag pattern as written (for messages) and compiled (anchored, matched against the full tag). */
export interface TagPattern {
  source: string;
  regex: RegExp;
}

export interface ScanRequirement {
  /** Most findings allowed per severity; a severity left out is not gated. */
  max: Partial<Record<Severity, number>>;
  ignoreUnfixed: boolean;
}

export interface SizeLimit {
  bytes: number;
  /** As written in the policy, so refusals quote the user's own number. */
  text: string;
}

/** Gates a run must pass for an image bound to this registry, whatever the action inputs say. */
export interface Requirements {
  scan?: ScanRequirement;
  signature: boolean;
  /**
   * Where the required signature comes from (`signature: {at: ...}`): absent = `source`, the image
   * is signed where it is built and a promotion verifies the source; `promotion` = the source may
   * be unsigned and the promotion into this registry signs. Either way no tag is written before
   * the target holds a signature that verifies.
   */
  signatureAt?: 'source' | 'promotion';
  /** Only runs writing one of these tags need the signature (`signature: {tags: [...]}`); absent: every run. */
  signatureTags?: TagPattern[];
  sbom: boolean;
  nonRoot: boolean;
  uids?: number[];
  labels: string[];
  maxSize?: SizeLimit;
}

export interface TagRules {
  /** When set, every tag must match one of these. */
  allow?: TagPattern[];
  /** A tag matching any of these is refused; checked before `allow`. */
  forbid: TagPattern[];
}

export interface RegistryRule {
  /** Lowercased name prefixes (registry/namespace/repo) that bind an image to this entry. */
  match: string[];
  immutable: boolean;
  tags: TagRules;
  /** Quay's `quay.expires-after` value (e.g. `2w`). */
  expiresAfter?: string;
  require: Requirements;
}

export interface Policy {
  version: 1;
  /** The file it was read from, for messages. */
  file: string;
  /** Environment name → rules, in file order. */
  registries: Record<string, RegistryRule>;
}

/** The registry entry an image belongs to. */
export interface BoundRule {
  name: string;
  rule: RegistryRule;
  /** The match prefix that won (longest); absent when built by hand. */
  prefix?: string;
}

/** What the registry holds for one pushed platform image: what the policy checks and the summary show. */
export interface ImageFacts {
  platform: string;
  digest: string;
  mediaType: string;
  manifestSize: number;
  /** `config.User` as recorded (`''` when the Dockerfile has no USER). */
  user: string;
  labels: Record<string, string>;
  /** Compressed bytes a pull downloads: config + layers. */
  compressedSize: number;
  layers: number;
  /** Layer digests in manifest order (bottom first). */
  layerDigests: string[];
  /**
   * A named `config.User` looked up in the image's own /etc/passwd (registry/passwd.ts): the uid and
   * the line that gave it (`/etc/passwd line 12: mcp:x:1000:1000`), or no uid and why.
   */
  resolvedUser?: {uid?: number; source: string};
}
