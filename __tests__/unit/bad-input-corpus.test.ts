// The bad-input corpus (issue "Hostile input, faults and secrets"): every input, the event payload
// fields we read, policy files and tool outputs, tried as a hostile or careless user would. Each
// dist case runs dist/index.js as the runner does and checks: the exit code, the input blamed
// (`Input "<name>"` in an ::error::), no workflow command on stdout that we did not mean to issue,
// no form of any secret anywhere (stdout, stderr, output/env/state/summary files, files left under
// RUNNER_TEMP or HOME), and, for a real run, that the refusal came before any login.
//
// Decisions: half the plan-stage refusals run for real (no dry-run) against 127.0.0.1:9, a port
// nothing listens on, so "registries unchanged" holds by construction and "no Login group" proves
// the refusal came first; GITHUB_API_URL points there too so no case waits on the network.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from '@jest/globals';
import {parseBuildxMetadata} from '../../src/engines/buildx/args.js';
import {parsePolicy} from '../../src/policy/load.js';
import {hasSignatureFor, parseCosignVersion, parseVerifyOutput} from '../../src/supply/cosign-output.js';
import {parseTrivyReport} from '../../src/supply/trivy-report.js';
import {FIXED_EPOCH, loadEvent, ROOT} from '../helpers/fixtures.js';
import {errorLines, forgedCommands, leaks, runRaw, type RawRun} from '../helpers/hostile-run.js';
import {pool} from '../helpers/run-dist.js';

const IMAGE = '127.0.0.1:9/corpus/app';
// Secrets every run carries; none may show up in any form. Hostile characters included (` #`, `*`, `&`).
const PASSWORD = 'pw-Corpus-7Hq2 #not-a-comment &*x';
const TOKEN = 'ghs_CorpusToken9f8e7d6c5b4a';
const COSIGN_PASSWORD = 'cosign-Corpus-Pass-41x';
const USER = 'corpus-user';
const SECRETS = [PASSWORD, TOKEN, COSIGN_PASSWORD];
const F = '::warning::FORGED';

interface DistCase {
  id: string;
  /** The input the error must name (`Input "<blame>"`); null: the run must succeed (a dry run). */
  blame: string | null;
  inputs: Record<string, string>;
  /** A real run (no dry-run): the refusal must come before any login. */
  real?: boolean;
  event?: string;
  payload?: (p: Record<string, unknown>) => Record<string, unknown>;
  workspace?: Record<string, string>;
  /** More of the error message that must be there. */
  says?: string;
  /** Secrets this case adds (e.g. a cosign key). */
  secrets?: string[];
  /** The policy file (and line) a policy-content refusal must quote instead of an input. */
  file?: string;
  /** The input is valid; the run must fail naming this registry (a registry fact, not an input's). */
  registry?: string;
  /**
   * A known gap outside this suite's files: the run still fails safe (exit code, nothing forged,
   * nothing leaked), but the refusal does not yet name the input or comes after login. Listed so
   * the lead can route it; the case turns strict once the gap is closed (remove the field).
   */
  gap?: string;
}

const c = (
  id: string,
  blame: string | null,
  inputs: Record<string, string>,
  more: Partial<DistCase> = {}
): DistCase => ({id, blame, inputs, ...more});
const real = {real: true};
const D = `sha256:${'c'.repeat(64)}`;
const KEY = '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nx\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n';
const MERGE = {mode: 'merge', platforms: 'linux/amd64'};
const PEM_LIKE = 'bm90LWEtcGVtLWtleS1Db3JwdXNLZXlTZWNyZXQ='; // base64 text, not PEM: defect 3's case

