// Docker token issuer for the image-publish test bed (distribution `auth: token`), node:* only.
//   node token-server.mjs CONFIG.json
// CONFIG: {issuer, key, cert, ttl, accounts: {user: {password, actions}}, publicPrefixes: ["public/"],
//          listeners: [{host, port, tls: {cert, key}, services: [...], proxy?: "http://127.0.0.1:PORT"}]}
// A listener answers GET/POST /token; with `proxy` every other request is streamed to that registry,
// so the realm sits on the registry's own origin (GHCR/Quay/Harbor style).
// Tokens: RS256 JWT, header x5c = the certificate the registry has in its rootcertbundle.
// Granted actions = requested ∩ what the account may do; anonymous = pull on public repositories;
// wrong credentials = 401 (a client must not get an anonymous token for a bad password).
/* global process, Buffer, URL, URLSearchParams */
import {createHash, createPrivateKey, randomBytes, sign, timingSafeEqual, X509Certificate} from 'node:crypto';
import {readFileSync} from 'node:fs';
import http from 'node:http';
import https from 'node:https';

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const key = createPrivateKey(readFileSync(cfg.key));
const certDer = new X509Certificate(readFileSync(cfg.cert)).raw;
const ttl = cfg.ttl ?? 300;
const refreshTokens = new Map(); // opaque refresh token -> user (OAuth2 password grant, as buildkit uses)

const b64url = b => Buffer.from(b).toString('base64url');
const log = msg => process.stderr.write(`${new Date().toISOString()} ${msg}\n`);

function jwt(claims) {
  const header = b64url(JSON.stringify({alg: 'RS256', typ: 'JWT', x5c: [certDer.toString('base64')]}));
  const body = b64url(JSON.stringify(claims));
  const sig = sign('sha256', Buffer.from(`${header}.${body}`), key);
  return `${header}.${body}.${b64url(sig)}`;
}

function passwordOk(user, password) {
  const acct = cfg.accounts[user];
  if (!acct || typeof password !== 'string') return false;
  const h = s => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(acct.password), h(password));
}

/** "repository:ns/name:pull,push" -> {type, name, actions}; the name may itself contain ':' (never here). */
function parseScope(s) {
  const first = s.indexOf(':');
  const last = s.lastIndexOf(':');
  if (first < 0 || last === first) return undefined;
  return {
    type: s.slice(0, first),
    name: s.slice(first + 1, last),
    actions: s
      .slice(last + 1)
      .split(',')
      .filter(Boolean)
  };
}

function allowed(user, scope) {
  if (scope.type === 'registry') return user && cfg.accounts[user].actions.includes('*') ? ['*'] : [];
  if (!scope.type.startsWith('repository')) return [];
  if (user) return cfg.accounts[user].actions;
  return (cfg.publicPrefixes ?? []).some(p => scope.name.startsWith(p)) ? ['pull'] : [];
}

function grant(user, scopes) {
  const access = [];
  for (const raw of scopes) {
    const scope = parseScope(raw);
    if (!scope) continue;
    const may = allowed(user, scope);
    const actions = scope.actions.filter(a => may.includes(a) || (a !== '*' && may.includes('*')));
    if (actions.length > 0) access.push({type: scope.type, name: scope.name, actions});
  }
  return access;
}

function issue(res, user, service, scopes, withRefresh) {
  const now = Math.floor(Date.now() / 1000);
  const access = grant(user, scopes);
  const token = jwt({
    iss: cfg.issuer,
    sub: user ?? '',
    aud: service,
    exp: now + ttl,
    nbf: now - 10,
    iat: now,
    jti: randomBytes(12).toString('hex'),
    access
  });
  const body = {token, access_token: token, expires_in: ttl, issued_at: new Date(now * 1000).toISOString()};
  if (withRefresh && user) {
    const rt = randomBytes(24).toString('hex');
    refreshTokens.set(rt, user);
    body.refresh_token = rt;
  }
  log(`token user=${user ?? '<anonymous>'} service=${service} granted=${JSON.stringify(access)}`);
  res.writeHead(200, {'Content-Type': 'application/json'});
  res.end(JSON.stringify(body));
}

