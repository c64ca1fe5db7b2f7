/**
 * The last line of address safety: checks where a host name actually resolves, at connect time. A
 * connection's author controls its address (with `customDomain`, any host name), and a name can resolve
 * to the host's own network: a cloud metadata service (169.254.169.254), a private service, this machine.
 * The agent every Okta client uses resolves names through `guardedLookup`, which refuses those addresses
 * (all of them, if any one answer is such), so the token and the request never reach them.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** The error code a refused address surfaces with (mapped to INVALID_CONNECTION in src/errors). */
export const FORBIDDEN_ADDRESS = 'ERR_OKTA_ACTIONS_FORBIDDEN_ADDRESS';

/** Addresses no Okta org has: private, shared, link-local, documentation, multicast, reserved (RFC 6890). */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * Why an address may not be connected to, or undefined when it may. Loopback passes only when the
 * connection's own address is a loopback one (a local sandbox the host allowed).
 */
export function forbiddenAddressReason(address: string, allowLoopback: boolean): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'is not an IP address';
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return forbiddenAddressReason(mapped, allowLoopback);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (LOOPBACK.check(address, type)) return allowLoopback ? undefined : 'is this machine (loopback)';
  if (NOT_PUBLIC.check(address, type))
    return 'is a private, link-local or reserved address (such as a cloud metadata service)';
  return undefined;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;
type Resolve = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A `lookup` for http(s).Agent: resolves as Node would, then refuses the connection if any address the
 * name resolved to is not public. `resolve` is replaceable for tests.
 */
export function guardedLookup(allowLoopback: boolean, resolve: Resolve = dnsLookup as Resolve) {
  return (
    hostname: string,
    options: { all?: boolean; family?: number } | number,
    callback: LookupCallback,
  ): void => {
    const asked = typeof options === 'number' ? { family: options } : (options ?? {});
    resolve(hostname, { ...asked, all: true } as LookupAllOptions, (error, addresses) => {
      if (error) return callback(error, []);
      for (const { address } of addresses) {
        const reason = forbiddenAddressReason(address, allowLoopback);
        if (reason) return callback(refused(hostname, address, reason), []);
      }
      if (asked.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

function refused(hostname: string, address: string, reason: string): NodeJS.ErrnoException {
  return Object.assign(
    new Error(
      `${hostname} resolves to ${address}, which ${reason}; okta-actions only connects to public addresses`,
    ),
    { code: FORBIDDEN_ADDRESS },
  );
}
