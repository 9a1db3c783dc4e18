import Handlebars from 'handlebars';
import moment from 'moment-timezone';
import type {MetaContext} from './types.js';

const DEFAULT_SHORT_SHA_LENGTH = 7;

export function shortSha(sha: string, lengthSwitch: string | undefined): string {
  let length = DEFAULT_SHORT_SHA_LENGTH;
  if (lengthSwitch) {
    if (isNaN(Number(lengthSwitch))) {
      throw new Error(`DOCKER_METADATA_SHORT_SHA_LENGTH is not a valid number: ${lengthSwitch}`);
    }
    length = Number(lengthSwitch);
  }
  return length >= sha.length ? sha : sha.substring(0, length);
}

interface HelperOptions {
  hash: Record<string, string>;
}

function dateHelper(date: Date) {
  return (format: string, options: HelperOptions): string => {
    let tz = 'UTC';
    for (const key of Object.keys(options.hash)) {
      if (key !== 'tz') {
        throw new Error(`Unknown ${key} attribute`);
      }
      tz = options.hash[key];
    }
    return moment(date).tz(tz).format(format);
  };
}

const BRANCH = /^refs\/heads\//;
const TAG = /^refs\/tags\//;
const PULL = /^refs\/pull\//;

/**
 * metadata-action's `{{is_default_branch}}`: the ref (with `refs/heads/` stripped, so a tag ref never
 * equals the branch) against the payload's default branch; some events always run on it.
 */
function isDefaultBranch(ctx: MetaContext): 'true' | 'false' {
  const branch = ctx.ref.replace(BRANCH, '');
  if (branch.length === 0) {
    return 'false';
  }
  if (ctx.payloadDefaultBranch === branch) {
    return 'true';
  }
  // These events always run on the last commit of the default branch.
  if (/create|discussion|issues|schedule/.test(ctx.eventName)) {
    return 'true';
  }
  return 'false';
}

/** Renders the `{{...}}` expressions metadata-action offers in values, prefixes, suffixes, enable and labels. */
export class Expressions {
  constructor(
    private readonly ctx: MetaContext,
    private readonly now: Date,
    private readonly shortShaLength: string | undefined
  ) {}

  /** Only `{{date}}` and `{{commit_date}}`, as schedule patterns see them. */
  renderDates(template: string): string {
    return Handlebars.compile(template)({
      date: dateHelper(this.now),
      commit_date: dateHelper(this.ctx.commitDate)
    });
  }

  /** `extra`: plain values some inputs see besides metadata-action's (labels: `{{version}}`, `{{created}}`). */
  render(template: string, extra: Record<string, string> = {}): string {
    const ctx = this.ctx;
    const shaLength = this.shortShaLength;
    return Handlebars.compile(template)({
      ...extra,
      branch: () => (BRANCH.test(ctx.ref) ? ctx.ref.replace(BRANCH, '') : ''),
      tag: () => (TAG.test(ctx.ref) ? ctx.ref.replace(TAG, '') : ''),
      sha: () => shortSha(ctx.sha, shaLength),
      base_ref: () => {
        if (TAG.test(ctx.ref) && ctx.payloadBaseRef !== undefined) {
          return ctx.payloadBaseRef.replace(BRANCH, '');
        }
        if (PULL.test(ctx.ref) && ctx.prBaseRef !== undefined) {
          return ctx.prBaseRef;
        }
        return '';
      },
      is_default_branch: () => isDefaultBranch(ctx),
      // metadata-action >= 5.8: the negation, so `enable=` can keep a tag off the default branch.
      is_not_default_branch: () => (isDefaultBranch(ctx) === 'true' ? 'false' : 'true'),
      date: dateHelper(this.now),
      commit_date: dateHelper(ctx.commitDate)
    });
  }
}

/** True when a pattern is exactly `{{raw}}`: pre-releases then keep the raw tag instead of `{{version}}`. */
export function isRawStatement(pattern: string): boolean {
  try {
    const program = Handlebars.parseWithoutProcessing(pattern);
    if (program.body.length === 1 && program.body[0].type === 'MustacheStatement') {
      const path = (program.body[0] as unknown as {path: {parts?: string[]}}).path;
      return path.parts?.length === 1 && path.parts[0] === 'raw';
    }
  } catch {
    return false;
  }
  return false;
}
