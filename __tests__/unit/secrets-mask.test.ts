// Masking: every secret input and every form derived from it is registered before anything prints.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterEach, beforeEach, describe, expect, it, jest} from '@jest/globals';
import {getInputs} from '../../src/inputs.js';
import {mergeDockerConfig} from '../../src/login/credentials.js';
import {maskSecret, maskSecretOrFile, secretForms} from '../../src/secrets.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const b64url = (s: string): string => Buffer.from(s).toString('base64url');
/** True when some masked form covers `text` wherever it shows inside `printed`. */
const covered = (masked: string[], printed: string): boolean => masked.some(m => m !== '' && printed.includes(m));

describe('secretForms', () => {
  const pw = 'hunter2 #with/+specials"\\';
  it.each([
    ['the value', pw],
    ['base64', b64(pw)],
    ['base64url', b64url(pw)],
    ['JSON-escaped', JSON.stringify(pw).slice(1, -1)],
    ['URL-escaped', encodeURIComponent(pw)],
    ['inside a docker auth (offset 5)', b64(`user:${pw}`)],
    ['inside a docker auth (offset 4)', b64(`abc:${pw}`)],
    ['inside a docker auth (offset 3)', b64(`ab:${pw}`)]
  ])('covers %s', (_what, printed) => {
    expect(covered(secretForms(pw), printed)).toBe(true);
  });
  it('masks each line of a multi-line value, and the base64 of each', () => {
    const key =
      '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nZXlKcmNHWWlPbnNpYm1GdFpTSTZJ\nQUJDREVGR0hJSktMTU5PUA==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n';
    const forms = secretForms(key);
    expect(forms).toEqual(
      expect.arrayContaining([key, 'ZXlKcmNHWWlPbnNpYm1GdFpTSTZJ', 'QUJDREVGR0hJSktMTU5PUA==', b64(key)])
    );
  });
  it('masks a short whole value but no short piece of it', () => {
    expect(secretForms('pw')).toEqual(['pw']);
    expect(secretForms('   ')).toEqual([]);
  });
  it('maskSecret registers every form', () => {
    const got: string[] = [];
    maskSecret('s3cr3t-value', s => got.push(s));
    expect(got).toEqual(secretForms('s3cr3t-value'));
  });
});

describe('maskSecretOrFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-'));
  const keyFile = path.join(dir, 'cosign.key');
  fs.writeFileSync(keyFile, '-----BEGIN KEY-----\nQUFBQUFBQUFBQUFBQUFB\n-----END KEY-----\n');
  it.each([
    ['a file path: the path and the file content', keyFile, [keyFile, 'QUFBQUFBQUFBQUFBQUFB']],
    ['base64 of a key (not PEM, no file)', b64('-----BEGIN KEY-----\nabc'), [b64('-----BEGIN KEY-----\nabc')]],
    ['a KMS URI', 'awskms:///arn:aws:kms:us-east-1:1:key/x', ['awskms:///arn:aws:kms:us-east-1:1:key/x']]
  ])('%s', (_what, value, expected) => {
    const got: string[] = [];
    maskSecretOrFile(value, s => got.push(s));
    expect(got).toEqual(expect.arrayContaining(expected));
  });
});

describe('getInputs masks before parsing', () => {
  const saved = {...process.env};
  let out: string[];
  beforeEach(() => {
    out = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      out.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.env = {...saved};
  });
  const masked = (): string[] =>
    out
      .join('')
      .split('\n')
      .filter(l => l.startsWith('::add-mask::'))
      .map(l => l.slice('::add-mask::'.length));
  const unescape = (s: string): string => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');

  it.each([
    ['github-token', 'ghs_tokenvalue123', ['ghs_tokenvalue123', b64('ghs_tokenvalue123')]],
    ['cosign-password', 'pa ss #word', ['pa ss #word', b64('pa ss #word')]],
    ['cosign-key', b64('not-pem-key-material'), [b64('not-pem-key-material'), b64(b64('not-pem-key-material'))]],
    ['password', '*&!@ weird #pw', ['*&!@ weird #pw']],
    ['registry-auth', '- registry: quay.io\n  username: bot\n  password: "p #1"\n', ['p #1', b64('bot:p #1')]],
    // Unparseable YAML: the text after `password:` is masked anyway.
    ['registry-auth', '- registry: quay.io\n  username: bot\n  password: *alias-like\n', ['*alias-like']]
  ])('%s', (name, value, expected) => {
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    try {
      getInputs();
    } catch {
      // A refusal comes after the masking, which is what this checks.
    }
    expect(masked().map(unescape)).toEqual(expect.arrayContaining(expected));
  });
  it('registry + username + password: the docker auth of the pair is masked', () => {
    Object.assign(process.env, {INPUT_REGISTRY: 'quay.io', INPUT_USERNAME: 'acme+ci', INPUT_PASSWORD: 'tok #x'});
    const inputs = getInputs();
    expect([inputs.registry, inputs.username, inputs.password]).toEqual(['quay.io', 'acme+ci', 'tok #x']);
    const auth = mergeDockerConfig(undefined, [{registry: 'quay.io', username: 'acme+ci', password: 'tok #x'}]).auths?.[
      'quay.io'
    ]?.auth as string;
    expect(covered(masked().map(unescape), auth)).toBe(true);
  });
});
