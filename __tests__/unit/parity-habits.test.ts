// Habits and switches around metadata-action parity: a full reference in tags:, `#` in list inputs,
// DOCKER_METADATA_SET_OUTPUT_ENV.
import {describe, expect, it} from '@jest/globals';
import {computeMeta} from '../../src/meta/index.js';
import {parseList} from '../../src/meta/list.js';
import {fullReferenceLines} from '../../src/meta/tag-rules.js';
import {outputEnvEnabled} from '../../src/report/outputs.js';
import {FIXED_DATE, runContext} from '../helpers/fixtures.js';

describe('full image reference in tags:', () => {
  it.each([
    ['ghcr.io/acme/app:1.0', 'ghcr.io-acme-app-1.0'],
    ['type=raw,value=ghcr.io/acme/app:1.0', 'ghcr.io-acme-app-1.0'],
    ['localhost:5000/app:dev', 'localhost-5000-app-dev'],
    ['docker.io/library/nginx', 'docker.io-library-nginx'],
    ['acme/app:latest', 'acme-app-latest'],
    ['ghcr.io/acme/app@sha256:abc', 'ghcr.io-acme-app-sha256-abc']
  ])('%s is flagged (tag %s)', (line, tag) => {
    expect(fullReferenceLines([line])).toEqual([{source: line, tag}]);
  });

  it.each([
    '1.0',
    'type=raw,value=latest',
    'type=raw,value={{branch}}/{{sha}}',
    'feature/login',
    'type=semver,pattern={{version}}',
    'type=ref,event=branch'
  ])('%s is not', line => {
    expect(fullReferenceLines([line])).toEqual([]);
  });

  it('keeps metadata-action output and warns once, naming the line', () => {
    const {ctx, repo} = runContext('push_dev');
    const meta = computeMeta(
      {
        images: ['ghcr.io/acme/app', 'quay.io/acme/app'],
        tags: ['ghcr.io/acme/app:1.0', 'type=ref,event=branch'],
        flavor: [],
        labels: [],
        annotations: [],
        tagPreset: '',
        tagPrefix: '',
        version: '',
        archTags: false,
        platforms: []
      },
      {ctx, repo, now: FIXED_DATE, created: FIXED_DATE, switches: {}}
    );
    expect(meta.tags).toEqual([
      'ghcr.io/acme/app:dev',
      'ghcr.io/acme/app:ghcr.io-acme-app-1.0',
      'quay.io/acme/app:dev',
      'quay.io/acme/app:ghcr.io-acme-app-1.0'
    ]);
    expect(meta.json['tag-names']).toEqual(['dev', 'ghcr.io-acme-app-1.0']);
    expect(meta.warnings).toEqual([
      'Input "tags": line "ghcr.io/acme/app:1.0" looks like a full image reference (read as type=raw, as metadata-action does, it gives the tag "ghcr.io-acme-app-1.0"); put the name in images: and the tag in tags:'
    ]);
  });
});

describe('# in list inputs (metadata-action v6: a comment only at the start of a line)', () => {
  it.each([
    ['mylabel=foo#bar\n#comment\nanother=bar', ['mylabel=foo#bar', 'another=bar']],
    ['type=ref,event=branch # note', ['type=ref,event=branch # note']],
    ['# all comment\n#\n', []],
    [
      'org.opencontainers.image.url=https://example.com/path#readme',
      ['org.opencontainers.image.url=https://example.com/path#readme']
    ]
  ])('line list %j', (input, expected) => {
    expect(parseList(input, {ignoreComma: true, comment: '#', quote: false})).toEqual(expected);
  });

  it.each([
    ['linux/amd64,linux/arm64 # both', ['linux/amd64', 'linux/arm64']],
    ['a#b\n#c\nd', ['a', 'd']]
  ])('comma lists still end a line at # %j', (input, expected) => {
    expect(parseList(input, {ignoreComma: false, comment: '#'})).toEqual(expected);
  });
});

describe('DOCKER_METADATA_SET_OUTPUT_ENV', () => {
  it.each([
    [undefined, true],
    ['', true],
    ...['1', 't', 'T', 'true', 'TRUE', 'True'].map(v => [v, true] as const),
    ...['0', 'f', 'F', 'false', 'FALSE', 'False'].map(v => [v, false] as const)
  ])('%j → %s', (value, expected) => {
    expect(outputEnvEnabled(value)).toBe(expected);
  });
  it.each(['yes', 'no', 'FaLsE', ' true'])('%j is refused', value => {
    expect(() => outputEnvEnabled(value)).toThrow(
      `DOCKER_METADATA_SET_OUTPUT_ENV must be true or false (1, t, T, true, TRUE, True / 0, f, F, false, FALSE, False), got "${value}"`
    );
  });
});
