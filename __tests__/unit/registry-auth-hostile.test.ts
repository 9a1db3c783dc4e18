// Pasted secrets in registry-auth: refused when YAML bent them, never echoed; the single-login inputs.
import {describe, expect, it} from '@jest/globals';
import {explicitCredentials, parseRegistryAuth} from '../../src/plan/registry-auth.js';

const PW = 'Zq9-secret';
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const entry = (password: string, extra = ''): string =>
  `- registry: quay.io\n  username: acme+ci\n  password: ${password}${extra}\n`;
const HINT = 'password: ${{ toJSON(secrets.X) }}';

/** The message of what `fn` throws; '' when it does not throw. */
const thrown = (fn: () => unknown): string => {
  try {
    fn();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
};

describe('registry-auth with pasted secrets', () => {
  it.each([
    [
      '" #" inside an unquoted password',
      entry(`${PW} #tail`),
      'Input "registry-auth" entry 1: "password" is followed by " #...", which YAML cut off as a comment'
    ],
    ['a tab before "#"', entry(`${PW}\t#tail`), '"password" is followed by " #..."'],
    [
      'a password starting with "#"',
      entry(`#${PW}`),
      'Input "registry-auth" entry 1: "password" is empty: the value starts with "#"'
    ],
    ['a leading "*" (alias)', entry(`*${PW}`), 'Input "registry-auth" is not valid YAML (line 3)'],
    [
      'a leading "&" (anchor) with a space',
      entry(`&${PW} rest`),
      'Input "registry-auth" entry 1: "password" begins with "&"'
    ],
    ['a leading "&" alone', entry(`&${PW}`), 'Input "registry-auth" entry 1: "password" begins with "&"'],
    ['a leading "!" (tag)', entry(`!${PW}`), 'Input "registry-auth" is not valid YAML'],
    ['a leading "!" with a space', entry(`!${PW} x`), 'Input "registry-auth" is not valid YAML'],
    ['a leading "@"', entry(`@${PW}`), 'Input "registry-auth" is not valid YAML (line 3)'],
    ['a leading "`"', entry(`\`${PW}`), 'Input "registry-auth" is not valid YAML (line 3)'],
    ['an unclosed quote', entry(`"${PW}`), 'Input "registry-auth" is not valid YAML'],
    ['": " inside', entry(`${PW}: x`), 'Input "registry-auth" is not valid YAML (line 3)'],
    ['a number', entry('0123456'), 'Input "registry-auth" entry 1: "password" must be a string'],
    ['true', entry('true'), 'Input "registry-auth" entry 1: "password" must be a string'],
    ['a flow mapping', entry(`{${PW}}`), 'Input "registry-auth" entry 1: "password" must be a string'],
    ['a flow list', entry(`[${PW}]`), 'Input "registry-auth" entry 1: "password" must be a string'],
    [
      'a numeric username',
      '- registry: quay.io\n  username: 12345\n  password: x\n',
      'Input "registry-auth" entry 1: "username" must be a string'
    ],
    [
      'an entry that is not a mapping',
      `- ${PW}\n`,
      'Input "registry-auth" entry 1: must be a mapping of registry, username, password'
    ],
    [
      'the second entry',
      `- registry: a.io\n  username: u\n  password: ok\n${entry(`${PW} #x`)}`,
      'Input "registry-auth" entry 2: "password" is followed by'
    ]
  ])('%s is refused without the password', (_what, text, message) => {
    const msg = thrown(() => parseRegistryAuth(text));
    expect(msg).toContain(message);
    for (const form of [PW, b64(PW), b64(`acme+ci:${PW}`), 'tail']) expect(msg).not.toContain(form);
  });
  it.each([
    ['the safe toJSON form with " #" and a leading "*"', entry(JSON.stringify(`*${PW} #tail`)), `*${PW} #tail`],
    ['single quotes', entry(`'&${PW} #x'`), `&${PW} #x`],
    ['a comment after a quoted password', entry(`"${PW}"`, ' # the CI robot'), PW],
    ['a "#" without a space before it', entry(`${PW}#x`), `${PW}#x`],
    ['a plain password', entry(PW), PW]
  ])('%s is read exactly', (_what, text, password) => {
    expect(parseRegistryAuth(text)).toEqual([{registry: 'quay.io', username: 'acme+ci', password}]);
  });
  it('a comment after the username is a comment', () => {
    expect(parseRegistryAuth(`- registry: quay.io\n  username: acme+ci # robot\n  password: "${PW}"\n`)).toEqual([
      {registry: 'quay.io', username: 'acme+ci', password: PW}
    ]);
  });
});

describe('registry, username and password inputs', () => {
  const single = (registry: string, username: string, password: string) => ({registry, username, password});
  it.each([
    [
      'alone',
      '',
      single('quay.io', 'acme+ci', `*&!@ ${PW} #x`),
      [{registry: 'quay.io', username: 'acme+ci', password: `*&!@ ${PW} #x`}]
    ],
    [
      'next to registry-auth, first',
      '- registry: ghcr.io\n  username: octo\n  password: pat\n',
      single(' docker.io ', 'hub', PW),
      [
        {registry: 'docker.io', username: 'hub', password: PW},
        {registry: 'ghcr.io', username: 'octo', password: 'pat'}
      ]
    ],
    ['none given', '', single('', '', ''), []]
  ])('%s', (_what, list, one, expected) => {
    expect(explicitCredentials(list, one)).toEqual(expected);
  });
  it.each([
    [
      'password without username',
      single('quay.io', '', PW),
      'Input "username" is required with "registry" and "password"'
    ],
    [
      'username and password without registry',
      single('', 'u', PW),
      'Input "registry" is required with "username" and "password"'
    ],
    ['registry alone', single('quay.io', '', ''), 'Input "username" is required with "registry"'],
    [
      'a URL for registry',
      single('https://quay.io', 'u', PW),
      'Input "registry": "registry" is a host[:port] such as quay.io'
    ],
    [
      'a bad Quay robot',
      single('quay.io', 'Org+Bot', PW),
      'Input "registry" (quay.io): a Quay robot account is "<organization>+<name>"'
    ]
  ])('%s is refused', (_what, one, message) => {
    const msg = thrown(() => explicitCredentials('', one));
    expect(msg).toContain(message);
    expect(msg).not.toContain(PW);
  });
  it('the same registry in both is an error naming both inputs', () => {
    const msg = thrown(() =>
      explicitCredentials(
        `- registry: a.io\n  username: u\n  password: p\n${entry('other')}`,
        single('quay.io', 'x', PW)
      )
    );
    expect(msg).toBe('Inputs "registry" and "registry-auth" (entry 2) both give credentials for quay.io: keep one');
  });
  it('a registry-auth error still names the entry when both are given', () => {
    expect(thrown(() => explicitCredentials(entry(`${PW} #x`), single('a.io', 'u', 'p')))).toContain(
      'Input "registry-auth" entry 1: "password" is followed by'
    );
  });
  it('says how to write a list safely', () => {
    expect(thrown(() => parseRegistryAuth(entry(`${PW} #x`)))).toContain(HINT);
  });
});
