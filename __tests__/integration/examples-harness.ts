// Runs an example workflow of examples/workflows/ with act on the host, against the test bed.
// The workflow is the published one with only what cannot exist offline swapped out, in the open:
//   uses: image-publish/image-publish@v1   → uses: ./ (this checkout's action.yml + dist/)
//   uses: actions/checkout@v4              → a run step copying the prepared repository in
//   uses: github/codeql-action/upload-sarif → a local stand-in that checks and keeps the SARIF file
//   registry hosts (quay.io, ghcr.io)      → the bed's registries (a table per example)
//   + bed settings on the action step: insecure http registry, offline trivy DB, no Rekor upload,
//     the bed's buildkit builder or buildah storage flags.
import {cpSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import {ROOT} from '../helpers/fixtures.js';
import {type Bed, run, runResult, tempDir} from './bed.js';

export const ACTION_REF = 'image-publish/image-publish@v1';

type Step = Record<string, unknown> & {uses?: string; with?: Record<string, unknown>};
interface Workflow {
  jobs: Record<string, {steps: Step[]}>;
}

const UPLOAD_SARIF_STAND_IN = `name: upload-sarif (offline stand-in)
description: checks that sarif_file is SARIF 2.1.0 and keeps a copy in OUT_DIR
inputs:
  sarif_file: {required: true}
  category: {required: false, default: sarif}
runs:
  using: composite
  steps:
    - shell: bash
      env:
        FILE: \${{ inputs.sarif_file }}
        CATEGORY: \${{ inputs.category }}
      run: |
        grep -q '"version": "2.1.0"' "$FILE"
        cp "$FILE" "$OUT_DIR/sarif-$CATEGORY.json"
`;

/** Bed inputs added to every image-publish step (they exist only because the bed is offline/local). */
function bedInputs(bed: Bed, step: Step): Record<string, string> {
  const w = step.with ?? {};
  const engine = String(w.engine ?? 'buildx');
  const extra: Record<string, string> = {
    'insecure-registries': bed.devRegistry.host,
    'trivy-db-repository': bed.trivy.dbRepository,
    'tlog-upload': 'false'
  };
  if (engine.includes('matrix')) {
    // engine from a matrix: both kinds of settings; buildah/podman ignore builder, buildx ignores engine flags.
    Object.assign(extra, {builder: bed.buildkit.builder, provenance: 'false'});
    extra['engine-flags'] = bed.buildah.storageFlags;
    extra.isolation = bed.buildah.isolation;
  } else if (engine === 'buildx') {
    Object.assign(extra, {builder: bed.buildkit.builder, provenance: 'false'});
  } else {
    extra['engine-flags'] = bed.buildah.storageFlags;
    extra.isolation = bed.buildah.isolation;
  }
  return extra;
}

/** The example workflow, made runnable on the bed (see the header). Pure text in, text out. */
export function bedWorkflow(bed: Bed, text: string, hosts: [string, string][]): string {
  const wf = yaml.load(text) as Workflow;
  for (const job of Object.values(wf.jobs)) {
    job.steps = job.steps.map(step => {
      if (step.uses?.startsWith('actions/checkout@')) {
        return {name: 'checkout (offline stand-in)', run: 'test -f "$REPO_DIR/action.yml" && cp -a "$REPO_DIR"/. .'};
      }
      if (step.uses?.startsWith('github/codeql-action/upload-sarif@')) {
        return {...step, uses: './.github/stand-ins/upload-sarif'};
      }
      if (step.uses === ACTION_REF) {
        return {...step, uses: './', with: {...(step.with ?? {}), ...bedInputs(bed, step)}};
      }
      return step;
    });
  }
  let out = yaml.dump(wf, {lineWidth: -1, noRefs: true});
  for (const [from, to] of hosts) out = out.split(from).join(to);
  return out;
}

export interface ExampleRepo {
  example: string;
  dir: string;
  out: string;
  home: string;
  sha: string;
  /** The `repository` object of this repo's event payloads (labels come from it). */
  repository: Record<string, unknown>;
}

export interface ExampleSpec {
  /** GitHub owner/name: the git remote act derives github.repository(_owner) from. */
  owner: string;
  name: string;
  hosts: [string, string][];
  files: Record<string, string>;
  /** The workflow file; default examples/workflows/<example>.yml (converted fixtures live elsewhere). */
  workflow?: string;
}

/** The Dockerfile of every example repository: the bed's clean base, a file, a numeric USER. */
export function exampleDockerfile(uid: number): string {
  return (
    [
      'ARG BASE=127.0.0.1:5000/bed/clean:1',
      'FROM ${BASE}',
      'ARG VERSION=dev',
      'COPY hello.txt /hello.txt',
      `USER ${uid}`
    ].join('\n') + '\n'
  );
}

/** quay.io/<org> → a fresh namespace on the bed's TLS + auth registry, logins included. */
export function quayHosts(bed: Bed, org: string, ns: string): [string, string][] {
  return [
    [`quay.io/${org}`, ns],
    ['registry: quay.io', `registry: ${bed.prodRegistry.host}`]
  ];
}

/** A git repository with the action, the rewritten workflow, its policy and the example's files. */
export function exampleRepo(bed: Bed, example: string, spec: ExampleSpec): ExampleRepo {
  const {hosts, files} = spec;
  const dir = tempDir(`ex-${example}`);
  const out = tempDir(`ex-out-${example}`);
  const home = tempDir(`ex-home-${example}`);
  cpSync(path.join(ROOT, 'action.yml'), path.join(dir, 'action.yml'));
  cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), {recursive: true});
  mkdirSync(path.join(dir, '.github/workflows'), {recursive: true});
  mkdirSync(path.join(dir, '.github/stand-ins/upload-sarif'), {recursive: true});
  writeFileSync(path.join(dir, '.github/stand-ins/upload-sarif/action.yml'), UPLOAD_SARIF_STAND_IN);
  const workflow = readFileSync(spec.workflow ?? path.join(ROOT, 'examples/workflows', `${example}.yml`), 'utf8');
  writeFileSync(path.join(dir, `.github/workflows/${example}.yml`), bedWorkflow(bed, workflow, hosts));
  const policyFile = path.join(ROOT, 'examples/policies', `${example}.yml`);
  if (existsSync(policyFile)) {
    let policy = readFileSync(policyFile, 'utf8');
    for (const [from, to] of hosts) policy = policy.split(from).join(to);
    writeFileSync(path.join(dir, '.github/image-publish-policy.yml'), policy);
  }
  cpSync(bed.cosign.pub, path.join(dir, '.github/cosign.pub'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), {recursive: true});
    writeFileSync(path.join(dir, name), content);
  }
  writeFileSync(path.join(home, '.actrc'), '-P ubuntu-latest=-self-hosted\n');
  const git = (args: string[]): string => run(bed, 'git', args, {cwd: dir, env: {HOME: home}});
  git(['init', '-q', '-b', 'main']);
  git(['add', '-A']);
  git(['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', example]);
  git(['remote', 'add', 'origin', `https://github.com/${spec.owner}/${spec.name}.git`]);
  const repository = {
    name: spec.name,
    full_name: `${spec.owner}/${spec.name}`,
    owner: {login: spec.owner},
    description: `${spec.name} (example)`,
    html_url: `https://github.com/${spec.owner}/${spec.name}`,
    default_branch: 'main',
    license: {spdx_id: 'Apache-2.0'}
  };
  return {example, dir, out, home, sha: git(['rev-parse', 'HEAD']).trim(), repository};
}

