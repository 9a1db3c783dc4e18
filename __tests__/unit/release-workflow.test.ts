// .github/workflows/release.yml publishes the CLI image with the action itself: its `uses: ./` step
// names only inputs action.yml has, builds cli.Containerfile with podman, and signs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from '@jest/globals';
import yaml from 'js-yaml';
import {ROOT} from '../helpers/fixtures.js';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string | boolean>;
}
interface Workflow {
  on: {push: {tags: string[]}};
  permissions: Record<string, string>;
  jobs: Record<string, {permissions?: Record<string, string>; steps: Step[]}>;
}

const read = (f: string): string => fs.readFileSync(path.join(ROOT, f), 'utf8');
const workflow = yaml.load(read('.github/workflows/release.yml')) as Workflow;
const action = yaml.load(read('action.yml')) as {inputs: Record<string, unknown>};
const job = workflow.jobs['cli-image'];
const step = job.steps.find(s => s.uses === './') as Step;
const inputs = step.with ?? {};

describe('release workflow', () => {
  it('runs on v* tags with read-only defaults, the job adding only packages and id-token', () => {
    expect(workflow.on.push.tags).toEqual(['v*']);
    expect(workflow.permissions).toEqual({contents: 'read'});
    expect(job.permissions).toEqual({contents: 'read', packages: 'write', 'id-token': 'write'});
  });
  it('passes only inputs action.yml declares', () => {
    const unknown = Object.keys(inputs).filter(name => !(name in action.inputs));
    expect(unknown).toEqual([]);
  });
  it('builds cli.Containerfile with podman for two platforms, to GHCR and Quay, scanned and signed', () => {
    expect(fs.existsSync(path.join(ROOT, String(inputs.file)))).toBe(true);
    expect({
      engine: inputs.engine,
      file: inputs.file,
      platforms: inputs.platforms,
      scan: inputs.scan,
      keyless: inputs.keyless
    }).toEqual({
      engine: 'podman',
      file: 'cli.Containerfile',
      platforms: 'linux/amd64,linux/arm64',
      scan: true,
      keyless: true
    });
    const registries = String(inputs.images)
      .split('\n')
      .filter(Boolean)
      .map(i => i.split('/')[0]);
    expect(registries).toEqual(['ghcr.io', 'quay.io']);
    // Quay needs a login; GHCR uses github-token by default (packages: write).
    const auth = yaml.load(String(inputs['registry-auth'])) as {registry: string}[];
    expect(auth.map(a => a.registry)).toEqual(['quay.io']);
  });
  it('sets only build arguments cli.Containerfile declares before its first FROM', () => {
    const file = read('cli.Containerfile');
    const head = file.slice(0, file.search(/^FROM /m));
    const declared = [...head.matchAll(/^ARG ([A-Z_]+)/gm)].map(m => m[1]);
    const given = String(inputs['build-args'])
      .split('\n')
      .filter(Boolean)
      .map(l => l.split('=')[0]);
    expect(given).toEqual(['BASE', 'TOOLS']);
    expect(declared).toEqual(expect.arrayContaining(given));
  });
  it('pins every remote action by commit SHA', () => {
    const remote = job.steps.filter(s => s.uses && s.uses !== './').map(s => s.uses as string);
    expect(remote.length).toBeGreaterThan(0);
    for (const uses of remote) expect(uses).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
  });
});
