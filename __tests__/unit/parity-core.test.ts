// The tag engine against docker/metadata-action's own expectations (ported in fixtures/parity).
import {describe, expect, it} from '@jest/globals';
import {computeMeta} from '../../src/meta/index.js';
import {loadModulesFor, templateTexts} from '../../src/meta/lazy-modules.js';
import {FIXED_DATE, inputsFrom, parityCases, runContext} from '../helpers/fixtures.js';

const cases = parityCases();

describe('metadata-action parity (core)', () => {
  it('has the ported tables', () => {
    expect(cases.length).toBeGreaterThan(100);
  });
  it.each(cases.map(({file, c}) => [`${file}: ${c.name}`, c] as const))('%s', async (_name, c) => {
    const {ctx, repo, env} = runContext(c.event, c.env ?? {});
    // As runEngine does: the modules these inputs' templates need, found by the run's own scan.
    await loadModulesFor(templateTexts(inputsFrom(c.inputs)));
    const compute = () => {
      const inputs = inputsFrom(c.inputs);
      return computeMeta(
        {
          images: inputs.images,
          tags: inputs.tags,
          flavor: inputs.flavor,
          labels: inputs.labels,
          annotations: inputs.annotations,
          tagPreset: inputs.tagPreset,
          tagPrefix: inputs.tagPrefix,
          version: inputs.version,
          archTags: false,
          platforms: []
        },
        {
          ctx,
          repo,
          now: FIXED_DATE,
          created: FIXED_DATE,
          switches: {
            shortShaLength: env.DOCKER_METADATA_SHORT_SHA_LENGTH,
            annotationLevels: env.DOCKER_METADATA_ANNOTATIONS_LEVELS
          }
        }
      );
    };
    if (c.expected.error !== undefined) {
      expect(compute).toThrow(c.expected.error);
      return;
    }
    const meta = compute();
    if (c.expected.version) {
      expect({main: meta.version.main ?? null, partial: meta.version.partial, latest: meta.version.latest}).toEqual({
        ...c.expected.version,
        main: c.expected.version.main ?? null
      });
    }
    if (c.expected.tags) expect(meta.tags).toEqual(c.expected.tags);
    if (c.expected.labels) expect(meta.labels).toEqual(c.expected.labels);
    if (c.expected.annotations) expect(meta.annotations).toEqual(c.expected.annotations);
    if (c.expected.json) expect(meta.json).toEqual(c.expected.json);
    // metadata-action's core.warning lines, where a row lists them (since-v5.7.json).
    const warnings = (c.expected as {warnings?: string[]}).warnings;
    if (warnings) expect(meta.warnings).toEqual(warnings);
  });
});
