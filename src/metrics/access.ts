import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

/** An address (`127.0.0.1`, `::1`) or a subnet (`10.0.0.0/8`, `fd00::/8`). */
export function isAddressRule(rule: string): boolean {
  const [address, bits, ...rest] = rule.split('/');
  const family = isIP(address ?? '');
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** An IPv4 client seen by a dual-stack socket arrives as ::ffff:a.b.c.d. */
const unmapped = (ip: string) => (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip) ? ip.slice(7) : ip);

/** Does a client address match one of the rules (`metrics.allowFrom`)? */
export function addressMatcher(rules: readonly string[]): (ip: string | undefined) => boolean {
  const list = new BlockList();
  for (const rule of rules) {
    const [address = '', bits] = rule.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return (ip) => {
    if (!ip || !rules.length) return false;
    const a = unmapped(ip);
    const family = isIP(a);
    return family !== 0 && list.check(a, family === 6 ? 'ipv6' : 'ipv4');
  };
}

/** Compares a presented token with the configured one in constant time (whatever their lengths). */
export function sameToken(presented: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