const CASES: DistCase[] = [
  // images
  c('images: quay.io three levels', 'images', {images: 'quay.io/a/b/c'}, {says: 'quay.io repositories are exactly'}),
  c('images: upper case and !', 'images', {images: 'name=127.0.0.1:9/Bad!/x'}, real),
  c('images: empty name', 'images', {images: 'name=,enable=true'}, {says: 'the image name is empty'}),
  c('images: unknown attribute', 'images', {images: 'name=a/b,color=red'}, real),
  c('images: enable=yes', 'images', {images: 'name=a/b,enable=yes'}),
  c('images: port out of range', 'images', {images: '127.0.0.1:99999/a/b'}, {...real, says: '1 to 65535'}),
  c('images: a digest', 'images', {images: `a/b@${D}`}),
  c('images: a tag', 'images', {images: 'a/b:v1'}, real),
  c('images: forged command as name', 'images', {images: F}),
  c('images: none, real run', 'images', {images: ''}, real),
  c('images: unknown preset', 'images', {images: 'name=a/b,preset=nope'}, real),
  c('images: CSV quote', 'images', {images: 'name="a/b'}),
  // tags
  c('tags: semver without pattern', 'tags', {tags: 'type=semver'}, real),
  c('tags: ref event=commit', 'tags', {tags: 'type=ref,event=commit'}, {says: 'event=commit is not one of'}),
  c('tags: handlebars parse error', 'tags', {tags: 'type=raw,value={{branch'}, real),
  c('tags: unknown helper call', 'tags', {tags: `type=raw,value={{shell 'id'}}`}),
  c('tags: log helper', 'tags', {tags: `type=raw,value={{log '${F}'}}`}, real),
  c('tags: partial', 'tags', {tags: 'type=raw,value={{> x}}'}),
  c('tags: priority=high', 'tags', {tags: 'type=raw,value=x,priority=high'}, real),
  c('tags: sha format', 'tags', {tags: 'type=sha,format=medium'}),
  c('tags: unknown type', 'tags', {tags: 'type=semvr,pattern={{version}}'}, real),
  c('tags: attribute typo', 'tags', {tags: 'type=semver,patern={{version}}'}),
  c('tags: too long', 'tags', {tags: `type=raw,value=${'x'.repeat(140)}`}, real),
  c('tags: match group word', 'tags', {tags: 'type=match,pattern=v(.*),group=one'}),
  c('tags: enable=maybe', 'tags', {tags: 'type=raw,value=x,enable=maybe'}, real),
  c('tags: bad regex in match=', 'tags', {tags: 'type=semver,pattern={{version}},match=v(('}),
  c('tags: date tz', 'tags', {tags: `type=raw,value={{date 'YYYY' tz='Nowhere/City'}}`}, real),
  c('tags: CSV quote', 'tags', {tags: 'type=raw,"value=x'}),
  c('tags: forged value becomes a plain tag', null, {tags: `type=raw,value=${F}`}),
  c('tags: ##[ value', null, {tags: 'type=raw,value=a ##[set-output name=x;]FORGED'}),
  // flavor
  c('flavor: onlatest=maybe', 'flavor', {flavor: 'onlatest=maybe'}, real),
  c('flavor: latest=always', 'flavor', {flavor: 'latest=always'}),
  c('flavor: unknown key', 'flavor', {flavor: 'color=blue'}, real),
  c('flavor: bare word', 'flavor', {flavor: 'latest'}),
  c('flavor: prefix helper', 'flavor', {flavor: `prefix={{shell 'x'}}`, tags: 'type=raw,value=x'}),
  // labels / annotations
  c('labels: empty key', 'labels', {labels: '=value'}, {...real, says: 'the key is empty'}),
  c('labels: helper', 'labels', {labels: `a={{shell 'x'}}`}),
  c('labels: forged command value', null, {labels: `a=${F}\nb=::add-mask::FORGED\n::stop-commands::FORGED`}),
  c('labels: ##[ value', null, {labels: 'a=x ##[add-mask]FORGED'}),
  c('labels: zero-width before ::', null, {labels: 'a=\u200B::warning::FORGED'}),
  c('annotations: empty key', 'annotations', {annotations: ' =v'}, real),
  c('annotations: parse error', 'annotations', {annotations: 'a={{branch'}),
  c('annotations: forged value', null, {annotations: `a=${F}`}),
  // tag-preset / tag-prefix / version / arch-tags
  c('tag-preset: unknown', 'tag-preset', {'tag-preset': 'prod'}, real),
  c('tag-prefix: space', 'tag-prefix', {'tag-prefix': 'stag ing-'}),
  c('tag-prefix: forged', 'tag-prefix', {'tag-prefix': F}, real),
  c('version: not semver', 'version', {version: 'one.two'}, {event: 'ip_dispatch'}),
  c('version: forged', 'version', {version: F}, {...real, event: 'ip_dispatch'}),
  c('arch-tags: 1', 'arch-tags', {'arch-tags': '1'}),
  // platforms
  c('platforms: bare arch', 'platforms', {platforms: 'amd64'}, real),
  c('platforms: twice', 'platforms', {platforms: 'linux/amd64,linux/amd64'}),
  c('platforms: variant of another arch', 'platforms', {platforms: 'linux/amd64/v7'}, real),
  c('platforms: same platform twice spelled apart', 'platforms', {platforms: 'linux/arm64,linux/arm64/v8'}),
  c('platforms: forged', 'platforms', {platforms: F}, real),
  // context / file / target / build-args
  c('context: forged line, missing', 'context', {context: '.\n::set-output name=X::FORGED'}, real),
  c('context: ##[, missing', 'context', {context: 'ctx ##[set-output name=X;]FORGED'}),
  c('file: forged line, missing', 'file', {file: 'Dockerfile\n::add-mask::FORGED'}, real),
  c(
    'context: forged line, present (plan prints it)',
    null,
    {context: '.\n::set-output name=X::FORGED'},
    {
      workspace: {'.\n::set-output name=X::FORGED/Dockerfile': 'FROM scratch\n'}
    }
  ),
  c(
    'context: ##[, present',
    null,
    {context: 'ctx ##[set-output name=X;]FORGED'},
    {
      workspace: {'ctx ##[set-output name=X;]FORGED/Dockerfile': 'FROM scratch\n'}
    }
  ),
  c(
    'file: forged line, present',
    null,
    {file: 'Dockerfile\n::add-mask::FORGED'},
    {
      workspace: {'Dockerfile\n::add-mask::FORGED': 'FROM scratch\n'}
    }
  ),
  c('build-args: no value', 'build-args', {'build-args': 'NOVALUE'}, real),
  c('build-args: empty name', 'build-args', {'build-args': '=x'}),
  c('build-args: forged value', null, {'build-args': `A=${F}\nB=::stop-commands::FORGED`}),
  c('target: forged', null, {target: F}),
  // engine and builder
  c('engine: docker', 'engine', {engine: 'docker'}, real),
  c('engine: forged', 'engine', {engine: F}),
  c('builder-driver: bogus', 'builder-driver', {'builder-driver': 'bogus'}, real),
  c('keep-builder: maybe', 'keep-builder', {'keep-builder': 'maybe'}),
  c('pull: maybe', 'pull', {pull: 'maybe'}, real),
  c('no-cache: maybe', 'no-cache', {'no-cache': 'maybe'}),
  c('isolation: bogus', 'isolation', {engine: 'buildah', isolation: 'bogus'}, real),
  c('provenance: maybe', 'provenance', {provenance: 'maybe'}, {says: 'field "maybe" is not key=value'}),
  c('provenance: mode=maximum', 'provenance', {provenance: 'mode=maximum'}, {...real, says: 'must be min or max'}),
  c('provenance: unknown attribute', 'provenance', {provenance: 'mode=max,mod=min'}, {says: 'unknown attribute "mod"'}),
  c('provenance: type given', 'provenance', {provenance: 'type=sbom'}, real),
  c('provenance: version v2', 'provenance', {provenance: 'version=v2'}, {says: 'must be v0.2 or v1'}),
  c('provenance: forged line', 'provenance', {provenance: `mode=max\n${F}`}, real),
  c('provenance: with buildah', 'provenance', {engine: 'buildah', provenance: 'max'}, real),
  c('sbom: maybe', 'sbom', {sbom: 'maybe'}, {...real, says: 'field "maybe" is not key=value'}),
  c('sbom: generator not a reference', 'sbom', {sbom: 'generator=Bad Image'}, {says: 'is not an image reference'}),
  c('sbom: provenance attribute', 'sbom', {sbom: 'mode=max'}, real),
  c('sbom: disabled=nope', 'sbom', {sbom: 'disabled=nope'}, {says: 'must be true or false'}),
  // registry logins (secrets must never show)
  c('password without registry', 'registry', {registry: '', username: USER, password: PASSWORD}, real),
  c('registry without password', 'password', {registry: '127.0.0.1:9', username: USER, password: ''}),
  c('registry with a path', 'registry', {registry: '127.0.0.1:9/x', username: USER, password: PASSWORD}, real),
  c('registry forged', 'registry', {registry: F, username: USER, password: PASSWORD}, {}),
  c(
    'registry-auth: password cut at a comment',
    'registry-auth',
    {'registry-auth': `- registry: 127.0.0.1:9\n  username: ${USER}\n  password: abc #def`},
    real
  ),
  c('registry-auth: not YAML', 'registry-auth', {'registry-auth': `- registry: [127.0.0.1:9\n  password: ${PASSWORD}`}),
  c(
    'registry-auth: password not a string',
    'registry-auth',
    {'registry-auth': `- registry: 127.0.0.1:9\n  username: ${USER}\n  password: [1, 2]`},
    real
  ),
  c('registry-auth: alias', 'registry-auth', {'registry-auth': `- registry: 127.0.0.1:9\n  password: *x`}),
  c(
    'registry-auth: unknown key',
    'registry-auth',
    {'registry-auth': `- registry: 127.0.0.1:9\n  username: ${USER}\n  passwd: ${JSON.stringify(PASSWORD)}`},
    real
  ),
  c('registry-auth: a map', 'registry-auth', {'registry-auth': `registry: 127.0.0.1:9`}),
  c('insecure-registries: not a host', 'insecure-registries', {'insecure-registries': 'not a host!'}, real),
  // merge / promote
  c('mode: bogus', 'mode', {mode: 'bogus'}),
  c('mode: merge without digests', 'digests', {mode: 'merge', platforms: 'linux/amd64'}, real),
  c('mode: merge without platforms', 'platforms', {mode: 'merge', digests: `${IMAGE}@${D}`}),
  c('digests: short hex', 'digests', {...MERGE, digests: `${IMAGE}@sha256:abc`}, {says: 'is not a digest'}),
  c('digests: a tag', 'digests', {...MERGE, digests: `${IMAGE}:v1`}, real),
  c('digests: other image', 'digests', {...MERGE, digests: `other/app@${D}`}),
  c('digests: forged', 'digests', {...MERGE, digests: `${F}@${D}`}, real),
  c('digests: bare, wrong length', 'digests', {...MERGE, digests: 'sha256:1234'}),
  c('mode: promote without source', 'source', {mode: 'promote'}),
  c('source: not a reference', 'source', {mode: 'promote', source: F}, real),
  // Decision: a tag's existence is a registry fact (resolved at "Resolve the source", after login);
  // the plan checks the reference grammar. A valid tag at a registry that is down blames the registry.
  c(
    'source: a tag at a registry that is down',
    null,
    {mode: 'promote', source: `${IMAGE}:latest`},
    {
      ...real,
      registry: '127.0.0.1:9'
    }
  ),
  c(
    'source: no tag, no digest',
    'source',
    {mode: 'promote', source: IMAGE},
    {...real, says: 'neither a tag nor a digest'}
  ),
  c('source: empty tag', 'source', {mode: 'promote', source: `${IMAGE}:`}, real),
  c('source: short digest', 'source', {mode: 'promote', source: `${IMAGE}@sha256:abc`}, {says: 'is not sha256:'}),
  c(
    'source: port out of range',
    'source',
    {mode: 'promote', source: '127.0.0.1:99999/a/b:v1'},
    {...real, says: '1 to 65535'}
  ),
  c('source: capitals', 'source', {mode: 'promote', source: '127.0.0.1:9/Acme/app:v1'}, real),
  c('resign: maybe', 'resign', {resign: 'maybe'}),
  // scan
  c('scan: maybe', 'scan', {scan: 'maybe'}, real),
  c('fail-on: extreme', 'fail-on', {scan: 'true', 'fail-on': 'extreme'}, {}),
  c('max-critical: many', 'max-critical', {scan: 'true', 'max-critical': 'many'}, real),
  c('max-high: -1', 'max-high', {scan: 'true', 'max-high': '-1'}),
  c('max-medium: 1.5', 'max-medium', {scan: 'true', 'max-medium': '1.5'}, real),
  c('max-low: forged', 'max-low', {scan: 'true', 'max-low': F}),
  c('max-unknown: x', 'max-unknown', {scan: 'true', 'max-unknown': 'x'}, real),
  c('ignore-unfixed: maybe', 'ignore-unfixed', {scan: 'true', 'ignore-unfixed': 'maybe'}),
  c('sbom-format: xml', 'sbom-format', {'sbom-format': 'xml'}, real),
  c('release-assets: maybe', 'release-assets', {'release-assets': 'maybe'}),
  c('trivyignore: missing file', 'trivyignore', {scan: 'true', trivyignore: 'nope/.trivyignore'}, real),
  // signing (cosign-key and cosign-password are secrets)
  c(
    'cosign-key: base64 of a key, not PEM (defect 3)',
    'cosign-key',
    {'cosign-key': PEM_LIKE, 'cosign-password': COSIGN_PASSWORD},
    {...real, secrets: [PEM_LIKE]}
  ),
  // Accepted and unused (no key to open): nothing to refuse, but the password must not leak.
  c('cosign-password without a key', null, {'cosign-password': COSIGN_PASSWORD}),
  c('keyless: maybe', 'keyless', {keyless: 'maybe'}, real),
  c('keyless with a key', 'keyless', {keyless: 'true', 'cosign-key': 'k.key'}),
  c('sign-recursive: maybe', 'sign-recursive', {'sign-recursive': 'maybe'}, real),
  c('tlog-upload: maybe', 'tlog-upload', {'tlog-upload': 'maybe'}),
  c('signature-format: bogus', 'signature-format', {'signature-format': 'bogus'}, real),
  c(
    'cosign-public-key: missing file',
    'cosign-public-key',
    {'cosign-key': 'k.key', 'cosign-public-key': 'nope.pub'},
    {
      ...real,
      workspace: {'k.key': KEY}
    }
  ),
  // tools
  c('trivy-version: latest!', 'trivy-version', {scan: 'true', 'trivy-version': 'latest!'}, real),
  c('trivy-version: a range', 'trivy-version', {scan: 'true', 'trivy-version': '^0.58.1'}, {says: 'exact version'}),
  c('trivy-version: unused, still checked', 'trivy-version', {'trivy-version': '0.58'}, real),
  c('cosign-version: x', 'cosign-version', {'cosign-version': 'x'}),
  c('cosign-version: latest', 'cosign-version', {'cosign-version': 'latest'}, real),
  c('cosign-version: forged', 'cosign-version', {'cosign-version': F}, real),
  c('tool-checksums: not a map', 'tool-checksums', {'tool-checksums': 'trivy: nothex'}, real),
  c('tools-download-base: ftp', 'tools-download-base', {'tools-download-base': 'ftp://example.com', scan: 'true'}),
  c('tools-download-base: no scheme', 'tools-download-base', {'tools-download-base': 'mirror.example'}, real),
  c(
    'tools-download-base: credentials in the URL',
    'tools-download-base',
    {'tools-download-base': 'https://mirror-user:Mirror-Secret-93x@mirror.example/gh', scan: 'true'},
    {...real, says: 'holds credentials', secrets: ['Mirror-Secret-93x']}
  ),
  c('tools-download-base: query', 'tools-download-base', {'tools-download-base': 'https://m.example/?x=1'}, real),
  c('dry-run: yes', 'dry-run', {'dry-run': 'yes'}),
  // policy files
  c('policy: missing', 'policy', {policy: 'nope.yml'}, real),
  c('policy: outside the workspace', 'policy', {policy: '../../../../etc/passwd'}, {says: 'outside'}),
  c(
    'policy: YAML syntax',
    'policy',
    {policy: 'p.yml'},
    {...real, file: 'p.yml:3', workspace: {'p.yml': 'version: 1\nregistries: [\n'}}
  ),
  c(
    'policy: js function tag',
    'policy',
    {policy: 'p.yml'},
    {file: 'p.yml:1', workspace: {'p.yml': 'version: !!js/function "x"\n'}}
  ),
  c(
    'policy: alias bomb',
    'policy',
    {policy: 'p.yml'},
    {
      ...real,
      file: 'p.yml:1',
      workspace: {
        'p.yml': `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n`
      }
    }
  ),
  c(
    'policy: forged in a key',
    'policy',
    {policy: 'p.yml'},
    {file: 'p.yml:2', workspace: {'p.yml': `version: 1\n"${F}": 1\n`}}
  ),
  c('policy: version 2', 'policy', {policy: 'p.yml'}, {...real, file: 'p.yml:1', workspace: {'p.yml': 'version: 2\n'}}),
  // the event payload fields we read
  c(
    'payload: description with commands',
    null,
    {},
    {
      payload: p => ({
        ...p,
        repository: {...(p.repository as object), description: `${F}\n::add-mask::FORGED\r##[set-output name=x;]FORGED`}
      })
    }
  ),
  c(
    'payload: description huge',
    null,
    {},
    {
      payload: p => ({...p, repository: {...(p.repository as object), description: `${F} `.repeat(20000)}})
    }
  ),
  c(
    'payload: topics with commands',
    null,
    {},
    {
      payload: p => ({...p, repository: {...(p.repository as object), topics: [F, '##[add-mask]FORGED']}})
    }
  ),
  c(
    'payload: repository name forged',
    null,
    {},
    {
      payload: p => ({...p, repository: {...(p.repository as object), name: F}})
    }
  ),
  c(
    'payload: license forged',
    null,
    {},
    {
      payload: p => ({...p, repository: {...(p.repository as object), license: {spdx_id: F}}})
    }
  ),
  c(
    'payload: PR head ref with commands',
    null,
    {tags: 'type=ref,event=pr\ntype=raw,value={{base_ref}}'},
    {
      event: 'ip_pull_request',
      payload: p => ({
        ...p,
        pull_request: {
          ...(p.pull_request as object),
          head: {ref: F, sha: 'f'.repeat(40)},
          base: {ref: `${F}\n::add-mask::FORGED`}
        }
      })
    }
  ),
  c('payload: not an object', null, {}, {payload: () => [F] as unknown as Record<string, unknown>}),
  c(
    'payload: base_ref forged',
    null,
    {tags: 'type=raw,value={{base_ref}}'},
    {
      event: 'ip_tag_v1.0.0',
      payload: p => ({...p, base_ref: `refs/heads/${F}`})
    }
  )
];

