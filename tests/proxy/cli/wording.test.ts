import { describe, expect, it } from 'vitest';
import type { AuthMode } from '../../../src-proxy/contract/index.js';
import { describeListening, remoteBaseUrls } from '../../../src-proxy/cli/wording.js';

describe('describeListening: the address really bound, and who can reach it', () => {
  it.each<[string, number, AuthMode, string]>([
    ['127.0.0.1', 8045, 'off', '127.0.0.1:8045 (loopback only; auth off)'],
    ['localhost', 8045, 'strict', 'localhost:8045 (loopback only; auth strict)'],
    ['::1', 8045, 'off', '[::1]:8045 (loopback only; auth off)'],
    ['0.0.0.0', 8045, 'strict', '0.0.0.0:8045 (all interfaces; auth strict)'],
    ['::', 9000, 'all-except-health', '[::]:9000 (all interfaces; auth all-except-health)'],
    ['192.168.1.20', 8045, 'strict', '192.168.1.20:8045 (reachable from the network; auth strict)'],
    ['fd00::5', 8045, 'strict', '[fd00::5]:8045 (reachable from the network; auth strict)'],
  ])('%s:%s, auth %s -> %s', (host, port, mode, text) => {
    expect(describeListening(host, port, mode)).toBe(text);
  });
});

describe('remoteBaseUrls: what other machines would use', () => {
  it.each<[string, string[], string[]]>([
    ['127.0.0.1', ['192.168.1.20'], []],
    ['::1', ['192.168.1.20'], []],
    ['0.0.0.0', ['192.168.1.20', '10.0.0.5'], ['http://192.168.1.20:8045', 'http://10.0.0.5:8045']],
    ['::', ['192.168.1.20', 'fd00::5'], ['http://192.168.1.20:8045', 'http://[fd00::5]:8045']],
    ['0.0.0.0', [], ["http://<this machine's address>:8045"]],
    ['192.168.1.20', ['10.0.0.5'], ['http://192.168.1.20:8045']],
  ])('bound to %s with interfaces %j -> %j', (host, interfaces, urls) => {
    expect(remoteBaseUrls(host, 8045, interfaces)).toEqual(urls);
  });
});
