// DNS-rebinding guard: a page in the user's browser can resolve its own host name to 127.0.0.1 and post
// to the gateway. When the gateway listens on loopback only, only loopback names are accepted in Host.

import { isIPv4, isIPv6 } from 'node:net';

/**
 * Loopback means an IPv4 address in 127.0.0.0/8, the IPv6 address ::1 (bare or in brackets, in any
 * spelling), or `localhost`, and nothing else: a name that merely starts like one (127.0.0.1.nip.io)
 * resolves wherever its owner likes.
 */
export function isLoopbackAddress(host: string): boolean {
  const name = host.toLowerCase();
  if (name === 'localhost') return true;
  if (isIPv4(name)) return name.startsWith('127.');
  const inner = name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
  return isIPv6(inner) && new URL(`http://[${inner}]/`).hostname === '[::1]';
}

export function isLoopbackBind(host: string): boolean {
  return isLoopbackAddress(host);
}

/** The host name of a Host header, without the port. */
function hostName(header: string): string {
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  const colon = header.lastIndexOf(':');
  return (colon >= 0 ? header.slice(0, colon) : header).toLowerCase();
}

export function hostAllowed(bindHost: string, hostHeader: string | undefined): boolean {
  if (!isLoopbackBind(bindHost)) return true;
  if (!hostHeader) return false;
  return isLoopbackAddress(hostName(hostHeader));
}
