import { describe, expect, it } from 'vitest';
import { hostAllowed, isLoopbackBind } from '../../../src-proxy/gateway/host-guard.js';

describe('isLoopbackBind', () => {
  it.each<[string, boolean]>([
    ['127.0.0.1', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['127.0.0.2', true],
    ['127.1.2.3', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.20', false],
    ['10.0.0.5', false],
    ['my-host.lan', false],
    // Names that merely look like loopback resolve wherever their owner likes.
    ['127.0.0.1.nip.io', false],
    ['127.evil.example', false],
    ['127.0.0.1.', false],
    ['127.0.0.256', false],
    ['127.1', false],
    ['localhost.evil.example', false],
    ['LOCALHOST', true],
    ['0:0:0:0:0:0:0:1', true],
  ])('%s -> %s', (host, loopback) => {
    expect(isLoopbackBind(host)).toBe(loopback);
  });
});

describe('hostAllowed', () => {
  describe.each(['127.0.0.1', 'localhost', '::1'])('listening on loopback (%s): only loopback names', (bind) => {
    it.each<[string, string | undefined]>([
      ['localhost with the port', 'localhost:8045'],
      ['localhost without a port', 'localhost'],
      ['localhost in upper case', 'LOCALHOST:8045'],
      ['127.0.0.1 with the port', '127.0.0.1:8045'],
      ['127.0.0.1 without a port', '127.0.0.1'],
      ['another 127/8 address', '127.0.0.2:8045'],
      ['the top of 127/8', '127.255.255.255:8045'],
      ['[::1] with the port', '[::1]:8045'],
      ['[::1] without a port', '[::1]'],
    ])('allows %s', (_name, host) => {
      expect(hostAllowed(bind, host)).toBe(true);
    });

    it.each<[string, string | undefined]>([
      ['no Host header', undefined],
      ['an empty Host header', ''],
      ['a foreign name (DNS rebinding)', 'evil.example:8045'],
      ['a foreign name without a port', 'evil.example'],
      ['a name that starts with localhost', 'localhost.evil.example:8045'],
      ['a name that starts with 127.', '127.0.0.1.evil.example:8045'],
      ['a rebinding service name', '127.0.0.1.nip.io:8045'],
      ['an octet out of range', '127.0.0.300:8045'],
      ['a name that ends with localhost', 'evillocalhost:8045'],
      ['a LAN address', '192.168.1.20:8045'],
      ['the any address', '0.0.0.0:8045'],
      ['an IPv6 address that is not loopback', '[fe80::1]:8045'],
      ['an unclosed IPv6 bracket', '[::1:8045'],
      ['userinfo smuggled before a loopback name', 'evil.example@127.0.0.1:8045'],
    ])('refuses %s', (_name, host) => {
      expect(hostAllowed(bind, host)).toBe(false);
    });
  });

  describe.each(['0.0.0.0', '::', '192.168.1.20'])('listening beyond loopback (%s): the guard is off', (bind) => {
    it.each<[string | undefined]>([['evil.example:8045'], ['192.168.1.20:8045'], ['localhost:8045'], [undefined]])('allows %s', (host) => {
      expect(hostAllowed(bind, host)).toBe(true);
    });
  });
});
