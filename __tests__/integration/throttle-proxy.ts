// A slow link in front of a real registry: a TCP proxy on 127.0.0.1 that passes the client's bytes
// to the registry at most `bytesPerSecond` (token bucket refilled every 50 ms), and the answers back
// unthrottled. Backpressure is real: the proxy stops reading the client's socket while the bucket
// is empty, so the client's writes stall as on a saturated uplink (kernel buffers aside).
// Shared by the integration test and scripts/bench/throttled-upload.mjs (which compiles it).
import {createServer, connect, type AddressInfo, type Server, type Socket} from 'node:net';

export interface ThrottleProxy {
  /** host:port to give the client instead of the registry's. */
  host: string;
  /** Client-to-registry bytes passed so far (all connections). */
  bytesUp(): number;
  close(): Promise<void>;
}

const TICK_MS = 50;

export async function startThrottleProxy(target: string, bytesPerSecond: number): Promise<ThrottleProxy> {
  const [targetHost, targetPort] = [target.slice(0, target.lastIndexOf(':')), Number(target.split(':').pop())];
  const perTick = Math.max(1, Math.floor((bytesPerSecond * TICK_MS) / 1000));
  const sockets = new Set<Socket>();
  let budget = perTick;
  let passed = 0;
  let last = performance.now();
  /** Connections waiting for budget, each with what it still has to pass on. */
  const waiting: (() => void)[] = [];
  // One bucket for all connections: several parallel uploads share the link as they would. The
  // budget grows with the time that really passed (timers fire late on a loaded machine), up to
  // two ticks' worth, so an idle link does not save up a burst.
  const ticker = setInterval(() => {
    const now = performance.now();
    budget = Math.min(budget + Math.floor(((now - last) * bytesPerSecond) / 1000), 2 * perTick);
    last = now;
    for (const wake of waiting.splice(0)) wake();
  }, TICK_MS);
  ticker.unref();

  const server: Server = createServer({noDelay: true}, client => {
    const upstream = connect({host: targetHost, port: targetPort, noDelay: true});
    sockets.add(client).add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    upstream.pipe(client);
    let pending: Buffer[] = [];
    const flush = (): void => {
      while (pending.length > 0 && budget > 0) {
        const head = pending[0];
        const n = Math.min(head.length, budget);
        upstream.write(head.subarray(0, n));
        budget -= n;
        passed += n;
        if (n === head.length) pending.shift();
        else pending[0] = head.subarray(n);
      }
      if (pending.length > 0) {
        waiting.push(flush);
      } else if (client.isPaused()) {
        client.resume();
      }
    };
    client.on('data', (data: Buffer) => {
      pending.push(data);
      if (pending.length === 1) {
        client.pause();
        flush();
      }
    });
    client.on('end', () => {
      const finish = (): void => {
        if (pending.length > 0) setTimeout(finish, TICK_MS).unref();
        else upstream.end();
      };
      finish();
    });
    client.on('close', () => {
      pending = [];
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    bytesUp: () => passed,
    close: () =>
      new Promise<void>(resolve => {
        clearInterval(ticker);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      })
  };
}
