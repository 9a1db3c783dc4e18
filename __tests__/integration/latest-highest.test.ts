// flavor latest=highest against the bed's dev registry: the tag stage reads the repository's tags
// with RegistryClient.listTags and leaves `latest` on v2.0.0 when v1.4.9 is released after it.
// Exact tag lists and digests are read back with regctl.
import {beforeAll, describe, expect, it} from '@jest/globals';
import type {Session} from '../../src/login/session.js';
import {RegistryClient} from '../../src/registry/client.js';
import {phaser, type Progress, type Stage} from '../../src/publish/stage.js';
import {tagStage} from '../../src/publish/tag-stage.js';
import {planFor} from '../helpers/fixtures.js';
import {type Bed, copyToScratchRepo, loadBed, registryDigest, repoOf, tagsOf, uniqueTag} from './bed.js';

async function tagRun(bed: Bed, image: string, version: string, digest: string): Promise<Progress> {
  const plan = await planFor('ip_tag_v1.0.0', {
    images: image,
    'tag-preset': 'semver-release',
    version,
    'insecure-registries': bed.devRegistry.host
  });
  const client = new RegistryClient({registry: bed.devRegistry.host, insecure: true});
  const session: Session = {dir: '', configFile: '', env: {}, insecure: () => true, client: () => client};
  const progress: Progress = {result: {durations: {}}};
  // The tag stage reads the plan and the session only; the rest of a Stage is not consulted.
  const stage = {plan, session, phase: phaser(progress), progress, tools: {}} as unknown as Stage;
  await tagStage(stage, digest, []);
  return progress;
}

describe('latest=highest on the dev registry', () => {
  let bed: Bed;
  let image: string;
  let newer: {ref: string; digest: string};
  let older: {ref: string; digest: string};
  const copies: string[] = [];

  beforeAll(() => {
    bed = loadBed();
    const name = `latest-highest-${uniqueTag('r')}`;
    // Two different images in one repository: v2.0.0 is published first, then the v1.4.9 patch.
    newer = copyToScratchRepo(bed, bed.images.clean, name);
    older = copyToScratchRepo(bed, bed.images.busybox, name);
    image = repoOf(newer.ref);
    copies.push(newer.ref.split(':').pop() as string, older.ref.split(':').pop() as string);
    expect(newer.digest).not.toBe(older.digest);
  });

  it('v2.0.0 into an empty release history takes latest', async () => {
    const progress = await tagRun(bed, image, 'v2.0.0', newer.digest);
    expect(progress.result.tags?.map(t => t.tag)).toEqual(['v2.0.0', 'latest']);
    expect(registryDigest(bed, `${image}:latest`)).toBe(newer.digest);
  });

  it('v1.4.9 after v2.0.0 gets its tag, latest stays on v2.0.0', async () => {
    const progress = await tagRun(bed, image, 'v1.4.9', older.digest);
    expect(progress.result.tags?.map(t => t.tag)).toEqual(['v1.4.9']);
    expect(tagsOf(bed, image)).toEqual([...copies, 'latest', 'v1.4.9', 'v2.0.0'].sort());
    expect(registryDigest(bed, `${image}:latest`)).toBe(newer.digest);
    expect(registryDigest(bed, `${image}:v1.4.9`)).toBe(older.digest);
  });

  it('a re-run of v2.0.0 keeps latest; v2.1.0 moves it', async () => {
    const rerun = await tagRun(bed, image, 'v2.0.0', newer.digest);
    expect(rerun.result.tags?.map(t => t.tag)).toEqual(['v2.0.0', 'latest']);
    const next = await tagRun(bed, image, 'v2.1.0', older.digest);
    expect(next.result.tags?.map(t => t.tag)).toEqual(['v2.1.0', 'latest']);
    expect(tagsOf(bed, image)).toEqual([...copies, 'latest', 'v1.4.9', 'v2.0.0', 'v2.1.0'].sort());
    expect(registryDigest(bed, `${image}:latest`)).toBe(older.digest);
    expect(registryDigest(bed, `${image}:v2.0.0`)).toBe(newer.digest);
  });
});
