// Defects 5 and 6 of the hostile-input issue: every tag-engine refusal names the input, the entry
// and the rule; values that used to pass (an empty label key, a word as priority, a template helper
// that prints) are refused before anything runs.
import {describe, expect, it} from '@jest/globals';
import {parseMergeSources} from '../../src/plan/merge-sources.js';
import {planFor} from '../helpers/fixtures.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('tag-engine refusals name the input, the entry and the rule', () => {
  it.each([
    [{tags: 'type=semver'}, 'Input "tags": entry "type=semver": missing pattern attribute; type=semver needs one'],
    [{tags: 'type=pep440'}, 'Input "tags": entry "type=pep440": missing pattern attribute'],
    [{tags: 'type=match'}, 'Input "tags": entry "type=match": missing pattern attribute; type=match needs a regular'],
    [
      {tags: 'type=ref,event=commit'},
      'Input "tags": entry "type=ref,event=commit": event=commit is not one of branch, tag, pr'
    ],
    [{tags: 'type=ref'}, 'Input "tags": entry "type=ref": missing event attribute; type=ref needs event=branch|tag|pr'],
    [{tags: 'type=raw'}, 'Input "tags": entry "type=raw": missing value attribute'],
    [
      {tags: 'type=sha,format=medium'},
      'Input "tags": entry "type=sha,format=medium": format=medium is not one of short, long'
    ],
    [
      {tags: 'type=semvr,pattern={{version}}'},
      'Input "tags": entry "type=semvr,pattern={{version}}": unknown tag type "semvr"'
    ],
    [{tags: 'type=match,pattern=v(.*),group=one'}, 'group=one is not a number'],
    [
      {tags: 'type=raw,value={{branch'},
      'Input "tags": entry "type=raw,value={{branch": the template "{{branch" does not parse'
    ],
    [
      {tags: `type=raw,value={{shell 'id'}}`},
      `Input "tags": entry "type=raw,value={{shell 'id'}}": {{shell …}} is not an expression this action offers`
    ],
    [
      {tags: 'type=raw,value={{> evil}}'},
      'Input "tags": entry "type=raw,value={{> evil}}": partials ({{> name}}) are not supported'
    ],
    [{tags: 'type=raw,value=x,enable={{shell 1}}'}, '{{shell …}} is not an expression this action offers'],
    [
      {tags: 'type=raw,value=x,enable=maybe'},
      'Input "tags": entry "type=raw,value=x,enable=maybe": enable= gave "maybe"; it must be true or false'
    ],
    [{tags: `type=raw,value={{date 'YYYY' tz='Mars/Olympus'}}`}, 'tz="Mars/Olympus" is not a time zone'],
    [{tags: `type=raw,value={{date 'YYYY' zone='UTC'}}`}, '{{date}} takes only tz=, not zone='],
    [{tags: 'type=raw,value=x,prefix={{shell 1}}'}, 'Input "tags": entry "type=raw,value=x,prefix={{shell 1}}"'],
    [{tags: 'type=raw,value=x', flavor: 'prefix={{shell 1}}'}, 'Input "flavor": entry "prefix={{shell 1}}"'],
    [{flavor: 'onlatest=maybe'}, 'Input "flavor": entry "onlatest=maybe": onlatest=maybe is not true or false'],
    [{flavor: 'latest=always'}, 'Input "flavor": entry "latest=always": latest=always is not one of auto, true, false'],
    [{flavor: 'color=blue'}, 'Input "flavor": entry "color=blue": unknown attribute "color"'],
    [{flavor: 'latest'}, 'Input "flavor": entry "latest": not key=value'],
    [{images: 'name=,enable=true'}, 'Input "images": entry "name=,enable=true": the image name is empty'],
    [{images: 'name=a/b,color=blue'}, 'Input "images": entry "name=a/b,color=blue": unknown attribute "color"'],
    [{images: 'name=a/b,enable=yes'}, 'Input "images": entry "name=a/b,enable=yes": enable=yes is not true or false'],
    [
      {labels: 'org.example={{shell "x"}}'},
      'Input "labels": entry "org.example={{shell "x"}}": {{shell …}} is not an expression'
    ],
    [{annotations: 'org.example={{branch'}, 'Input "annotations": entry "org.example={{branch": the template'],
    [{tags: `type=raw,value={{${'x'.repeat(300)}`}, '… (317 characters)']
  ])('%j', async (inputs, message) => {
    await expect(planFor('ip_push_main', {images: 'a/b', ...inputs})).rejects.toThrow(message);
  });
});