function deny(res, status, code, message) {
  log(`denied ${status} ${code}: ${message}`);
  res.writeHead(status, {'Content-Type': 'application/json'});
  res.end(JSON.stringify({errors: [{code, message}], error: code.toLowerCase(), error_description: message}));
}

function basicCredentials(req) {
  const m = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  const s = Buffer.from(m[1], 'base64').toString('utf8');
  const i = s.indexOf(':');
  return i < 0 ? undefined : {user: s.slice(0, i), password: s.slice(i + 1)};
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', c => {
      size += c.length;
      if (size > 65536) reject(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function tokenEndpoint(listener, req, res, url) {
  let params = url.searchParams;
  let scopes = params
    .getAll('scope')
    .flatMap(s => s.split(' '))
    .filter(Boolean);
  const service = () => params.get('service') ?? '';
  if (req.method === 'POST') {
    params = new URLSearchParams(await readBody(req));
    scopes = (params.get('scope') ?? '').split(' ').filter(Boolean);
  }
  if (!listener.services.includes(service())) {
    return deny(res, 400, 'INVALID_REQUEST', `unknown service "${service()}"`);
  }
  if (req.method === 'POST') {
    const grantType = params.get('grant_type');
    if (grantType === 'password') {
      const user = params.get('username');
      if (!passwordOk(user, params.get('password')))
        return deny(res, 401, 'UNAUTHORIZED', 'invalid username or password');
      return issue(res, user, service(), scopes, true);
    }
    if (grantType === 'refresh_token') {
      const user = refreshTokens.get(params.get('refresh_token') ?? '');
      if (!user) return deny(res, 401, 'UNAUTHORIZED', 'invalid refresh token');
      return issue(res, user, service(), scopes, false);
    }
    return deny(res, 400, 'UNSUPPORTED_GRANT_TYPE', `grant_type "${grantType}" not supported`);
  }
  if (req.method !== 'GET') return deny(res, 405, 'UNSUPPORTED', `method ${req.method} not allowed`);
  const creds = basicCredentials(req);
  if (req.headers.authorization && !creds) return deny(res, 401, 'UNAUTHORIZED', 'malformed Authorization header');
  if (creds && !passwordOk(creds.user, creds.password))
    return deny(res, 401, 'UNAUTHORIZED', 'invalid username or password');
  return issue(res, creds?.user, service(), scopes, params.get('offline_token') === 'true');
}

function proxy(target, req, res) {
  const up = new URL(target);
  const preq = http.request(
    {host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers},
    pres => {
      res.writeHead(pres.statusCode ?? 502, pres.headers);
      pres.pipe(res);
    }
  );
  preq.on('error', e => {
    if (!res.headersSent) deny(res, 502, 'BAD_GATEWAY', e.message);
    else res.destroy(e);
  });
  req.pipe(preq);
}

for (const listener of cfg.listeners) {
  const handler = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/token') {
      tokenEndpoint(listener, req, res, url).catch(e => deny(res, 400, 'INVALID_REQUEST', e.message));
    } else if (listener.proxy) {
      proxy(listener.proxy, req, res);
    } else {
      deny(res, 404, 'NOT_FOUND', `no route ${url.pathname}`);
    }
  };
  const server = listener.tls
    ? https.createServer({cert: readFileSync(listener.tls.cert), key: readFileSync(listener.tls.key)}, handler)
    : http.createServer(handler);
  // long blob uploads through the proxy: no request timeout
  server.requestTimeout = 0;
  server.listen(listener.port, listener.host, () =>
    log(
      `listening on ${listener.tls ? 'https' : 'http'}://${listener.host}:${listener.port} services=${listener.services.join(',')}${listener.proxy ? ` proxy=${listener.proxy}` : ''}`
    )
  );
}