export interface ActRun {
  status: number;
  log: string;
}

/** `act <event>` on the host for one example; secrets from a file (the cosign key is multi-line); `more.args` e.g. the artifact server, `more.payload` e.g. a pull_request object, `more.env` act's own environment. */
export function act(
  bed: Bed,
  repo: ExampleRepo,
  event: 'push' | 'workflow_dispatch' | 'pull_request',
  ref: string,
  inputs: Record<string, string> = {},
  more: {args?: string[]; payload?: Record<string, unknown>; env?: Record<string, string>} = {}
): ActRun {
  const example = repo.example;
  // A tag push needs the tag in the repository act reads.
  if (ref.startsWith('refs/tags/')) {
    run(bed, 'git', ['tag', '-f', ref.slice('refs/tags/'.length)], {cwd: repo.dir, env: {HOME: repo.home}});
  }
  const payload = {
    ref,
    repository: repo.repository,
    ...(event === 'workflow_dispatch' ? {inputs} : {}),
    ...(more.payload ?? {})
  };
  const eventFile = path.join(repo.home, `event-${Date.now()}.json`);
  writeFileSync(eventFile, JSON.stringify(payload));
  const secrets = path.join(repo.home, 'secrets.env');
  const q = (s: string): string => JSON.stringify(s);
  writeFileSync(
    secrets,
    [
      `QUAY_USERNAME=${q(bed.prodRegistry.username)}`,
      `QUAY_PASSWORD=${q(bed.prodRegistry.password)}`,
      `QUAY_ROBOT_USERNAME=${q(bed.prodRegistry.username)}`,
      `QUAY_ROBOT_TOKEN=${q(bed.prodRegistry.password)}`,
      `COSIGN_PRIVATE_KEY=${q(readFileSync(bed.cosign.key, 'utf8'))}`,
      `COSIGN_PASSWORD=${q(bed.cosign.password)}`,
      `GITHUB_TOKEN="offline"`
    ].join('\n') + '\n'
  );
  const args = [
    event,
    '-W',
    `.github/workflows/${example}.yml`,
    '-P',
    'ubuntu-latest=-self-hosted',
    '-P',
    'ubuntu-24.04-arm=-self-hosted',
    '-e',
    eventFile,
    // Matrix jobs one at a time: podman jobs of a matrix share one containers storage here, and two
    // pulls of the same base image into it race ("locating pulled image … image not known").
    '--concurrent-jobs',
    '1',
    '--secret-file',
    secrets,
    '--env',
    `REPO_DIR=${repo.dir}`,
    '--env',
    `OUT_DIR=${repo.out}`,
    '--env',
    `PATH=${bed.binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    '--env',
    `DOCKER_CONFIG=${bed.docker.config}`,
    '--env',
    `NODE_EXTRA_CA_CERTS=${bed.prodRegistry.caCert}`,
    '--env',
    `SSL_CERT_FILE=${bed.caBundle}`,
    ...Object.entries(inputs).flatMap(([k, v]) => ['--input', `${k}=${v}`]),
    ...(more.args ?? [])
  ];
  const r = runResult(bed, 'act', args, {
    cwd: repo.dir,
    env: {HOME: repo.home, XDG_CONFIG_HOME: path.join(repo.home, '.config'), ...(more.env ?? {})},
    timeoutMs: 900_000
  });
  return {status: r.status, log: r.stdout + r.stderr};
}

/** Exit status and the action's errors: `{status: 0, errors: []}` is a success. */
export const outcome = (r: ActRun): {status: number; errors: string[]} => ({
  status: r.status,
  errors: actErrors(r.log)
});

/** The `::error::` lines act relays from the action. */
export function actErrors(log: string): string[] {
  return log
    .split('\n')
    .filter(l => l.includes('::error::'))
    .map(l =>
      l
        .slice(l.indexOf('::error::') + '::error::'.length)
        .replace(/%0A/g, '\n')
        .replace(/%25/g, '%')
    );
}
