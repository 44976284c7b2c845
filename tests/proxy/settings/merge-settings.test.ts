// A patch changes what it names: a field of a group of settings is patched without resetting the
// group's other fields to their defaults.

import { describe, expect, it } from 'vitest';
import { ANTIGRAVITY_BASE_URLS, defaultSettings, GOOGLE_TOKEN_URL, SettingsPatchSchema } from '../../../src-proxy/contract/index.js';
import { mergeSettings } from '../../../src-proxy/settings/settings-store.js';

const configured = mergeSettings(defaultSettings(), { google: { client_id: 'cid', client_secret: 'secret' }, port: 9000 });

describe('mergeSettings', () => {
  it.each([
    ['one field of a group', { google: { client_id: 'other' } }, { client_id: 'other', client_secret: 'secret', token_url: GOOGLE_TOKEN_URL }],
    [
      'another field of it',
      { google: { token_url: 'http://127.0.0.1:9/token/' } },
      { client_id: 'cid', client_secret: 'secret', token_url: 'http://127.0.0.1:9/token' },
    ],
    ['a field left undefined', { google: { client_id: undefined, client_secret: 's2' } }, { client_id: 'cid', client_secret: 's2' }],
    ['a field emptied on purpose', { google: { client_secret: '' } }, { client_id: 'cid', client_secret: '' }],
    ['another setting only', { port: 9001 }, { client_id: 'cid', client_secret: 'secret' }],
  ])('keeps the rest of the group when patching %s', (_name, patch, google) => {
    const next = mergeSettings(configured, SettingsPatchSchema.parse(patch));
    expect(next.google).toMatchObject(google);
    expect(next.port).toBe('port' in patch ? patch.port : 9000);
  });

  it('replaces a list as a whole', () => {
    const next = mergeSettings(configured, { antigravity: { base_urls: ['http://127.0.0.1:9/v1internal'] } });
    expect(next.antigravity.base_urls).toEqual(['http://127.0.0.1:9']);
    expect(mergeSettings(next, { port: 1 }).antigravity.base_urls).toEqual(['http://127.0.0.1:9']);
    expect(defaultSettings().antigravity.base_urls).toEqual([...ANTIGRAVITY_BASE_URLS]);
  });

  it('still validates a group field', () => {
    expect(() => mergeSettings(configured, { google: { auth_url: 'ftp://x' } })).toThrow(/auth_url/);
    expect(() => mergeSettings(configured, { antigravity: { base_urls: [] } })).toThrow(/base_urls/);
  });
});
