// dist/index.js run as the runner runs it, in dry-run, against metadata-action's expectations.
import {beforeAll, describe, expect, it} from '@jest/globals';
import {FIXED_EPOCH, loadEvent, parityCases, type ParityCase} from '../helpers/fixtures.js';
import {errorsOf, pool, runDist, type DistRun} from '../helpers/run-dist.js';

const cases = parityCases();
const runs = new Map<ParityCase, DistRun>();

beforeAll(async () => {
  await pool(cases, 4, async ({c}) => {
    const env = {...loadEvent(c.event).env, ...(c.env ?? {}), SOURCE_DATE_EPOCH: FIXED_EPOCH};
    runs.set(c, await runDist(env, {...c.inputs, 'dry-run': 'true'}));
  });
}, 300000);

describe('metadata-action parity (dist, dry-run)', () => {
  it.each(cases.map(({file, c}) => [`${file}: ${c.name}`, c] as const))('%s', (_name, c) => {
    const run = runs.get(c) as DistRun;
    if (c.expected.error !== undefined) {
      expect(run.code).toBe(1);
      expect(errorsOf(run.stdout).join('\n')).toContain(c.expected.error);
      expect(run.outputs).toEqual({});
      return;
    }
    expect({code: run.code, errors: errorsOf(run.stdout)}).toEqual({code: 0, errors: []});
    const o = run.outputs;
    const sepTags = c.inputs['sep-tags'] ?? '\n';
    if (c.expected.version) expect(o.version).toBe(c.expected.version.main ?? '');
    if (c.expected.tags) {
      expect(o.tags).toBe(c.expected.tags.join(sepTags));
      // tag-names: the tags of the first image without its name (metadata-action >= 5.9).
      const first = c.expected.tags[0]?.includes(':') ? c.expected.tags[0].split(':')[0] : '';
      const names = c.expected.tags
        .filter(t => !first || t.startsWith(`${first}:`))
        .map(t => (first ? t.slice(first.length + 1) : t));
      expect(o['tag-names']).toBe(names.join(sepTags));
    }
    // Without payload.repository (and here without GITHUB_REPOSITORY) the repository data comes
    // from the REST API, which metadata-action's tests mock: repo-api.test.ts covers that path.
    const repoFromApi = !('repository' in loadEvent(c.event).payload);
    if (c.expected.labels && !repoFromApi) expect(o.labels).toBe(c.expected.labels.join('\n'));
    if (c.expected.annotations && !repoFromApi) expect(o.annotations).toBe(c.expected.annotations.join('\n'));
    if (c.expected.json && !repoFromApi) expect(JSON.parse(o.json)).toEqual(c.expected.json);
    const outs = (c.expected as {outputs?: Record<string, string>}).outputs;
    if (outs) for (const [k, v] of Object.entries(outs)) expect(o[k]).toBe(v);
    // metadata-action mirrors its outputs to DOCKER_METADATA_OUTPUT_* for later steps.
    expect(run.exported['DOCKER_METADATA_OUTPUT_VERSION']).toBe(o.version);
    expect(run.exported['DOCKER_METADATA_OUTPUT_TAGS']).toBe(o.tags);
  });
});
