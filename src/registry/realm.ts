// Which token realms the client may send credentials to: the rules of go-containerregistry
// (pkg/v1/remote/transport/bearer.go, validateRealmURL), which cosign and trivy run on. A realm our
// client accepted but they refuse would let a run push and then fail at scan or sign, so the two
// must agree. Pure.
import {isIP} from 'node:net';

/** The IPv6 address as 16 bytes; undefined when `s` is not one (zone ids are not accepted). */
function ipv6Bytes(s: string): number[] | undefined {
  if (isIP(s) !== 6) return undefined;
  let text = s;
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    tail.push(...v4[1].split('.').map(Number));
    text = `${text.slice(0, -v4[1].length)}0:0`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (part: string): number[] => (part ? part.split(':').map(g => parseInt(g, 16)) : []);
  const h = groups(head);
  const r = rest === undefined ? [] : groups(rest);
  const all = rest === undefined ? h : [...h, ...Array<number>(8 - h.length - r.length).fill(0), ...r];
  const bytes = all.flatMap(g => [g >> 8, g & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** IPv4 as 4 bytes, also when written as an IPv4-mapped IPv6 address (Go's To4 does the same). */
function ipv4Bytes(s: string): number[] | undefined {
  if (isIP(s) === 4) return s.split('.').map(Number);
  const b = ipv6Bytes(s);
  if (b && b.slice(0, 10).every(x => x === 0) && b[10] === 0xff && b[11] === 0xff) return b.slice(12);
  return undefined;
}

/**
 * Go's IsLoopback || IsLinkLocalUnicast || IsLinkLocalMulticast || IsPrivate || IsUnspecified, for
 * an IP literal; false for a host name (ggcr does not resolve names either).
 */
export function isPrivateOrLinkLocal(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  const v4 = ipv4Bytes(h);
  if (v4) {
    const [a, b, c] = v4;
    return (
      a === 127 || // loopback
      (a === 169 && b === 254) || // link-local unicast (the cloud metadata service)
      (a === 224 && b === 0 && c === 0) || // link-local multicast
      a === 10 ||
      (a === 172 && (b & 0xf0) === 16) ||
      (a === 192 && b === 168) ||
      v4.every(x => x === 0)
    );
  }
  const v6 = ipv6Bytes(h);
  if (!v6) return false;
  const zero = v6.slice(0, 15).every(x => x === 0);
  return (
    (zero && (v6[15] === 1 || v6[15] === 0)) || // ::1 loopback, :: unspecified
    (v6[0] === 0xfe && (v6[1] & 0xc0) === 0x80) || // fe80::/10
    (v6[0] === 0xff && (v6[1] & 0x0f) === 0x02) || // ff02::/16 (any flags)
    (v6[0] & 0xfe) === 0xfc // fc00::/7
  );
}

/**
 * Why the client must not fetch a token from `realm`, or undefined when it may. `registryHost` is
 * the `host[:port]` the registry is reached on. https always; http only for an insecure registry;
 * a realm on the registry's own host:port always; otherwise no private, loopback, link-local or
 * unspecified IP literal. The same check applies to every redirect of the token request.
 */
export function realmProblem(realm: string, registryHost: string, insecure: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    return 'it is not a URL';
  }
  if (url.protocol === 'http:') {
    if (!insecure) return 'it is plain http and the registry is not listed as insecure; use https';
  } else if (url.protocol !== 'https:') {
    return `its scheme "${url.protocol.replace(/:$/, '')}" is neither https nor (for an insecure registry) http`;
  }
  if (registryHost && url.host.toLowerCase() === registryHost.toLowerCase()) return undefined;
  if (isPrivateOrLinkLocal(url.hostname)) {
    return `its host ${url.hostname} is a private or link-local address and not the registry's own host ${registryHost} (go-containerregistry, inside cosign and trivy, refuses it too)`;
  }
  return undefined;
}
