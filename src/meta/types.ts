/** What the tag engine needs to know about the run: plain data, no environment access. */
export interface MetaContext {
  eventName: string;
  ref: string;
  sha: string;
  /** `base_ref` of a push payload (tag pushes carry the branch there). */
  payloadBaseRef?: string;
  /** `pull_request.base.ref` of a PR payload. */
  prBaseRef?: string;
  /** `repository.default_branch` of the payload, which `{{is_default_branch}}` reads. */
  payloadDefaultBranch?: string;
  commitDate: Date;
}

export interface RepoInfo {
  name: string;
  description: string;
  htmlUrl: string;
  license: string;
  defaultBranch: string;
}

/** Environment switches metadata-action reads, passed in rather than read from process.env. */
export interface MetaSwitches {
  shortShaLength?: string;
  annotationLevels?: string;
}

export interface Version {
  main: string | undefined;
  partial: string[];
  latest: boolean;
}
