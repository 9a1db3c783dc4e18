// The bed's token-auth registries (distribution 2.8 `auth: token` behind the bed's token issuer), in
// both realm styles: on another host name (Docker Hub) and on the registry's own origin (GHCR/Quay).
// The issuer speaks the Docker token protocol; the registry enforces what the token grants.
import {describe, it, expect, beforeAll} from '@jest/globals';
import {
  type BedTokenRegistry,
  type GrownBed,
  cosignSignArgs,
  cosignVerifyArgs,
  requireGrownBed,
  run,
  runResult,
  uniqueTag
} from './bed.js';
import {basicAuth, dockerConfigWith, jwtClaims, parseChallenge, request} from './bed-http.js';

let bed: GrownBed;
beforeAll(() => {
  bed = requireGrownBed();
});

const styles = ['hub', 'origin'] as const;

function reg(style: (typeof styles)[number]): BedTokenRegistry {
  return bed.tokenRegistries[style];
}

async function getToken(r: BedTokenRegistry, scopes: string[], auth?: string) {
  const q = new URLSearchParams({service: r.service});
  for (const s of scopes) q.append('scope', s);
  return request(bed, `${r.realm}?${q}`, {headers: auth ? {Authorization: auth} : {}});
}

// the index only (no --recursive): exactly one signature, so one sha256- tag on distribution
const signArgs = (ref: string) => cosignSignArgs(bed, ref).filter(a => a !== '--recursive');

function access(body: string) {
  return jwtClaims((JSON.parse(body) as {token: string}).token).access;
}

