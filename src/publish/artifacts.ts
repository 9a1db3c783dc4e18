// The artifact side of a distributed build: a `mode: build` run records its digest, a `mode: merge`
// run without `digests` collects them. Talks to the Actions artifact service (v4, twirp on
// ACTIONS_RESULTS_URL) through @actions/artifact; act's `--artifact-server-path` speaks the same.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {parseDigestRecord, pickArtifacts, type DigestRecord} from '../plan/handover.js';
import {runnerTemp} from '../runner.js';
import * as log from '../report/log.js';

const RECORD = 'digest.json';

/** @actions/artifact is large (half the bundle): loaded only by the runs that hand digests over. */
async function artifactClient() {
  const {DefaultArtifactClient} = await import('@actions/artifact');
  return new DefaultArtifactClient();
}

/** Uploads one small JSON record; one day is enough, the merge job of the same run reads it. */
export async function recordDigest(name: string, record: DigestRecord): Promise<void> {
  const dir = fs.mkdtempSync(path.join(runnerTemp(), 'image-publish-digest-'));
  try {
    fs.writeFileSync(path.join(dir, RECORD), JSON.stringify(record));
    await (await artifactClient()).uploadArtifact(name, [path.join(dir, RECORD)], dir, {retentionDays: 1});
    log.info(`recorded ${record.digest} (${record.platforms.join(', ')}) as artifact ${name}`);
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

/** Every digest record of this workflow run for these images (newest attempt per platform set). */
export async function collectDigests(key: string): Promise<{name: string; record: DigestRecord}[]> {
  const client = await artifactClient();
  const {artifacts} = await client.listArtifacts();
  const names = pickArtifacts(
    artifacts.map(a => a.name),
    key
  );
  const out: {name: string; record: DigestRecord}[] = [];
  for (const name of names) {
    const artifact = artifacts.find(a => a.name === name);
    if (!artifact) continue;
    const dir = fs.mkdtempSync(path.join(runnerTemp(), 'image-publish-digest-'));
    try {
      const res = await client.downloadArtifact(artifact.id, {path: dir});
      const file = path.join(res.downloadPath ?? dir, RECORD);
      out.push({name, record: parseDigestRecord(fs.readFileSync(file, 'utf8'), name)});
    } finally {
      fs.rmSync(dir, {recursive: true, force: true});
    }
  }
  return out;
}
