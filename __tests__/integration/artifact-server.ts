// act's artifact server for workflows that hand digests over by artifact (mode: build → mode: merge).
import {spawn} from 'node:child_process';
import {createServer} from 'node:net';
import {tempDir} from './bed.js';

/**
 * act 0.2.87's artifact server refuses the CreateArtifact request of @actions/artifact >= 6
 * (`unknown field "mime_type"`, nektos/act#6022) and the blob upload arrives with the `=` padding
 * of act's signature stripped. A forwarding shim in its own process (act runs synchronously) drops
 * that field and re-pads `sig`; act takes ACTIONS_RUNTIME_URL from its environment, so the jobs talk
 * to the shim.
 */
async function shim(actPort: number): Promise<{url: string; stop: () => void}> {
  const script = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    let body = Buffer.concat(chunks);
    if (req.url.endsWith('/CreateArtifact')) {
      const json = JSON.parse(body.toString('utf8'));
      delete json.mime_type;
      delete json.mimeType;
      body = Buffer.from(JSON.stringify(json));
    }
    const headers = {...req.headers, 'content-length': String(body.length)};
    const url = new URL(req.url, 'http://shim');
    const sig = url.searchParams.get('sig');
    if (sig && sig.length % 4) url.searchParams.set('sig', sig + '='.repeat(4 - (sig.length % 4)));
    const target = sig ? url.pathname + url.search : req.url;
    const up = http.request({host: '127.0.0.1', port: ${actPort}, method: req.method, path: target, headers}, r => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    up.on('error', e => { res.writeHead(502); res.end(String(e)); });
    up.end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;
  const child = spawn(process.execPath, ['-e', script], {stdio: ['ignore', 'pipe', 'inherit']});
  const port = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', code => reject(new Error(`the artifact shim exited (${code})`)));
    child.stdout.once('data', (d: Buffer) => resolve(d.toString('utf8').trim()));
  });
  return {url: `http://127.0.0.1:${port}/`, stop: () => child.kill()};
}

/** A loopback port nobody listens on now (other engineers run act's artifact server too). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** act arguments and environment for an artifact server in a fresh store; stop() ends the shim. */
export async function artifactServer(): Promise<{args: string[]; env: Record<string, string>; stop: () => void}> {
  const port = await freePort();
  const s = await shim(port);
  return {
    args: [
      '--artifact-server-path',
      tempDir('artifacts'),
      '--artifact-server-addr',
      '127.0.0.1',
      '--artifact-server-port',
      String(port)
    ],
    env: {ACTIONS_RUNTIME_URL: s.url},
    stop: s.stop
  };
}
