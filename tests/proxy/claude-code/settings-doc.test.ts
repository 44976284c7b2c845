import { describe, expect, it } from 'vitest';
import {
  applyPlaces,
  driftOf,
  NO_AUTH_TOKEN,
  readPlace,
  restorePlaces,
  wantedPlaces,
  type SettingsDoc,
  type Wanted,
} from '../../../src-proxy/claude-code/settings-doc.js';

const GATEWAY: Wanted = { baseUrl: 'http://127.0.0.1:8045', key: 'sk-gw' };

describe('wantedPlaces', () => {
  it('points Claude Code at the gateway with its key, model discovery on, and the other credentials set aside', () => {
    expect(wantedPlaces(GATEWAY)).toEqual({
      'env.ANTHROPIC_BASE_URL': { value: 'http://127.0.0.1:8045' },
      'env.ANTHROPIC_AUTH_TOKEN': { value: 'sk-gw' },
      'env.ANTHROPIC_API_KEY': null,
      apiKeyHelper: null,
      'env.CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY': { value: '1' },
    });
  });

  it('gives a token of its own while auth is off, so Claude Code neither stops nor sends the user login', () => {
    expect(wantedPlaces({ ...GATEWAY, key: null })['env.ANTHROPIC_AUTH_TOKEN']).toEqual({ value: NO_AUTH_TOKEN });
  });

  it('sets the model slots asked for, and only those', () => {
    const places = wantedPlaces({ ...GATEWAY, models: { sonnet: 'claude-sonnet-4-6' } });
    expect(places['env.ANTHROPIC_DEFAULT_SONNET_MODEL']).toEqual({ value: 'claude-sonnet-4-6' });
    expect(Object.keys(places).filter((p) => p.includes('DEFAULT'))).toEqual(['env.ANTHROPIC_DEFAULT_SONNET_MODEL']);
  });
});

describe('applyPlaces and restorePlaces', () => {
  const original: SettingsDoc = {
    permissions: { allow: ['Bash(ls)'] },
    env: { FOO: 'bar', ANTHROPIC_API_KEY: 'sk-own', ANTHROPIC_BASE_URL: 'https://elsewhere.example' },
    apiKeyHelper: '~/bin/key.sh',
    model: 'opus',
  };

  it('changes only the places it owns, keeps key order, and records what each held', () => {
    const { doc, before } = applyPlaces(original, wantedPlaces(GATEWAY));
    expect(doc).toEqual({
      permissions: { allow: ['Bash(ls)'] },
      env: { FOO: 'bar', ANTHROPIC_BASE_URL: 'http://127.0.0.1:8045', ANTHROPIC_AUTH_TOKEN: 'sk-gw', CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY: '1' },
      model: 'opus',
    });
    expect(Object.keys(doc.env as object)).toEqual(['FOO', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY']);
    expect(before).toEqual({
      'env.ANTHROPIC_BASE_URL': { value: 'https://elsewhere.example' },
      'env.ANTHROPIC_AUTH_TOKEN': null,
      'env.ANTHROPIC_API_KEY': { value: 'sk-own' },
      apiKeyHelper: { value: '~/bin/key.sh' },
      'env.CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY': null,
    });
    // The input is not changed.
    expect(original.apiKeyHelper).toBe('~/bin/key.sh');
  });

  it('puts every place back that still holds what was written', () => {
    const wanted = wantedPlaces(GATEWAY);
    const { doc, before } = applyPlaces(original, wanted);
    const back = restorePlaces(doc, before, wanted, true);
    expect(back.kept).toEqual([]);
    expect(back.doc).toEqual(original);
  });

  it('leaves a place another program changed since, and names it', () => {
    const wanted = wantedPlaces(GATEWAY);
    const { doc, before } = applyPlaces(original, wanted);
    const edited = { ...doc, apiKeyHelper: '~/bin/new-helper.sh', env: { ...(doc.env as object), EXTRA: '1' } };
    const back = restorePlaces(edited, before, wanted, true);
    expect(back.kept).toEqual(['apiKeyHelper']);
    expect(back.doc).toMatchObject({ apiKeyHelper: '~/bin/new-helper.sh', env: { FOO: 'bar', EXTRA: '1', ANTHROPIC_API_KEY: 'sk-own' } });
  });

  it('removes an env block it created once it is empty again', () => {
    const wanted = wantedPlaces(GATEWAY);
    const { doc, before } = applyPlaces({ model: 'opus' }, wanted);
    expect(restorePlaces(doc, before, wanted, false).doc).toEqual({ model: 'opus' });
  });

  it('tells a JSON null from an absent key', () => {
    expect(readPlace({ apiKeyHelper: null }, 'apiKeyHelper')).toEqual({ value: null });
    expect(readPlace({}, 'apiKeyHelper')).toBeNull();
    expect(readPlace({ env: 'not an object' }, 'env.X')).toBeNull();
  });
});

describe('driftOf', () => {
  const connected = applyPlaces({}, wantedPlaces(GATEWAY)).doc;
  it.each<[string, SettingsDoc | null, Wanted, string[]]>([
    ['a connected file', connected, GATEWAY, []],
    ['a trailing slash is the same address', { env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:8045/', ANTHROPIC_AUTH_TOKEN: 'sk-gw' } }, GATEWAY, []],
    ['a key written by hand as ANTHROPIC_API_KEY', { env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:8045', ANTHROPIC_API_KEY: 'sk-gw' } }, GATEWAY, []],
    ['no file', null, GATEWAY, ['base_url']],
    ['no base URL', { env: { FOO: '1' } }, GATEWAY, ['base_url']],
    ['the port changed', connected, { ...GATEWAY, baseUrl: 'http://127.0.0.1:9000' }, ['port']],
    ['localhost for 127.0.0.1 on another port', { env: { ANTHROPIC_BASE_URL: 'http://localhost:9', ANTHROPIC_AUTH_TOKEN: 'sk-gw' } }, GATEWAY, ['port']],
    ['another host', { env: { ANTHROPIC_BASE_URL: 'https://api.anthropic.com', ANTHROPIC_AUTH_TOKEN: 'sk-gw' } }, GATEWAY, ['base_url']],
    ['the key changed', connected, { ...GATEWAY, key: 'sk-new' }, ['key']],
    ['auth is off: any token will do', connected, { ...GATEWAY, key: null }, []],
    ['an apiKeyHelper came back', { ...connected, apiKeyHelper: 'x' }, GATEWAY, ['api_key_helper']],
  ])('%s', (_title, doc, wanted, drift) => {
    expect(driftOf(doc, wanted)).toEqual(drift);
  });
});
