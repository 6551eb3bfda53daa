/**
 * IPv4/IPv6 addresses and CIDR ranges for IpAddress/NotIpAddress.
 *
 * Both families live in one 128-bit space: an IPv4 address is stored as its IPv4-mapped
 * IPv6 form (::ffff:a.b.c.d) and an IPv4 prefix /n becomes /(96+n). A policy range written
 * in IPv4 therefore also matches a request address written as `::ffff:203.0.113.5`, and a
 * range written as `::ffff:0:0/96` matches every IPv4 address. An address without a prefix
 * is a single host (/32, or /128), as IAM documents.
 */

/** Four 32-bit words, most significant first. */
export type Ip128 = readonly [number, number, number, number];

export interface Cidr {
  readonly addr: Ip128;
  readonly prefix: number; // 0..128 in the 128-bit space
}

function parseV4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const b = Number(p);
    if (b > 255) return undefined;
    n = n * 256 + b;
  }
  return n >>> 0;
}

function parseV6(s: string): Ip128 | undefined {
  let text = s;
  let tail: number[] = [];
  // An embedded dotted quad (::ffff:203.0.113.5) supplies the last two 16-bit groups.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseV4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [v4 >>> 16, v4 & 0xffff];
    const head = text.slice(0, lastColon + 1);
    text = head.endsWith('::') ? head : head.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const group = (g: string): number | undefined => (/^[0-9a-fA-F]{1,4}$/.test(g) ? parseInt(g, 16) : undefined);
  const parseList = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      const v = group(g);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  };
  const head = parseList(halves[0]!);
  const rest = halves.length === 2 ? parseList(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const explicit = head.length + rest.length + tail.length;
  let groups: number[];
  if (halves.length === 2) {
    if (explicit > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - explicit).fill(0), ...rest, ...tail];
  } else {
    if (explicit !== 8) return undefined;
    groups = [...head, ...tail];
  }
  return [
    ((groups[0]! << 16) | groups[1]!) >>> 0,
    ((groups[2]! << 16) | groups[3]!) >>> 0,
    ((groups[4]! << 16) | groups[5]!) >>> 0,
    ((groups[6]! << 16) | groups[7]!) >>> 0,
  ];
}

/** Parse an address of either family into the 128-bit space. */
export function parseIp(s: string): Ip128 | undefined {
  const t = s.trim();
  if (t.includes(':')) return parseV6(t);
  const v4 = parseV4(t);
  return v4 === undefined ? undefined : [0, 0, 0xffff, v4];
}

/** Parse `addr` or `addr/prefix`; the prefix is expressed in the address's own family. */
export function parseCidr(s: string): Cidr | undefined {
  const t = s.trim();
  const slash = t.indexOf('/');
  const addrText = slash < 0 ? t : t.slice(0, slash);
  const addr = parseIp(addrText);
  if (!addr) return undefined;
  const v4 = !addrText.includes(':');
  const max = v4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = t.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return undefined;
    prefix = Number(p);
    if (prefix > max) return undefined;
  }
  return { addr, prefix: v4 ? prefix + 96 : prefix };
}

/** Is the address inside the range? */
export function cidrContains(c: Cidr, ip: Ip128): boolean {
  let bits = c.prefix;
  for (let w = 0; w < 4 && bits > 0; w++) {
    const take = bits >= 32 ? 32 : bits;
    const mask = take === 32 ? 0xffffffff : ~(0xffffffff >>> take) >>> 0;
    if (((c.addr[w]! & mask) >>> 0) !== ((ip[w]! & mask) >>> 0)) return false;
    bits -= take;
  }
  return true;
}
