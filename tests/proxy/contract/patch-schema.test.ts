// A patch names what it changes and nothing else: no default may sneak in and reset another field.

import { describe, expect, it } from 'vitest';
import { AccountPatchSchema, SettingsPatchSchema } from '../../../src-proxy/contract/index.js';

describe('patch schemas', () => {
  it('keep a settings patch to the fields it names', () => {
    expect(SettingsPatchSchema.parse({ api_key: 'k' })).toEqual({ api_key: 'k' });
    expect(SettingsPatchSchema.parse({})).toEqual({});
  });

  it('keep a patch of a settings group to the fields it names', () => {
    expect(SettingsPatchSchema.parse({ google: { client_id: 'cid' } })).toEqual({ google: { client_id: 'cid' } });
    expect(SettingsPatchSchema.parse({ antigravity: {} })).toEqual({ antigravity: {} });
    expect(SettingsPatchSchema.safeParse({ google: { token_url: 'not a url' } }).success).toBe(false);
  });

  it('still validate the fields a settings patch names', () => {
    expect(SettingsPatchSchema.safeParse({ port: 70000 }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ auth_mode: 'sometimes' }).success).toBe(false);
  });

  it('keep an account options patch to the fields it names (the account kind checks them when applied)', () => {
    expect(AccountPatchSchema.parse({ options: { strip_cache_control: true } })).toEqual({ options: { strip_cache_control: true } });
  });
});