describe.each(styles)('token registry, %s realm', style => {
  it('challenges with its realm and service', async () => {
    const r = reg(style);
    expect(new URL(r.realm).host).toBe(style === 'hub' ? `localhost:${new URL(r.realm).port}` : r.host);
    const res = await request(bed, `https://${r.host}/v2/`);
    expect(res.status).toBe(401);
    expect(parseChallenge(res.headers['www-authenticate'])).toEqual({realm: r.realm, service: r.service});
  });

  it.each([
    [
      'pusher, two scopes',
      'pusher',
      ['repository:bed/a:pull,push', 'repository:bed/b:pull'],
      [
        {type: 'repository', name: 'bed/a', actions: ['pull', 'push']},
        {type: 'repository', name: 'bed/b', actions: ['pull']}
      ]
    ],
    [
      'puller asking for push gets pull only',
      'puller',
      ['repository:bed/a:pull,push'],
      [{type: 'repository', name: 'bed/a', actions: ['pull']}]
    ],
    [
      'anonymous: pull on a public repository',
      'anonymous',
      ['repository:public/a:pull,push'],
      [{type: 'repository', name: 'public/a', actions: ['pull']}]
    ],
    ['anonymous: nothing on a private repository', 'anonymous', ['repository:bed/a:pull'], []],
    ['pusher: catalog', 'pusher', ['registry:catalog:*'], [{type: 'registry', name: 'catalog', actions: ['*']}]]
  ] as const)('GET token: %s', async (_name, who, scopes, want) => {
    const r = reg(style);
    const auth = who === 'anonymous' ? undefined : basicAuth(bed.tokenRegistries[who]);
    const res = await getToken(r, [...scopes], auth);
    expect(res.status).toBe(200);
    const claims = jwtClaims((JSON.parse(res.body) as {token: string}).token);
    expect(claims).toMatchObject({
      iss: bed.tokenRegistries.issuer,
      aud: r.service,
      sub: who === 'anonymous' ? '' : bed.tokenRegistries[who].username
    });
    expect(claims.access).toEqual(want);
  });

  it('refuses a wrong password with 401 (GET and OAuth2 POST), never an anonymous token', async () => {
    const r = reg(style);
    const bad = {username: bed.tokenRegistries.pusher.username, password: 'wrong'};
    const get = await getToken(r, ['repository:public/a:pull'], basicAuth(bad));
    expect(get.status).toBe(401);
    expect(JSON.parse(get.body)).toMatchObject({errors: [{code: 'UNAUTHORIZED'}]});
    const post = await request(bed, r.realm, {
      method: 'POST',
      headers: {'Content-Type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams({
        grant_type: 'password',
        username: bad.username,
        password: 'wrong',
        service: r.service,
        scope: 'repository:bed/a:pull',
        client_id: 'test'
      }).toString()
    });
    expect(post.status).toBe(401);
  });

  it('OAuth2 POST: password grant returns a refresh token that a refresh_token grant accepts', async () => {
    const r = reg(style);
    const form = (p: Record<string, string>) => ({
      method: 'POST',
      headers: {'Content-Type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams({service: r.service, client_id: 'test', ...p}).toString()
    });
    const {username, password} = bed.tokenRegistries.pusher;
    const first = await request(
      bed,
      r.realm,
      form({grant_type: 'password', username, password, scope: 'repository:bed/a:pull,push repository:bed/b:pull'})
    );
    expect(first.status).toBe(200);
    const body = JSON.parse(first.body) as {access_token: string; refresh_token: string; expires_in: number};
    expect(body.expires_in).toBe(300);
    expect(jwtClaims(body.access_token).access).toEqual([
      {type: 'repository', name: 'bed/a', actions: ['pull', 'push']},
      {type: 'repository', name: 'bed/b', actions: ['pull']}
    ]);
    const again = await request(
      bed,
      r.realm,
      form({grant_type: 'refresh_token', refresh_token: body.refresh_token, scope: 'repository:bed/c:push'})
    );
    expect(again.status).toBe(200);
    expect(access(again.body)).toEqual([{type: 'repository', name: 'bed/c', actions: ['push']}]);
  });

  it('the registry answers a pull-only token on an upload with insufficient_scope naming the scope', async () => {
    const r = reg(style);
    const tok = await getToken(r, ['repository:bed/scope-check:pull,push'], basicAuth(bed.tokenRegistries.puller));
    const token = (JSON.parse(tok.body) as {token: string}).token;
    const res = await request(bed, `https://${r.host}/v2/bed/scope-check/blobs/uploads/`, {
      method: 'POST',
      headers: {Authorization: `Bearer ${token}`}
    });
    expect(res.status).toBe(401);
    const {scope, ...rest} = parseChallenge(res.headers['www-authenticate']);
    expect(rest).toEqual({realm: r.realm, service: r.service, error: 'insufficient_scope'});
    // distribution lists the actions in map order: compare them as a set
    const [type, name, actions] = scope.split(':');
    expect([type, name, actions.split(',').sort()]).toEqual(['repository', 'bed/scope-check', ['pull', 'push']]);
  });

  it('regctl: pusher pushes, puller and anonymous read what they may, puller cannot push', () => {
    const r = reg(style);
    const src = `${bed.images.busybox.ref.replace(/:[^:/]+$/, '')}@${bed.images.busybox.digest}`;
    const tag = uniqueTag();
    const priv = `${r.host}/bed-test/token-${style}`;
    const pub = `${r.host}/${bed.tokenRegistries.publicPrefix}token-${style}`;
    const pusher = dockerConfigWith(bed, {[r.host]: bed.tokenRegistries.pusher});
    const puller = dockerConfigWith(bed, {[r.host]: bed.tokenRegistries.puller});
    const anonymous = dockerConfigWith(bed, {});
    for (const repo of [priv, pub])
      run(bed, 'regctl', ['image', 'copy', src, `${repo}:${tag}`], {env: {DOCKER_CONFIG: pusher}});

    const digestAs = (cfg: string, ref: string) =>
      runResult(bed, 'regctl', ['image', 'digest', ref], {env: {DOCKER_CONFIG: cfg}});
    expect(digestAs(pusher, `${priv}:${tag}`).stdout.trim()).toBe(bed.images.busybox.digest);
    expect(digestAs(puller, `${priv}:${tag}`).stdout.trim()).toBe(bed.images.busybox.digest);
    expect(digestAs(anonymous, `${pub}:${tag}`).stdout.trim()).toBe(bed.images.busybox.digest);
    expect(digestAs(anonymous, `${priv}:${tag}`).status).not.toBe(0);

    const denied = runResult(bed, 'regctl', ['image', 'copy', src, `${priv}:${tag}-puller`], {
      env: {DOCKER_CONFIG: puller}
    });
    expect(denied.status).not.toBe(0);
    const tags = run(bed, 'regctl', ['tag', 'ls', priv], {env: {DOCKER_CONFIG: pusher}})
      .split('\n')
      .filter(t => t.startsWith(tag));
    expect(tags).toEqual([tag]);
  });

  it('cosign signs as pusher, verifies as puller; on distribution the signature is a sha256- tag', () => {
    const r = reg(style);
    const repo = `${r.host}/bed-test/cosign-${style}`;
    const pusher = dockerConfigWith(bed, {[r.host]: bed.tokenRegistries.pusher});
    const puller = dockerConfigWith(bed, {[r.host]: bed.tokenRegistries.puller});
    const src = `${bed.images.clean.ref.replace(/:[^:/]+$/, '')}@${bed.images.clean.digest}`;
    const tag = uniqueTag();
    run(bed, 'regctl', ['image', 'copy', src, `${repo}:${tag}`], {env: {DOCKER_CONFIG: pusher}});
    const digest = run(bed, 'regctl', ['image', 'digest', `${repo}:${tag}`], {env: {DOCKER_CONFIG: pusher}}).trim();
    expect(digest).toBe(bed.images.clean.digest);
    const signed = `${repo}@${digest}`;
    run(bed, 'cosign', signArgs(signed), {
      env: {DOCKER_CONFIG: pusher, COSIGN_PASSWORD: bed.cosign.password}
    });

    const denied = runResult(bed, 'cosign', signArgs(signed), {
      env: {DOCKER_CONFIG: puller, COSIGN_PASSWORD: bed.cosign.password}
    });
    expect(denied.status).not.toBe(0);

    const ok = runResult(bed, 'cosign', cosignVerifyArgs(bed, signed), {env: {DOCKER_CONFIG: puller}});
    expect(`${ok.status}\n${ok.stderr}`).toMatch(/^0\n/);
    const payload = JSON.parse(ok.stdout) as {critical: {image: {'docker-manifest-digest': string}}}[];
    expect([...new Set(payload.map(p => p.critical.image['docker-manifest-digest']))]).toEqual([digest]);

    // no referrers API on distribution 2.8: the signature hangs off a tag named after the digest
    const tags = run(bed, 'regctl', ['tag', 'ls', repo], {env: {DOCKER_CONFIG: puller}})
      .split('\n')
      .filter(Boolean);
    expect(tags.filter(t => t.startsWith('sha256-')).map(t => t.replace(/\.sig$/, ''))).toEqual([
      digest.replace(':', '-')
    ]);
  });
});