function caseEnv(k: DistCase): Record<string, string> {
  const fx = loadEvent(k.event ?? 'ip_push_main');
  const env: Record<string, string> = {
    ...fx.env,
    SOURCE_DATE_EPOCH: FIXED_EPOCH,
    GITHUB_API_URL: 'http://127.0.0.1:9',
    GITHUB_SERVER_URL: 'http://127.0.0.1:9'
  };
  return env;
}

function caseInputs(k: DistCase): Record<string, string> {
  const inputs: Record<string, string> = {
    images: IMAGE,
    'github-token': TOKEN,
    registry: '127.0.0.1:9',
    username: USER,
    password: PASSWORD,
    ...k.inputs
  };
  if (!k.real) inputs['dry-run'] = inputs['dry-run'] ?? 'true';
  return inputs;
}

/** What is wrong with one run, as readable lines (empty: the case holds). */
function problems(k: DistCase, run: RawRun): string[] {
  const out: string[] = [];
  const errors = errorLines(run.stdout);
  if (k.gap) {
    // Accepted or refused late: only the safety checks below hold it.
  } else if (k.registry) {
    if (run.code !== 1) out.push(`exit ${run.code}, expected 1`);
    if (!errors.some(e => e.includes(`registry ${k.registry}`))) out.push(`no error names registry ${k.registry}`);
    if (errors.some(e => /\binput "/i.test(e)))
      out.push(`an input is blamed for a registry fact: ${errors.join(' | ')}`);
  } else if (k.blame === null) {
    if (run.code !== 0) out.push(`exit ${run.code}, expected 0; errors: ${errors.join(' | ').slice(0, 500)}`);
  } else {
    if (run.code !== 1) out.push(`exit ${run.code}, expected 1`);
    // `Input "x"`, `nope.yml: input "policy"` and `Inputs "a" and "x"` all name it; a policy-content
    // refusal names the file and line instead (src/policy/load.ts PolicyError).
    const quoted = `"${k.blame}"`;
    const names = (e: string): boolean =>
      k.file !== undefined
        ? e.startsWith(`${k.file}:`)
        : e.toLowerCase().includes(`input ${quoted}`) || (/^Inputs "/.test(e) && e.includes(quoted));
    if (!k.gap && !errors.some(names))
      out.push(`no error names ${k.file ?? `Input ${quoted}`}: ${errors.join(' | ').slice(0, 500)}`);
    if (k.says && !errors.some(e => e.includes(k.says as string))) out.push(`no error says "${k.says}"`);
  }
  if (k.real && !k.gap && !k.registry && /^::group::Login/m.test(run.stdout))
    out.push('a real run reached the Login group');
  for (const f of forgedCommands(run.stdout)) out.push(`forged command on stdout: ${JSON.stringify(f.slice(0, 200))}`);
  for (const l of leaks(run, [...SECRETS, ...(k.secrets ?? [])], [USER])) out.push(`secret leak: ${l}`);
  return out;
}

describe('bad-input corpus (dist/index.js)', () => {
  const dist = path.join(ROOT, 'dist/index.js');
  it('has at least 100 cases over the inputs of action.yml', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(CASES.map(k => k.id)).size).toBe(CASES.length);
    expect(fs.existsSync(dist)).toBe(true);
  });

  // One test runs them all in parallel batches (the machine has 2 cores); the failure lists every
  // case that broke, with what broke, so one run shows the whole picture.
  it('every case fails safe', async () => {
    // CORPUS_ONLY=<substring> runs the matching cases only (when working on one input).
    const only = process.env.CORPUS_ONLY;
    const chosen = only ? CASES.filter(k => k.id.includes(only)) : CASES;
    const runs = await pool(chosen, 4, async k => {
      const fx = loadEvent(k.event ?? 'ip_push_main');
      const run = await runRaw({
        env: caseEnv(k),
        inputs: caseInputs(k),
        payload: k.payload ? k.payload(fx.payload) : fx.payload,
        workspace: {Dockerfile: 'FROM scratch\n', ...k.workspace},
        // A real run is followed by its post step: no credentials file may remain after it.
        post: k.real
      });
      return {k, run, problems: problems(k, run)};
    });
    if (process.env.CORPUS_DUMP) {
      const rows = runs.map(r => ({
        id: r.k.id,
        ms: r.run.ms,
        code: r.run.code,
        problems: r.problems,
        errors: errorLines(r.run.stdout)
      }));
      fs.writeFileSync(process.env.CORPUS_DUMP, JSON.stringify(rows, null, 1));
    }
    if (only) {
      expect(runs.filter(r => r.problems.length > 0).map(r => `${r.k.id}:\n  ${r.problems.join('\n  ')}`)).toEqual([]);
      return;
    }
    const broken = runs.filter(r => r.problems.length > 0).map(r => `${r.k.id}:\n  ${r.problems.join('\n  ')}`);
    expect(broken).toEqual([]);
    // Known gaps are reported, not hidden: the lead routes them (see the gap field).
    const gaps = runs.filter(r => r.k.gap).map(r => `${r.k.id}: ${r.k.gap}`);
    expect(gaps).toEqual([]);
    // The corpus must exercise both outcomes and real runs; counted so a table edit cannot hollow it out.
    expect(runs.filter(r => r.k.blame !== null).length).toBeGreaterThanOrEqual(90);
    expect(runs.filter(r => r.k.real).length).toBeGreaterThanOrEqual(40);
  }, 600000);
});

describe('bad-input corpus (tool outputs)', () => {
  it.each([
    [
      'trivy: not JSON',
      () => parseTrivyReport('::warning::FORGED', 'trivy report for x'),
      'trivy report for x: not a trivy JSON report'
    ],
    ['trivy: array', () => parseTrivyReport('[]', 'trivy report'), 'no SchemaVersion'],
    ['trivy: schema 3', () => parseTrivyReport('{"SchemaVersion":3}', 'trivy report'), 'schema 3 is not supported'],
    [
      'trivy: Results a map',
      () => parseTrivyReport('{"SchemaVersion":2,"Results":{}}', 'trivy report'),
      'Results is not a list'
    ],
    [
      'trivy: unknown severity',
      () =>
        parseTrivyReport(
          '{"SchemaVersion":2,"Results":[{"Target":"t","Vulnerabilities":[{"VulnerabilityID":"CVE-1","PkgName":"p","Severity":"APOCALYPTIC"}]}]}',
          'trivy report'
        ),
      'unknown severity "APOCALYPTIC"'
    ],
    [
      'trivy: no id',
      () =>
        parseTrivyReport(
          '{"SchemaVersion":2,"Results":[{"Target":"t","Vulnerabilities":[{"PkgName":"p","Severity":"HIGH"}]}]}',
          'trivy report'
        ),
      'has no VulnerabilityID or PkgName'
    ],
    [
      'buildx metadata: no digest',
      () => parseBuildxMetadata('{"buildx.build.ref":"x"}'),
      'buildx metadata has no containerimage.digest'
    ],
    [
      'buildx metadata: short digest',
      () => parseBuildxMetadata('{"containerimage.digest":"sha256:abc"}'),
      'buildx metadata has no containerimage.digest'
    ],
    [
      'buildx metadata: digest not a string',
      () => parseBuildxMetadata('{"containerimage.digest":["sha256:x"]}'),
      'buildx metadata has no containerimage.digest'
    ],
    [
      'cosign verify: no JSON',
      () => parseVerifyOutput('::warning::FORGED\nok'),
      'cosign verify printed no JSON payload list'
    ],
    ['cosign version: nothing', () => parseCosignVersion('hello'), 'cannot read the cosign version'],
    ['policy: not a mapping', () => parsePolicy('- 1\n- 2\n', 'policy.yml'), 'policy.yml']
  ])('%s is refused naming its source', (_name, fn, message) => {
    expect(fn).toThrow(message);
  });

  it.each([
    [
      'a signature for another digest',
      `[{"critical":{"type":"cosign container image signature","image":{"docker-manifest-digest":"sha256:${'a'.repeat(64)}"}}}]`
    ],
    [
      'an attestation only',
      `[{"critical":{"type":"https://in-toto.io/Statement/v0.1","image":{"docker-manifest-digest":"${D}"}}}]`
    ],
    ['no critical section', '[{}]'],
    ['an empty list', '[]']
  ])('cosign verify output with %s does not count as signed', (_name, stdout) => {
    expect(hasSignatureFor(parseVerifyOutput(stdout), D)).toBe(false);
  });
});

describe('the corpus checkers can fail', () => {
  const T = 'a'.repeat(32);
  it.each([
    ['::group::Plan\n::endgroup::\n::error::Input "x": ::warning::FORGED', []],
    ['::warning::FORGED', []],
    ['::set-output name=x::1', ['::set-output name=x::1']],
    ['  ::save-state name=x::1', ['  ::save-state name=x::1']],
    ['\u200B::set-env name=x::1', ['\u200B::set-env name=x::1']],
    ['ok\r::add-path::/x', ['::add-path::/x']],
    ['::add-mask::FORGED', ['::add-mask::FORGED']],
    ['text ##[set-output name=x;]1', ['text ##[set-output name=x;]1']],
    [`::stop-commands::${T}\n::set-output name=x::1\n::${T}::\n`, []],
    [`::stop-commands::${T}\n::set-output name=x::1`, [`(stop-commands ${T} never ended)`]],
    ['::stop-commands::FORGED', ['::stop-commands::FORGED']],
    ['%3A:warning::x and %23#[x]', []]
  ])('forgedCommands(%j)', (stdout, bad) => {
    expect(forgedCommands(stdout)).toEqual(bad);
  });

  const run = (over: Partial<RawRun>): RawRun => ({
    code: 1,
    stdout: '',
    stderr: '',
    files: {output: '', env: '', state: '', summary: ''},
    outputs: {},
    leftovers: {},
    ms: 0,
    ...over
  });
  it.each([
    [run({stdout: `::add-mask::${TOKEN}`}), []],
    [run({stdout: `token ${TOKEN}`}), ['stdout holds the secret']],
    [run({stderr: Buffer.from(TOKEN).toString('base64')}), ['stderr holds a form of it (Z2hzX0Nv…)']],
    [
      run({leftovers: {'x/config.json': `{"auth":"${Buffer.from(`${USER}:${TOKEN}`).toString('base64')}"}`}}),
      // `corpus-user:` is 12 bytes, so the token's own base64 is inside too.
      [
        'RUNNER_TEMP/x/config.json holds a form of it (Z2hzX0Nv…)',
        'RUNNER_TEMP/x/config.json holds a form of it (Y29ycHVz…)'
      ]
    ],
    [
      run({files: {output: '', env: '', state: encodeURIComponent(PASSWORD), summary: ''}}),
      ['GITHUB_STATE holds a form of it (pw-Corpu…)']
    ]
  ])('leaks finds %#', (r, found) => {
    expect(leaks(r, SECRETS, [USER])).toEqual(found);
  });
});
