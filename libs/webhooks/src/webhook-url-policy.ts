import { isIP } from 'node:net';

/*
 * Where webhooks may go (SSRF): only https:// to public addresses, unless WEBHOOKS_ALLOW_PRIVATE=true
 * (tests, on-premise receivers), which also allows http://. The URL is checked when it is registered
 * and the address its name resolves to is checked again at every delivery (DNS rebinding).
 */

export const MAX_WEBHOOK_URL_LENGTH = 2000;

/** Names that always mean this machine or a cloud's metadata service, whatever DNS says. */
const LOCAL_NAMES = [/^localhost$/, /\.localhost$/, /^localhost\.localdomain$/, /^metadata\.google\.internal$/, /\.internal$/, /\.local$/];

/** The 4 bytes of an IPv4 literal, or null. */
function ipv4Bytes(text: string): number[] | null {
  if (isIP(text) !== 4) return null;
  return text.split('.').map(Number);
}

/** The 16 bytes of an IPv6 literal (with or without a trailing dotted quad), or null. */
export function ipv6Bytes(text: string): number[] | null {
  const address = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIP(address) !== 6) return null;
  let body = address;
  const tail: number[] = [];
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (quad) {
    tail.push(...quad[1].split('.').map(Number));
    body = body.slice(0, -quad[1].length) + '0:0';
  }
  const [head, rest] = body.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':').filter(Boolean) : []);
  const left = groups(head);
  const right = groups(rest);
  const missing = 8 - left.length - right.length;
  const padding: string[] = Array.from({ length: body.includes('::') ? missing : 0 }, () => '0');
  const words = [...left, ...padding, ...right].map((word) => parseInt(word, 16));
  const bytes = words.flatMap((word) => [word >> 8, word & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes.length === 16 ? bytes : null;
}

function privateIpv4([first, second, third]: number[]): boolean {
  return (
    first === 0 || // "this" network
    first === 10 ||
    first === 127 || // loopback
    (first === 100 && second >= 64 && second <= 127) || // carrier-grade NAT
    (first === 169 && second === 254) || // link-local, cloud metadata (169.254.169.254)
    (first === 172 && second >= 16 && second <= 31) ||
    (first === 192 && second === 168) ||
    (first === 192 && second === 0 && third === 0) || // IETF protocol assignments
    (first === 192 && second === 0 && third === 2) || // documentation
    (first === 198 && (second === 18 || second === 19)) || // benchmarking
    (first === 198 && second === 51 && third === 100) ||
    (first === 203 && second === 0 && third === 113) ||
    first >= 224 // multicast, reserved, broadcast
  );
}

function privateIpv6(bytes: number[]): boolean {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((byte) => byte === 0);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return privateIpv4(bytes.slice(12)); // ::ffff:a.b.c.d
  if (zeros(0, 12)) return true; // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b) return privateIpv4(bytes.slice(12)); // NAT64
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return privateIpv4(bytes.slice(2, 6)); // 6to4 carries an IPv4 address
  if ((bytes[0] & 0xfe) === 0xfc) return true; // unique local fc00::/7 (AWS metadata fd00:ec2::254 too)
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0x80) return true; // link-local fe80::/10
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0xc0) return true; // site-local (deprecated)
  if (bytes[0] === 0xff) return true; // multicast
  if (bytes[0] === 0x20 && bytes[1] === 0x01 && bytes[2] === 0x0d && bytes[3] === 0xb8) return true; // documentation
  if (bytes[0] === 0x01 && zeros(1, 8)) return true; // discard-only 100::/64
  return false;
}

/** True when `address` (an IP literal) is loopback, private, link-local, unique-local, metadata or otherwise not public. */
export function isPrivateAddress(address: string): boolean {
  const v4 = ipv4Bytes(address);
  if (v4) return privateIpv4(v4);
  const v6 = ipv6Bytes(address);
  if (v6) return privateIpv6(v6);
  return true; // not an address at all: never trusted
}

/** Why `url` may not receive webhooks, or null when it may. Parsed as browsers do (decimal and hex IPv4 forms become dotted quads). */
export function webhookUrlProblem(url: string, allowPrivate: boolean): string | null {
  if (url.length > MAX_WEBHOOK_URL_LENGTH) return `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL such as https://hooks.example.com/stackgate';
  }
  if (parsed.protocol !== 'https:' && !(allowPrivate && parsed.protocol === 'http:')) return 'must start with https://';
  if (parsed.username || parsed.password)
    return 'must not carry a user name or password (put credentials in the path or verify the signature)';
  if (parsed.hash) return 'must not have a #fragment';
  if (allowPrivate) return null;
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  const literal = host.replace(/^\[|\]$/g, '');
  if (isIP(literal)) return isPrivateAddress(literal) ? 'must not point to a private, loopback, link-local or metadata address' : null;
  if (!host.includes('.') || LOCAL_NAMES.some((pattern) => pattern.test(host))) return 'must name a public host';
  return null;
}
