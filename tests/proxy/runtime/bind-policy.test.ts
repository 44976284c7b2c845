import { describe, expect, it } from 'vitest';
import { AUTH_MODES, type AuthMode } from '../../../src-proxy/contract/index.js';
import { authRequired, changeRefusal, exposedWithoutAuth, startRefusal, type BindPlan } from '../../../src-proxy/runtime/bind-policy.js';

const plan = (host: string, auth_mode: AuthMode, api_key: string, fromOverride = false): BindPlan => ({ host, auth_mode, api_key, fromOverride });

describe('the rule: beyond loopback only with a key required', () => {
  const HOSTS: Array<[string, boolean]> = [
    ['127.0.0.1', true],
    ['127.0.0.2', true],
    ['localhost', true],
    ['::1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.20', false],
    ['my-host.lan', false],
    // Names that only look like loopback: they resolve wherever their owner likes.
    ['127.0.0.1.nip.io', false],
    ['127.evil.example', false],
  ];
  const rows: Array<[string, AuthMode, string, boolean]> = [];
  for (const [host, loopback] of HOSTS) {
    for (const mode of AUTH_MODES) {
      for (const key of ['sk-gateway', '']) {
        // Written out: exposed when not loopback and (auth off or no key).
        rows.push([host, mode, key, !loopback && (mode === 'off' || key === '')]);
      }
    }
  }

  it.each(rows)('host %s, auth_mode %s, api_key %j -> exposed %s', (host, mode, key, exposed) => {
    expect(exposedWithoutAuth(plan(host, mode, key))).toBe(exposed);
    expect(startRefusal(plan(host, mode, key)) !== null).toBe(exposed);
  });

  it.each<[AuthMode, string, boolean]>([
    ['off', 'sk-gateway', false],
    ['off', '', false],
    ['strict', 'sk-gateway', true],
    ['strict', '', false],
    ['all-except-health', 'sk-gateway', true],
    ['all-except-health', '', false],
  ])('auth_mode %s with api_key %j asks for a key: %s', (auth_mode, api_key, required) => {
    expect(authRequired({ auth_mode, api_key })).toBe(required);
  });
});

describe('startRefusal', () => {
  it('says where, why, and what to do', () => {
    expect(startRefusal(plan('0.0.0.0', 'off', ''))).toBe(
      'Refusing to listen on 0.0.0.0 (all interfaces) without authentication: anyone on the network could use your upstream accounts without a key. ' +
        'First set api_key, then auth_mode strict (or all-except-health), or set host to 127.0.0.1.',
    );
    expect(startRefusal(plan('0.0.0.0', 'strict', '', true))).toBe(
      'Refusing to listen on 0.0.0.0 (all interfaces, from serve --host) without authentication: anyone on the network could use your upstream accounts without a key. ' +
        'First set api_key, then auth_mode strict (or all-except-health), or run serve with --host 127.0.0.1.',
    );
  });
});

describe('changeRefusal', () => {
  const SAFE_LAN = plan('0.0.0.0', 'strict', 'sk-gateway');
  const SAFE_LAN_OVERRIDE = plan('0.0.0.0', 'strict', 'sk-gateway', true);
  const LOOPBACK_OPEN = plan('127.0.0.1', 'off', '');
  const LEGACY_EXPOSED = plan('0.0.0.0', 'off', '');

  it.each<[string, BindPlan, BindPlan, boolean, RegExp | null]>([
    // Changes that leave the gateway protected, or on loopback.
    ['a safe LAN gateway changing its key', SAFE_LAN, { ...SAFE_LAN, api_key: 'sk-other' }, true, null],
    ['a safe LAN gateway to all-except-health', SAFE_LAN, { ...SAFE_LAN, auth_mode: 'all-except-health' }, true, null],
    ['a safe LAN gateway back to loopback with auth off', SAFE_LAN, plan('127.0.0.1', 'off', 'sk-gateway'), true, null],
    ['loopback turning auth off', plan('127.0.0.1', 'strict', 'k'), plan('127.0.0.1', 'off', 'k'), true, null],
    ['loopback clearing the key', plan('127.0.0.1', 'strict', 'k'), plan('127.0.0.1', 'strict', ''), false, null],
    ['loopback moving to the LAN with auth on', plan('127.0.0.1', 'strict', 'k'), plan('0.0.0.0', 'strict', 'k'), true, null],
    // Changes that would open the gateway.
    [
      'auth_mode off on a LAN address',
      SAFE_LAN,
      { ...SAFE_LAN, auth_mode: 'off' },
      true,
      /^Refusing to turn authentication off: the gateway's listen address is 0\.0\.0\.0 \(all interfaces\), .* or first set host to 127\.0\.0\.1\.$/,
    ],
    ['auth_mode off while stopped', SAFE_LAN, { ...SAFE_LAN, auth_mode: 'off' }, false, /^Refusing to turn authentication off/],
    [
      'auth_mode off under serve --host',
      SAFE_LAN_OVERRIDE,
      { ...SAFE_LAN_OVERRIDE, auth_mode: 'off' },
      true,
      /\(all interfaces, from serve --host\).* or first restart serve with --host 127\.0\.0\.1\.$/,
    ],
    [
      'an empty api_key on a LAN address',
      SAFE_LAN,
      { ...SAFE_LAN, api_key: '' },
      true,
      /^Refusing to clear api_key: the gateway's listen address is 0\.0\.0\.0/,
    ],
    [
      'an empty api_key on a LAN IP',
      plan('192.168.1.20', 'all-except-health', 'k'),
      plan('192.168.1.20', 'all-except-health', ''),
      true,
      /listen address is 192\.168\.1\.20, so/,
    ],
    [
      'host 0.0.0.0 with auth off',
      LOOPBACK_OPEN,
      { ...LOOPBACK_OPEN, host: '0.0.0.0' },
      true,
      /^Refusing to listen on 0\.0\.0\.0 \(all interfaces\) without authentication: .* First set api_key, then auth_mode strict \(or all-except-health\), then change host\.$/,
    ],
    ['host 0.0.0.0 with auth off while stopped', LOOPBACK_OPEN, { ...LOOPBACK_OPEN, host: '0.0.0.0' }, false, /^Refusing to listen on 0\.0\.0\.0/],
    ['host 0.0.0.0 and auth off at once', plan('127.0.0.1', 'strict', 'k'), plan('0.0.0.0', 'off', 'k'), true, /^Refusing to listen on 0\.0\.0\.0/],
    [
      'a LAN IP with auth on but no key',
      plan('127.0.0.1', 'strict', ''),
      plan('10.0.0.5', 'strict', ''),
      false,
      /^Refusing to listen on 10\.0\.0\.5 without authentication/,
    ],
    // Settings already exposed (an older version allowed them) can be fixed step by step while stopped.
    ['legacy exposed settings: setting api_key first', LEGACY_EXPOSED, { ...LEGACY_EXPOSED, api_key: 'k' }, false, null],
    ['legacy exposed settings: then auth_mode', plan('0.0.0.0', 'off', 'k'), plan('0.0.0.0', 'strict', 'k'), false, null],
    ['legacy exposed settings while listening (cannot happen) stay refused', LEGACY_EXPOSED, { ...LEGACY_EXPOSED, api_key: 'k' }, true, /^Refusing/],
  ])('%s', (_name, before, after, listening, expected) => {
    const refusal = changeRefusal(before, after, listening);
    if (expected === null) expect(refusal).toBeNull();
    else expect(refusal).toMatch(expected);
  });
});
