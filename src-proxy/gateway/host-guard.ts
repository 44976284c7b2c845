// DNS-rebinding guard: a page in the user's browser can resolve its own host name to 127.0.0.1 and post
// to the gateway. When the gateway listens on loopback only, only loopback names are accepted in Host.

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
/** An IPv4 literal in 127.0.0.0/8; a name that merely starts with `127.` (127.0.0.1.nip.io) is not one. */
const LOOPBACK_V4 = /^127(?:\.\d{1,3}){3}$/;

export function isLoopbackBind(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || host.startsWith('127.');
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
  const name = hostName(hostHeader);
  return LOOPBACK_HOSTS.has(name) || LOOPBACK_V4.test(name);
}