describe('invalid values that used to pass', () => {
  it.each([
    [{labels: '=value'}, 'Input "labels": entry "=value": the key is empty; write key=value'],
    [{labels: 'org.a=1\n  =value'}, 'Input "labels": entry "=value": the key is empty'],
    [{annotations: '=value'}, 'Input "annotations": entry "=value": the key is empty'],
    [{labels: '{{branch}}=x'}, undefined],
    [
      {tags: 'type=raw,value=x,priority=high'},
      'Input "tags": entry "type=raw,value=x,priority=high": priority=high is not a number'
    ],
    [{tags: 'type=raw,value=x,priority='}, 'priority= is not a number'],
    [{tags: 'type=raw,value=x,priority=1e3'}, 'priority=1e3 is not a number'],
    [{tags: 'type=raw,value=x,priority=-5'}, undefined],
    [{tags: 'type=raw,value=x,priority=250.5'}, undefined]
  ])('%j', async (inputs, message) => {
    const run = planFor('ip_push_main', {images: 'a/b', ...inputs});
    if (message === undefined) await expect(run).resolves.toBeDefined();
    else await expect(run).rejects.toThrow(message);
  });

  it('no longer lets {{log}} print: the helper is gone, so a call is refused', async () => {
    const writes: string[] = [];
    const spy = (chunk: unknown): boolean => (writes.push(String(chunk)), true);
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = spy as typeof process.stdout.write;
    const origLog = console.log;
    const origInfo = console.info;
    console.log = console.info = (...a: unknown[]) => void writes.push(a.join(' '));
    try {
      await expect(
        planFor('ip_push_main', {images: 'a/b', tags: `type=raw,value=x{{log '::add-mask::x'}}`})
      ).rejects.toThrow('{{log …}} is not an expression this action offers');
    } finally {
      process.stdout.write = original;
      console.log = origLog;
      console.info = origInfo;
    }
    expect(writes.join('')).not.toContain('::add-mask::');
  });

  it('orders by numeric priority and keeps unknown bare names empty, as metadata-action does', async () => {
    const plan = await planFor('ip_push_main', {
      images: 'a/b',
      tags: 'type=raw,value=low,priority=1\ntype=raw,value=high,priority=300\ntype=raw,value=x{{shell}}'
    });
    expect(plan.meta.tagNames).toEqual(['high', 'x', 'low']);
  });
});

describe('digests entries', () => {
  it.each([
    [
      ['acme/app@sha256:abc'],
      'Input "digests": line "acme/app@sha256:abc": "sha256:abc" is not a digest; a digest is sha256: and 64 lowercase hex'
    ],
    [[`acme/app@sha512:${'a'.repeat(128)}`], 'is not a digest'],
    [[`acme/app@${D.toUpperCase().replace('SHA256', 'sha256')}`], 'is not a digest'],
    [['sha256:1234'], 'Input "digests": line "sha256:1234": "sha256:1234" is not a digest'],
    [['acme/app:v1'], 'Input "digests": "acme/app:v1" is not image@sha256:<hex> or sha256:<hex>'],
    [[`other/app@${D}`], `Input "digests": "other/app@${D}" is not one of the images of this run (acme/app)`]
  ])('%j', (lines, message) => {
    expect(() => parseMergeSources(lines, ['acme/app'])).toThrow(message);
  });
  it('a bare digest with no image names the line', () => {
    expect(() => parseMergeSources([D], [])).toThrow(`Input "digests": line "${D}": a bare digest needs an image`);
  });
});
